using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using OpenPars.App.Hosting;
using OpenPars.Core.Arrests;
using OpenPars.Core.Audit;
using OpenPars.Core.Common;
using OpenPars.Storage.Arrests;
using OpenPars.Storage.Events;
using OpenPars.Testing;

namespace OpenPars.Cli.Tests.Faults;

/// <summary>
/// `openpars serve` is killed (SIGKILL: no shutdown, no flush) at a random instant while 200 clients book, correct,
/// decide charges, record arraignments, search as partners and vote; five rounds per database, each restarting the
/// server on the same data. After every round: each write a client was told succeeded is present; nothing is
/// half-present (every arrest has its booking entry and every booking entry its arrest); every arrest's stored
/// record is the fold of its events; `openpars audit verify` passes; the partner quota was never exceeded.
/// </summary>
/// <remarks>One class per provider (<see cref="SqliteKillUnderLoadTests"/>, <see cref="PostgresKillUnderLoadTests"/>):
/// the two halves are the project's longest tests, and classes are what xunit runs side by side.</remarks>
public abstract class KillUnderLoadTests
{
    private const int Clients = 200;
    private const int Rounds = 5;
    private const int QueriesPerUserPerDay = 40;
    private const string FelonyWithoutVictim = "18 § 907(c)";
    private static readonly string[] Voters = ["PPD", "DAO", "FJD"];
    private static readonly ReferenceData Reference = ReferenceData.LoadDefault();

    /// <summary>The five rounds on <paramref name="provider"/>.</summary>
    protected static async Task KilledAtRandomInstantsAsync(StorageProvider provider)
    {
        var seed = Environment.GetEnvironmentVariable("OPENPARS_KILL_SEED") is { } s ? int.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : 20261202;
        var random = new Random(seed);
        await using var db = await TestDatabase.CreateAsync(provider);
        var store = CliRunner.StorageArgs(db.Settings);

        // ICE searches under its agreement; the proposals of two other partners per round are what the
        // representatives vote on, so votes are written during every round. Each proposal is for a partner of its
        // own: at most one agreement per partner is in force at an instant, so a second proposal for a partner
        // whose first was adopted would refuse every consent (PARS-AGR-069).
        var proposals = new List<(string Id, string Partner)>();
        for (var round = 0; round < Rounds; round++)
        {
            foreach (var partner in new[] { "FBI", "USM" })
            {
                proposals.Add(($"{partner.ToLowerInvariant()}-load-{round}", $"{partner}{round}"));
            }
        }

        await CliArrange.AgenciesAsync(db, ["ICE", .. proposals.Select(p => p.Partner)]);
        await CliArrange.AgreementAsync(db, "ice-load", "ICE", d => d["quotas"]!["queriesPerUserPerDay"] = QueriesPerUserPerDay);
        foreach (var (id, partner) in proposals)
        {
            await CliArrange.AgreementAsync(db, id, partner, consent: false);
        }

        var officer = await CliArrange.UserAsync(db, "PPD", "ppd.booking", "booking-officer");
        var attorney = await CliArrange.UserAsync(db, "DAO", "dao.attorney", "charging-attorney");
        var magistrate = await CliArrange.UserAsync(db, "FJD", "fjd.magistrate", "magistrate");
        var analysts = new List<(long UserId, string Token)>();
        for (var i = 0; i < 3; i++)
        {
            analysts.Add(await CliArrange.UserAsync(db, "ICE", $"ice.analyst{i}", "partner-analyst"));
        }

        var representatives = new Dictionary<string, string>();
        foreach (var agency in Voters)
        {
            representatives[agency] = (await CliArrange.UserAsync(db, agency, $"{agency.ToLowerInvariant()}.rep", "stakeholder-representative")).Token;
        }

        var acknowledged = new Acknowledged();
        var summary = new List<string>();
        for (var round = 0; round < Rounds; round++)
        {
            var killAfter = random.Next(30, 150);
            var load = new Load(acknowledged, officer.Token, attorney.Token, magistrate.Token, [.. analysts.Select(a => a.Token)], representatives, [.. proposals.GetRange(round * 2, 2).Select(p => p.Id)], seed + round);
            int writesBefore = acknowledged.Writes, writes;
            var kindsBefore = acknowledged.WritesByKind();
            string output;
            using (var server = await ServeProcess.StartAsync(store))
            {
                var clients = load.Start(server.Address, Clients);
                var waited = Stopwatch.StartNew();

                // The kill falls after killAfter acknowledged writes and only once every kind of write has been
                // acknowledged in this round, so each round's kill lands with every kind in flight — on a slow machine
                // bookings alone (the fastest write) would otherwise reach the count first and the others go untested.
                while ((acknowledged.Writes - writesBefore < killAfter || !acknowledged.EveryKindSince(kindsBefore)) && waited.Elapsed < TimeSpan.FromSeconds(90))
                {
                    await Task.Delay(5);
                }

                server.Process.Kill(entireProcessTree: true);
                await server.Process.WaitForExitAsync();
                writes = acknowledged.Writes - writesBefore;
                output = server.Output;
                await load.StopAsync(clients);
            }

            Assert.True(writes >= killAfter && acknowledged.EveryKindSince(kindsBefore),
                $"round {round}: {writes} writes acknowledged before the kill (wanted {killAfter} and every kind); {acknowledged.Describe()}; the server printed:\n{output}");
            summary.Add($"round {round}: killed after {writes} acknowledged writes");
            await CheckAsync(db, store, acknowledged, analysts.Select(a => a.UserId).ToList(), $"round {round} (seed {seed})");
        }

        var line = $"{provider}: {Clients} clients, {string.Join("; ", summary)}; {acknowledged.Describe()}";
        TestContext.Current.SendDiagnosticMessage(line);
        Console.Error.WriteLine(line);
        if (Environment.GetEnvironmentVariable("OPENPARS_FIGURES") is { Length: > 0 } figures)
        {
            await File.AppendAllTextAsync(figures, $"{DateTimeOffset.UtcNow:u} kill -9 seed {seed} {line}\n");
        }

        Assert.True(!acknowledged.Bookings.IsEmpty && !acknowledged.Corrections.IsEmpty && !acknowledged.Decisions.IsEmpty && !acknowledged.Arraignments.IsEmpty && !acknowledged.Votes.IsEmpty,
            $"every kind of write was acknowledged at least once: {acknowledged.Describe()}");
        Assert.True(acknowledged.PartnerSearches > 0, "partner searches were answered");
    }

