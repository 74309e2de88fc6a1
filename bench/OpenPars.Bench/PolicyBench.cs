using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using OpenPars.Core.Agencies;
using OpenPars.Core.Agreements;
using OpenPars.Core.Charter;
using OpenPars.Core.Arrests;
using OpenPars.Core.Arrests.Reference;
using OpenPars.Core.Policy;

namespace OpenPars.Bench;

/// <summary>
/// Benchmark 5: decisions per second of the pure <see cref="PartnerPolicy.Decide(Caller, IReadOnlyList{AgreementEvent}, CharterTimeline, PartnerRequest, QuotaUsage, DateTimeOffset, PolicyOptions?)"/>
/// against the Cedar policy engine (npm @cedar-policy/cedar-wasm 4.13.0, bench/cedar/decide.mjs) deciding the same
/// agreement (docs/agreements/examples/ice-2026.json as bench/cedar/ice-2026.cedar) over the same request mix.
/// The .NET decision of one request is Decide and, when allowed, <see cref="RowScopeRules.InScope(ArrestRecord, RowScope, DateTimeOffset)"/>
/// on the arrest the request would disclose (Cedar sees that arrest as the resource and checks the row scope on it).
/// </summary>
public static class PolicyBench
{
    public const string PartnerAgency = "ICE-ERO-PHL";

