using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OpenPars.Cli.Commands;
using OpenPars.Core.Agencies;
using OpenPars.Core.Agreements;
using OpenPars.Core.Charter;
using OpenPars.Core.Arrests;
using OpenPars.Core.Arrests.Reference;
using OpenPars.Core.Policy;
using OpenPars.Storage;
using OpenPars.Storage.Agencies;
using OpenPars.Storage.Agreements;
using OpenPars.Demo;
using OpenPars.Web.Endpoints;
using OpenPars.App.Hosting;
using OpenPars.Web.Hosting;

namespace OpenPars.Bench;

/// <summary>
/// Benchmark 6: governed partner search at 100k arrests. (d) the same person searched by a stakeholder over HTTP
/// (GET /api/v1/arrests, audited as well): the issue's baseline for (a). (a) GET /api/v1/partner/arrests on a real server on loopback
/// as ice.analyst with the purpose/reason/case-number headers: agreement events loaded, quota counted from the audit
/// log, PartnerPolicy.Decide, the governed query, projection, and the audit entry's durable commit before the answer;
/// (b) in-process: PartnerPolicy.Decide + PartnerArrestQuery.DiscloseAsync on a fresh context (no HTTP, no quota
/// count, no audit); (c) the SQL (b) compiles to (ToQueryString / CreateDbCommand), prepared, run with ADO.NET,
/// reading every column.
/// </summary>
public static class PartnerBench
{
    private const string Purpose = "warrant-service";
    private const string Reason = "Warrant service: subject named in a federal complaint";
    private const string CaseNumber = "ICE-2026-004711";
    private const int Picks = 50;

