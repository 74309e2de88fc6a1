using OpenPars.Core.Tests.Charter;
using OpenPars.Core.Agreements;
using OpenPars.Core.Common;
using Shouldly;
using Xunit;
using static OpenPars.Core.Tests.Agreements.TestAgreements;

namespace OpenPars.Core.Tests.Agreements;

/// <summary>
/// Every refusal of agreement governance, as the representative who tried it reads it: the stable code and a
/// message that says which rule stopped them (the HTTP and CLI adapters show both).
/// </summary>
public class AgreementGovernanceRefusalTests
{
    // These tests hold the agreement's own rules at their boundaries; the charter above it (which raises the reason
    // minimum and caps the term) is held to its own in Charter/. A permissive charter keeps the two apart.
    private static AgreementScript Approved(AgreementDocument? document = null) =>
        TestAgreements.Approved(document, TestCharters.Permissive.Governing());

    private static readonly DateTimeOffset InForce = EffectiveAt.AddDays(10);

    private static AgreementScript Proposed() => new AgreementScript().Draft(Document(), EffectiveAt.AddDays(-30)).Propose(1, EffectiveAt.AddDays(-30));

    public static TheoryData<string, Action, string> Refusals => new()
    {
        { AgreementErrorCodes.VoterNotStakeholder, () => Proposed().Vote(Partner, 1, VoteKind.Consent, EffectiveAt.AddDays(-10)), "a partner agency never votes" },
        { AgreementErrorCodes.VoterNotStakeholder, () => Proposed().Propose(1, EffectiveAt.AddDays(-10), Partner), "a partner agency never votes" },
        { AgreementErrorCodes.VoterNotStakeholder, () => Approved().Suspend(InForce, Partner), "a partner agency never votes" },
        { AgreementErrorCodes.UnknownVersion, () => new AgreementScript().Draft(Document(2), EffectiveAt.AddDays(-30)), "The first version of an agreement is version 1." },
        { AgreementErrorCodes.UnknownVersion, () => Approved().Draft(Document(3, expiresAt: ExpiresAt.AddYears(1)), InForce), "The next version of this agreement is 2." },
        { AgreementErrorCodes.InvalidRenewal, () => Approved().Draft(Document(2, expiresAt: ExpiresAt.AddYears(1)) with { PartnerAgency = "FBI" }, InForce), "keeps the agreement id and the partner agency" },
        { AgreementErrorCodes.InvalidRenewal, () => Approved().Draft(Document(2), InForce), "must expire after the version it renews" },
        { AgreementErrorCodes.UnknownVersion, () => Proposed().Propose(2, EffectiveAt.AddDays(-29)), "Version 2 is not the latest draft." },
        { AgreementErrorCodes.VoteNotAllowedNow, () => Proposed().Propose(1, EffectiveAt.AddDays(-29)), "Version 1 is already proposed." },
        { AgreementErrorCodes.UnknownVersion, () => Approved().Vote(Police, 7, VoteKind.Consent, InForce), "Version 7 is not a proposed version" },
        { AgreementErrorCodes.VoteNotAllowedNow, () => Proposed().Vote(Police, 1, VoteKind.Withdraw, EffectiveAt.AddDays(-10)), "a proposal is rejected, not withdrawn" },
        { AgreementErrorCodes.DuplicateVote, () => Approved().Vote(Police, 1, VoteKind.Withdraw, InForce).Vote(Police, 1, VoteKind.Withdraw, InForce), "already withdrawn from this version" },
        { AgreementErrorCodes.DuplicateVote, () => Approved().Suspend(InForce).Vote(Da, 1, VoteKind.Consent, InForce).Vote(Da, 1, VoteKind.Consent, InForce), "already voted on resuming this suspension" },
        { AgreementErrorCodes.VoteNotAllowedNow, () => Approved().Vote(Police, 1, VoteKind.Consent, InForce), "Version 1 has already reached its consent quorum." },
        {
            AgreementErrorCodes.VoteNotAllowedNow,
            () => Approved().Draft(Document(2, expiresAt: ExpiresAt.AddYears(1)), InForce).Propose(2, InForce)
                .Draft(Document(3, expiresAt: ExpiresAt.AddYears(2)), InForce).Propose(3, InForce).Vote(Police, 2, VoteKind.Consent, InForce),
            "Version 2 is superseded by a newer version."
        },
        { AgreementErrorCodes.DuplicateVote, () => Proposed().Vote(Police, 1, VoteKind.Reject, EffectiveAt.AddDays(-10)).Vote(Police, 1, VoteKind.Consent, EffectiveAt.AddDays(-9)), "already voted on this version" },
        { AgreementErrorCodes.SuspensionNotAllowed, () => Proposed().Suspend(EffectiveAt.AddDays(-10)), "Only an active agreement can be suspended." },
        {
            AgreementErrorCodes.VoteNotAllowedNow,
            () => Approved().Vote(Police, 1, VoteKind.Withdraw, InForce).Vote(Da, 1, VoteKind.Withdraw, InForce).Vote(Courts, 1, VoteKind.Withdraw, InForce),
            "The agreement is terminated; nothing more can be decided on it."
        },
        {
            AgreementErrorCodes.VoteNotAllowedNow,
            () => Approved().Vote(Police, 1, VoteKind.Withdraw, InForce).Vote(Da, 1, VoteKind.Withdraw, InForce).Draft(Document(2, expiresAt: ExpiresAt.AddYears(1)), InForce),
            "The agreement is terminated"
        },
        {
            AgreementErrorCodes.VoteNotAllowedNow,
            () => Approved().Vote(Police, 1, VoteKind.Withdraw, InForce).Vote(Da, 1, VoteKind.Withdraw, InForce).Propose(1, InForce),
            "The agreement is terminated"
        },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Each_governance_refusal_has_its_code_and_says_which_rule(string code, Action attempt, string says)
    {
        var refused = Should.Throw<DomainException>(attempt);
        refused.Code.ShouldBe(code);
        refused.Message.ShouldContain(says, Case.Sensitive);
    }

    public static TheoryData<string, Action, string> FieldRefusals => new()
    {
        { "statement:required", () => AgreementGovernance.DecideVote(Approved().Events, new CastVote(1, VoteKind.Withdraw, " "), Police, InForce, TestCharters.Philadelphia.Governing()), "statement is required." },
        { "statement:required", () => AgreementGovernance.DecideSuspension(Approved().Events, "", Da, InForce, TestCharters.Philadelphia.Governing()), "statement is required." },
        {
            "noticeEffectiveAt:withdrawal-only",
            () => AgreementGovernance.DecideVote(Proposed().Events, new CastVote(1, VoteKind.Consent, "yes", EffectiveAt), Police, EffectiveAt.AddDays(-10), TestCharters.Philadelphia.Governing()),
            "noticeEffectiveAt is given only with a withdrawal."
        },
        {
            "noticeEffectiveAt:not-in-past",
            () => AgreementGovernance.DecideVote(Approved().Events, new CastVote(1, VoteKind.Withdraw, "no", InForce.AddDays(-1)), Police, InForce, TestCharters.Philadelphia.Governing()),
            "noticeEffectiveAt must not be in the past."
        },
    };

    [Theory]
    [MemberData(nameof(FieldRefusals))]
    public void A_vote_or_suspension_with_a_bad_field_is_refused_naming_the_field_and_changes_nothing(string expected, Action attempt, string says)
    {
        var refused = Should.Throw<DomainException>(attempt);
        refused.Code.ShouldBe(ErrorCodes.ValidationFailed);
        var error = refused.Errors.ShouldNotBeNull().All.ShouldHaveSingleItem();
        $"{error.Field}:{error.Rule}".ShouldBe(expected);
        error.Message.ShouldBe(says);
    }

    [Fact]
    public void Statements_are_kept_trimmed()
    {
        AgreementGovernance.DecideVote(Approved().Events, new CastVote(1, VoteKind.Withdraw, "  We withdraw.  "), Police, InForce, TestCharters.Philadelphia.Governing()).Statement.ShouldBe("We withdraw.");
        AgreementGovernance.DecideSuspension(Approved().Events, "  Pending review.  ", Da, InForce, TestCharters.Philadelphia.Governing()).Statement.ShouldBe("Pending review.");
    }
}
