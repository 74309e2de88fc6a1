using OpenPars.Storage.Agencies;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using OpenPars.Core.Audit;
using OpenPars.Testing;
using OpenPars.App.Hosting;
using OpenPars.Web.Hosting;

namespace OpenPars.Cli.Tests.Audit;

/// <summary>
/// The server process is killed (SIGKILL, no shutdown) in the middle of a burst of audited bookings. After it, the
/// log verifies, and every booking a client was told succeeded (201) is in the database with its audit entry.
/// </summary>
public sealed partial class CrashTests
{
    [Theory, AllProviders]
    public async Task Killed_mid_burst_every_acknowledged_write_has_its_entry_and_the_log_verifies(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var store = CliRunner.StorageArgs(db.Settings);
        await CliRunner.RunAsync(["agency", "add", "--code", "PPD", "--name", "Police Department", "--kind", "police", .. store]);
        // The booking officer and their token are arranged in the store: the CLI's operator adds administrators only
        // and never obtains another person's token.
        var officer = await db.Identity().AddUserAsync("PPD", "ppd.booking", ["booking-officer"]);
        var (_, token) = await SystemClockIdentity(db).CreateTokenAsync(officer.Id, null, "crash test");

        var acknowledged = new ConcurrentBag<string>();
        using (var server = await StartServerAsync(store))
        using (var http = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(10) })
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var stop = new CancellationTokenSource();
            var clients = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        using var response = await http.PostAsync("/api/v1/arrests", new StringContent(Booking(), Encoding.UTF8, "application/json"));
                        if (response.StatusCode == HttpStatusCode.Created)
                        {
                            acknowledged.Add(response.Headers.Location!.ToString().Split('/')[^1]);
                        }
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        // The server is gone: what it acknowledged before is what counts.
                    }
                }
            })).ToList();

            var deadline = Stopwatch.StartNew();
            while (acknowledged.Count < 60 && deadline.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(20);
            }

            server.Process.Kill(entireProcessTree: true);
            await server.Process.WaitForExitAsync();
            await stop.CancelAsync();
            await Task.WhenAll(clients);
        }

        Assert.True(acknowledged.Count >= 60, $"only {acknowledged.Count} bookings were acknowledged before the kill");
        var verify = await CliRunner.RunAsync(["audit", "verify", .. store]);
        Assert.True(verify.ExitCode == 0, verify.Output);

        await using var ctx = db.NewContext();
        var booked = (await ctx.AuditEntryRecords
            .Join(ctx.AuditEntries.Where(e => e.EventType == (int)AuditEventType.ArrestBooked && e.Outcome == "allowed"), r => r.Index, e => e.Index, (r, _) => r.ArrestNumber)
            .ToListAsync()).ToHashSet();
        var stored = (await ctx.Arrests.Select(a => a.ArrestNumber).ToListAsync()).ToHashSet();
        Assert.All(acknowledged, number =>
        {
            Assert.Contains(number, stored);
            Assert.Contains(number, booked);
        });

        // Every booking that exists has its entry, acknowledged or not: a write and its entry commit together.
        Assert.Subset(booked, stored);
    }

    private sealed record RunningServer(Process Process, Uri Address) : IDisposable
    {
        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
            }

            Process.Dispose();
        }
    }

    /// <summary>The real `openpars serve` in a process of its own, on a free loopback port.</summary>
    private static async Task<RunningServer> StartServerAsync(string[] store)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])[Path.Combine(AppContext.BaseDirectory, "openpars.dll"), "serve", "--urls", $"http://127.0.0.1:{port}", .. store])
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new RunningServer(process, new Uri($"http://127.0.0.1:{port}"));
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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Booking() => new JsonObject
    {
        ["district"] = "24",
        ["arrestingOfficer"] = new JsonObject { ["badgeNumber"] = "4521", ["name"] = "Dana Ruiz" },
        ["incident"] = new JsonObject { ["offenseLocation"] = "3000 Kensington Ave", ["occurredAt"] = DateTimeOffset.UtcNow.AddHours(-1).ToString("O") },
        ["person"] = new JsonObject { ["lastName"] = "Crashtest", ["firstName"] = "Ada", ["dateOfBirth"] = "1990-01-01", ["sex"] = "female" },
        ["charges"] = new JsonArray(new JsonObject { ["citation"] = "18 § 2701(a)(1)" }),
    }.ToJsonString();

    // The CLI and the server run on the system clock: a token the test arranges must be valid now, not at TestClock.Start.
    private static IdentityStore SystemClockIdentity(TestDatabase db) => new(db.NewContext(), TimeProvider.System, TestAudit.Trail(db.Settings, TimeProvider.System));
}
