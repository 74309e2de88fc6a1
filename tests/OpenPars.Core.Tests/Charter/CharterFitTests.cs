using CsCheck;
using OpenPars.Core.Agreements;
using OpenPars.Core.Charter;
using OpenPars.Core.Common;
using OpenPars.Core.Tests.Agreements;
using Shouldly;
using Xunit;
using static OpenPars.Core.Tests.Agreements.TestAgreements;

namespace OpenPars.Core.Tests.Charter;

/// <summary>
/// Any agreement weaker than the charter in any dimension is refused with that dimension's code, at draft,
/// proposal, consent and renewal; any agreement within it is accepted. The oracle is the charter's data read
/// here directly (what is forbidden, for whom, how long), not <see cref="CharterFit"/>'s own helpers.
/// </summary>
public class CharterFitTests
{
    private const int Iterations = 1500;
    private const string Immigration = "immigration-enforcement";
    private const string Federal = "federal-law-enforcement";

    /// <summary>Philadelphia plus one grantable field never shared, so that dimension is reachable past the catalogue.</summary>
    private static readonly CharterDocument Charter = TestCharters.Philadelphia with
    {
        Safeguards = TestCharters.Philadelphia.Safeguards with { NeverShared = [.. TestCharters.Philadelphia.Safeguards.NeverShared, DisclosableFields.OffenseLocation] },
    };

    private static readonly string[] SafePurposes = ["criminal-investigation", "warrant-service", "fugitive-apprehension"];
    private static readonly string?[] Kinds = [Immigration, Federal, null];

    /// <summary>The fields a document for <paramref name="kind"/> may grant, and with which masks, by reading the charter.</summary>
    private static List<(DisclosableField Field, FieldMask[] Masks)> Allowed(string? kind) =>
    [
        .. DisclosableFields.All
            .Where(f => !Charter.Safeguards.NeverShared.Contains(f.Name))
            .Where(f => !Charter.PartnerRules.Any(r => (kind is null || r.PartnerKinds.Contains(kind)) && r.NeverFields.Contains(f.Name)))
            .Select(f => (f, Charter.Safeguards.MaskLimits.TryGetValue(f.Name, out var limit) ? [.. f.Masks.Where(limit.Contains)] : f.Masks.ToArray())),
    ];

    private static readonly Gen<(AgreementDocument Document, string? Kind)> GenWithin =
        Gen.Select(Gen.Int[0, Kinds.Length - 1], Gen.Int[0, int.MaxValue], Gen.Int[0, 365 * 86_400], Gen.Bool, Gen.Bool)
            .Select((k, seed, termSeconds, stateQuorum, subset) =>
            {
                var kind = Kinds[k];
                var random = new Random(seed);
                var fields = Allowed(kind).Where(_ => !subset || random.Next(3) > 0)
                    .ToDictionary(a => a.Field.Name, a => a.Masks[random.Next(a.Masks.Length)]);
                if (fields.Count == 0)
                {
                    fields[DisclosableFields.ArrestNumber] = FieldMask.Full;
                }

                var effective = EffectiveAt;
                var longest = effective.AddMonths(Charter.LongestTerm.Months);
                return (Document() with
                {
                    Fields = fields,
                    Purposes = [.. SafePurposes.Where(_ => random.Next(2) == 0).DefaultIfEmpty(SafePurposes[0])],
                    EffectiveAt = effective,
                    ExpiresAt = new[] { effective.AddSeconds(Math.Max(1, termSeconds)), longest }.Min(),
                    Quorum = stateQuorum ? new QuorumRule { ConsentsToEnter = Charter.Quorum.ConsentsToEnter, WithdrawalsToEnd = Charter.Quorum.WithdrawalsToEnd } : null,
                }, kind);
            });

