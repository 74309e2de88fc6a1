using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenPars.App.Agreements;
using OpenPars.App.Hosting;
using OpenPars.App.Oversight;
using OpenPars.App.PartnerAccess;
using OpenPars.App.Watches;
using OpenPars.Core.Agencies;
using OpenPars.Core.Agreements;
using OpenPars.Core.Arrests;
using OpenPars.Core.Audit;
using OpenPars.Core.Audit.Payloads;
using OpenPars.Core.Common;
using OpenPars.Core.Oversight;
using OpenPars.Core.Oversight.Simulation;
using OpenPars.Core.Policy;
using OpenPars.Storage;
using OpenPars.Storage.Agencies;
using OpenPars.Storage.Arrests;
using OpenPars.Storage.Audit;

namespace OpenPars.Demo;

/// <summary>What the demo's history did: the figures a test or the command's output reports.</summary>
/// <param name="Arrests">Arrests written.</param>
/// <param name="PartnerRequests">Partner searches and reads made, per agency.</param>
/// <param name="PartnerRefusals">Of those, refused, per agency.</param>
/// <param name="Watches">Watches registered.</param>
/// <param name="WatchMatches">Watch matches the matcher appended during the span.</param>
/// <param name="Alerts">Oversight alerts the evaluator raised during the span, per agency.</param>
/// <param name="Phases">The wall-clock time each phase of the seed took, in the order first run (where a slow seed spends it).</param>
public sealed record DemoHistoryFigures(
    int Arrests,
    IReadOnlyDictionary<string, int> PartnerRequests,
    IReadOnlyDictionary<string, int> PartnerRefusals,
    int Watches,
    int WatchMatches,
    IReadOnlyDictionary<string, int> Alerts,
    IReadOnlyList<(string Phase, TimeSpan Took)> Phases);

/// <summary>
/// The demo with a history (issues 10 and 11 § Demo): the arrests of the span and what the city's partners did
/// meanwhile, all through the product's own use cases under a <see cref="DemoClock"/> that walks from before the
/// first booking to now — nothing is written with a timestamp behind a use case's back. In time order:
/// <list type="bullet">
/// <item>the demo's agencies and users (their tokens are issued at the end, at now, so they last their 90 days);</item>
/// <item>ICE's agreement drafted, proposed and adopted by the three representatives' consents (<see cref="AgreementUseCases"/>)
/// early in the span, FBI's some weeks later (about 45% into the span), both expiring after now;</item>
/// <item>the bookings, written in bulk as the clock passes them (<see cref="BulkArrestWriter"/>, one entry a batch);</item>
/// <item>ICE's analyst registering watches (<see cref="WatchUseCases"/>) for persons re-arrested later, and the
/// matcher (<see cref="WatchMatcher"/>) run at each day's end, so a re-arrest in the span matches;</item>
/// <item>partner traffic through <see cref="PartnerAccessUseCases"/> chosen by the oversight evaluation's simulator
/// (<see cref="SimulatedPartner"/>) over the demo's own arrests: ICE fair at first and biased (persons born abroad
/// about <see cref="BiasFactor"/> times their share, by surname alone) in the last three weeks, FBI fair; a few refused attempts
/// (a prohibited criterion, a blocked reason term, a missing case number, a criterion FBI's agreement does not
/// allow);</item>
/// <item>the oversight evaluator (<see cref="OversightAlertEvaluator"/>) at each day's end after a signed checkpoint,
/// as the server's background evaluator runs, so the biased traffic raises its disparity alert when it crosses the rule.</item>
/// </list>
/// The same seed, count and now give the same history.
/// </summary>
public static class DemoHistory
{
    /// <summary>ICE's demo analysts (the first registers the watches).</summary>
    public static IReadOnlyList<string> IceAnalysts { get; } = ["ice.analyst", "ice.analyst2", "ice.analyst3"];
    /// <summary>FBI's demo analysts.</summary>
    public static IReadOnlyList<string> FbiAnalysts { get; } = ["fbi.analyst", "fbi.analyst2"];

