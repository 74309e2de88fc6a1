using Microsoft.EntityFrameworkCore;
using OpenPars.Core.Agencies;
using OpenPars.Core.Agreements;
using OpenPars.Core.Arrests.Reference;
using OpenPars.Storage.Agreements;
using OpenPars.Storage.Audit;

using OpenPars.Storage;
using OpenPars.Storage.Arrests;

namespace OpenPars.Demo;

/// <summary>
/// The demo's agreements, decided through the same governance and store as the API, by the demo representatives:
/// <c>ice-2026</c> for ICE, active (all three stakeholders consented; expires 30 days after seeding), modelled on
/// docs/agreements/examples/ice-2026.json; and <c>fbi-2026</c> for FBI, proposed and awaiting votes. An agreement
/// that exists is left as it is. This is the quick seed of <c>openpars seed</c>, the bench and the storage tests;
/// <c>openpars demo</c> adopts both in its history instead (<see cref="DemoHistory"/>), with the same documents and
/// statements.
/// </summary>
public static class DemoAgreements
{
    /// <summary>ICE's agreement.</summary>
    public const string IceAgreement = "ice-2026";
    /// <summary>FBI's agreement.</summary>
    public const string FbiAgreement = "fbi-2026";

    /// <summary>The Police Department's representative, who votes for it.</summary>
    public const string Police = "ppd.representative";
    /// <summary>The District Attorney's Office's representative, who drafts and proposes the demo agreements.</summary>
    public const string DistrictAttorney = "dao.representative";
    /// <summary>The First Judicial District's representative.</summary>
    public const string Courts = "fjd.representative";

    /// <summary>The stakeholders' consents to ICE's agreement, in the order they are cast, with their statements.</summary>
    public static IReadOnlyList<(string Voter, string Statement)> IceConsents { get; } =
    [
        (Police, "The Police Department consents: felonies only, no birthplace, victims and witnesses never shared."),
        (DistrictAttorney, "The District Attorney's Office consents for the stated purposes, with every request audited."),
        (Courts, "The First Judicial District consents for a trial period, pending the transparency report."),
    ];

    /// <summary>The stakeholders' consents to FBI's agreement (the demo's history casts them some weeks after ICE's).</summary>
    public static IReadOnlyList<(string Voter, string Statement)> FbiConsents { get; } =
    [
        (DistrictAttorney, "The District Attorney's Office consents: violent crime and fugitive cases, statuses after booking only."),
        (Police, "The Police Department consents; no birthplace, address or victims, and the statute criterion for task-force cases."),
        (Courts, "The First Judicial District consents for a year, with the monthly transparency report."),
    ];

