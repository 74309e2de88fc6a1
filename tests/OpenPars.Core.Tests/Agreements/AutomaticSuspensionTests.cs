using OpenPars.Core.Agreements;
using OpenPars.Core.Common;
using OpenPars.Core.Tests.Charter;
using Shouldly;
using Xunit;
using static OpenPars.Core.Tests.Agreements.TestAgreements;

namespace OpenPars.Core.Tests.Agreements;

/// <summary>
/// autoSuspendOn: an oversight alert of a kind the governing version opted in to suspends the agreement as a privacy
/// officer's suspension does (the same event, so the same consent quorum resumes it); nothing else does.
/// </summary>
public class AutomaticSuspensionTests
{
    private static readonly DateTimeOffset InForce = EffectiveAt.AddDays(10);

    private static AgreementScript OptedIn(params string[] kinds) =>
        Approved(Document() with { AutoSuspendOn = [.. kinds] }, TestCharters.Permissive.Governing());

    [Fact]
    public void An_opted_in_kind_suspends_an_active_agreement_by_the_oversight_actor_until_the_quorum_consents()
    {
        var script = OptedIn("disparity", "arrest-number-run");

        var suspension = AgreementGovernance.DecideAutomaticSuspension(script.Events, "arrest-number-run", "  Alert oa-1 was raised.  ", InForce, script.Charter);
        script.Events.Add(suspension);

        suspension.Actor.ShouldBe(AgreementActor.Oversight);
        suspension.Statement.ShouldBe("Alert oa-1 was raised.");
        script.StatusAt(InForce).Status.ShouldBe(AgreementStatus.Suspended);
        script.Vote(Police, 1, VoteKind.Consent, InForce.AddHours(1)).Vote(Da, 1, VoteKind.Consent, InForce.AddHours(1));
        script.StatusAt(InForce.AddHours(1)).Status.ShouldBe(AgreementStatus.Suspended);
        script.Vote(Courts, 1, VoteKind.Consent, InForce.AddHours(2));
        script.StatusAt(InForce.AddHours(2)).Status.ShouldBe(AgreementStatus.Active);
    }

    [Theory]
    [InlineData("zero-result-fishing")]
    [InlineData("Disparity")]
    [InlineData("")]
    public void A_kind_not_opted_in_suspends_nothing(string kind)
    {
        var script = OptedIn("disparity");

        Should.Throw<DomainException>(() => AgreementGovernance.DecideAutomaticSuspension(script.Events, kind, "Alert.", InForce, script.Charter))
            .Code.ShouldBe(AgreementErrorCodes.SuspensionNotAllowed);
    }

    [Fact]
    public void Without_autoSuspendOn_no_alert_suspends()
    {
        var script = Approved(Document(), TestCharters.Permissive.Governing());

        Should.Throw<DomainException>(() => AgreementGovernance.DecideAutomaticSuspension(script.Events, "disparity", "Alert.", InForce, script.Charter))
            .Code.ShouldBe(AgreementErrorCodes.SuspensionNotAllowed);
    }

    [Fact]
    public void Only_an_active_agreement_is_suspended_and_a_suspended_one_not_twice()
    {
        var script = OptedIn("disparity");
        Should.Throw<DomainException>(() => AgreementGovernance.DecideAutomaticSuspension(script.Events, "disparity", "Alert.", EffectiveAt.AddDays(-1), script.Charter))
            .Code.ShouldBe(AgreementErrorCodes.SuspensionNotAllowed);
        script.Events.Add(AgreementGovernance.DecideAutomaticSuspension(script.Events, "disparity", "Alert.", InForce, script.Charter));
        Should.Throw<DomainException>(() => AgreementGovernance.DecideAutomaticSuspension(script.Events, "disparity", "Alert again.", InForce.AddMinutes(1), script.Charter))
            .Code.ShouldBe(AgreementErrorCodes.SuspensionNotAllowed);
    }

    [Fact]
    public void The_oversight_actor_governs_nothing()
    {
        var script = OptedIn("disparity");
        Should.Throw<DomainException>(() => script.Suspend(InForce, AgreementActor.Oversight)).Code.ShouldBe(AgreementErrorCodes.VoterNotStakeholder);
    }
}