    /// <summary>One way to weaken the charter, applied to a document within it, and the code it must be refused with.</summary>
    private static readonly (string Code, Func<AgreementDocument, string?, AgreementDocument?> Weaken)[] Weakenings =
    [
        (CharterErrorCodes.QuorumInDocument, (d, _) => d with { Quorum = new QuorumRule { ConsentsToEnter = 1, WithdrawalsToEnd = 3 } }),
        (CharterErrorCodes.QuorumInDocument, (d, _) => d with { Quorum = new QuorumRule { ConsentsToEnter = 2, WithdrawalsToEnd = 2 } }),
        (CharterErrorCodes.TermTooLong, (d, _) => d with { ExpiresAt = d.EffectiveAt.AddMonths(Charter.LongestTerm.Months).AddSeconds(1) }),
        (CharterErrorCodes.TermTooLong, (d, _) => d with { ExpiresAt = d.EffectiveAt.AddYears(3) }),
        (CharterErrorCodes.ReasonRequired, (d, _) => d with { ReasonRequired = false }),
        (CharterErrorCodes.CaseNumberRequired, (d, _) => d with { CaseNumberRequired = false }),
        (CharterErrorCodes.AdultsOnly, (d, _) => d with { RowScope = d.RowScope with { AdultsOnly = false } }),
        (CharterErrorCodes.NeverShared, (d, _) => d with { Fields = new(d.Fields) { [DisclosableFields.OffenseLocation] = FieldMask.Full } }),
        (CharterErrorCodes.MaskLimit, (d, _) => d with { Fields = new(d.Fields) { [DisclosableFields.Ssn] = FieldMask.Full } }),
        (CharterErrorCodes.FieldForPartnerKind, (d, kind) => kind == Federal ? null : d with { Fields = new(d.Fields) { [DisclosableFields.Address] = FieldMask.Full } }),
        (CharterErrorCodes.PurposeForPartnerKind, (d, kind) => kind == Federal ? null : d with { Purposes = [.. d.Purposes, "civil-immigration-enforcement"] }),
        (CharterErrorCodes.PurposeForPartnerKind, (d, kind) => kind == Federal ? null : d with { Purposes = [.. d.Purposes, "removal-proceedings-support"] }),
    ];

    [Fact]
    public void Any_document_within_the_charter_is_accepted_at_draft_proposal_and_every_consent() =>
        GenWithin.Sample(c =>
        {
            CharterFit.Check(Charter, c.Document, c.Kind).All.ShouldBeEmpty();
            var script = new AgreementScript(new GoverningCharter(CharterTimeline.Of(Charter), c.Kind));
            script.Draft(c.Document, EffectiveAt.AddDays(-30)).Propose(1, EffectiveAt.AddDays(-30));
            foreach (var actor in new[] { Police, Da, Courts })
            {
                script.Vote(actor, 1, VoteKind.Consent, EffectiveAt.AddDays(-20));
            }

            script.StatusAt(EffectiveAt).Status.ShouldBe(AgreementStatus.Active);
        }, iter: Iterations / 3);

    [Fact]
    public void Any_document_weaker_than_the_charter_in_any_dimension_is_refused_with_that_dimensions_code() =>
        Gen.Select(GenWithin, Gen.Int[0, Weakenings.Length - 1]).Sample((c, w) =>
        {
            var (code, weaken) = Weakenings[w];
            if (weaken(c.Document, c.Kind) is not { } weaker)
            {
                return;
            }

            var errors = CharterFit.Check(Charter, weaker, c.Kind);
            errors.All.Select(e => CharterErrorCodes.CodeOf(e.Rule)).ShouldContain(code);
            var refused = Should.Throw<DomainException>(() =>
                AgreementGovernance.DecideDraft([], weaker, Police, EffectiveAt.AddDays(-30), new GoverningCharter(CharterTimeline.Of(Charter), c.Kind)));
            refused.Code.ShouldStartWith("PARS-CHR-");
            refused.Errors!.All.Select(e => CharterErrorCodes.CodeOf(e.Rule)).ShouldContain(code);
        }, iter: Iterations);

