using OpenPars.Testing;
using OpenPars.Core.Agencies;
using OpenPars.Core.Agreements;
using OpenPars.Core.Policy;
using OpenPars.Core.Tests.Agreements;
using OpenPars.Core.Tests.Charter;
using Shouldly;
using Xunit;
using static OpenPars.Core.Tests.Agreements.TestAgreements;

namespace OpenPars.Core.Tests.Policy;

public class PartnerPolicyPipelineTests
{
    private static readonly Caller Caller = PolicyCallers.PartnerAnalyst(40, "analyst", Partner.AgencyCode);
    private static readonly DateTimeOffset Now = EffectiveAt.AddDays(100);

    private static readonly Dictionary<string, string> ByName = new() { ["lastName"] = "Doe", ["dateOfBirth"] = "1987-06-05" };

    private static PartnerRequest GoodSearch => PartnerRequest.Search(ByName, "criminal-investigation", "Armed robbery investigation, suspect identified", "CASE-2026-001");

    private static PolicyDecision Decide(PartnerRequest request, AgreementScript? agreement = null, DateTimeOffset? now = null, QuotaUsage? usage = null, Caller? caller = null) =>
        PartnerPolicy.Decide(caller ?? Caller, (agreement ?? Approved()).Events, (agreement?.Charter ?? TestCharters.Philadelphia.Governing()).Charters, request, usage ?? QuotaUsage.None, now ?? Now);

    private static string CodeOf(PolicyDecision decision) => decision switch
    {
        PolicyDecision.Refused refused => refused.Code,
        _ => "allowed",
    };

    [Fact]
    public void A_good_search_is_allowed_with_what_enforcement_needs()
    {
        var allowed = Decide(GoodSearch).ShouldBeOfType<PolicyDecision.Allowed>();

        allowed.AgreementId.ShouldBe("ice-2026");
        allowed.AgreementVersion.ShouldBe(1);
        allowed.ExpiresAt.ShouldBe(ExpiresAt);
        allowed.Purpose.ShouldBe("criminal-investigation");
        allowed.Scope.BookedWithinDays.ShouldBe(365);
        allowed.BookedSince.ShouldBe(Now.ToUniversalTime().AddDays(-365));
        allowed.Columns.ShouldContain(new FieldGrant("person.ssn", FieldMask.Last4));
        allowed.DisclosedFields.ShouldBe(["arrestNumber", "person.lastName", "person.firstName", "person.dateOfBirth", "person.ssn", "charges"]);
        allowed.Criteria.ShouldBe(new Dictionary<string, string> { ["lastName"] = "Doe", ["dateOfBirth"] = "1987-06-05" });
        allowed.MaxRecords.ShouldBe(500);
    }

    [Fact]
    public void The_pipeline_runs_in_the_documented_order() =>
        PartnerPolicy.Checks.Select(c => c.Rule).ShouldBe(
        [
            "agreement-exists", "agreement-effective", "agreement-not-expired", "agreement-in-force", "agreement-fits-charter", "purpose-allowed", "reason-stated",
            "reason-terms-allowed", "case-number-stated", "no-prohibited-criteria", "criteria-allowed", "identifies-person", "within-quota",
            "operation-granted",
        ]);

    public static TheoryData<string, Func<PolicyDecision>> EachCode => new()
    {
        { "PARS-AGR-001", () => Decide(GoodSearch, new AgreementScript()) },
        { "PARS-AGR-001", () => Decide(GoodSearch, caller: Caller with { AgencyCode = "OTHER" }) },
        { "PARS-AGR-001", () => Decide(GoodSearch, caller: Caller with { AgencyKind = AgencyKind.Police }) },
        { "PARS-AGR-001", () => Decide(GoodSearch, new AgreementScript().Draft(Document(), EffectiveAt.AddDays(-5)).Propose(1, EffectiveAt.AddDays(-5))) },
        { "PARS-AGR-002", () => Decide(GoodSearch, now: EffectiveAt.AddSeconds(-1)) },
        { "PARS-AGR-003", () => Decide(GoodSearch, now: ExpiresAt) },
        { "PARS-AGR-004", () => Decide(GoodSearch, Approved().Suspend(Now.AddDays(-1))) },
        { "PARS-AGR-004", () => Decide(GoodSearch, Approved().Vote(Police, 1, VoteKind.Withdraw, Now.AddDays(-2)).Vote(Courts, 1, VoteKind.Withdraw, Now.AddDays(-1))) },
        { "PARS-AGR-010", () => Decide(GoodSearch with { Purpose = null }) },
        { "PARS-AGR-010", () => Decide(GoodSearch with { Purpose = "immigration-enforcement" }) },
        { "PARS-AGR-011", () => Decide(GoodSearch with { Reason = null }) },
        { "PARS-AGR-011", () => Decide(GoodSearch with { Reason = "  checking  " }) },
        { "PARS-AGR-013", () => Decide(GoodSearch with { Reason = "Weekly SWEEP of recent bookings" }) },
        { "PARS-AGR-012", () => Decide(GoodSearch with { CaseNumber = " " }) },
        { "PARS-AGR-020", () => Decide(GoodSearch with { Criteria = new Dictionary<string, string>(ByName) { ["place_of_birth"] = "Mexico" } }) },
        { "PARS-AGR-021", () => Decide(GoodSearch with { Criteria = new Dictionary<string, string>(ByName) { ["district"] = "01" } }) },
        { "PARS-AGR-021", () => Decide(GoodSearch with { Criteria = new Dictionary<string, string>(ByName) { ["shoeSize"] = "11" } }) },
        { "PARS-AGR-022", () => Decide(GoodSearch with { Criteria = new Dictionary<string, string> { ["lastName"] = "Doe" } }) },
        { "PARS-AGR-022", () => Decide(GoodSearch with { Criteria = new Dictionary<string, string> { ["lastName"] = "Doe", ["dateOfBirth"] = " " } }) },
        { "PARS-AGR-030", () => Decide(GoodSearch, usage: new QuotaUsage(50, 0)) },
        { "PARS-AGR-030", () => Decide(GoodSearch, usage: new QuotaUsage(0, 500)) },
        { "PARS-AGR-040", () => Decide(GoodSearch, Approved(Document() with { Operations = [PartnerOperation.Read] })) },
        { "allowed", () => Decide(GoodSearch, usage: new QuotaUsage(49, 499)) },
        { "allowed", () => Decide(PartnerRequest.Read("26-000123", "warrant-service", "Warrant 4471 service, identity confirmation", "W-4471")) },
    };