    public static async Task RunAsync(BenchOptions options)
    {
        var count = options.Requests ?? (options.Quick ? 2_000 : 10_000);
        var seconds = options.Quick ? 1.0 : 3.0;
        var mix = PolicyMix.Create(count, seed: 7);
        Report.Progress($"policy: {count:N0} requests ({mix.Cases.Count(c => c.Fault is null):N0} meant to be allowed)");

        // .NET: warm up, then time passes over the mix for about `seconds`.
        var dotnet = new bool[count];
        var events = TimePasses(mix, seconds, (c, i) => dotnet[i] = c.DecideWithEvents(mix.Events));
        var standings = mix.Cases.Select(c => AgreementStatusCalculator.StatusAt(mix.Events, GoverningCharter.Default.Charters, c.Now)).ToArray();
        var standing = TimePasses(mix, seconds, (c, i) => c.DecideWithStanding(standings[i]));

        // Cedar: the same requests, in its JSON form, through node.
        var file = Path.Combine(Path.GetTempPath(), $"openpars-policy-mix-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, mix.CedarJson());
        CedarResult? cedar;
        try
        {
            cedar = await RunCedarAsync(file, seconds);
        }
        finally
        {
            File.Delete(file);
        }

        List<string[]> rows =
        [
            [".NET `PartnerPolicy.Decide(caller, events, …)` + `RowScopeRules.InScope` (status folded from the 5 events per call)", Report.F(events), "1.00×", "—"],
            [".NET `PartnerPolicy.Decide(caller, standing, …)` + `InScope` (standing computed outside the loop)", Report.F(standing), Report.Ratio(standing / events), "—"],
        ];
        var disagreements = new List<string>();
        if (cedar is not null)
        {
            rows.Add([$"Cedar {cedar.Version} `statefulIsAuthorized` (policy set pre-parsed once), node {cedar.Node}", Report.F(cedar.PreparsedPerSecond),
                Report.Ratio(cedar.PreparsedPerSecond / events), Report.Ratio(events / cedar.PreparsedPerSecond)]);
            rows.Add([$"Cedar {cedar.Version} `isAuthorized` (policy text parsed on every call)", Report.F(cedar.TextPerSecond),
                Report.Ratio(cedar.TextPerSecond / events), Report.Ratio(events / cedar.TextPerSecond)]);
            rows.Add([$"Cedar baseline: the same `statefulIsAuthorized` calls against a one-line permit-all policy set (the call's own cost)", Report.F(cedar.PermitAllPerSecond),
                Report.Ratio(cedar.PermitAllPerSecond / events), Report.Ratio(events / cedar.PermitAllPerSecond)]);
            for (var i = 0; i < count; i++)
            {
                var cedarAllows = cedar.Decisions[i] == '1';
                if (cedarAllows != dotnet[i])
                {
                    disagreements.Add($"request {i} ({mix.Cases[i].Label}): .NET {(dotnet[i] ? "allow" : "deny")}, Cedar {(cedarAllows ? "allow" : "deny")}");
                }
            }
        }

        Report.Table($"Partner policy decisions: {count:N0} requests (ice-2026; {mix.Cases.Count(c => c.Fault is null):N0} allowed, the rest refused for {PolicyMix.FaultKinds.Length} different reasons), single thread, timed passes of ~{seconds:0.#} s after warm-up; decisions/s",
            ["engine", "decisions/s", "÷ .NET (events)", ".NET (events) ÷ this"], rows);
        var allowedCount = dotnet.Count(d => d);
        Report.Note(cedar is null
            ? "\nCedar: not run (node or bench/cedar/node_modules missing: `cd bench/cedar && npm ci`)."
            : $"\nAgreement check: .NET allowed {allowedCount:N0} of {count:N0}; Cedar allowed {cedar.Decisions.Count(ch => ch == '1'):N0}; "
              + (disagreements.Count == 0 ? "**both engines give the same allow/deny on every request.**" : $"**{disagreements.Count} disagreements**:\n\n" + string.Join("\n", disagreements.Take(20).Select(d => "* " + d))));
        Report.Note("\nRequests per fault: " + string.Join(", ", mix.Cases.GroupBy(c => c.Fault ?? "allowed").OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}")));

        if (!options.Quick)
        {
            Report.Progress("policy: BenchmarkDotNet micro-benchmark of one allowed search");
            var summary = BenchmarkRunner.Run<PolicyBenchmarks>(Config(new StderrLogger()));
            var micro = summary.Reports.Select(r => new[]
            {
                r.BenchmarkCase.Descriptor.WorkloadMethod.Name,
                Report.F(r.ResultStatistics?.Median ?? double.NaN, 1),
                Report.F(1e9 / (r.ResultStatistics?.Median ?? double.NaN)),
                r.GcStats.GetBytesAllocatedPerOperation(r.BenchmarkCase)?.ToString("N0", CultureInfo.InvariantCulture) ?? "?",
            });
            Report.Table("Partner policy, BenchmarkDotNet (in-process, median): one allowed search by lastName + dateOfBirth",
                ["method", "ns/decision", "decisions/s", "bytes allocated/op"], micro);
        }
    }

    private static double TimePasses(PolicyMix mix, double seconds, Action<PolicyCase, int> decide)
    {
        void Pass()
        {
            for (var i = 0; i < mix.Cases.Count; i++)
            {
                decide(mix.Cases[i], i);
            }
        }

        for (var w = 0; w < 3; w++)
        {
            Pass();
        }

        long n = 0;
        var watch = Stopwatch.StartNew();
        do
        {
            Pass();
            n += mix.Cases.Count;
        }
        while (watch.Elapsed.TotalSeconds < seconds);
        return n / watch.Elapsed.TotalSeconds;
    }

    private sealed record CedarResult(string Version, string Node, double PreparsedPerSecond, double TextPerSecond, double PermitAllPerSecond, string Decisions);

    private static async Task<CedarResult?> RunCedarAsync(string file, double seconds)
    {
        var script = Path.Combine(RepoRoot(), "bench", "cedar", "decide.mjs");
        if (!Directory.Exists(Path.Combine(RepoRoot(), "bench", "cedar", "node_modules")))
        {
            return null;
        }

        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(file);
        start.ArgumentList.Add("--seconds");
        start.ArgumentList.Add(seconds.ToString(CultureInfo.InvariantCulture));
        Report.Progress("policy: node bench/cedar/decide.mjs");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"decide.mjs failed ({process.ExitCode}): {await stderr}");
        }

        var json = JsonNode.Parse(await stdout)!;
        return new CedarResult(
            (string)json["cedarVersion"]!, (string)json["node"]!,
            (double)json["preparsed"]!["perSecond"]!, (double)json["text"]!["perSecond"]!, (double)json["permitAll"]!["perSecond"]!, (string)json["decisions"]!);
    }

    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OpenPars.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? Directory.GetCurrentDirectory();
    }

    private static ManualConfig Config(ILogger logger)
    {
        var config = ManualConfig.CreateEmpty()
            .AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(10).WithToolchain(InProcessEmitToolchain.Instance))
            .AddLogger(logger)
            .AddDiagnoser(BenchmarkDotNet.Diagnosers.MemoryDiagnoser.Default)
            .AddColumnProvider(BenchmarkDotNet.Columns.DefaultColumnProviders.Instance)
            .WithArtifactsPath(Path.Combine(Path.GetTempPath(), "openpars-bench-artifacts"));
        config.Options |= ConfigOptions.DisableLogFile;
        return config;
    }
}