    private static async Task CheckAsync(TestDatabase db, string[] store, Acknowledged acknowledged, IReadOnlyList<long> analysts, string when)
    {
        var verify = await CliRunner.RunAsync(["audit", "verify", .. store]);
        Assert.True(verify.ExitCode == 0, $"{when}: audit verify failed: {verify.Output}");

        await using var ctx = db.NewContext();
        var booked = (await ctx.AuditEntryRecords
            .Join(ctx.AuditEntries.Where(e => e.EventType == (int)AuditEventType.ArrestBooked && e.Outcome == "allowed"), r => r.Index, e => e.Index, (r, _) => r.ArrestNumber)
            .ToListAsync()).ToHashSet();
        var stored = (await ctx.Arrests.Select(a => a.ArrestNumber).ToListAsync()).ToHashSet();
        Assert.True(booked.SetEquals(stored), $"{when}: {stored.Except(booked).Count()} arrests without their booking entry, {booked.Except(stored).Count()} entries without their arrest");
        var lost = acknowledged.Bookings.Keys.Where(n => !stored.Contains(n)).ToList();
        Assert.True(lost.Count == 0, $"{when}: {lost.Count} acknowledged bookings lost, e.g. {lost.FirstOrDefault()}");

        var arrests = new ArrestStore(ctx, Reference, new FakeTimeProvider(DateTimeOffset.UtcNow), TestAudit.Trail(db.Settings, TimeProvider.System));
        foreach (var number in stored)
        {
            var record = (await arrests.GetAsync(number))!;
            var history = (await arrests.HistoryAsync(number))!;
            Assert.True(Json(record) == Json(ArrestProjection.Fold(history)), $"{when}: {number}'s stored record is not the fold of its {history.Count} events");
            if (acknowledged.Corrections.TryGetValue(number, out var version))
            {
                Assert.True(record.Version >= version, $"{when}: {number} was acknowledged at version {version} but is at {record.Version}");
            }

            if (acknowledged.Decisions.ContainsKey(number))
            {
                Assert.True(record.Status != ArrestStatus.AwaitingCharging, $"{when}: {number}'s acknowledged charging decision is lost");
            }

            if (acknowledged.Arraignments.ContainsKey(number))
            {
                Assert.True(record.Status == ArrestStatus.Arraigned, $"{when}: {number}'s acknowledged arraignment is lost");
            }
        }

        // A vote is an agreement event: the agreement's event stream holds each acknowledged one.
        var votes = await ctx.Events.Where(e => e.StreamType == EventStreams.Agreement && e.Type == "agreement-vote-cast").Select(e => new { e.StreamId, e.AgencyCode }).ToListAsync();
        foreach (var (agreement, agency) in acknowledged.Votes.Keys)
        {
            Assert.True(votes.Any(v => v.StreamId == agreement && v.AgencyCode == agency),
                $"{when}: {agency}'s acknowledged vote on {agreement} is lost");
        }

        // The quota is a reserved counter; however the kill fell, no analyst had more searches allowed than it grants.
        var today = DateTimeOffset.UtcNow.Date;
        foreach (var analyst in analysts)
        {
            var allowed = await ctx.AuditEntries.CountAsync(e => e.UserId == analyst && e.EventType == (int)AuditEventType.PartnerSearch && e.Outcome == "allowed");
            Assert.True(allowed <= QueriesPerUserPerDay, $"{when}: analyst {analyst} had {allowed} searches allowed, over the quota of {QueriesPerUserPerDay}");
        }
    }

