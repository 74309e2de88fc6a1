using OpenPars.Core.Agencies;
using OpenPars.Core.Agreements;
using OpenPars.Core.Arrests.Reference;
using OpenPars.Core.Charter;
using OpenPars.Core.Tests.Charter;

namespace OpenPars.Core.Tests.Agreements;

/// <summary>Shared fixtures: a valid agreement document, the four kinds of actor, and a script that builds an
/// agreement's history through <see cref="AgreementGovernance"/> (so fixtures obey the same rules as production).</summary>
public static class TestAgreements
{
    public static readonly DateTimeOffset EffectiveAt = new(2026, 1, 1, 0, 0, 0, TimeSpan.FromHours(-5));
    public static readonly DateTimeOffset ExpiresAt = new(2026, 12, 31, 23, 59, 59, TimeSpan.FromHours(-5));

    public static readonly AgreementActor Police = new(1, "rep.police", "PPD", AgencyKind.Police);
    public static readonly AgreementActor Da = new(2, "rep.da", "DAO", AgencyKind.DistrictAttorney);
    public static readonly AgreementActor Courts = new(3, "rep.courts", "FJD", AgencyKind.Courts);
    public static readonly AgreementActor Partner = new(4, "liaison", "ICE-ERO-PHL", AgencyKind.Partner);

    public static AgreementDocument Document(int version = 1, DateTimeOffset? effectiveAt = null, DateTimeOffset? expiresAt = null) => new()
    {
        AgreementId = "ice-2026",
        Version = version,
        PartnerAgency = Partner.AgencyCode,
        Title = "Test agreement",
        Purposes = ["criminal-investigation", "warrant-service"],
        Operations = [PartnerOperation.Search, PartnerOperation.Read],
        Fields = new()
        {
            ["arrestNumber"] = FieldMask.Full,
            ["person.lastName"] = FieldMask.Full,
            ["person.firstName"] = FieldMask.Initial,
            ["person.dateOfBirth"] = FieldMask.Year,
            ["person.ssn"] = FieldMask.Last4,
            ["charges"] = FieldMask.Full,
        },
        RowScope = new RowScope { ChargeGrades = [OffenseGrade.F1, OffenseGrade.F2, OffenseGrade.F3], BookedWithinDays = 365 },
        AllowedCriteria = ["arrestNumber", "lastName", "dateOfBirth", "sid", "fbiNumber"],
        Quotas = new AgreementQuotas { QueriesPerUserPerDay = 50, RecordsPerAgencyPerDay = 500 },
        BlockedReasonTerms = ["sweep"],
        EffectiveAt = effectiveAt ?? EffectiveAt,
        ExpiresAt = expiresAt ?? ExpiresAt,
    };

    /// <summary>Drafted and proposed 30 days before EffectiveAt, consented by all three 20 days before.</summary>
    public static AgreementScript Approved(AgreementDocument? document = null, GoverningCharter? charter = null)
    {
        var script = new AgreementScript(charter);
        var doc = document ?? Document();
        script.Draft(doc, doc.EffectiveAt.AddDays(-30)).Propose(doc.Version, doc.EffectiveAt.AddDays(-30));
        foreach (var actor in new[] { Police, Da, Courts })
        {
            script.Vote(actor, doc.Version, VoteKind.Consent, doc.EffectiveAt.AddDays(-20));
        }

        return script;
    }

    /// <summary>Drafted and proposed 10 days before <paramref name="quorumAt"/>, consented by all three at it. Built
    /// directly, not through governance, for documents that deliberately skip validation (an insider's document).</summary>
    public static List<AgreementEvent> ApprovedWithoutValidation(AgreementDocument document, DateTimeOffset quorumAt)
    {
        var events = new List<AgreementEvent>
        {
            new AgreementDrafted { AgreementId = document.AgreementId, Sequence = 1, RecordedAt = quorumAt.AddDays(-10), Actor = Police, Document = document },
            new AgreementProposed { AgreementId = document.AgreementId, Sequence = 2, RecordedAt = quorumAt.AddDays(-10), Actor = Police, Version = document.Version },
        };
        foreach (var actor in new[] { Police, Da, Courts })
        {
            events.Add(new AgreementVoteCast
            {
                AgreementId = document.AgreementId, Sequence = events.Count + 1, RecordedAt = quorumAt, Actor = actor,
                Version = document.Version, Kind = VoteKind.Consent, Statement = "yes",
            });
        }

        return events;
    }

    /// <summary>The repository root (where OpenPars.slnx is), to read docs/.</summary>
    public static string RepoPath(params string[] parts) => OpenPars.Testing.TestRepository.PathOf(parts);
}

/// <summary>Builds a history by asking <see cref="AgreementGovernance"/> for each event, as the store will, under
/// one charter (the shipped Philadelphia charter unless told otherwise).</summary>
public sealed class AgreementScript(GoverningCharter? charter = null)
{
    public GoverningCharter Charter { get; } = charter ?? TestCharters.Philadelphia.Governing();

    public List<AgreementEvent> Events { get; } = [];

    public AgreementScript Draft(AgreementDocument document, DateTimeOffset at, AgreementActor? actor = null)
    {
        Events.Add(AgreementGovernance.DecideDraft(Events, document, actor ?? TestAgreements.Police, at, Charter));
        return this;
    }

    public AgreementScript Propose(int version, DateTimeOffset at, AgreementActor? actor = null)
    {
        Events.Add(AgreementGovernance.DecideProposal(Events, version, actor ?? TestAgreements.Police, at, Charter));
        return this;
    }

    public AgreementScript Vote(AgreementActor voter, int version, VoteKind kind, DateTimeOffset at, DateTimeOffset? notice = null)
    {
        Events.Add(AgreementGovernance.DecideVote(Events, new CastVote(version, kind, $"{voter.UserName} votes {kind}.", notice), voter, at, Charter));
        return this;
    }

    public AgreementScript Suspend(DateTimeOffset at, AgreementActor? actor = null)
    {
        Events.Add(AgreementGovernance.DecideSuspension(Events, "Pending privacy review.", actor ?? TestAgreements.Da, at, Charter));
        return this;
    }

    public AgreementStanding StatusAt(DateTimeOffset now) => AgreementStatusCalculator.StatusAt(Events, Charter.Charters, now);
}
