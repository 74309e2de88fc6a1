using Microsoft.EntityFrameworkCore;
using OpenPars.Core.Agreements;
using OpenPars.Core.Arraignment;
using OpenPars.Core.Arrests;
using OpenPars.Core.Arrests.Reference;
using OpenPars.Core.Policy;
using OpenPars.Storage.Agreements;
using OpenPars.Storage.Arrests;
using OpenPars.Demo;
using OpenPars.Testing;
using OpenPars.App.Hosting;
using Shouldly;
using Xunit;

namespace OpenPars.Storage.Tests.Agreements;

/// <summary>
/// The partner query in SQL: it never names a withheld column nor the involved parties, and it selects exactly the
/// records the agreement's row scope describes, on random data and random agreements, on both providers. The expected
/// selection is computed here from the raw record (<see cref="ByHand"/>), not by <see cref="RowScopeRules"/>, the
/// function the product filters with, and not from the <c>adult_at_booking</c> column the SQL reads.
/// </summary>
public sealed class PartnerArrestQueryTests
{
    private static readonly string[] WithheldColumns =
        ["ssn", "date_of_birth", "address_street", "address_city", "address_state", "address_postal_code", "involved_parties",
         "birth_city", "birth_country", "race", "ethnicity", "narrative"];

    [Theory, AllProviders]
    public async Task The_generated_SQL_names_no_withheld_column(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, TestContext.Current.CancellationToken);
        var now = db.Clock.GetUtcNow();
        var grants = DisclosableFields.All
            .Where(f => f.Name is not (DisclosableFields.Ssn or DisclosableFields.DateOfBirth or DisclosableFields.Address))
            .Select(f => new FieldGrant(f.Name, f.Masks[0]))
            .ToList();
        var scope = new RowScope { ChargeGrades = [OffenseGrade.F1, OffenseGrade.F2], BookedWithinDays = 365, Statuses = [ArrestStatus.Charged], AdultsOnly = true };

        foreach (var decision in new[]
        {
            Decision(scope, grants, now, criteria: new Dictionary<string, string> { ["sid"] = "28519463", ["lastName"] = "Okafor" }),
            Decision(scope, grants, now, arrestNumber: "26-0000001"),
        })
        {
            var sql = PartnerArrestQuery.Build(db.NewContext(), decision, db.Reference.Statutes).ToQueryString();
            foreach (var column in WithheldColumns)
            {
                sql.ShouldNotContain(column, Case.Insensitive, $"the partner SQL names {column}:\n{sql}");
            }

            sql.ShouldContain("adult_at_booking", Case.Insensitive);
            sql.ShouldContain("sid", Case.Insensitive);
        }