    public static async Task RunAsync(BenchOptions options)
    {
        var count = options.Arrests ?? (options.Quick ? 5_000 : 100_000);
        var perShape = options.Requests ?? (options.Quick ? 100 : 1_000);
        var reference = ReferenceData.LoadDefault();
        var rows = new List<string[]>();
        var sqlNotes = new List<string>();
        var planNotes = new List<string>();
        foreach (var provider in options.Providers())
        {
            await using var store = await BenchStore.CreateAsync(provider, options);
            Report.Progress($"partner {Report.Name(provider)}: seeding {count:N0} arrests");
            var audit = CliAudit.Trail(store.Settings, "seed", TimeProvider.System);
            var watch = Stopwatch.StartNew();
            await DemoSeeder.SeedArrestsAsync(store.Context, reference, TimeProvider.System, audit, count, seed: 1);
            watch.Stop();
            rows.Add(Part(Report.Name(provider), $"(seed {count:N0} arrests: {count / watch.Elapsed.TotalSeconds:N0} arrests/s)", null));

            string token;
            string stakeholderToken;
            Caller caller;
            await using (var db = store.Context())
            {
                await db.Database.ExecuteSqlRawAsync("ANALYZE;");
                var credentials = await DemoIdentities.SeedAsync(db, new IdentityStore(db, TimeProvider.System, audit));
                token = credentials.First(c => c.User == "ice.analyst").Token;
                stakeholderToken = credentials.First(c => c.User == DemoIdentities.BookingOfficer).Token;
                var id = await db.Users.Where(u => u.Name == "ice.analyst").Select(u => u.Id).SingleAsync();
                caller = new Caller(id, "ice.analyst", id, "ICE", AgencyKind.Partner, [Roles.PartnerAnalyst], null, Channels.Http);
                await RaiseQuotasAsync(db, audit);
            }

            var (shapes, events) = await ShapesAsync(store, caller, reference);
            await using var server = await BenchServer.StartAsync(store.Settings);
            using var client = server.Client(token);
            using var stakeholder = server.Client(stakeholderToken);
            await using var raw = store.Context();
            await raw.Database.OpenConnectionAsync();

            foreach (var shape in shapes)
            {
                Report.Progress($"partner {Report.Name(provider)}: {shape.Name}");
                var now = DateTimeOffset.UtcNow;
                var allowed = shape.Requests.Select(r => (PolicyDecision.Allowed)PartnerPolicy.Decide(caller, events, GoverningCharter.Default.Charters, r, new QuotaUsage(0, 0), now)).ToList();
                var commands = new List<DbCommand>();
                foreach (var decision in allowed)
                {
                    var command = PartnerArrestQuery.Build(raw, decision, reference.Statutes).CreateDbCommand();
                    command.Prepare();
                    commands.Add(command);
                }

                sqlNotes.Add($"-- {Report.Name(provider)}, {shape.Name}\n{PartnerArrestQuery.Build(raw, allowed[0], reference.Statutes).ToQueryString()}");
                long apiRecords = 0, rawRows = 0, inProcRecords = 0;

                // (d) the same person searched by a stakeholder over HTTP (audited too): the baseline of the target.
                async Task Stakeholder(int i)
                {
                    using var response = await stakeholder.GetAsync(shape.StakeholderUrls[i % shape.StakeholderUrls.Count]);
                    if (!response.IsSuccessStatusCode)
                    {
                        throw new InvalidOperationException($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                    }

                    await response.Content.ReadAsStringAsync();
                }

                async Task Api(int i)
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, shape.Urls[i % shape.Urls.Count]);
                    request.Headers.Add(PartnerApi.PurposeHeader, Purpose);
                    request.Headers.Add(PartnerApi.ReasonHeader, Reason);
                    request.Headers.Add(PartnerApi.CaseNumberHeader, CaseNumber);
                    using var response = await client.SendAsync(request);
                    var body = await response.Content.ReadAsStringAsync();
                    if (!response.IsSuccessStatusCode)
                    {
                        throw new InvalidOperationException($"{(int)response.StatusCode}: {body}");
                    }

                    apiRecords += body.Split("\"arrestNumber\":").Length - 1;
                }

                async Task InProcess(int i)
                {
                    var at = DateTimeOffset.UtcNow;
                    var decision = (PolicyDecision.Allowed)PartnerPolicy.Decide(caller, events, GoverningCharter.Default.Charters, shape.Requests[i % shape.Requests.Count], new QuotaUsage(0, 0), at);
                    await using var db = store.Context();
                    var records = await PartnerArrestQuery.DiscloseAsync(db, decision, at, reference.Statutes);
                    inProcRecords += records.Count;
                }

                async Task Raw(int i)
                {
                    await using var reader = await commands[i % commands.Count].ExecuteReaderAsync();
                    var values = new object[reader.FieldCount];
                    while (await reader.ReadAsync())
                    {
                        reader.GetValues(values);
                        rawRows++;
                    }
                }

                var warm = Math.Max(20, perShape / 10);
                await Latencies.SequentialAsync(warm, Api);
                await Latencies.SequentialAsync(warm, InProcess);
                await Latencies.SequentialAsync(warm, Raw);
                if (shape.StakeholderUrls.Count > 0)
                {
                    await Latencies.SequentialAsync(warm, Stakeholder);
                }

                (apiRecords, inProcRecords, rawRows) = (0, 0, 0);
                var api = new List<double>();
                var inproc = new List<double>();
                var sql = new List<double>();
                var stake = new List<double>();
                const int blocks = 10;
                for (var b = 0; b < blocks; b++)
                {
                    api.AddRange(await Latencies.SequentialAsync(perShape / blocks, i => Api(b * perShape + i)));
                    inproc.AddRange(await Latencies.SequentialAsync(perShape / blocks, i => InProcess(b * perShape + i)));
                    sql.AddRange(await Latencies.SequentialAsync(perShape / blocks, i => Raw(b * perShape + i)));
                    if (shape.StakeholderUrls.Count > 0)
                    {
                        stake.AddRange(await Latencies.SequentialAsync(perShape / blocks, i => Stakeholder(b * perShape + i)));
                    }
                }

                foreach (var command in commands)
                {
                    await command.DisposeAsync();
                }

                var a = new Latencies(api);
                var p = new Latencies(inproc);
                var s = new Latencies(sql);
                var perAnswer = $"{(double)apiRecords / a.Count:0.0} / {(double)inProcRecords / p.Count:0.0} / {(double)rawRows / s.Count:0.0}";
                var d = stake.Count > 0 ? new Latencies(stake) : null;
                rows.Add([Report.Name(provider), shape.Name, perAnswer,
                    Report.Ms(a.P(50)), Report.Ms(a.P(99)), Report.Ms(p.P(50)), Report.Ms(p.P(99)), Report.Ms(s.P(50)), Report.Ms(s.P(99)),
                    d is null ? "(no such criterion)" : Report.Ms(d.P(50)), d is null ? "" : Report.Ratio(a.P(50) / d.P(50)), Report.Ratio(a.P(50) / p.P(50)),
                    $"{Report.Ratio(a.P(50) / s.P(50))} / {Report.Ratio(a.P(99) / s.P(99))}", $"{Report.Ratio(p.P(50) / s.P(50))} / {Report.Ratio(p.P(99) / s.P(99))}"]);
            }

            // Two parts of (a) the in-process path leaves out, each on its own (fresh context per call, as per request).
            var day = AgreementClock.QuotaDay(AgreementStatusCalculator.StatusAt(events, GoverningCharter.Default.Charters, DateTimeOffset.UtcNow).Document!, DateTimeOffset.UtcNow);
            var quotaKey = QuotaKey.For(AgreementStatusCalculator.StatusAt(events, GoverningCharter.Default.Charters, DateTimeOffset.UtcNow).Document!, DateTimeOffset.UtcNow, caller.UserId, caller.AgencyCode);
            var loadEvents = new Latencies(await Latencies.SequentialAsync(perShape / 2, async _ =>
            {
                await using var db = store.Context();
                var found = await new AgreementStore(db, TimeProvider.System, audit).FindForPartnerAsync("ICE");
                AgreementStatusCalculator.StatusAt(found!.Events, GoverningCharter.Default.Charters, DateTimeOffset.UtcNow);
            }));
            // PARTNER-CACHE-BEGIN (the candidate's path: the same load through the product's cache, one generation read)
            var cache = new AgreementCache();
            var loadCached = new Latencies(await Latencies.SequentialAsync(perShape / 2, async _ =>
            {
                await using var db = store.Context();
                var (found, governing) = await new AgreementStore(db, TimeProvider.System, audit, cache).ForPartnerDecisionAsync("ICE", DateTimeOffset.UtcNow);
                AgreementStatusCalculator.StatusAt(found!.Events, governing.Charters, DateTimeOffset.UtcNow);
            }));
            rows.Add(Part(Report.Name(provider), $"part of (a), cached: AgreementStore.ForPartnerDecisionAsync through an AgreementCache + status ({cache.Loads} load, {cache.GenerationReads} generation reads)", loadCached));
            cache.Dispose();
            // PARTNER-CACHE-END
            var usage = new Latencies(await Latencies.SequentialAsync(perShape / 2, async _ =>
            {
                await using var db = store.Context();
                await new PartnerAccessLog(db, audit).UsageAsync(quotaKey);
            }));
            // The same count once audit_entry_records holds what a store in use would: a row per record touched by
            // any audited request (bookings, reads), two records per entry. The synthetic rows point at entry indexes
            // beyond the log (standing in for non-partner entries: for this count, an entry that is not the agency's
            // partner entry of the day and one that does not exist are the same).
            var synthetic = options.Quick ? 50_000 : 1_000_000;
            await AddAuditRecordsAsync(store, synthetic);
            var usageBig = new Latencies(await Latencies.SequentialAsync(50, async _ =>
            {
                await using var db = store.Context();
                await new PartnerAccessLog(db, audit).UsageAsync(quotaKey);
            }));
            planNotes.Add($"-- {Report.Name(provider)}: {await CountAsync(store, "audit_entry_records")} audit_entry_records, {await CountAsync(store, "audit_entries")} audit_entries\n"
                + await UsagePlanAsync(store, caller.AgencyCode, day));

            rows.Add(Part(Report.Name(provider), "part of (a), uncached: load the agreement's events + status (AgreementStore.FindForPartnerAsync)", loadEvents));
            rows.Add(Part(Report.Name(provider), $"part of (a): quota usage, PartnerAccessLog.UsageAsync = a read of quota_counters (after this run's {shapes.Count * (perShape + Math.Max(20, perShape / 10)):N0} searches)", usage));
            rows.Add(Part(Report.Name(provider), $"part of (a): the same read with {synthetic:N0} more audit_entry_records (50 calls; the counters do not grow with the log)", usageBig));
        }

