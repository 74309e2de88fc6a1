using OpenPars.Testing;
using OpenPars.Core.Charter;
using OpenPars.Core.Tests.Charter;
using OpenPars.Core.Agencies;
using OpenPars.Core.Agreements;
using OpenPars.Core.Arrests;
using OpenPars.Core.Policy;
using OpenPars.Core.Tests.Agreements;
using Shouldly;
using Xunit;
using static OpenPars.Core.Tests.Agreements.TestAgreements;

namespace OpenPars.Core.Tests.Policy;

/// <summary>
/// Every numeric rule of the partner pipeline at n − 1, n and n + 1 (reason length, both quotas, the remaining
/// records, effective and expiry instants to the tick), so that swapping <c>&lt;</c> and <c>&lt;=</c> in any of
/// them fails a test; and the texts a refused partner reads, which must say what to fix.
/// </summary>
public class PartnerPolicyBoundaryTests
{
    // These tests hold the agreement's own rules at their boundaries; the charter above it (which raises the reason
    // minimum and caps the term) is held to its own in Charter/. A permissive charter keeps the two apart.
    private static AgreementScript Approved(AgreementDocument? document = null) =>
        TestAgreements.Approved(document, TestCharters.Permissive.Governing());

    private static readonly Caller Caller = PolicyCallers.PartnerAnalyst(40, "analyst", Partner.AgencyCode);
    private static readonly DateTimeOffset Now = EffectiveAt.AddDays(100);
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);
    private static readonly Dictionary<string, string> ByName = new() { ["lastName"] = "Doe", ["dateOfBirth"] = "1987-06-05" };

    private static PartnerRequest SearchWithReason(string? reason) => PartnerRequest.Search(ByName, "criminal-investigation", reason, "CASE-2026-001");

    private static PolicyDecision Decide(
        PartnerRequest request, AgreementScript? agreement = null, DateTimeOffset? now = null, QuotaUsage? usage = null, PolicyOptions? options = null) =>
        PartnerPolicy.Decide(Caller, (agreement ?? Approved()).Events, (agreement ?? Approved()).Charter.Charters, request, usage ?? QuotaUsage.None, now ?? Now, options);

    private static string CodeOf(PolicyDecision decision) => decision is PolicyDecision.Refused refused ? refused.Code : "allowed";

    // ------------------------------------------------------------------------------------------- reason length

    [Theory]
    [InlineData(9, "PARS-AGR-011")]
    [InlineData(10, "allowed")] // exactly the minimum is enough
    [InlineData(11, "allowed")]
    public void A_reason_of_exactly_the_minimum_length_is_accepted_and_one_less_is_refused(int length, string code)
    {
        PolicyOptions.Default.MinReasonLength.ShouldBe(10);
        CodeOf(Decide(SearchWithReason(new string('r', length)))).ShouldBe(code);

        // The length is counted after trimming: padding does not make a short reason long enough.
        CodeOf(Decide(SearchWithReason("  " + new string('r', length) + "\t "))).ShouldBe(code);
    }

    [Theory]
    [InlineData(19, "PARS-AGR-011")]
    [InlineData(20, "allowed")]
    [InlineData(21, "allowed")]
    public void A_deployment_minimum_is_the_one_applied(int length, string code) =>
        CodeOf(Decide(SearchWithReason(new string('r', length)), options: new PolicyOptions { MinReasonLength = 20 })).ShouldBe(code);

    [Fact]
    public void A_minimum_of_zero_still_asks_for_one_character()
    {
        var none = new PolicyOptions { MinReasonLength = 0 };
        CodeOf(Decide(SearchWithReason(""), options: none)).ShouldBe("PARS-AGR-011");
        CodeOf(Decide(SearchWithReason("   "), options: none)).ShouldBe("PARS-AGR-011");
        CodeOf(Decide(SearchWithReason("r"), options: none)).ShouldBe("allowed");
    }

    // ------------------------------------------------------------------------------------------- quotas (50 queries, 500 records)

    [Theory]
    [InlineData(49, "allowed")]
    [InlineData(50, "PARS-AGR-030")] // at the quota: used up
    [InlineData(51, "PARS-AGR-030")]
    public void Queries_per_user_per_day_at_one_below_at_and_above_the_quota(int used, string code) =>
        CodeOf(Decide(SearchWithReason("Armed robbery investigation"), usage: new QuotaUsage(used, 0))).ShouldBe(code);

    [Theory]
    [InlineData(499, "allowed")]
    [InlineData(500, "PARS-AGR-030")]
    [InlineData(501, "PARS-AGR-030")]
    public void Records_per_agency_per_day_at_one_below_at_and_above_the_quota(int used, string code) =>
        CodeOf(Decide(SearchWithReason("Armed robbery investigation"), usage: new QuotaUsage(0, used))).ShouldBe(code);

    [Theory]
    [InlineData(0, 500)]
    [InlineData(120, 380)]
    [InlineData(499, 1)]
    public void MaxRecords_is_what_remains_of_the_agencys_record_quota(int used, int remaining) =>
        Decide(SearchWithReason("Armed robbery investigation"), usage: new QuotaUsage(3, used))
            .ShouldBeOfType<PolicyDecision.Allowed>().MaxRecords.ShouldBe(remaining);

    [Fact]
    public void A_quota_refusal_is_429_and_says_which_quota_is_used_up()
    {
        var queries = Decide(SearchWithReason("Armed robbery investigation"), usage: new QuotaUsage(50, 0)).ShouldBeOfType<PolicyDecision.Refused>();
        var records = Decide(SearchWithReason("Armed robbery investigation"), usage: new QuotaUsage(0, 500)).ShouldBeOfType<PolicyDecision.Refused>();
        queries.HttpStatus.ShouldBe(429);
        records.HttpStatus.ShouldBe(429);
        queries.Message.ShouldContain("query quota");
        records.Message.ShouldContain("record quota");
    }

    // ------------------------------------------------------------------------------------------- effective and expiry instants

    [Fact]
    public void Access_starts_at_effectiveAt_to_the_tick()
    {
        var request = SearchWithReason("Armed robbery investigation");
        CodeOf(Decide(request, now: EffectiveAt - Tick)).ShouldBe("PARS-AGR-002");
        CodeOf(Decide(request, now: EffectiveAt)).ShouldBe("allowed");
        CodeOf(Decide(request, now: EffectiveAt + Tick)).ShouldBe("allowed");
    }

    [Fact]
    public void Access_ends_at_expiresAt_to_the_tick()
    {
        var request = SearchWithReason("Armed robbery investigation");
        CodeOf(Decide(request, now: ExpiresAt - Tick)).ShouldBe("allowed");
        CodeOf(Decide(request, now: ExpiresAt)).ShouldBe("PARS-AGR-003");
        CodeOf(Decide(request, now: ExpiresAt + Tick)).ShouldBe("PARS-AGR-003");
    }

    [Fact]
    public void A_forged_active_standing_past_expiresAt_is_still_refused_as_expired()
    {
        // Defence in depth: a standing that says Active (a stale cache, a bug upstream) does not outlive expiresAt.
        var request = SearchWithReason("Armed robbery investigation");
        AgreementStanding Forged(DateTimeOffset at) => Approved().StatusAt(ExpiresAt - Tick) with { At = at };
        Forged(ExpiresAt).Status.ShouldBe(AgreementStatus.Active);

        CodeOf(PartnerPolicy.Decide(Caller, Forged(ExpiresAt - Tick), TestCharters.Permissive, request, QuotaUsage.None, ExpiresAt - Tick)).ShouldBe("allowed");
        CodeOf(PartnerPolicy.Decide(Caller, Forged(ExpiresAt), TestCharters.Permissive, request, QuotaUsage.None, ExpiresAt)).ShouldBe("PARS-AGR-003");
        CodeOf(PartnerPolicy.Decide(Caller, Forged(ExpiresAt + Tick), TestCharters.Permissive, request, QuotaUsage.None, ExpiresAt + Tick)).ShouldBe("PARS-AGR-003");
    }

    [Fact]
    public void Disclosure_stops_at_expiresAt_to_the_tick()
    {
        var allowed = Decide(SearchWithReason("Armed robbery investigation"), now: ExpiresAt - Tick).ShouldBeOfType<PolicyDecision.Allowed>();
        var record = TestArrests.Record(bookedAt: ExpiresAt.AddDays(-1));
        PartnerView.Disclose(allowed, [record], ExpiresAt - Tick).Count.ShouldBe(1);
        PartnerView.Disclose(allowed, [record], ExpiresAt).ShouldBeEmpty();
        PartnerView.Disclose(allowed, [record], ExpiresAt + Tick).ShouldBeEmpty();
    }

    // ------------------------------------------------------------------------------------------- booked-within-days window

    [Theory]
    [InlineData(9, true)]
    [InlineData(10, true)]
    [InlineData(11, false)]
    public void The_booking_window_holds_n_minus_1_and_n_days_and_not_n_plus_1(int daysAgo, bool inScope)
    {
        var now = new DateTimeOffset(2026, 6, 1, 9, 30, 0, TimeSpan.FromHours(-4));
        var scope = new RowScope { BookedWithinDays = 10, AdultsOnly = false };
        RowScopeRules.InScope(TestArrests.Record(bookedAt: now.AddDays(-daysAgo)), scope, now).ShouldBe(inScope);
    }

    [Fact]
    public void The_booking_window_starts_exactly_n_times_24_hours_before_now_to_the_tick()
    {
        var now = new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.FromHours(-4)); // DST ends in New York that night: still 24 h days
        var scope = new RowScope { BookedWithinDays = 10, AdultsOnly = false };
        var since = new DateTimeOffset(now.UtcTicks - (10 * TimeSpan.TicksPerDay), TimeSpan.Zero);

        scope.BookedSince(now).ShouldBe(since);
        RowScopeRules.InScope(TestArrests.Record(bookedAt: since - Tick), scope, now).ShouldBeFalse();
        RowScopeRules.InScope(TestArrests.Record(bookedAt: since), scope, now).ShouldBeTrue();
        RowScopeRules.InScope(TestArrests.Record(bookedAt: since + Tick), scope, now).ShouldBeTrue();
    }

    // ------------------------------------------------------------------------------------------- what else the decision carries

    [Fact]
    public void A_read_names_its_trimmed_arrest_number_and_a_search_names_none()
    {
        var read = PartnerRequest.Read(" 26-000123 ", "warrant-service", "Warrant 4471 service, identity confirmation", "W-4471");
        Decide(read).ShouldBeOfType<PolicyDecision.Allowed>().ArrestNumber.ShouldBe("26-000123");

        // A search that also carries an arrest number (an adapter bug, or a forged request) is still a search.
        var search = SearchWithReason("Armed robbery investigation") with { ArrestNumber = "26-000123" };
        Decide(search).ShouldBeOfType<PolicyDecision.Allowed>().ArrestNumber.ShouldBeNull();
    }

    [Fact]
    public void Every_blocked_term_counts_not_only_when_all_appear()
    {
        var agreement = Approved(Document() with { BlockedReasonTerms = ["sweep", "dragnet"] });
        CodeOf(Decide(SearchWithReason("A dragnet of recent bookings"), agreement)).ShouldBe("PARS-AGR-013");
        CodeOf(Decide(SearchWithReason("Weekly SWEEP of recent bookings"), agreement)).ShouldBe("PARS-AGR-013");
        CodeOf(Decide(SearchWithReason("Armed robbery investigation"), agreement)).ShouldBe("allowed");
    }

    [Fact]
    public void A_blank_blocked_term_in_an_unvalidated_document_blocks_nothing_and_terms_are_trimmed()
    {
        // Validation refuses blank terms; a document that skipped it must not turn "" into "every reason is blocked".
        var document = Document() with { BlockedReasonTerms = ["", "  ", " sweep "] };
        var events = ApprovedWithoutValidation(document, EffectiveAt.AddDays(-20));
        CodeOf(PartnerPolicy.Decide(Caller, events, CharterTimeline.Of(TestCharters.Permissive), SearchWithReason("Armed robbery investigation"), QuotaUsage.None, Now)).ShouldBe("allowed");
        CodeOf(PartnerPolicy.Decide(Caller, events, CharterTimeline.Of(TestCharters.Permissive), SearchWithReason("Sweep of recent bookings, weekly"), QuotaUsage.None, Now)).ShouldBe("PARS-AGR-013");
    }

    [Fact]
    public void Without_a_required_reason_an_absent_reason_contains_no_blocked_term()
    {
        var agreement = Approved(Document() with { ReasonRequired = false, BlockedReasonTerms = ["was", "here"] });
        CodeOf(Decide(SearchWithReason(null), agreement)).ShouldBe("allowed");
    }

    public static TheoryData<string, Func<PolicyDecision>, string> RefusalTexts => new()
    {
        { "PARS-AGR-001", () => Decide(SearchWithReason("Armed robbery investigation"), new AgreementScript()), "No active data-sharing agreement" },
        { "PARS-AGR-002", () => Decide(SearchWithReason("Armed robbery investigation"), now: EffectiveAt - Tick), "not yet in effect" },
        { "PARS-AGR-003", () => Decide(SearchWithReason("Armed robbery investigation"), now: ExpiresAt), "expired" },
        { "PARS-AGR-004", () => Decide(SearchWithReason("Armed robbery investigation"), Approved().Suspend(Now.AddDays(-1))), "terminated or suspended" },
        { "PARS-AGR-010", () => Decide(SearchWithReason("Armed robbery investigation") with { Purpose = null }), "Purpose header" },
        { "PARS-AGR-011", () => Decide(SearchWithReason("short")), "shorter than 10 characters" },
        { "PARS-AGR-013", () => Decide(SearchWithReason("Weekly sweep of bookings")), "stated reason contains a term" },
        { "PARS-AGR-012", () => Decide(SearchWithReason("Armed robbery investigation") with { CaseNumber = null }), "Case-Number header" },
        { "PARS-AGR-021", () => Decide(SearchWithReason("Armed robbery investigation") with { Criteria = new Dictionary<string, string> { ["shoeSize"] = "11" } }), "criterion that does not exist" },
        { "PARS-AGR-021", () => Decide(SearchWithReason("Armed robbery investigation") with { Criteria = new Dictionary<string, string>(ByName) { ["District"] = "01" } }), "searching by district" },
        { "PARS-AGR-022", () => Decide(SearchWithReason("Armed robbery investigation") with { Criteria = new Dictionary<string, string> { ["lastName"] = "Doe" } }), "must identify a person" },
        { "PARS-AGR-040", () => Decide(SearchWithReason("Armed robbery investigation"), Approved(Document() with { Operations = [PartnerOperation.Read] })), "does not grant this operation" },
    };

    [Theory]
    [MemberData(nameof(RefusalTexts))]
    public void Each_refusal_tells_the_partner_what_to_fix(string code, Func<PolicyDecision> decide, string says)
    {
        var refused = decide().ShouldBeOfType<PolicyDecision.Refused>();
        refused.Code.ShouldBe(code);
        refused.Message.ShouldContain(says, Case.Sensitive);
    }

    [Fact]
    public void A_check_that_runs_without_an_agreement_fails_closed_and_names_the_check_that_must_run_first()
    {
        var context = new PolicyContext(Caller, AgreementStanding.None(Now), SearchWithReason("Armed robbery investigation"), QuotaUsage.None, Now, PolicyOptions.Default);
        Should.Throw<InvalidOperationException>(() => new Core.Policy.Checks.PurposeAllowed().Check(context)).Message.ShouldContain("AgreementExists");
    }

    [Fact]
    public void Projection_writes_instants_dates_and_the_address_in_their_published_shapes()
    {
        var record = TestArrests.Record(bookedAt: new DateTimeOffset(2026, 3, 1, 7, 5, 9, TimeSpan.FromHours(-5)));
        var grants = new[] { DisclosableFields.BookedAt, DisclosableFields.OccurredAt, DisclosableFields.NextHearingDate, DisclosableFields.Address }
            .Select(f => new FieldGrant(f, FieldMask.Full)).ToList();
        var json = PartnerView.Project(record with { Person = record.Person with { Address = record.Person.Address! with { State = "PA", PostalCode = "19107" } } }, grants)
            .ToJson().ToJsonString();
        json.ShouldBe(
            """{"arraignment":{"nextHearingDate":"2026-04-01"},"bookedAt":"2026-03-01T12:05:09Z","incident":{"occurredAt":"2026-03-01T10:00:00Z"},"person":{"address":{"street":"ADDRESS-Street","city":"Philadelphia","state":"PA","postalCode":"19107"}}}""");
    }

    [Fact]
    public void A_grant_with_a_mask_its_field_does_not_allow_is_withheld_and_so_is_a_name_outside_the_catalogue()
    {
        var grants = new List<FieldGrant> { new(DisclosableFields.Ssn, FieldMask.Initial), new(DisclosableFields.DateOfBirth, FieldMask.Last4), new("person.race", FieldMask.Full), new(DisclosableFields.ArrestNumber, FieldMask.Full) };
        PartnerView.Project(TestArrests.Record(), grants).Fields.Keys.ShouldBe([DisclosableFields.ArrestNumber]);
    }
}