        // Granting them makes them appear: the test above is not vacuous.
        var all = PartnerArrestQuery.Build(db.NewContext(),
            Decision(scope, [.. DisclosableFields.All.Select(f => new FieldGrant(f.Name, f.Masks[0]))], now, arrestNumber: "26-0000001"),
            db.Reference.Statutes).ToQueryString();
        all.ShouldContain("ssn", Case.Insensitive);
        all.ShouldContain("date_of_birth", Case.Insensitive);
        all.ShouldContain("address_street", Case.Insensitive);
        all.ShouldNotContain("involved_parties", Case.Insensitive);
    }

    [Theory, AllProviders]
    public async Task SQL_selects_exactly_the_records_the_row_scope_describes(StorageProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await TestDatabase.CreateAsync(provider, ct);
        var now = db.Clock.GetUtcNow();
        await SeedAsync(db, now, ct);
        var candidates = await AllRecordsAsync(db, ct);
        candidates.Count.ShouldBeGreaterThan(300);

        var statutes = db.Reference.Statutes;
        var random = new Random(20261123);
        var nonEmpty = 0;
        for (var i = 0; i < 60; i++)
        {
            var scope = RandomScope(random, db.Reference);
            var grants = RandomGrants(random);
            var asOf = now.AddHours(random.Next(0, 48));
            var decision = Decision(scope, grants, asOf, maxRecords: random.Next(0, 4) == 0 ? random.Next(1, 20) : 100_000);
            if (random.Next(0, 6) == 0)
            {
                decision = decision with { Operation = PartnerOperation.Read, ArrestNumber = candidates[random.Next(candidates.Count)].ArrestNumber };
            }

            var expected = candidates
                .Where(r => decision.ArrestNumber is null || r.ArrestNumber == decision.ArrestNumber)
                .Where(r => ByHand.InScope(r, scope, asOf, c => statutes.TryFind(c, out var s) ? s.Category : null))
                .Take(decision.MaxRecords)
                .Select(r => PartnerView.Project(r, decision.Columns))
                .ToList();
            var rows = await PartnerArrestQuery.Build(db.NewContext(), decision, statutes, answerCap: int.MaxValue).ToListAsync(ct);
            var actual = rows.Select(r => PartnerView.Project(PartnerArrestQuery.ToRecord(r), decision.Columns)).ToList();

            actual.Select(r => r.ArrestNumber).ShouldBe(expected.Select(r => r.ArrestNumber), $"case {i}: {scope}");
            actual.Select(r => r.ToJson().ToJsonString()).ShouldBe(expected.Select(r => r.ToJson().ToJsonString()), $"case {i}");
            nonEmpty += expected.Count > 0 ? 1 : 0;
        }

        nonEmpty.ShouldBeGreaterThan(10, "too few random scopes matched anything for the comparison to mean much");
    }

    [Fact]
    public void The_hand_oracle_knows_the_adult_edges()
    {
        var booked = new DateTimeOffset(2026, 2, 28, 23, 30, 0, TimeSpan.Zero);
        ByHand.AgeOn(new DateOnly(2008, 2, 28), booked).ShouldBe(18);
        ByHand.AgeOn(new DateOnly(2008, 3, 1), booked).ShouldBe(17);
        // Born on 29 February: the birthday of a common year is 28 February (DateOnly.AddYears' convention, the rule
        // RowScope documents), so the person is 18 on 2026-02-28.
        ByHand.AgeOn(new DateOnly(2008, 2, 29), booked).ShouldBe(18);
        ByHand.AgeOn(new DateOnly(2008, 2, 29), booked.AddDays(-1)).ShouldBe(17);
        // The UTC booking date counts: 23:30 at UTC−5 on the 27th is already the 28th in UTC.
        ByHand.AgeOn(new DateOnly(2008, 2, 28), new DateTimeOffset(2026, 2, 27, 23, 30, 0, TimeSpan.FromHours(-5))).ShouldBe(18);
    }

    /// <summary>The row scope as the agreement document describes it (docs: every member narrows; all must hold),
    /// written out from the raw fields, with the age counted in years, months and days.</summary>
    private static class ByHand
    {
        public static bool InScope(ArrestRecord r, RowScope scope, DateTimeOffset asOf, Func<string, string?> categoryOf)
        {
            var grades = r.Charges.Select(c => c.Grade ?? OffenseGrade.Ungraded).ToList();
            var categories = r.Charges.Select(c => categoryOf(c.Citation)?.ToLowerInvariant()).ToList();
            return (scope.Statuses is null || scope.Statuses.Contains(r.Status))
                && (scope.ChargeGrades is null || grades.Intersect(scope.ChargeGrades).Any())
                && (scope.OffenseCategories is null || categories.Intersect(scope.OffenseCategories.Select(c => c.ToLowerInvariant())).Any())
                && (scope.Districts is null || scope.Districts.Contains(r.District))
                && (scope.BookedWithinDays is not { } days || (asOf.UtcDateTime - r.BookedAt.UtcDateTime).Ticks <= TimeSpan.TicksPerDay * days)
                && (!scope.AdultsOnly || (r.Person.DateOfBirth is { } dob && AgeOn(dob, r.BookedAt) >= 18));
        }

        /// <summary>Whole years from <paramref name="born"/> to the UTC date of <paramref name="at"/>.</summary>
        public static int AgeOn(DateOnly born, DateTimeOffset at)
        {
            var on = at.UtcDateTime;
            var birthdayDay = born.Month == 2 && born.Day == 29 && !DateTime.IsLeapYear(on.Year) ? 28 : born.Day;
            var hadBirthday = on.Month > born.Month || (on.Month == born.Month && on.Day >= birthdayDay);
            return on.Year - born.Year - (hadBirthday ? 0 : 1);
        }
    }

    private static PolicyDecision.Allowed Decision(
        RowScope scope, IReadOnlyList<FieldGrant> grants, DateTimeOffset now, IReadOnlyDictionary<string, string>? criteria = null, string? arrestNumber = null, int maxRecords = 500) => new()
    {
        AgreementId = "test-2026",
        AgreementVersion = 1,
        ExpiresAt = now.AddDays(30),
        Operation = arrestNumber is null ? PartnerOperation.Search : PartnerOperation.Read,
        Purpose = "criminal-investigation",
        Scope = scope,
        BookedSince = scope.BookedSince(now),
        Columns = grants,
        DisclosedFields = [.. grants.Select(g => g.Field)],
        Criteria = criteria ?? new Dictionary<string, string>(),
        ArrestNumber = arrestNumber,
        MaxRecords = maxRecords,
    };

    private static RowScope RandomScope(Random random, ReferenceData reference)
    {
        List<T>? Subset<T>(IReadOnlyList<T> all) =>
            random.Next(0, 2) == 0 ? null : [.. all.Where(_ => random.Next(0, 3) == 0).DefaultIfEmpty(all[random.Next(all.Count)])];

        var categories = reference.Statutes.All.Select(s => s.Category).Distinct(StringComparer.Ordinal).Append("no-such-category").ToList();
        return new RowScope
        {
            Statuses = Subset(Enum.GetValues<ArrestStatus>()),
            ChargeGrades = Subset(Enum.GetValues<OffenseGrade>()),
            OffenseCategories = Subset(categories)?.Select(c => random.Next(0, 4) == 0 ? c.ToUpperInvariant() : c).ToList(),
            Districts = Subset([.. reference.Districts.All.Select(d => d.Code)]),
            BookedWithinDays = random.Next(0, 2) == 0 ? null : random.Next(1, 120),
            AdultsOnly = random.Next(0, 3) != 0,
        };
    }

    private static List<FieldGrant> RandomGrants(Random random) =>
        [.. DisclosableFields.All.Where(_ => random.Next(0, 3) != 0).Select(f => new FieldGrant(f.Name, f.Masks[random.Next(f.Masks.Count)]))];

    /// <summary>Random demo arrests of every status, plus the edges of the adults-only rule by hand.</summary>
    private static async Task SeedAsync(TestDatabase db, DateTimeOffset now, CancellationToken ct)
    {
        var generator = new DemoDataGenerator(db.Reference, seed: 7, now) { ArraignmentsPerDay = 4 };
        var actors = new BulkArrestActors(TestActors.BookingOfficer, TestActors.ChargingAttorney, TestActors.Magistrate);
        await new BulkArrestWriter(db.NewContext, db.Reference, actors, TestAudit.Trail(db.Settings, db.Clock)).WriteAsync(generator.Generate(400), ct: ct);

        var bookedAt = now.AddHours(-3);
        var bookedOn = DateOnly.FromDateTime(bookedAt.UtcDateTime);
        foreach (var dob in new DateOnly?[] { bookedOn.AddYears(-18), bookedOn.AddYears(-18).AddDays(1), bookedOn.AddYears(-17), new DateOnly(2008, 2, 29) })
        {
            await db.Arrests().BookAsync(new ArrestBuilder(db.Reference).WithDateOfBirth(dob).BookedAt(bookedAt).OccurredAt(bookedAt.AddHours(-1)).WithVictim("Jane Roe").Build(), TestActors.BookingOfficer, null, ct);
        }

        var arraigned = await db.Arrests().BookAsync(new ArrestBuilder(db.Reference).BookedAt(bookedAt).OccurredAt(bookedAt.AddHours(-1)).Build(), TestActors.BookingOfficer, null, ct);
        await db.Arrests().DecideChargingAsync(arraigned.Record.ArrestNumber, Decisions.Approve(), TestActors.ChargingAttorney, ct);
        await db.Arrests().RecordArraignmentAsync(arraigned.Record.ArrestNumber, Decisions.Arraignment(now), TestActors.Magistrate, ct);
    }

    /// <summary>Every record as the domain reads it, newest booking first (the partner query's order).</summary>
    private static async Task<List<ArrestRecord>> AllRecordsAsync(TestDatabase db, CancellationToken ct)
    {
        await using var context = db.NewContext();
        var rows = await context.Arrests.AsNoTracking().Include(a => a.Charges).OrderByDescending(a => a.BookedAt).ThenByDescending(a => a.Id).ToListAsync(ct);
        var parties = (await context.InvolvedParties.AsNoTracking().ToListAsync(ct)).ToLookup(p => p.ArrestId);
        return [.. rows.Select(r => ArrestRowMapping.Read(r, [.. parties[r.Id]]))];
    }
}
