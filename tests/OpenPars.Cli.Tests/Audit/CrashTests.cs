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
        var (_, token) = await ServeProcess.SystemClockIdentity(db).CreateTokenAsync(officer.Id, null, "crash test");

        var acknowledged = new ConcurrentBag<string>();
        using (var server = await ServeProcess.StartAsync(store))
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
                        using var response = await http.PostAsync("/api/v1/arrests", new StringContent(ServeProcess.Booking("Crashtest"), Encoding.UTF8, "application/json"));
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

}