/// <summary>One request of the mix: what .NET decides on, and (through <see cref="PolicyMix.CedarJson"/>) what Cedar does.</summary>
public sealed record PolicyCase(string Label, string? Fault, Caller Caller, PartnerRequest Request, QuotaUsage Usage, DateTimeOffset Now, ArrestRecord Record)
{
    public bool DecideWithEvents(IReadOnlyList<AgreementEvent> events) =>
        PartnerPolicy.Decide(Caller, events, GoverningCharter.Default.Charters, Request, Usage, Now) is PolicyDecision.Allowed allowed && RowScopeRules.InScope(Record, allowed.Scope, Now);

    public bool DecideWithStanding(AgreementStanding standing) =>
        PartnerPolicy.Decide(Caller, standing, GoverningCharter.Default.At(Now), Request, Usage, Now) is PolicyDecision.Allowed allowed && RowScopeRules.InScope(Record, allowed.Scope, Now);
}

/// <summary>
/// The request mix: about 70% allowed (searches by lastName+dateOfBirth, sid, fbiNumber, arrestNumber, and reads),
/// the rest refused, spread evenly over <see cref="FaultKinds"/>. Instants and booking times are whole seconds
/// (Cedar gets epoch seconds).
/// </summary>
public sealed class PolicyMix
{
    public static readonly string[] FaultKinds =
    [
        "other-agency", "not-yet-effective", "expired", "purpose-missing", "purpose-not-allowed", "reason-missing", "reason-too-short",
        "reason-blocked-term", "case-number-missing", "prohibited-criterion", "criterion-not-allowed", "unknown-criterion",
        "not-identifying", "query-quota-used", "record-quota-used", "out-of-scope-misdemeanor", "out-of-scope-too-old", "out-of-scope-minor",
    ];

    private static readonly string[] Purposes = ["criminal-investigation", "warrant-service", "custody-transfer", "Warrant-Service", " custody-transfer "];
    private static readonly string[] Reasons =
    [
        "Executing bench warrant 26-0412 for a failure to appear",
        "Custody transfer coordination for a detainer on file",
        "Investigation of an armed robbery series, suspect identified",
        "Warrant service: subject named in federal complaint",
    ];

    private static readonly string[] LastNames = ["GARCIA", "Smith", "o'brien", "Nguyen", "Washington", "Kowalski", "Haci", "Johnson"];

    private PolicyMix(AgreementDocument document, IReadOnlyList<AgreementEvent> events, List<PolicyCase> cases)
    {
        Document = document;
        Events = events;
        Cases = cases;
    }

    public AgreementDocument Document { get; }

    public IReadOnlyList<AgreementEvent> Events { get; }

    public List<PolicyCase> Cases { get; }