    /// <summary>Drafts, proposes and votes the demo agreements that do not exist yet, through <see cref="Storage.Agreements.AgreementStore"/>, as the demo representatives.</summary>
    public static async Task SeedAsync(OpenParsDbContext db, TimeProvider clock, AuditTrail audit, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var store = new AgreementStore(db, clock, audit);
        var now = clock.GetUtcNow();
        var start = new DateTimeOffset(now.UtcDateTime.Ticks - (now.UtcDateTime.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        var police = await ActorAsync(db, Police, "PPD", AgencyKind.Police, ct);
        var da = await ActorAsync(db, DistrictAttorney, "DAO", AgencyKind.DistrictAttorney, ct);
        var courts = await ActorAsync(db, Courts, "FJD", AgencyKind.Courts, ct);

        if (await store.FindAsync(IceAgreement, ct) is null)
        {
            await store.DraftAsync(Ice(start), da, ct);
            await store.ProposeAsync(IceAgreement, 1, da, ct);
            foreach (var (voter, statement) in IceConsents)
            {
                var actor = voter switch { Police => police, DistrictAttorney => da, _ => courts };
                await store.VoteAsync(IceAgreement, VoteKind.Consent, statement, null, 1, actor, ct);
            }
        }

        if (await store.FindAsync(FbiAgreement, ct) is null)
        {
            await store.DraftAsync(Fbi(start), da, ct);
            await store.ProposeAsync(FbiAgreement, 1, da, ct);
        }
    }

    /// <summary>ice-2026.json for the demo's ICE agency, in force from <paramref name="start"/> (once the quorum consents)
    /// until <paramref name="expires"/> (default 30 days later).</summary>
    public static AgreementDocument Ice(DateTimeOffset start, DateTimeOffset? expires = null) => new()
    {
        AgreementId = IceAgreement,
        Version = 1,
        PartnerAgency = "ICE",
        Title = "Arrest information for U.S. Immigration and Customs Enforcement, Philadelphia field office (demo)",
        Purposes = ["criminal-investigation", "warrant-service", "custody-transfer"],
        Operations = [PartnerOperation.Search, PartnerOperation.Read, PartnerOperation.Watch],
        Fields = new Dictionary<string, FieldMask>
        {
            [DisclosableFields.ArrestNumber] = FieldMask.Full,
            [DisclosableFields.BookedAt] = FieldMask.Full,
            [DisclosableFields.District] = FieldMask.Full,
            [DisclosableFields.Status] = FieldMask.Full,
            [DisclosableFields.LastName] = FieldMask.Full,
            [DisclosableFields.FirstName] = FieldMask.Full,
            [DisclosableFields.MiddleName] = FieldMask.Initial,
            [DisclosableFields.DateOfBirth] = FieldMask.Year,
            [DisclosableFields.Sex] = FieldMask.Full,
            [DisclosableFields.Ssn] = FieldMask.Last4,
            [DisclosableFields.Sid] = FieldMask.Full,
            [DisclosableFields.FbiNumber] = FieldMask.Full,
            [DisclosableFields.Charges] = FieldMask.Full,
            [DisclosableFields.NextHearingDate] = FieldMask.Full,
            [DisclosableFields.NextHearingCourtroom] = FieldMask.Full,
            [DisclosableFields.Custody] = FieldMask.Full,
        },
        RowScope = new RowScope { ChargeGrades = [OffenseGrade.F1, OffenseGrade.F2, OffenseGrade.F3], BookedWithinDays = 365, AdultsOnly = true },
        AllowedCriteria = [SearchCriteria.ArrestNumber, SearchCriteria.LastName, SearchCriteria.FirstName, SearchCriteria.DateOfBirth, SearchCriteria.Sid, SearchCriteria.FbiNumber],
        Quotas = new AgreementQuotas { QueriesPerUserPerDay = 50, RecordsPerAgencyPerDay = 500, MaxActiveWatches = 25 },
        ReasonRequired = true,
        CaseNumberRequired = true,
        BlockedReasonTerms = ["sweep", "foreign-born", "country of birth", "all records"],
        EffectiveAt = start,
        ExpiresAt = expires ?? start.AddDays(30),
        TimeZone = AgreementDocument.DefaultTimeZone,
        Quorum = new QuorumRule { ConsentsToEnter = 3, WithdrawalsToEnd = 2 },
    };

    /// <summary>fbi-2026.json for the demo's FBI agency: from <paramref name="start"/> for a year.</summary>
    public static AgreementDocument Fbi(DateTimeOffset start) => new()
    {
        AgreementId = FbiAgreement,
        Version = 1,
        PartnerAgency = "FBI",
        Title = "Arrest information for the FBI Philadelphia field office, violent crime and fugitive task forces (demo)",
        Purposes = ["criminal-investigation", "fugitive-apprehension"],
        Operations = [PartnerOperation.Search, PartnerOperation.Read],
        Fields = new Dictionary<string, FieldMask>
        {
            [DisclosableFields.ArrestNumber] = FieldMask.Full,
            [DisclosableFields.BookedAt] = FieldMask.Full,
            [DisclosableFields.District] = FieldMask.Full,
            [DisclosableFields.Status] = FieldMask.Full,
            [DisclosableFields.LastName] = FieldMask.Full,
            [DisclosableFields.FirstName] = FieldMask.Full,
            [DisclosableFields.DateOfBirth] = FieldMask.Full,
            [DisclosableFields.Sid] = FieldMask.Full,
            [DisclosableFields.FbiNumber] = FieldMask.Full,
            [DisclosableFields.Charges] = FieldMask.Full,
            [DisclosableFields.ChargingOutcome] = FieldMask.Full,
            [DisclosableFields.DocketNumber] = FieldMask.Full,
            [DisclosableFields.NextHearingDate] = FieldMask.Full,
        },
        RowScope = new RowScope { Statuses = [Core.Arrests.ArrestStatus.AwaitingCharging, Core.Arrests.ArrestStatus.Charged, Core.Arrests.ArrestStatus.Arraigned], BookedWithinDays = 730 },
        AllowedCriteria = [SearchCriteria.ArrestNumber, SearchCriteria.LastName, SearchCriteria.DateOfBirth, SearchCriteria.Sid, SearchCriteria.FbiNumber, SearchCriteria.Statute],
        Quotas = new AgreementQuotas { QueriesPerUserPerDay = 200, RecordsPerAgencyPerDay = 2000 },
        EffectiveAt = start,
        ExpiresAt = start.AddDays(365),
    };

    private static async Task<AgreementActor> ActorAsync(OpenParsDbContext db, string name, string agency, AgencyKind kind, CancellationToken ct)
    {
        var id = await db.Users.Where(u => u.Name == name && u.Agency.Code == agency).Select(u => (long?)u.Id).SingleOrDefaultAsync(ct)
            ?? throw new InvalidOperationException($"The demo user {name} of {agency} does not exist; seed the demo identities first.");
        return new AgreementActor(id, name, agency, kind);
    }
}