    [Theory]
    [MemberData(nameof(EachCode))]
    public void Each_refusal_code_is_reachable(string code, Func<PolicyDecision> decide)
    {
        var decision = decide();
        CodeOf(decision).ShouldBe(code);
        if (decision is PolicyDecision.Refused refused)
        {
            refused.HttpStatus.ShouldBe(code == "PARS-AGR-030" ? 429 : 403);
            refused.Rule.ShouldBe(PartnerPolicy.Checks.Single(c => c.Rule == refused.Rule).Rule);
        }
    }

    [Fact]
    public void An_expired_agreement_with_a_missing_purpose_is_003_not_010() =>
        CodeOf(Decide(GoodSearch with { Purpose = null }, now: ExpiresAt.AddDays(1))).ShouldBe("PARS-AGR-003");

    [Fact]
    public void Earlier_checks_win_peeling_one_fault_at_a_time()
    {
        // Everything wrong at once; fix one fault per step and the next code in the documented order appears.
        var agreement = Approved(Document() with { Operations = [PartnerOperation.Read] });
        var request = PartnerRequest.Search(
            new Dictionary<string, string> { ["race"] = "x", ["district"] = "01" }, purpose: null, reason: "sweep", caseNumber: null);
        var usage = new QuotaUsage(50, 0);
        var steps = new (string Code, Func<PartnerRequest, PartnerRequest> Fix)[]
        {
            ("PARS-AGR-010", r => r with { Purpose = "warrant-service" }),
            ("PARS-AGR-011", r => r with { Reason = "Routine sweep for warrant 4471" }),
            ("PARS-AGR-013", r => r with { Reason = "Service of warrant 4471 on the named person" }),
            ("PARS-AGR-012", r => r with { CaseNumber = "W-4471" }),
            ("PARS-AGR-020", r => r with { Criteria = new Dictionary<string, string> { ["district"] = "01" } }),
            ("PARS-AGR-021", r => r with { Criteria = new Dictionary<string, string> { ["lastName"] = "Doe" } }),
            ("PARS-AGR-022", r => r with { Criteria = new Dictionary<string, string> { ["sid"] = "123456" } }),
        };

        foreach (var (code, fix) in steps)
        {
            CodeOf(Decide(request, agreement, usage: usage)).ShouldBe(code);
            request = fix(request);
        }

        CodeOf(Decide(request, agreement, usage: usage)).ShouldBe("PARS-AGR-030");
        CodeOf(Decide(request, agreement)).ShouldBe("PARS-AGR-040");
        CodeOf(Decide(request)).ShouldBe("allowed");

        // And the agreement's own state comes before any of them.
        CodeOf(Decide(request with { Purpose = null }, agreement, now: EffectiveAt.AddSeconds(-1))).ShouldBe("PARS-AGR-002");
        CodeOf(Decide(request with { Purpose = null }, Approved().Suspend(Now.AddDays(-1)))).ShouldBe("PARS-AGR-004");
    }

    [Fact]
    public void Refusal_messages_never_echo_request_values()
    {
        var secret = "123-45-6789";
        var decisions = new[]
        {
            Decide(GoodSearch with { Criteria = new Dictionary<string, string> { ["countryOfBirth"] = secret } }),
            Decide(GoodSearch with { Criteria = new Dictionary<string, string> { [secret] = secret } }),
            Decide(GoodSearch with { Purpose = secret }),
            Decide(GoodSearch with { Reason = "sweep " + secret }),
        };

        foreach (var refused in decisions.Cast<PolicyDecision.Refused>())
        {
            refused.Message.ShouldNotContain(secret);
        }

        // The prohibited criterion is named by its listed spelling, not the request's.
        decisions[0].ShouldBeOfType<PolicyDecision.Refused>().Message.ShouldContain("countryOfBirth");
        Decide(GoodSearch with { Criteria = new Dictionary<string, string> { ["PERSON_RACE"] = "x" } })
            .ShouldBeOfType<PolicyDecision.Refused>().Message.ShouldBe("Searching by race is prohibited for partners.");
    }

    [Fact]
    public void Reason_and_case_number_are_not_asked_when_the_agreement_does_not_require_them()
    {
        // Only under a charter that leaves them to the agreement: Philadelphia's requires both (Charter tests).
        var relaxed = Approved(Document() with { ReasonRequired = false, CaseNumberRequired = false }, TestCharters.Permissive.Governing());
        CodeOf(Decide(GoodSearch with { Reason = null, CaseNumber = null }, relaxed)).ShouldBe("allowed");
    }

    [Fact]
    public void A_standing_computed_at_another_instant_is_not_trusted()
    {
        var standing = Approved().StatusAt(Now.AddDays(-1));
        var decision = PartnerPolicy.Decide(Caller, standing, TestCharters.Philadelphia, GoodSearch, QuotaUsage.None, Now);
        CodeOf(decision).ShouldBe("PARS-AGR-001");
    }
}
