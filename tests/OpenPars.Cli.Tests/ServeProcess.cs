using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using OpenPars.Storage.Agencies;
using OpenPars.Testing;

namespace OpenPars.Cli.Tests;

/// <summary>The real <c>openpars serve</c> in a process of its own, on a free loopback port; killed at dispose.</summary>
public sealed record ServeProcess(Process Process, Uri Address) : IDisposable
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();

    /// <summary>The last lines the server printed (standard output and error), for a failing test's message.</summary>
    public string Output => string.Join("\n", _output);

    /// <summary>Starts <c>openpars serve</c> on the store named by <paramref name="store"/> (plus any further
    /// <paramref name="options"/>) and returns once it answers /healthz.</summary>
    public static Task<ServeProcess> StartAsync(string[] store, params string[] options) => StartAsync(store, new Dictionary<string, string>(), options);

    /// <summary>As <see cref="StartAsync(string[], string[])"/>, with <paramref name="environment"/> set for the process
    /// (the webhook address policy, <c>OPENPARS_WEBHOOK_*</c>).</summary>
    public static async Task<ServeProcess> StartAsync(string[] store, IReadOnlyDictionary<string, string> environment, params string[] options)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        foreach (var arg in (string[])[Path.Combine(AppContext.BaseDirectory, "openpars.dll"), "serve", "--urls", $"http://127.0.0.1:{port}", .. store, .. options])
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        var server = new ServeProcess(process, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, line) => server.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => server.Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient { BaseAddress = server.Address };
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            try
            {
                if ((await http.GetAsync("/healthz")).IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
            }

            Assert.False(process.HasExited, "openpars serve exited before answering /healthz");
            await Task.Delay(100);
        }

        server.Dispose();
        throw new TimeoutException("openpars serve did not start within 60 s.");
    }

    /// <summary>An identity store on the system clock: the CLI and the server run on it, so a token the test arranges
    /// must be valid now, not at TestClock.Start.</summary>
    public static IdentityStore SystemClockIdentity(TestDatabase db) => new(db.NewContext(), TimeProvider.System, TestAudit.Trail(db.Settings, TimeProvider.System));

    /// <summary>A valid booking on the system clock (occurred an hour ago), as a client would send it.</summary>
    public static string Booking(string lastName) => new JsonObject
    {
        ["district"] = "24",
        ["arrestingOfficer"] = new JsonObject { ["badgeNumber"] = "4521", ["name"] = "Dana Ruiz" },
        ["incident"] = new JsonObject { ["offenseLocation"] = "3000 Kensington Ave", ["occurredAt"] = DateTimeOffset.UtcNow.AddHours(-1).ToString("O") },
        ["person"] = new JsonObject { ["lastName"] = lastName, ["firstName"] = "Ada", ["dateOfBirth"] = "1990-01-01", ["sex"] = "female" },
        ["charges"] = new JsonArray(new JsonObject { ["citation"] = "18 § 2701(a)(1)" }),
    }.ToJsonString();

    public void Dispose()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
        }

        Process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 200 && _output.TryDequeue(out _))
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