        Report.Table($"Governed partner search at {count:N0} arrests (ice-2026, ice.analyst): (a) GET /api/v1/partner/arrests over HTTP, (b) Decide + PartnerArrestQuery in-process, (c) the SQL it compiles to via ADO.NET; {perShape:N0} sequential requests per path and shape over {Picks} different in-scope people, alternating blocks; ms",
            ["store", "criteria", "records per answer (a / b; c: rows incl. the charges join)", "(a) HTTP p50", "(a) p99", "(b) in-process p50", "(b) p99", "(c) SQL p50", "(c) p99", "(d) stakeholder HTTP p50", "a÷d p50 (target ≤ 1.3×)", "a÷b p50 (target ≤ 2×)", "a÷c p50 / p99", "b÷c p50 / p99"], rows);
        Report.Note("\n<details><summary>Governed SQL compiled by EF (ToQueryString)</summary>\n\n```sql\n" + string.Join("\n\n", sqlNotes) + "\n```\n</details>");
        Report.Note("\n<details><summary>Plan of the retired quota count over the audit log (the join UsageAsync used before quota_counters, kept for comparison), at the end of the run</summary>\n\n```\n" + string.Join("\n\n", planNotes) + "\n```\n</details>");
    }

    /// <summary>A row of the table for a part timed on its own (in the in-process columns), or a note.</summary>
    private static string[] Part(string store, string what, Latencies? timed) =>
        [store, what, "", "", "", timed is null ? "" : Report.Ms(timed.P(50)), timed is null ? "" : Report.Ms(timed.P(99)), "", "", "", "", "", "", ""];

    /// <summary>The records half of UsageAsync written from the entries side: the day's allowed partner entries of
    /// the agency, joined to their records.</summary>
    private static IQueryable<long> RecordsByJoin(OpenParsDbContext db, string agencyCode, (DateTimeOffset Start, DateTimeOffset End) day)
    {
        int[] types = [(int)Core.Audit.AuditEventType.PartnerSearch, (int)Core.Audit.AuditEventType.PartnerRead];
        var (start, end) = day;
        return db.AuditEntries.AsNoTracking()
            .Where(e => types.Contains(e.EventType) && e.Outcome == "allowed" && e.RecordedAt >= start && e.RecordedAt < end && e.AgencyCode == agencyCode)
            .Join(db.AuditEntryRecords.AsNoTracking(), e => e.Index, r => r.Index, (e, r) => r.Index);
    }

    private static async Task AddAuditRecordsAsync(BenchStore store, int count)
    {
        await using var db = store.Context();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = store.Provider == StorageProvider.Sqlite
            ? $"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {count}) "
              + "INSERT INTO audit_entry_records (arrest_number, \"index\") SELECT 'X-' || i, 1000000000 + i / 2 FROM n; ANALYZE;"
            : $"INSERT INTO audit_entry_records (arrest_number, index) SELECT 'X-' || i, 1000000000 + i / 2 FROM generate_series(1, {count}) AS i; ANALYZE;";
        command.CommandTimeout = 300;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> CountAsync(BenchStore store, string table)
    {
        await using var db = store.Context();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {table}";
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>The plan of the records half of PartnerAccessLog.UsageAsync (its LINQ copied; keep in step).</summary>
    private static async Task<string> UsagePlanAsync(BenchStore store, string agencyCode, (DateTimeOffset Start, DateTimeOffset End) day)
    {
        await using var db = store.Context();
        var query = RecordsByJoin(db, agencyCode, day);
        await db.Database.OpenConnectionAsync();
        await using var command = query.CreateDbCommand();
        var sql = command.CommandText;
        command.CommandText = (store.Provider == StorageProvider.Sqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN ANALYZE ") + sql;
        var lines = new List<string> { sql, "--" };
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(store.Provider == StorageProvider.Sqlite ? $"{reader.GetValue(1)} {reader.GetValue(3)}" : reader.GetString(0));
        }

        return string.Join("\n", lines);
    }

    private sealed record Shape(string Name, List<string> Urls, List<PartnerRequest> Requests, List<string> StakeholderUrls);

    /// <summary>
    /// ice-2026 as the demo seeds it allows 50 queries per user and 500 records per agency a day, fewer than the
    /// benchmark makes. A renewal (version 2, same terms, quotas raised, expiring a day later), consented by the
    /// three stakeholders through the store as the API would, takes over at once. The quota is still counted from
    /// the audit log on every request; only the limit is higher.
    /// </summary>
    private static async Task RaiseQuotasAsync(OpenParsDbContext db, Storage.Audit.AuditTrail audit)
    {
        var store = new AgreementStore(db, TimeProvider.System, audit);
        var current = (await store.FindAsync(DemoAgreements.IceAgreement))!.StatusAt(DateTimeOffset.UtcNow).Document!;
        var now = DateTimeOffset.UtcNow;
        var start = new DateTimeOffset(now.UtcDateTime.Ticks - (now.UtcDateTime.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        var renewal = current with
        {
            Version = current.Version + 1,
            Quotas = current.Quotas with { QueriesPerUserPerDay = 100_000, RecordsPerAgencyPerDay = 1_000_000 },
            EffectiveAt = start,
            ExpiresAt = current.ExpiresAt.AddDays(1),
        };
        async Task<AgreementActor> Actor(string name, string agency, AgencyKind kind) =>
            new(await db.Users.Where(u => u.Name == name && u.Agency.Code == agency).Select(u => u.Id).SingleAsync(), name, agency, kind);
        var police = await Actor("ppd.representative", "PPD", AgencyKind.Police);
        var da = await Actor("dao.representative", "DAO", AgencyKind.DistrictAttorney);
        var courts = await Actor("fjd.representative", "FJD", AgencyKind.Courts);
        await store.RenewAsync(DemoAgreements.IceAgreement, renewal, da, default);
        await store.ProposeAsync(DemoAgreements.IceAgreement, renewal.Version, da);
        foreach (var voter in new[] { police, da, courts })
        {
            await store.VoteAsync(DemoAgreements.IceAgreement, VoteKind.Consent, "Consent for the benchmark's load.", null, renewal.Version, voter);
        }
    }

    /// <summary>In-scope people (adult, felony charge, booked within 365 days), spread over the store.</summary>
    private static async Task<(List<Shape> Shapes, IReadOnlyList<AgreementEvent> Events)> ShapesAsync(BenchStore store, Caller caller, ReferenceData reference)
    {
        await using var db = store.Context();
        var events = (await new AgreementStore(db, TimeProvider.System, CliAudit.Trail(store.Settings, "bench", TimeProvider.System)).FindForPartnerAsync("ICE"))!.Events;
        var standing = AgreementStatusCalculator.StatusAt(events, GoverningCharter.Default.Charters, DateTimeOffset.UtcNow);
        if (standing.Document?.Quotas.QueriesPerUserPerDay < 100_000)
        {
            throw new InvalidOperationException("The quota renewal did not take over.");
        }

        var since = DateTimeOffset.UtcNow.AddDays(-360);
        var felonies = new[] { OffenseGrade.F1, OffenseGrade.F2, OffenseGrade.F3 }.Select(OffenseGrades.ToCode).ToList();
        var inScope = db.Arrests.AsNoTracking()
            .Where(a => a.AdultAtBooking && a.BookedAt >= since && a.DateOfBirth != null && db.Charges.Any(c => c.ArrestId == a.Id && felonies.Contains(c.Grade)));
        var total = await inScope.CountAsync();
        var stride = Math.Max(1, total / Picks);
        var people = await inScope.OrderBy(a => a.Id).Select(a => new { a.Id, a.LastName, a.DateOfBirth, a.Sid }).ToListAsync();
        var picked = people.Where((_, i) => i % stride == 0).Take(Picks).ToList();
        Report.Progress($"partner: {total:N0} arrests in scope; {picked.Count} people picked");

        static string E(string s) => Uri.EscapeDataString(s);
        PartnerRequest Search(Dictionary<string, string> criteria) => PartnerRequest.Search(criteria, Purpose, Reason, CaseNumber);
        var byName = new Shape("lastName + dateOfBirth", [], [], []);
        foreach (var p in picked)
        {
            var dob = p.DateOfBirth!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            byName.Urls.Add($"/api/v1/partner/arrests?lastName={E(p.LastName)}&dateOfBirth={dob}");
            byName.StakeholderUrls.Add($"/api/v1/arrests?lastName={E(p.LastName)}&dateOfBirth={dob}");
            byName.Requests.Add(Search(new Dictionary<string, string> { [SearchCriteria.LastName] = p.LastName, [SearchCriteria.DateOfBirth] = dob }));
        }

        var bySid = new Shape("sid", [], [], []);
        foreach (var p in picked.Where(p => !string.IsNullOrEmpty(p.Sid)))
        {
            bySid.Urls.Add($"/api/v1/partner/arrests?sid={E(p.Sid!)}");
            bySid.Requests.Add(Search(new Dictionary<string, string> { [SearchCriteria.Sid] = p.Sid! }));
        }

        return (bySid.Urls.Count > 0 ? [byName, bySid] : [byName], events);
    }
}