    public static AgreementDocument IceDocument() =>
        AgreementJson.Parse(File.ReadAllText(Path.Combine(PolicyBench.RepoRoot(), "docs", "agreements", "examples", "ice-2026.json")));

    /// <summary>ice-2026 drafted, proposed and consented by the three stakeholders in December 2025.</summary>
    public static IReadOnlyList<AgreementEvent> Approved(AgreementDocument doc)
    {
        var police = new AgreementActor(1, "rep.police", "PPD", AgencyKind.Police);
        var da = new AgreementActor(2, "rep.da", "DAO", AgencyKind.DistrictAttorney);
        var courts = new AgreementActor(3, "rep.courts", "FJD", AgencyKind.Courts);
        var at = doc.EffectiveAt.AddDays(-30);
        var events = new List<AgreementEvent>();
        events.Add(AgreementGovernance.DecideDraft(events, doc, da, at, GoverningCharter.Default));
        events.Add(AgreementGovernance.DecideProposal(events, doc.Version, da, at, GoverningCharter.Default));
        foreach (var voter in new[] { police, da, courts })
        {
            events.Add(AgreementGovernance.DecideVote(events, new CastVote(doc.Version, VoteKind.Consent, $"{voter.UserName} consents.", null), voter, at.AddDays(10), GoverningCharter.Default));
        }

        return events;
    }