    [Theory]
    [InlineData(-1, true)]
    [InlineData(0, true)]
    [InlineData(1, false)]
    public void The_longest_term_holds_to_the_second(int secondsPastTheMaximum, bool fits)
    {
        var document = Document() with { ExpiresAt = EffectiveAt.AddMonths(12).AddSeconds(secondsPastTheMaximum) };

        var errors = CharterFit.Check(TestCharters.Philadelphia, document, null);

        errors.IsEmpty.ShouldBe(fits);
        if (!fits)
        {
            errors.All.ShouldHaveSingleItem().Rule.ShouldBe(CharterErrorCodes.Rules.LongestTerm);
        }
    }

    [Fact]
    public void The_attack_of_issue_9_is_refused_at_draft_naming_every_rule_it_breaks()
    {
        var attack = Document() with
        {
            Quorum = new QuorumRule { ConsentsToEnter = 1, WithdrawalsToEnd = 3 },
            Fields = new(Document().Fields) { [DisclosableFields.Ssn] = FieldMask.Full, [DisclosableFields.DateOfBirth] = FieldMask.Full, [DisclosableFields.Address] = FieldMask.Full },
            RowScope = Document().RowScope with { AdultsOnly = false },
            ReasonRequired = false,
            CaseNumberRequired = false,
        };

        var refused = Should.Throw<DomainException>(() => new AgreementScript().Draft(attack, EffectiveAt.AddDays(-30), Da));

        refused.Code.ShouldBe(CharterErrorCodes.QuorumInDocument);
        refused.Errors!.All.Select(e => e.Rule).ShouldBe(
        [
            CharterErrorCodes.Rules.Quorum, CharterErrorCodes.Rules.ReasonRequired, CharterErrorCodes.Rules.CaseNumberRequired, CharterErrorCodes.Rules.AdultsOnly,
            CharterErrorCodes.Rules.MaskLimit, CharterErrorCodes.Rules.PartnerField,
        ], ignoreOrder: true);
    }

    [Fact]
    public void A_renewal_cannot_lower_the_quorum_or_drop_a_safeguard()
    {
        var script = Approved();
        var renewal = Document(version: 2, effectiveAt: ExpiresAt, expiresAt: ExpiresAt.AddMonths(11));

        Should.Throw<DomainException>(() => script.Draft(renewal with { Quorum = new QuorumRule { ConsentsToEnter = 1, WithdrawalsToEnd = 3 } }, EffectiveAt.AddDays(100)))
            .Code.ShouldBe(CharterErrorCodes.QuorumInDocument);
        Should.Throw<DomainException>(() => script.Draft(renewal with { CaseNumberRequired = false }, EffectiveAt.AddDays(100)))
            .Code.ShouldBe(CharterErrorCodes.CaseNumberRequired);
        script.Draft(renewal, EffectiveAt.AddDays(100)).Events.Count.ShouldBe(Approved().Events.Count + 1);
    }

    [Fact]
    public void A_charter_amended_after_the_draft_stops_the_proposal_and_the_consents_but_never_a_rejection_or_withdrawal()
    {
        // In force from day -25: the partner's kind may no longer see charges.
        var amended = TestCharters.Philadelphia with
        {
            Version = 2,
            PartnerRules = [.. TestCharters.Philadelphia.PartnerRules, new PartnerRule { Id = "no-charges", Title = "No charges", PartnerKinds = [Federal], NeverFields = [DisclosableFields.Charges], Citation = "Test amendment" }],
        };
        var amendedAt = EffectiveAt.AddDays(-25);
        var charters = CharterTimeline.From([new CharterPeriod(TestCharters.Philadelphia, DateTimeOffset.MinValue), new CharterPeriod(amended, amendedAt)]);
        var governing = new GoverningCharter(charters, Federal);

        var late = new AgreementScript(governing).Draft(Document(), EffectiveAt.AddDays(-30));
        Should.Throw<DomainException>(() => late.Propose(1, amendedAt)).Code.ShouldBe(CharterErrorCodes.FieldForPartnerKind);

        var early = new AgreementScript(governing).Draft(Document(), EffectiveAt.AddDays(-30)).Propose(1, EffectiveAt.AddDays(-30));
        early.Vote(Police, 1, VoteKind.Consent, amendedAt.AddSeconds(-1));
        Should.Throw<DomainException>(() => early.Vote(Da, 1, VoteKind.Consent, amendedAt)).Code.ShouldBe(CharterErrorCodes.FieldForPartnerKind);
        early.Vote(Da, 1, VoteKind.Reject, amendedAt).StatusAt(amendedAt).ConsentQuorumUnreachable.ShouldBeTrue();

        var active = new AgreementScript(new GoverningCharter(CharterTimeline.Of(TestCharters.Philadelphia), Federal)).Draft(Document(), EffectiveAt.AddDays(-30)).Propose(1, EffectiveAt.AddDays(-30));
        foreach (var actor in new[] { Police, Da, Courts })
        {
            active.Vote(actor, 1, VoteKind.Consent, EffectiveAt.AddDays(-28));
        }

        var underAmendment = new AgreementScript(governing);
        underAmendment.Events.AddRange(active.Events);
        underAmendment.Vote(Police, 1, VoteKind.Withdraw, EffectiveAt.AddDays(5)).StatusAt(EffectiveAt.AddDays(5)).Status.ShouldBe(AgreementStatus.Active);
    }

