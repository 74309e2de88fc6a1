using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using OpenPars.App.Hosting;
using OpenPars.Core.Audit;
using OpenPars.Core.Common;
using OpenPars.Storage.Agencies;
using OpenPars.Storage.Events;
using OpenPars.Testing;

namespace OpenPars.Cli.Tests.Faults;

/// <summary>
/// The database goes away under load, against a real `openpars serve`: PostgreSQL (a cluster of the test's own) is
/// stopped at once and started again; SQLite's disk fills (its data folder on a small tmpfs, filled to the last byte).
/// While it is gone every request fails closed — 503 with PARS-SRV-100 and Retry-After, never a 500 — /healthz says
/// which dependency failed, and when it is back service resumes by itself, without a restart. Afterwards every
/// acknowledged booking is there, every stored booking has its audit entry (nothing half-written), the events are bound
/// to the log and `audit verify` passes. The recovery time (database back → first 201) is printed, not asserted.
/// </summary>
public sealed class DatabaseOutageTests
{
    private const int Clients = 8;

    [Fact]
    public async Task PostgreSQL_stopped_mid_load_fails_closed_and_service_resumes_when_it_is_back()
    {
        await using var cluster = await PrivatePostgres.StartAsync();
        var keys = Path.Combine(Path.GetTempPath(), "openpars-tests", "outage-pg-" + Guid.NewGuid().ToString("N"));
        var settings = StorageSettings.ForPostgres(cluster.ConnectionString(), keys);
        await RunOutageAsync(settings, ["--postgres", settings.ConnectionString, "--data", keys], cluster.StopServerAsync, cluster.StartServerAsync, "PostgreSQL stopped (immediate)");
    }