    private static string Json(ArrestRecord record) => JsonSerializer.Serialize(
        record.Arraignment is { BailAmount: { } amount } a ? record with { Arraignment = a with { BailAmount = amount / 1.000000000000000000000000000000000m } } : record,
        OpenParsJson.Options);

    /// <summary>What clients were told succeeded, across rounds (a write acknowledged in round 1 must survive round 5).</summary>
    private sealed class Acknowledged
    {
        private static readonly string[] Kinds = ["booking", "correction", "decision", "arraignment", "vote"];
        private readonly ConcurrentDictionary<string, int> _byKind = new();
        private int _writes;
        private int _partnerSearches;

        public ConcurrentDictionary<string, string> Bookings { get; } = new();
        public ConcurrentDictionary<string, int> Corrections { get; } = new();
        public ConcurrentDictionary<string, bool> Decisions { get; } = new();
        public ConcurrentDictionary<string, bool> Arraignments { get; } = new();
        public ConcurrentDictionary<(string Agreement, string Agency), bool> Votes { get; } = new();
        public int Writes => Volatile.Read(ref _writes);
        public int PartnerSearches => Volatile.Read(ref _partnerSearches);

        /// <summary>How many answers of each kind and status the clients got (the message of a failed round).</summary>
        public ConcurrentDictionary<string, int> Answers { get; } = new();

        /// <summary>Counts one acknowledged write of the given kind.</summary>
        public void Wrote(string kind)
        {
            Interlocked.Increment(ref _writes);
            _byKind.AddOrUpdate(kind, 1, (_, n) => n + 1);
        }

        /// <summary>A snapshot of the acknowledged writes per kind (to compare a round against).</summary>
        public Dictionary<string, int> WritesByKind() => new(_byKind);

        /// <summary>Whether every kind of write has been acknowledged since the snapshot.</summary>
        public bool EveryKindSince(Dictionary<string, int> before) =>
            Kinds.All(k => _byKind.GetValueOrDefault(k) > before.GetValueOrDefault(k));

        public void Answered(string kind, HttpResponseMessage response) => Answers.AddOrUpdate($"{kind} {(int)response.StatusCode}", 1, (_, n) => n + 1);

        public void Searched() => Interlocked.Increment(ref _partnerSearches);