    /// <summary>How many days at the end of the span ICE's traffic is biased (at most half the span).</summary>
    public static readonly TimeSpan BiasedPeriod = TimeSpan.FromDays(21);

    /// <summary>
    /// How strongly ICE's analysts favour persons born abroad in the biased weeks (the simulator's factor: the expected
    /// share born abroad among their picks over that share in their pool). Not the evaluation's 1.5: the demo's
    /// benchmark is small (about 45 persons a day booked in ICE's scope, some 180 of them born abroad in 30 days),
    /// so at 1.5 the 95% interval's lower bound lands at 1.2–1.3, on the 1.25 threshold, and whether the alert is
    /// raised hung on the instant the demo was seeded (no alert for 9 of 26 nows tried, on both providers alike).
    /// At 2 it lands near 1.4–1.5 in every window the evaluator reads.
    /// </summary>
    public const double BiasFactor = 2.0;

    /// <summary>Migrates an empty store (the charter adopted at the history's start) and seeds the demo and its
    /// history ending at <paramref name="clock"/>'s now.</summary>
    /// <param name="settings">The store, empty.</param>
    /// <param name="reference">Statutes and districts.</param>
    /// <param name="clock">The real clock: the history ends at its now.</param>
    /// <param name="arrests">How many synthetic arrests.</param>
    /// <param name="seed">The same seed gives the same demo.</param>
    /// <param name="progress">Arrests written so far.</param>
    /// <param name="ct">Cancels the work.</param>
    /// <returns>The demo users' credentials and what the history did.</returns>
    public static async Task<(IReadOnlyList<DemoCredential> Credentials, DemoHistoryFigures Figures)> SeedAsync(
        StorageSettings settings, ReferenceData reference, TimeProvider clock, int arrests, int seed = 1, IProgress<int>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentOutOfRangeException.ThrowIfNegative(arrests);
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        var real = clock.GetUtcNow();
        var now = new DateTimeOffset(real.UtcTicks - (real.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        var bookings = new DemoDataGenerator(reference, seed, now).Generate(arrests).ToList();
        var first = bookings.Count > 0 ? bookings[0].BookedAt.ToUniversalTime() : now;
        var walk = new DemoClock(first.AddDays(-3));

        // The store's first entry (the charter's adoption) is the history's first step too, so times never go back.
        await OpenParsDatabase.MigrateAsync(settings, walk, Storage.Charter.CharterSource.Configured(Environment.GetEnvironmentVariable(Storage.Charter.CharterSource.EnvironmentVariable)), ct);

        var services = new ServiceCollection();
        services.AddOpenParsApp(new OpenParsAppOptions { Storage = settings, Reference = reference, Clock = walk });
        await using var provider = services.BuildServiceProvider();
        var run = new Run(provider, walk, reference, bookings, first, now, seed, progress, stopwatch);
        return await run.SeedAsync(ct);
    }

    private sealed record Step(DateTimeOffset At, int Order, Func<CancellationToken, Task> Act);

    private sealed class Run(ServiceProvider provider, DemoClock walk, ReferenceData reference, List<BulkArrest> bookings, DateTimeOffset first, DateTimeOffset now, int seed, IProgress<int>? progress, System.Diagnostics.Stopwatch stopwatch)
    {
        private static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById(AgreementDocument.DefaultTimeZone);

        private static readonly string[] IceReasons =
        [
            "Subject of an open removal case; confirming custody status before transfer",
            "Warrant of arrest pending; verifying booking and next hearing",
            "Detainer review for a person in local custody",
            "Identity check requested by the field office for an ongoing investigation",
            "Custody transfer planning with the county facility",
        ];

        private static readonly string[] FbiReasons =
        [
            "Violent crime task force: suspect in a federal carjacking case",
            "Fugitive apprehension: confirming arrest and custody of a wanted person",
            "Joint investigation with the police department's homicide unit",
            "Firearms trafficking case: checking a co-defendant's local arrest",
        ];

        private readonly Random _random = new(unchecked((seed * 7_368_787) + 17));
        private readonly Dictionary<string, int> _requests = new(StringComparer.Ordinal) { ["ICE"] = 0, ["FBI"] = 0 };
        private readonly Dictionary<string, int> _refusals = new(StringComparer.Ordinal) { ["ICE"] = 0, ["FBI"] = 0 };
        private readonly Dictionary<string, int> _alerts = new(StringComparer.Ordinal) { ["ICE"] = 0, ["FBI"] = 0 };
        private readonly string?[] _numbers = new string?[bookings.Count];
        private readonly DateTimeOffset[] _visible = [.. bookings.Select(b => Visible(b.BookedAt))];
        private readonly Dictionary<string, Caller> _callers = new(StringComparer.Ordinal);
        private readonly List<(string Phase, TimeSpan Took)> _phases = [];
        private int _written;
        private int _watches;
        private int _matches;
        private ArrestRecord[] _records = [];

        public async Task<(IReadOnlyList<DemoCredential>, DemoHistoryFigures)> SeedAsync(CancellationToken ct)
        {
            Took("generation, migration");
            // Before the span: the agencies and users, and the arrests as the domain decides them (for choosing).
            BulkArrestActors actors;
            await using (var scope = Scope(out var db))
            {
                await DemoIdentities.AddMissingAsync(db, scope.ServiceProvider.GetRequiredService<IdentityStore>(), ct);
                actors = await DemoIdentities.ActorsAsync(db, ct);
                foreach (var name in IceAnalysts.Concat(FbiAnalysts).Concat([DemoAgreements.Police, DemoAgreements.DistrictAttorney, DemoAgreements.Courts]))
                {
                    _callers[name] = await DemoIdentities.CallerAsync(db, name, ct);
                }
            }

            _records = new ArrestRecord[bookings.Count];
            Parallel.For(0, bookings.Count, new ParallelOptions { CancellationToken = ct }, i =>
                _records[i] = BulkArrestHistory.Decide(bookings[i], ArrestNumbers.Format(bookings[i].BookedAt.UtcDateTime.Year, i + 1), actors, reference).Record);

            var steps = Plan();
            Took("identities, decisions, plan");
            foreach (var step in steps.OrderBy(s => s.At).ThenBy(s => s.Order))
            {
                walk.AdvanceTo(step.At);
                await FlushAsync(step.At, actors, ct);
                Took("bookings (bulk)");
                await step.Act(ct);
                Took(PhaseOf(step.Order));
            }

            // Now: the rest of the bookings, the last match and evaluation, then the users' credentials.
            walk.AdvanceTo(now);
            await FlushAsync(DateTimeOffset.MaxValue, actors, ct);
            Took("bookings (bulk)");
            await MatchAsync(ct);
            Took(PhaseOf(MatcherOrder));
            await EvaluateAsync(ct);
            Took(PhaseOf(EvaluatorOrder));
            IReadOnlyList<DemoCredential> credentials;
            await using (var scope = Scope(out var db))
            {
                credentials = await DemoIdentities.SeedAsync(db, scope.ServiceProvider.GetRequiredService<IdentityStore>(), scope.ServiceProvider.GetRequiredService<SignInStore>(), ct);
                var trail = scope.ServiceProvider.GetRequiredService<AuditTrail>();
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                trail.Payload(new ArrestsSeededV1(_written, seed));
                await trail.AppendInTransactionAsync(db, AuditEventType.ArrestsSeeded, [], ct);
                await tx.CommitAsync(ct);
            }

            await CheckpointAsync(ct);
            Took("credentials, last checkpoint");
            return (credentials, new DemoHistoryFigures(_written, _requests, _refusals, _watches, _matches, _alerts, _phases));
        }

        // A step's order among those at the same instant, which is also the phase its time is counted under.
        private const int AgreementsOrder = 0;
        private const int EvaluatorOrder = 1;
        private const int LooksOrder = 2;
        private const int MatcherOrder = 3;

        private static string PhaseOf(int order) => order switch
        {
            AgreementsOrder => "agreements",
            EvaluatorOrder => "oversight evaluator (with its checkpoint)",
            LooksOrder => "partner looks and watches",
            _ => "watch matcher",
        };

        /// <summary>Adds the time since the last call to <paramref name="phase"/>.</summary>
        private void Took(string phase)
        {
            var took = stopwatch.Elapsed;
            stopwatch.Restart();
            var at = _phases.FindIndex(p => p.Phase == phase);
            if (at < 0)
            {
                _phases.Add((phase, took));
            }
            else
            {
                _phases[at] = (phase, _phases[at].Took + took);
            }
        }

        /// <summary>Everything but the bookings, each at its instant.</summary>
        private List<Step> Plan()
        {
            var steps = new List<Step>();
            var span = now - first;
            var iceAdopted = Local(first + TimeSpan.FromTicks(Math.Min(TimeSpan.FromDays(3).Ticks, span.Ticks / 10)), TimeSpan.FromHours(11));
            var fbiAdopted = Local(first + (span * 0.45), TimeSpan.FromHours(14));
            var expires = Local(now.AddDays(60), TimeSpan.Zero);
            var ice = DemoAgreements.Ice(Second(iceAdopted.AddDays(-2)), expires);
            var fbi = DemoAgreements.Fbi(Second(fbiAdopted.AddDays(-5)));
            Adopt(steps, ice, DemoAgreements.IceConsents, iceAdopted, days: [-2, -1, -1, 0]);
            Adopt(steps, fbi, DemoAgreements.FbiConsents, fbiAdopted, days: [-5, -3, -1, 0]);

            // ICE's traffic: fair from the day after adoption, biased over the last weeks; FBI's fair once adopted.
            var biasFrom = LocalMidnight(Max(iceAdopted.AddDays(1), now - TimeSpan.FromTicks(Math.Min(BiasedPeriod.Ticks, span.Ticks / 2))));
            Traffic(steps, "ICE", ice, IceAnalysts, IceReasons, "ERO-PHI", PartnerBehaviour.Fair, iceAdopted, biasFrom, lookupsPerDay: 15);
            Traffic(steps, "ICE", ice, IceAnalysts, IceReasons, "ERO-PHI", PartnerBehaviour.Biased, biasFrom, now, lookupsPerDay: 40, biasFactor: BiasFactor);
            Traffic(steps, "FBI", fbi, FbiAnalysts, FbiReasons, "PH-VCTF", PartnerBehaviour.Fair, fbiAdopted, now, lookupsPerDay: 12);
            Refusals(steps, ice, fbi, iceAdopted, fbiAdopted, biasFrom);

            var watchesAt = Local(iceAdopted.AddDays(1), TimeSpan.FromHours(10));
            Watches(steps, ice, watchesAt);

            // Each day's end: the matcher, and the evaluator after the checkpoint that proves the day's looks.
            // (Before the biased weeks the evaluator runs weekly: the fair traffic raises nothing there.)
            var week = 0;
            for (var day = LocalMidnight(iceAdopted); day < now; day = Local(day.AddDays(1.5), TimeSpan.Zero))
            {
                if (day >= biasFrom || week % 7 == 6)
                {
                    steps.Add(new Step(Local(day, TimeSpan.FromHours(19)), EvaluatorOrder, EvaluateAsync));
                }

                if (day >= LocalMidnight(watchesAt))
                {
                    steps.Add(new Step(Local(day, new TimeSpan(23, 50, 0)), MatcherOrder, MatchAsync));
                }

                week++;
            }

            return [.. steps.Where(s => s.At < now)];
        }

        private void Adopt(List<Step> steps, AgreementDocument document, IReadOnlyList<(string Voter, string Statement)> consents, DateTimeOffset adopted, int[] days)
        {
            var drafted = document.EffectiveAt;
            steps.Add(new Step(drafted, AgreementsOrder, ct => WithAsync<AgreementUseCases>(u => u.DraftAsync(_callers[DemoAgreements.DistrictAttorney], document, ct))));
            steps.Add(new Step(drafted.AddMinutes(20), AgreementsOrder, ct => WithAsync<AgreementUseCases>(u => u.ProposeAsync(_callers[DemoAgreements.DistrictAttorney], document.AgreementId, 1, ct))));
            for (var i = 0; i < consents.Count; i++)
            {
                var (voter, statement) = consents[i];
                var at = i == consents.Count - 1 ? adopted : Local(adopted.AddDays(days[i + 1]), TimeSpan.FromHours(9 + (2 * i)) + TimeSpan.FromMinutes(7 * i));
                steps.Add(new Step(Max(at, drafted.AddHours(1 + i)), AgreementsOrder, ct => WithAsync<AgreementUseCases>(u =>
                    u.VoteAsync(_callers[voter], document.AgreementId, new VoteRequest("consent", statement, null, 1), ct))));
            }
        }

        /// <summary>The simulator's choice of lookups over [from, to), replayed through the partner use cases.</summary>
        private void Traffic(List<Step> steps, string agency, AgreementDocument document, IReadOnlyList<string> analysts, string[] reasons, string casePrefix,
            PartnerBehaviour behaviour, DateTimeOffset from, DateTimeOffset to, int lookupsPerDay, double biasFactor = 1.5)
        {
            var start = LocalMidnight(from);
            var days = (int)Math.Ceiling((to - start).TotalDays);
            if (days <= 0)
            {
                return;
            }

            var persons = new List<CityPerson>();
            for (var i = 0; i < _records.Length; i++)
            {
                var record = _records[i];
                if (record.Person.DateOfBirth is { } dob && RowScopeRules.InScope(record, document.RowScope, now, reference.Statutes))
                {
                    persons.Add(new CityPerson(i, "#" + i.ToString(CultureInfo.InvariantCulture), _visible[i], record.Person.LastName, DemoSurnames.Of(record.Person.LastName), dob, OversightPerson.FromArrest(record)));
                }
            }

            var city = SimulatedCity.Of(new CitySettings { Start = start, Days = days, Zone = Zone, HistoryDays = 0 }, persons);
            var settings = new PartnerSettings { LookupsPerDay = lookupsPerDay, Analysts = analysts.Count, AgencyCode = agency, AgreementId = document.AgreementId, BiasFactor = biasFactor };
            var traffic = SimulatedPartner.Run(city, behaviour, unchecked(seed + (int)behaviour + (agency == "ICE" ? 0 : 100)), settings);
            var caseNumber = 0;
            foreach (var look in traffic.Observations.Where(o => o.Time > from && o.Time < to))
            {
                // Several lookups a case; the purposes and reasons of the agreement's kind of work.
                caseNumber += _random.NextDouble() < 0.4 ? 1 : 0;
                var statement = new PartnerStatement(
                    document.Purposes[_random.Next(document.Purposes.Count)],
                    reasons[_random.Next(reasons.Length)],
                    string.Create(CultureInfo.InvariantCulture, $"{casePrefix}-{look.Time.Year % 100:D2}-{1000 + caseNumber:D5}"));
                var criteria = look.Criteria;
                var operation = look.Operation;
                var analyst = analysts[(int)(look.UserId - 100)];
                steps.Add(new Step(look.Time, LooksOrder, ct => LookAsync(agency, analyst, operation, criteria, statement, ct)));
            }
        }

        /// <summary>What a partner tries that its agreement refuses: each is a refusal on the record, with its rule.</summary>
        private void Refusals(List<Step> steps, AgreementDocument ice, AgreementDocument fbi, DateTimeOffset iceAdopted, DateTimeOffset fbiAdopted, DateTimeOffset biasFrom)
        {
            var someone = _records.FirstOrDefault(r => r.Person.DateOfBirth is not null);
            if (someone is null)
            {
                return;
            }

            var name = someone.Person.LastName;
            var dob = someone.Person.DateOfBirth!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var purpose = ice.Purposes[0];
            Add("ICE", IceAnalysts[0], Local(biasFrom.AddDays(1), new TimeSpan(10, 17, 0)),
                new() { [SearchCriteria.LastName] = name, ["placeOfBirth"] = "Mexico" }, new(purpose, IceReasons[0], "ERO-PHI-26-01990"));
            Add("ICE", IceAnalysts[0], Local(iceAdopted.AddDays(2), new TimeSpan(16, 42, 0)),
                new() { [SearchCriteria.LastName] = name, [SearchCriteria.DateOfBirth] = dob }, new(purpose, "Sweep of last week's bookings", "ERO-PHI-26-01991"));
            Add("ICE", IceAnalysts[0], Local(biasFrom.AddDays(4), new TimeSpan(14, 5, 0)),
                new() { [SearchCriteria.LastName] = name, [SearchCriteria.DateOfBirth] = dob }, new(purpose, IceReasons[1], null));
            Add("FBI", FbiAnalysts[0], Local(fbiAdopted.AddDays(2), new TimeSpan(15, 31, 0)),
                new() { [SearchCriteria.LastName] = name, [SearchCriteria.FirstName] = someone.Person.FirstName }, new(fbi.Purposes[0], FbiReasons[0], "PH-VCTF-26-00077"));

            void Add(string agency, string analyst, DateTimeOffset at, Dictionary<string, string> criteria, PartnerStatement statement) =>
                steps.Add(new Step(at, LooksOrder, ct => LookAsync(agency, analyst, PartnerOperation.Search, criteria, statement, ct)));
        }

        /// <summary>
        /// ICE's analyst watches a few persons already booked in ICE's scope (by state ID), those re-arrested in scope
        /// after the watch first, so the matcher matches during the span, and a couple who are not, whose next booking
        /// — made in the demo — matches live.
        /// </summary>
        private void Watches(List<Step> steps, AgreementDocument ice, DateTimeOffset at)
        {
            var inScope = Enumerable.Range(0, _records.Length)
                .Where(i => _records[i].Person.Identifiers.Sid is not null && RowScopeRules.InScope(_records[i], ice.RowScope, now, reference.Statutes))
                .ToList();
            var before = inScope.Where(i => _visible[i] <= at).ToList();
            var later = inScope.Where(i => _visible[i] > at).Select(i => _records[i].Person.Identifiers.Sid!).ToHashSet(StringComparer.Ordinal);
            var sids = before.Select(i => _records[i].Person.Identifiers.Sid!).Distinct(StringComparer.Ordinal).ToList();
            var chosen = sids.Where(later.Contains).Take(2).Concat(sids.Where(s => !later.Contains(s)).Take(2)).ToList();
            for (var k = 0; k < chosen.Count; k++)
            {
                var sid = chosen[k];
                var statement = new PartnerStatement("warrant-service", IceReasons[1], string.Create(CultureInfo.InvariantCulture, $"ERO-PHI-26-0{2100 + k}"));
                steps.Add(new Step(at.AddMinutes(35 * k), LooksOrder, ct => WithAsync<WatchUseCases>(async u =>
                {
                    await u.RegisterAsync(_callers[IceAnalysts[0]], new WatchRequest(new Dictionary<string, string> { [SearchCriteria.Sid] = sid }, null), statement, ct);
                    _watches++;
                })));
            }
        }

        private async Task LookAsync(string agency, string analyst, PartnerOperation operation, IReadOnlyDictionary<string, string> criteria, PartnerStatement statement, CancellationToken ct)
        {
            _requests[agency]++;
            try
            {
                if (operation == PartnerOperation.Read)
                {
                    var number = _numbers[int.Parse(criteria[SearchCriteria.ArrestNumber].AsSpan(1), CultureInfo.InvariantCulture)]!;
                    await WithAsync<PartnerAccessUseCases>(u => u.ReadAsync(_callers[analyst], number, statement, ct));
                }
                else
                {
                    await WithAsync<PartnerAccessUseCases>(u => u.SearchAsync(_callers[analyst], criteria, statement, ct));
                }
            }
            catch (DomainException)
            {
                // A refusal is the request's entry, as it is for the API.
                _refusals[agency]++;
            }
        }

        private async Task MatchAsync(CancellationToken ct)
        {
            await using var scope = Scope(out _);
            _matches += await scope.ServiceProvider.GetRequiredService<WatchMatcher>().RunOnceAsync(ct);
        }

        /// <summary>What the server's background evaluator does every 15 s: a checkpoint, then each partner evaluated now.</summary>
        private async Task EvaluateAsync(CancellationToken ct)
        {
            await CheckpointAsync(ct);
            foreach (var agency in new[] { "ICE", "FBI" })
            {
                await using var scope = Scope(out _);
                _alerts[agency] += (await scope.ServiceProvider.GetRequiredService<OversightAlertEvaluator>().EvaluateAsync(agency, ct)).Count;
            }
        }

        private async Task CheckpointAsync(CancellationToken ct)
        {
            await using var scope = Scope(out var db);
            await scope.ServiceProvider.GetRequiredService<AuditLog>().CheckpointIfBehindAsync(db, ct);
        }

        /// <summary>Writes the arrests the clock has passed (visible by <paramref name="until"/>; at now, all that are left).</summary>
        private async Task FlushAsync(DateTimeOffset until, BulkArrestActors actors, CancellationToken ct)
        {
            var from = _written;
            var to = from;
            while (to < bookings.Count && _visible[to] <= until)
            {
                to++;
            }

            if (to == from)
            {
                return;
            }

            await using var scope = Scope(out var db);
            var trail = scope.ServiceProvider.GetRequiredService<AuditTrail>();
            var factory = scope.ServiceProvider.GetRequiredService<IServiceScopeFactory>();
            var contexts = new List<AsyncServiceScope>();
            try
            {
                var writer = new BulkArrestWriter(() =>
                {
                    var inner = factory.CreateAsyncScope();
                    contexts.Add(inner);
                    return inner.ServiceProvider.GetRequiredService<OpenParsDbContext>();
                }, reference, actors, trail);
                await writer.WriteAsync(bookings.GetRange(from, to - from), null, ct);
            }
            finally
            {
                foreach (var inner in contexts)
                {
                    await inner.DisposeAsync();
                }
            }

            var numbers = await db.Arrests.AsNoTracking().OrderByDescending(a => a.Id).Take(to - from).Select(a => a.ArrestNumber).ToListAsync(ct);
            numbers.Reverse();
            for (var i = 0; i < numbers.Count; i++)
            {
                _numbers[from + i] = numbers[i];
            }

            _written = to;
            progress?.Report(_written);
        }

        private async Task WithAsync<TUseCase>(Func<TUseCase, Task> call)
            where TUseCase : notnull
        {
            await using var scope = Scope(out _);
            await call(scope.ServiceProvider.GetRequiredService<TUseCase>());
        }

        /// <summary>One use-case call's scope (its own audit trail: one entry a call), from the demo command.</summary>
        private AsyncServiceScope Scope(out OpenParsDbContext db)
        {
            var scope = provider.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<AuditTrail>().Origin = AuditOrigin.Cli("demo");
            db = scope.ServiceProvider.GetRequiredService<OpenParsDbContext>();
            return scope;
        }

        // A booking is found by partners from the end of the four hours (UTC) it was booked in: the history writes the
        // bookings in bulk by those blocks, when the clock first passes one.
        private static DateTimeOffset Visible(DateTimeOffset bookedAt)
        {
            var utc = bookedAt.ToUniversalTime();
            return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour - (utc.Hour % 4), 0, 0, TimeSpan.Zero).AddHours(4);
        }

        private static DateTimeOffset Second(DateTimeOffset instant) => new(instant.UtcTicks - (instant.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

        private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

        private static DateTimeOffset LocalMidnight(DateTimeOffset instant) => Local(instant, TimeSpan.Zero);

        /// <summary>The instant of <paramref name="timeOfDay"/> in the city, on the city's day of <paramref name="instant"/>.</summary>
        private static DateTimeOffset Local(DateTimeOffset instant, TimeSpan timeOfDay)
        {
            var local = DateTime.SpecifyKind(TimeZoneInfo.ConvertTime(instant, Zone).Date.Add(timeOfDay), DateTimeKind.Unspecified);
            return new DateTimeOffset(local, Zone.GetUtcOffset(local)).ToUniversalTime();
        }
    }
}
