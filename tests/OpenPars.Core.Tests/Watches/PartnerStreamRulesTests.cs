using OpenPars.Core.Agencies;
using OpenPars.Core.Agreements;
using OpenPars.Core.Policy;
using OpenPars.Core.Tests.Agreements;
using OpenPars.Core.Tests.Charter;
using OpenPars.Testing;
using Shouldly;
using Xunit;
using static OpenPars.Core.Tests.Agreements.TestAgreements;

namespace OpenPars.Core.Tests.Watches;

/// <summary>The partner stream's pure rules: its decision is a search's with the operation watch (naming nobody,
/// using no quota), and the next instant an agreement's standing changes by itself, which the open stream's timer waits for.</summary>
public class PartnerStreamRulesTests
{
    private static readonly Caller Analyst = PolicyCallers.PartnerAnalyst(40, "analyst", Partner.AgencyCode);
    private static readonly DateTimeOffset Now = EffectiveAt.AddDays(100);

    private static AgreementDocument Watching(params PartnerOperation[] operations) => Document() with
    {
        Operations = [.. operations],
        Quotas = Document().Quotas with { MaxActiveWatches = 5 },
    };

    private static PolicyDecision Decide(PartnerRequest request, AgreementScript agreement, QuotaUsage? usage = null) =>
        PartnerPolicy.Decide(Analyst, agreement.Events, agreement.Charter.Charters, request, usage ?? QuotaUsage.None, Now);

    private static PartnerRequest Stream(string? purpose = "criminal-investigation", string? reason = "Armed robbery investigation, suspect identified", string? caseNumber = "CASE-2026-001") =>
        PartnerRequest.Stream(purpose, reason, caseNumber);

    [Fact]
    public void The_stream_names_nobody_and_is_allowed_at_the_watch_quota()
    {
        var agreement = Approved(Watching(PartnerOperation.Search, PartnerOperation.Watch));
        var allowed = Decide(Stream(), agreement, new QuotaUsage(50, 500, 5)).ShouldBeOfType<PolicyDecision.Allowed>();
        allowed.Operation.ShouldBe(PartnerOperation.Watch);
        allowed.Criteria.ShouldBeEmpty();

        // A registration at the same quota is refused: only the stream is exempt.
        var register = PartnerRequest.Watch(new Dictionary<string, string> { ["sid"] = "12345678" }, "criminal-investigation", "Armed robbery investigation, suspect identified", "CASE-2026-001");
        Decide(register, agreement, new QuotaUsage(0, 0, 5)).ShouldBeOfType<PolicyDecision.Refused>().Code.ShouldBe(AgreementErrorCodes.QuotaExceeded);
    }

    [Fact]
    public void The_stream_is_refused_as_a_search_is_without_its_statement_or_the_watch_grant()
    {
        var agreement = Approved(Watching(PartnerOperation.Search, PartnerOperation.Watch));
        Decide(Stream(purpose: "curiosity"), agreement).ShouldBeOfType<PolicyDecision.Refused>().Code.ShouldBe(AgreementErrorCodes.PurposeNotAllowed);
        Decide(Stream(reason: null), agreement).ShouldBeOfType<PolicyDecision.Refused>().Code.ShouldBe(AgreementErrorCodes.ReasonMissing);
        Decide(Stream(caseNumber: " "), agreement).ShouldBeOfType<PolicyDecision.Refused>().Code.ShouldBe(AgreementErrorCodes.CaseNumberMissing);
        Decide(Stream(), Approved()).ShouldBeOfType<PolicyDecision.Refused>().Code.ShouldBe(AgreementErrorCodes.OperationNotGranted);
    }

    [Fact]
    public void The_next_change_is_the_expiry_while_nothing_else_is_pending()
    {
        var agreement = Approved();
        AgreementStatusCalculator.NextChangeAt(agreement.Events, agreement.Charter.Charters, Now).ShouldBe(ExpiresAt);
        AgreementStatusCalculator.NextChangeAt(agreement.Events, agreement.Charter.Charters, ExpiresAt).ShouldBeNull();
    }

    [Fact]
    public void Before_the_agreement_starts_the_next_change_is_its_start()
    {
        var agreement = Approved();
        AgreementStatusCalculator.NextChangeAt(agreement.Events, agreement.Charter.Charters, EffectiveAt.AddDays(-1)).ShouldBe(EffectiveAt);
    }

    [Fact]
    public void A_withdrawal_quorum_with_notice_makes_its_notice_instant_the_next_change_and_the_status_turns_there()
    {
        var notice = Now.AddDays(10);
        var agreement = Approved()
            .Vote(Police, 1, VoteKind.Withdraw, Now.AddDays(-1), notice)
            .Vote(Courts, 1, VoteKind.Withdraw, Now.AddDays(-1), notice);
        AgreementStatusCalculator.NextChangeAt(agreement.Events, agreement.Charter.Charters, Now).ShouldBe(notice);
        agreement.StatusAt(notice.AddSeconds(-1)).Status.ShouldBe(AgreementStatus.Active);
        agreement.StatusAt(notice).Status.ShouldBe(AgreementStatus.Terminated);
    }

    [Fact]
    public void A_single_withdrawal_short_of_the_quorum_changes_nothing_ahead()
    {
        var agreement = Approved().Vote(Police, 1, VoteKind.Withdraw, Now.AddDays(-1), Now.AddDays(10));
        AgreementStatusCalculator.NextChangeAt(agreement.Events, agreement.Charter.Charters, Now).ShouldBe(ExpiresAt);
    }
}