    [Fact]
    public async Task SQLite_on_a_full_disk_fails_closed_and_service_resumes_when_space_is_freed()
    {
        var mount = Path.Combine(Path.GetTempPath(), "openpars-tests", "outage-sqlite-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(mount);
        await RunAsync("mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", mount);
        var filler = Path.Combine(mount, "filler");
        try
        {
            var settings = StorageSettings.ForDataFolder(Path.Combine(mount, "data"));
            await RunOutageAsync(settings, ["--data", settings.DataDirectory!], () => FillAsync(filler), () => Task.Run(() => File.Delete(filler)), "SQLite disk full (tmpfs filled)");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            await RunAsync("umount", "-l", mount);
        }
    }

    private static async Task RunOutageAsync(StorageSettings settings, string[] store, Func<Task> breakDatabase, Func<Task> repairDatabase, string fault)
    {
        await OpenParsDatabase.MigrateAsync(settings, TestContext.Current.CancellationToken);
        Assert.Equal(0, (await CliRunner.RunAsync(["agency", "add", "--code", "PPD", "--name", "Police Department", "--kind", "police", .. store])).ExitCode);
        string token;
        await using (var ctx = OpenParsDatabase.CreateContext(settings))
        {
            var identity = new IdentityStore(ctx, TimeProvider.System, TestAudit.Trail(settings, TimeProvider.System));
            var officer = await identity.AddUserAsync("PPD", "ppd.booking", ["booking-officer"]);
            (_, token) = await identity.CreateTokenAsync(officer.Id, null, "outage test");
        }

        var acknowledged = new ConcurrentBag<string>();
        var refusals = new ConcurrentBag<(HttpStatusCode Status, string? Code, bool RetryAfter)>();
        var lastCreated = Stopwatch.StartNew();
        var clock = Stopwatch.StartNew();
        long lastCreatedAt = 0;
        using var server = await ServeProcess.StartAsync(store);
        using var http = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, Clients).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var response = await http.PostAsync("/api/v1/arrests", new StringContent(ServeProcess.Booking("Outage"), Encoding.UTF8, "application/json"));
                    if (response.StatusCode == HttpStatusCode.Created)
                    {
                        acknowledged.Add(response.Headers.Location!.ToString().Split('/')[^1]);
                        Interlocked.Exchange(ref lastCreatedAt, clock.ElapsedTicks);
                    }
                    else
                    {
                        var body = await response.Content.ReadAsStringAsync();
                        var code = response.Content.Headers.ContentType?.MediaType == "application/problem+json" ? JsonNode.Parse(body)?["code"]?.GetValue<string>() : null;
                        refusals.Add((response.StatusCode, code, response.Headers.RetryAfter is not null));
                        await Task.Delay(50);
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    refusals.Add((0, e.GetType().Name, false));
                }
            }
        })).ToList();

        await WaitUntilAsync(() => acknowledged.Count >= 20, TimeSpan.FromSeconds(60), "bookings before the fault");
        await breakDatabase();
        await WaitUntilAsync(() => refusals.Any(r => r.Status == HttpStatusCode.ServiceUnavailable), TimeSpan.FromSeconds(60), "a 503 while the database is gone");
        // A health probe is anonymous (with a token, authentication itself needs the database and answers PARS-SRV-100).
        using var probe = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(30) };
        JsonNode? health = null;
        var lastHealth = "";
        await WaitUntilAsync(async () =>
        {
            using var response = await probe.GetAsync("/healthz");
            lastHealth = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            health = JsonNode.Parse(await response.Content.ReadAsStringAsync());
            return response.StatusCode == HttpStatusCode.ServiceUnavailable && health?["status"] is JsonValue status && status.ToString() == "unavailable";
        }, TimeSpan.FromSeconds(30), () => $"/healthz reporting the database (last: {lastHealth})");
        Assert.Equal(ErrorCodes.DatabaseUnavailable, health!["code"]!.GetValue<string>());
        Assert.Equal("database", health["dependency"]!.GetValue<string>());

        var refusedDuringOutage = refusals.Count;
        await repairDatabase();
        var repairedAt = clock.ElapsedTicks;
        await WaitUntilAsync(() => Interlocked.Read(ref lastCreatedAt) > repairedAt, TimeSpan.FromSeconds(120), "a 201 after the database is back");
        var recovery = TimeSpan.FromSeconds((Interlocked.Read(ref lastCreatedAt) - repairedAt) / (double)Stopwatch.Frequency);
        await WaitUntilAsync(async () => (await probe.GetAsync("/healthz")).IsSuccessStatusCode, TimeSpan.FromSeconds(30), "/healthz ok again");
        var atRecovery = acknowledged.Count;
        await WaitUntilAsync(() => acknowledged.Count >= atRecovery + 20, TimeSpan.FromSeconds(60), "bookings after the recovery");
        await stop.CancelAsync();
        await Task.WhenAll(load);
        server.Process.Kill(entireProcessTree: true);
        await server.Process.WaitForExitAsync();

        // This process's own pooled connections died with the database; the server's reconnected by themselves.
        Npgsql.NpgsqlConnection.ClearAllPools();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        var line = $"{fault}: {Clients} clients, {acknowledged.Count} bookings acknowledged, {refusedDuringOutage} refused while down " +
            $"({string.Join(", ", refusals.GroupBy(r => $"{(int)r.Status} {r.Code}").Select(g => $"{g.Key} ×{g.Count()}"))}), recovery (database back → first 201) {recovery.TotalMilliseconds:N0} ms";
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        Console.Error.WriteLine(line);
        if (Environment.GetEnvironmentVariable("OPENPARS_FIGURES") is { Length: > 0 } figures)
        {
            await File.AppendAllTextAsync(figures, $"{DateTimeOffset.UtcNow:u} {line}\n");
        }

        // Fail closed: while the database was gone the server answered 503 PARS-SRV-100 with Retry-After, never anything else.
        Assert.All(refusals.Where(r => r.Status != 0), r =>
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, r.Status);
            Assert.Equal(ErrorCodes.DatabaseUnavailable, r.Code);
            Assert.True(r.RetryAfter, "a 503 without Retry-After");
        });

        var verify = await CliRunner.RunAsync(["audit", "verify", .. store]);
        Assert.True(verify.ExitCode == 0, verify.Output);
        await using var db = OpenParsDatabase.CreateContext(settings);
        var booked = (await db.AuditEntryRecords
            .Join(db.AuditEntries.Where(e => e.EventType == (int)AuditEventType.ArrestBooked && e.Outcome == "allowed"), r => r.Index, e => e.Index, (r, _) => r.ArrestNumber)
            .ToListAsync()).ToHashSet();
        var stored = (await db.Arrests.Select(a => a.ArrestNumber).ToListAsync()).ToHashSet();
        Assert.Subset(stored, acknowledged.ToHashSet());
        Assert.Equal(stored, booked); // every booking with its entry, no entry without its booking
        Assert.True((await StoreIntegrity.CheckAsync(db)).Intact);
    }

    /// <summary>Writes to <paramref name="path"/> until the file system has no byte left (ENOSPC), unbuffered.</summary>
    private static async Task FillAsync(string path)
    {
        var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        try
        {
            foreach (var size in (int[])[1 << 20, 4096, 1])
            {
                var chunk = new byte[size];
                try
                {
                    while (true)
                    {
                        await file.WriteAsync(chunk);
                    }
                }
                catch (IOException)
                {
                    // ENOSPC at this chunk size: try a smaller one, down to the last byte.
                }
            }
        }
        finally
        {
            try
            {
                await file.DisposeAsync();
            }
            catch (IOException)
            {
            }
        }
    }

    private static Task WaitUntilAsync(Func<bool> condition, TimeSpan limit, string what) => WaitUntilAsync(() => Task.FromResult(condition()), limit, () => what);

    private static Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan limit, string what) => WaitUntilAsync(condition, limit, () => what);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan limit, Func<string> what)
    {
        var waited = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(waited.Elapsed < limit, $"no {what()} within {limit.TotalSeconds} s");
            await Task.Delay(50);
        }
    }

    private static Task RunAsync(string program, params string[] args) => PrivatePostgres.RunAsync(program, args);
}