    public static PolicyMix Create(int count, int seed)
    {
        var doc = IceDocument();
        var events = Approved(doc);
        var random = new Random(seed);
        var ice = new Caller(41, "ice.analyst", 41, PolicyBench.PartnerAgency, AgencyKind.Partner, [Roles.PartnerAnalyst], null, Channels.Http);
        var fbi = new Caller(42, "fbi.analyst", 42, "FBI", AgencyKind.Partner, [Roles.PartnerAnalyst], null, Channels.Http);
        var cases = new List<PolicyCase>(count);
        var effective = doc.EffectiveAt.ToUnixTimeSeconds();
        var expires = doc.ExpiresAt.ToUnixTimeSeconds();
        for (var i = 0; i < count; i++)
        {
            var fault = random.NextDouble() < 0.7 ? null : FaultKinds[random.Next(FaultKinds.Length)];
            var now = DateTimeOffset.FromUnixTimeSeconds(random.NextInt64(effective + 1, expires));
            var caller = ice;
            var purpose = (string?)Purposes[random.Next(Purposes.Length)];
            var reason = (string?)Reasons[random.Next(Reasons.Length)];
            var caseNumber = (string?)$"ICE-{random.Next(100_000, 999_999)}";
            var usage = new QuotaUsage(random.Next(0, 50), random.Next(0, 500));
            var number = $"PA-26-{random.Next(1, 999_999):000000}";
            var criteria = new Dictionary<string, string>(StringComparer.Ordinal);
            var shape = random.Next(6);
            switch (shape)
            {
                case 0 or 1:
                    criteria["lastName"] = LastNames[random.Next(LastNames.Length)];
                    criteria["dateOfBirth"] = $"19{random.Next(50, 99)}-0{random.Next(1, 9)}-1{random.Next(0, 9)}";
                    break;
                case 2:
                    criteria["sid"] = $"SID{random.Next(1_000_000):000000}";
                    break;
                case 3:
                    criteria["FbiNumber"] = $"{random.Next(100_000, 999_999)}AB1";
                    criteria["firstName"] = "Ana";
                    break;
                case 4:
                    criteria["arrestNumber"] = number;
                    break;
            }

            var grades = new List<OffenseGrade?> { OffenseGrade.M1, random.Next(3) switch { 0 => OffenseGrade.F1, 1 => OffenseGrade.F2, _ => OffenseGrade.F3 } };
            var bookedAt = now.AddSeconds(-random.Next(0, 364 * 86_400));
            var dob = DateOnly.FromDateTime(bookedAt.UtcDateTime).AddYears(-random.Next(18, 70)).AddDays(-random.Next(1, 300));
            switch (fault)
            {
                case "other-agency":
                    caller = fbi;
                    break;
                case "not-yet-effective":
                    now = DateTimeOffset.FromUnixTimeSeconds(random.NextInt64(effective - 10 * 86_400, effective));
                    bookedAt = now.AddDays(-3);
                    break;
                case "expired":
                    now = DateTimeOffset.FromUnixTimeSeconds(random.NextInt64(expires, expires + 30 * 86_400));
                    bookedAt = now.AddDays(-3);
                    break;
                case "purpose-missing":
                    purpose = random.Next(2) == 0 ? null : "  ";
                    break;
                case "purpose-not-allowed":
                    purpose = "immigration-enforcement";
                    break;
                case "reason-missing":
                    reason = null;
                    break;
                case "reason-too-short":
                    reason = "  warrant  ";
                    break;
                case "reason-blocked-term":
                    reason = random.Next(2) == 0 ? "Neighbourhood SWEEP for overstays" : "Please send All Records of this person";
                    break;
                case "case-number-missing":
                    caseNumber = random.Next(2) == 0 ? null : " ";
                    break;
                case "prohibited-criterion":
                    criteria[random.Next(3) switch { 0 => "countryOfBirth", 1 => "person.race", _ => "place_of_birth" }] = "X";
                    break;
                case "criterion-not-allowed":
                    criteria[random.Next(2) == 0 ? "district" : "statute"] = "24";
                    break;
                case "unknown-criterion":
                    criteria["shoeSize"] = "11";
                    break;
                case "not-identifying":
                    shape = 0;
                    criteria.Clear();
                    criteria["lastName"] = LastNames[random.Next(LastNames.Length)];
                    if (random.Next(2) == 0)
                    {
                        criteria["dateOfBirth"] = "   ";
                    }

                    break;
                case "query-quota-used":
                    usage = usage with { QueriesByUserToday = 50 + random.Next(3) };
                    break;
                case "record-quota-used":
                    usage = usage with { RecordsByAgencyToday = 500 + random.Next(30) };
                    break;
                case "out-of-scope-misdemeanor":
                    grades = [OffenseGrade.M1, random.Next(2) == 0 ? OffenseGrade.M2 : null];
                    break;
                case "out-of-scope-too-old":
                    bookedAt = now.AddSeconds(-365 * 86_400 - random.Next(0, 200 * 86_400));
                    break;
                case "out-of-scope-minor":
                    dob = DateOnly.FromDateTime(bookedAt.UtcDateTime).AddYears(-17).AddDays(-random.Next(0, 300));
                    break;
            }

            var request = shape == 5 && fault is not ("prohibited-criterion" or "criterion-not-allowed" or "unknown-criterion" or "not-identifying")
                ? PartnerRequest.Read(number, purpose, reason, caseNumber)
                : PartnerRequest.Search(criteria, purpose, reason, caseNumber);
            var record = new ArrestRecord
            {
                ArrestNumber = number,
                BookedAt = bookedAt,
                Person = new Person { LastName = "DOE", FirstName = "JANE", DateOfBirth = dob },
                Charges = [.. grades.Select((g, k) => new Charge { Citation = $"18 § 39{k:00}", Grade = g })],
            };
            var label = $"{fault ?? "allowed"}, {(request.Operation == PartnerOperation.Read ? "read" : "search " + string.Join("+", criteria.Keys))}";
            cases.Add(new PolicyCase(label, fault, caller, request, usage, now, record));
        }

        return new PolicyMix(doc, events, cases);
    }