    [Fact]
    public void A_forged_history_cannot_lower_the_quorum_the_status_reads_the_charter()
    {
        // Events appended without governance: a document saying 1 to enter and 3 to end, one consent.
        var forged = Document() with { Quorum = new QuorumRule { ConsentsToEnter = 1, WithdrawalsToEnd = 3 } };
        List<AgreementEvent> events =
        [
            new AgreementDrafted { AgreementId = forged.AgreementId, Sequence = 1, RecordedAt = EffectiveAt.AddDays(-30), Actor = Da, Document = forged },
            new AgreementProposed { AgreementId = forged.AgreementId, Sequence = 2, RecordedAt = EffectiveAt.AddDays(-30), Actor = Da, Version = 1 },
            new AgreementVoteCast { AgreementId = forged.AgreementId, Sequence = 3, RecordedAt = EffectiveAt.AddDays(-29), Actor = Da, Version = 1, Kind = VoteKind.Consent, Statement = "yes" },
        ];

        var standing = AgreementStatusCalculator.StatusAt(events, TestCharters.Philadelphia, EffectiveAt.AddDays(1));
        standing.Status.ShouldBe(AgreementStatus.Proposed);
        standing.ConsentQuorumReached.ShouldBeFalse();

        // With every consent it is active, and two withdrawals end it, whatever the document says about three.
        events.Add(new AgreementVoteCast { AgreementId = forged.AgreementId, Sequence = 4, RecordedAt = EffectiveAt.AddDays(-29), Actor = Police, Version = 1, Kind = VoteKind.Consent, Statement = "yes" });
        events.Add(new AgreementVoteCast { AgreementId = forged.AgreementId, Sequence = 5, RecordedAt = EffectiveAt.AddDays(-29), Actor = Courts, Version = 1, Kind = VoteKind.Consent, Statement = "yes" });
        AgreementStatusCalculator.StatusAt(events, TestCharters.Philadelphia, EffectiveAt.AddDays(1)).Status.ShouldBe(AgreementStatus.Active);
        events.Add(new AgreementVoteCast { AgreementId = forged.AgreementId, Sequence = 6, RecordedAt = EffectiveAt.AddDays(2), Actor = Police, Version = 1, Kind = VoteKind.Withdraw, Statement = "no" });
        events.Add(new AgreementVoteCast { AgreementId = forged.AgreementId, Sequence = 7, RecordedAt = EffectiveAt.AddDays(3), Actor = Courts, Version = 1, Kind = VoteKind.Withdraw, Statement = "no" });
        var ended = AgreementStatusCalculator.StatusAt(events, TestCharters.Philadelphia, EffectiveAt.AddDays(3));
        ended.Status.ShouldBe(AgreementStatus.Terminated);
        ended.CutOffAt.ShouldBe(EffectiveAt.AddDays(3));
    }
}