        public string Describe() =>
            $"acknowledged {Bookings.Count} bookings, {Corrections.Count} corrected arrests, {Decisions.Count} decisions, {Arraignments.Count} arraignments, {Votes.Count} votes, {PartnerSearches} partner searches answered; answers {string.Join(", ", Answers.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}×{a.Value}"))}";
    }

    /// <summary>The 200 clients of one round: each takes one kind of work and repeats it until the server is gone.</summary>
    private sealed class Load(Acknowledged acknowledged, string officer, string attorney, string magistrate, string[] analysts,
        IReadOnlyDictionary<string, string> representatives, IReadOnlyList<string> proposals, int seed)
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly List<HttpClient> _http = [];

        public List<Task> Start(Uri address, int clients)
        {
            HttpClient Client(string token)
            {
                var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(20) };
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
                _http.Add(http);
                return http;
            }

            HttpClient booking = Client(officer), charging = Client(attorney), court = Client(magistrate);
            var partners = analysts.Select(Client).ToArray();
            var voters = representatives.ToDictionary(r => r.Key, r => Client(r.Value));
            var work = new List<Func<Random, Task>>();
            for (var i = 0; i < clients; i++)
            {
                work.Add((i % 20) switch
                {
                    < 7 => r => BookAsync(booking, r),
                    < 10 => r => CorrectAsync(booking, r),
                    < 13 => r => DecideAsync(charging, r),
                    < 15 => r => ArraignAsync(court, r),
                    < 19 => r => SearchAsync(partners[r.Next(partners.Length)], r),
                    _ => r => VoteAsync(voters, r),
                });
            }

            return [.. work.Select((w, i) => Task.Run(async () =>
            {
                var random = new Random(seed * 1_000 + i);
                while (!_stop.IsCancellationRequested)
                {
                    try
                    {
                        await w(random);
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                    {
                        // The server is gone: what it acknowledged before is what counts.
                        acknowledged.Answers.AddOrUpdate(e.GetType().Name, 1, (_, n) => n + 1);
                        await Task.Delay(10);
                    }
                }
            }))];
        }

        public async Task StopAsync(List<Task> clients)
        {
            await _stop.CancelAsync();
            await Task.WhenAll(clients);
            foreach (var http in _http)
            {
                http.Dispose();
            }
        }

        private string? Pick(Random random, Func<string, bool> where)
        {
            var candidates = acknowledged.Bookings.Keys.Where(where).ToList();
            return candidates.Count == 0 ? null : candidates[random.Next(candidates.Count)];
        }

        private async Task BookAsync(HttpClient http, Random random)
        {
            var lastName = "Load" + random.Next(1_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var body = JsonNode.Parse(ServeProcess.Booking(lastName))!.AsObject();
            body["charges"]![0]!["citation"] = FelonyWithoutVictim;
            using var response = await http.PostAsync("/api/v1/arrests", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
            acknowledged.Answered("booking", response);
            if (response.StatusCode == HttpStatusCode.Created)
            {
                acknowledged.Bookings[response.Headers.Location!.ToString().Split('/')[^1]] = lastName;
                acknowledged.Wrote("booking");
            }
        }

        private async Task CorrectAsync(HttpClient http, Random random)
        {
            if (Pick(random, _ => true) is not { } number)
            {
                await Task.Delay(20);
                return;
            }

            // As a desk does when told its copy is stale (412): read the record again and retry, a few times at most.
            for (var attempt = 0; attempt < 3; attempt++)
            {
                using var current = await http.GetAsync($"/api/v1/arrests/{number}");
                if (current.Headers.ETag is not { } etag)
                {
                    return;
                }

                using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/arrests/{number}/corrections")
                {
                    Content = new StringContent(new JsonObject { ["reason"] = "District keyed wrong", ["district"] = random.Next(2) == 0 ? "25" : "24" }.ToJsonString(), Encoding.UTF8, "application/json"),
                };
                request.Headers.IfMatch.Add(etag);
                using var response = await http.SendAsync(request);
                acknowledged.Answered("correction", response);
                if (response.IsSuccessStatusCode)
                {
                    var version = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["version"]!.GetValue<int>();
                    acknowledged.Corrections.AddOrUpdate(number, version, (_, old) => Math.Max(old, version));
                    acknowledged.Wrote("correction");
                }

                if (response.StatusCode != HttpStatusCode.PreconditionFailed)
                {
                    return;
                }
            }
        }

        private async Task DecideAsync(HttpClient http, Random random)
        {
            if (Pick(random, n => !acknowledged.Decisions.ContainsKey(n)) is not { } number)
            {
                await Task.Delay(20);
                return;
            }

            using var response = await http.PostAsync($"/api/v1/arrests/{number}/charging-decision", Json(new JsonObject { ["outcome"] = "approve" }));
            acknowledged.Answered("decision", response);
            if (response.IsSuccessStatusCode)
            {
                acknowledged.Decisions[number] = true;
                acknowledged.Wrote("decision");
            }
        }

        private async Task ArraignAsync(HttpClient http, Random random)
        {
            var decided = acknowledged.Decisions.Keys.Where(n => !acknowledged.Arraignments.ContainsKey(n)).ToList();
            if (decided.Count == 0)
            {
                await Task.Delay(20);
                return;
            }

            var number = decided[random.Next(decided.Count)];
            var hearing = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(5)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            using var response = await http.PostAsync($"/api/v1/arrests/{number}/arraignment", Json(new JsonObject
            {
                ["magistrate"] = "Francis X. Bernard",
                ["bailType"] = "monetary",
                ["bailAmount"] = 2500,
                ["conditions"] = new JsonArray("Stay away from the complainant"),
                ["docketNumber"] = "MC-51-CR-0012345-2026",
                ["nextHearingDate"] = hearing,
                ["nextHearingCourtroom"] = "1001",
                ["custody"] = "held",
            }));
            acknowledged.Answered("arraignment", response);
            if (response.IsSuccessStatusCode)
            {
                acknowledged.Arraignments[number] = true;
                acknowledged.Wrote("arraignment");
            }
        }

        private async Task SearchAsync(HttpClient http, Random random)
        {
            var lastName = Pick(random, _ => true) is { } number && acknowledged.Bookings.TryGetValue(number, out var name) ? name : "Nobody";
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/partner/arrests?lastName={lastName}&dateOfBirth=1990-01-01");
            request.Headers.Add("OpenPars-Purpose", "criminal-investigation");
            request.Headers.Add("OpenPars-Reason", "Locating the suspect of a robbery series in district 24");
            request.Headers.Add("OpenPars-Case-Number", "ICE-PHL-2026-0142");
            using var response = await http.SendAsync(request);
            acknowledged.Answered("partner-search", response);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                acknowledged.Searched();
            }
            else
            {
                // Over the quota or the rate (refused, not a failure): slow down as a client told to would.
                await Task.Delay(50);
            }
        }

        private async Task VoteAsync(Dictionary<string, HttpClient> voters, Random random)
        {
            var agency = Voters[random.Next(Voters.Length)];
            var agreement = proposals[random.Next(proposals.Count)];
            if (acknowledged.Votes.ContainsKey((agreement, agency)))
            {
                await Task.Delay(20);
                return;
            }

            using var response = await voters[agency].PostAsync($"/api/v1/agreements/{agreement}/votes", Json(new JsonObject { ["vote"] = "consent", ["statement"] = $"{agency} consents." }));
            acknowledged.Answered("vote", response);
            if (response.IsSuccessStatusCode)
            {
                acknowledged.Votes[(agreement, agency)] = true;
                acknowledged.Wrote("vote");
            }
        }

        private static StringContent Json(JsonObject body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");
    }
}

/// <summary><see cref="KillUnderLoadTests"/> on SQLite.</summary>
public sealed class SqliteKillUnderLoadTests : KillUnderLoadTests
{
    [Fact]
    public Task Killed_at_a_random_instant_under_mixed_load_loses_no_acknowledged_write() => KilledAtRandomInstantsAsync(StorageProvider.Sqlite);
}

/// <summary><see cref="KillUnderLoadTests"/> on PostgreSQL.</summary>
public sealed class PostgresKillUnderLoadTests : KillUnderLoadTests
{
    [Fact]
    public Task Killed_at_a_random_instant_under_mixed_load_loses_no_acknowledged_write() => KilledAtRandomInstantsAsync(StorageProvider.Postgres);
}
