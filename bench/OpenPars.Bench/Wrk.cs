using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace OpenPars.Bench;

/// <summary>An external load tool (wrk, when installed: `apt-get install wrk`) against a running server, so the
/// client's CPU is not the benchmark's own allocations.</summary>
public static partial class Wrk
{
    /// <summary>/healthz (anonymous) then /api/v1/districts (bearer token), 16 connections each; empty without wrk.</summary>
    public static async Task<List<string[]>> CompareAsync(string store, Uri server, string token, int seconds)
    {
        var rows = new List<string[]>();
        var health = await RunAsync(new Uri(server, "/healthz"), null, seconds);
        var authenticated = await RunAsync(new Uri(server, "/api/v1/districts"), token, seconds);
        if (health is null || authenticated is null)
        {
            Report.Progress("wrk is not installed: the authentication comparison is skipped");
            return rows;
        }

        var ratio = authenticated.Value.PerSecond / health.Value.PerSecond;
        rows.Add([store, "GET /healthz (anonymous)", Report.F(health.Value.PerSecond), health.Value.P50, health.Value.P99, "1.00×", ""]);
        rows.Add([store, "GET /api/v1/districts (bearer token)", Report.F(authenticated.Value.PerSecond), authenticated.Value.P50, authenticated.Value.P99,
            Report.Ratio(ratio), ratio >= 0.5 ? "met" : "NOT met"]);
        return rows;
    }

    private static async Task<(double PerSecond, string P50, string P99)?> RunAsync(Uri url, string? token, int seconds)
    {
        var start = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-t2", "-c16", $"-d{seconds}s", "--latency" })
        {
            start.ArgumentList.Add(arg);
        }

        if (token is not null)
        {
            start.ArgumentList.Add("-H");
            start.ArgumentList.Add($"Authorization: Bearer {token}");
        }

        start.ArgumentList.Add(url.ToString());
        Process? process;
        try
        {
            process = Process.Start(start);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }

        if (process is null)
        {
            return null;
        }

        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var perSecond = RequestsPerSecond().Match(output);
        if (!perSecond.Success)
        {
            throw new InvalidOperationException("wrk printed no Requests/sec: " + output);
        }

        if (NonSuccess().Match(output) is { Success: true } bad)
        {
            throw new InvalidOperationException($"wrk saw non-2xx answers from {url}: {bad.Value}");
        }

        return (double.Parse(perSecond.Groups[1].Value, CultureInfo.InvariantCulture), Percentile(output, "50%"), Percentile(output, "99%"));
    }

    private static string Percentile(string output, string label) =>
        Regex.Match(output, $@"^\s*{Regex.Escape(label)}\s+(\S+)", RegexOptions.Multiline) is { Success: true } m ? m.Groups[1].Value : "?";

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"Non-2xx or 3xx responses: \d+")]
    private static partial Regex NonSuccess();
}