    /// <summary>The mix in Cedar's JSON request form, normalized by the host as bench/cedar/ice-2026.cedar's header says.</summary>
    public string CedarJson()
    {
        var array = new JsonArray();
        foreach (var c in Cases)
        {
            static string Fold(string name) => new string([.. name.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant)]);
            var criteria = c.Request.Criteria.Keys.Select(k => SearchCriteria.TryCanonical(k, out var canonical) ? canonical.ToLowerInvariant() : Fold(k)).Distinct().ToList();
            var identifying = c.Request.Criteria.Where(kv => !string.IsNullOrWhiteSpace(kv.Value))
                .Select(kv => SearchCriteria.TryCanonical(kv.Key, out var canonical) ? canonical.ToLowerInvariant() : Fold(kv.Key)).Distinct().ToList();
            var reason = c.Request.Reason?.Trim() ?? "";
            var user = new JsonObject { ["type"] = "PartnerUser", ["id"] = c.Caller.UserId.ToString(CultureInfo.InvariantCulture) };
            var arrest = new JsonObject { ["type"] = "Arrest", ["id"] = c.Record.ArrestNumber };
            array.Add(new JsonObject
            {
                ["principal"] = user.DeepClone(),
                ["action"] = new JsonObject { ["type"] = "Action", ["id"] = c.Request.Operation == PartnerOperation.Read ? "read" : "search" },
                ["resource"] = arrest.DeepClone(),
                ["context"] = new JsonObject
                {
                    ["now"] = c.Now.ToUnixTimeSeconds(),
                    ["purpose"] = c.Request.Purpose?.Trim().ToLowerInvariant() ?? "",
                    ["reason"] = reason.ToLowerInvariant(),
                    ["reasonLength"] = reason.Length,
                    ["caseNumber"] = c.Request.CaseNumber?.Trim() ?? "",
                    ["criteria"] = new JsonArray([.. criteria.Select(n => (JsonNode)n)]),
                    ["identifying"] = new JsonArray([.. identifying.Select(n => (JsonNode)n)]),
                    ["queriesToday"] = c.Usage.QueriesByUserToday,
                    ["recordsToday"] = c.Usage.RecordsByAgencyToday,
                },
                ["entities"] = new JsonArray(
                    new JsonObject
                    {
                        ["uid"] = user.DeepClone(),
                        ["attrs"] = new JsonObject(),
                        ["parents"] = new JsonArray(new JsonObject { ["type"] = "Agency", ["id"] = c.Caller.AgencyCode }),
                    },
                    new JsonObject
                    {
                        ["uid"] = arrest.DeepClone(),
                        ["attrs"] = new JsonObject
                        {
                            ["grades"] = new JsonArray([.. c.Record.Charges.Select(ch => (JsonNode)OffenseGrades.ToCode(ch.Grade ?? OffenseGrade.Ungraded)).DistinctBy(n => n.ToString())]),
                            ["bookedAt"] = c.Record.BookedAt.ToUnixTimeSeconds(),
                            ["adultAtBooking"] = RowScopeRules.IsAdultAtBooking(c.Record),
                        },
                        ["parents"] = new JsonArray(),
                    }),
            });
        }

        return array.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
    }
}

/// <summary>BenchmarkDotNet: one allowed search (lastName + dateOfBirth), with the events or a standing.</summary>
[MemoryDiagnoser]
public class PolicyBenchmarks
{
    private PolicyCase _case = null!;
    private IReadOnlyList<AgreementEvent> _events = null!;
    private AgreementStanding _standing = null!;

    [GlobalSetup]
    public void Setup()
    {
        var mix = PolicyMix.Create(200, seed: 7);
        _events = mix.Events;
        _case = mix.Cases.First(c => c.Fault is null && c.Request.Operation == PartnerOperation.Search && c.Request.Criteria.ContainsKey("lastName"));
        _standing = AgreementStatusCalculator.StatusAt(_events, GoverningCharter.Default.Charters, _case.Now);
    }

    [Benchmark(Baseline = true)]
    public bool DecideWithEvents() => _case.DecideWithEvents(_events);

    [Benchmark]
    public bool DecideWithStanding() => _case.DecideWithStanding(_standing);
}
