using Microsoft.EntityFrameworkCore;
using OpenPars.Core.Agencies;
using OpenPars.Core.Arrests;
using OpenPars.Storage.Agencies;

using OpenPars.Storage;
using OpenPars.Storage.Arrests;

namespace OpenPars.Demo;

/// <summary>A demo user and the secret of the token made for them (shown once: the CLI writes it to demo-credentials.json).</summary>
public sealed record DemoCredential(string User, string Agency, IReadOnlyList<string> Roles, string Token);

/// <summary>
/// The demo's agencies and users: the three stakeholders (PPD police, DAO district attorney, FJD courts) with one user
/// per role each — each agency with its own administrator (ppd.records, dao.admin, fjd.admin), who manages only that
/// agency's users — and the partners ICE (immigration-enforcement) and FBI (federal-law-enforcement), each of its
/// charter kind, with one partner analyst each. Every user gets a new 90-day token. Running it again
/// keeps the agencies and users that exist and issues fresh tokens.
/// </summary>
public static class DemoIdentities
{
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromDays(90);

    public const string BookingOfficer = "ppd.booking";
    public const string ChargingAttorney = "dao.charging";
    public const string Magistrate = "fjd.magistrate";

    private static readonly DemoAgency[] Agencies =
    [
        new("PPD", "Police Department", AgencyKind.Police,
        [
            new(BookingOfficer, Roles.BookingOfficer),
            new("ppd.records", Roles.RecordsAdmin),
            new("ppd.representative", Roles.StakeholderRepresentative),
            new("ppd.privacy", Roles.PrivacyOfficer),
        ]),
        new("DAO", "District Attorney's Office", AgencyKind.DistrictAttorney,
        [
            new("dao.admin", Roles.AgencyAdmin),
            new(ChargingAttorney, Roles.ChargingAttorney),
            new("dao.representative", Roles.StakeholderRepresentative),
            new("dao.privacy", Roles.PrivacyOfficer),
        ]),
        new("FJD", "First Judicial District", AgencyKind.Courts,
        [
            new("fjd.admin", Roles.AgencyAdmin),
            new(Magistrate, Roles.Magistrate),
            new("fjd.representative", Roles.StakeholderRepresentative),
            new("fjd.privacy", Roles.PrivacyOfficer),
        ]),
        new("ICE", "U.S. Immigration and Customs Enforcement", AgencyKind.Partner,
        [
            new("ice.analyst", Roles.PartnerAnalyst),
        ], "immigration-enforcement"),
        new("FBI", "Federal Bureau of Investigation, Philadelphia field office", AgencyKind.Partner,
        [
            new("fbi.analyst", Roles.PartnerAnalyst),
        ], "federal-law-enforcement"),
    ];

    public static async Task<IReadOnlyList<DemoCredential>> SeedAsync(OpenParsDbContext db, IdentityStore identity, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(identity);
        var credentials = new List<DemoCredential>();
        foreach (var agency in Agencies)
        {
            if (!await db.Agencies.AnyAsync(a => a.Code == agency.Code, ct))
            {
                await identity.AddAgencyAsync(agency.Code, agency.Name, AgencyKinds.ToCode(agency.Kind), agency.PartnerKind, ct);
            }

            foreach (var user in agency.Users)
            {
                if (!Roles.IsAllowedFor(user.Role, agency.Kind))
                {
                    throw new InvalidOperationException($"Demo user {user.Name} cannot hold {user.Role} at a {AgencyKinds.ToCode(agency.Kind)} agency.");
                }

                var id = await db.Users.Where(u => u.Name == user.Name && u.Agency.Code == agency.Code).Select(u => (long?)u.Id).SingleOrDefaultAsync(ct)
                    ?? (await identity.AddUserAsync(agency.Code, user.Name, [user.Role], ct)).Id;
                var (_, secret) = await identity.CreateTokenAsync(id, TokenLifetime, "demo", ct);
                credentials.Add(new DemoCredential(user.Name, agency.Code, [user.Role], secret));
            }
        }

        return credentials;
    }

    /// <summary>The demo desk users as event actors, with their real user ids. The users must exist (seed first).</summary>
    public static async Task<BulkArrestActors> ActorsAsync(OpenParsDbContext db, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        return new BulkArrestActors(
            await ActorAsync(BookingOfficer, "PPD"),
            await ActorAsync(ChargingAttorney, "DAO"),
            await ActorAsync(Magistrate, "FJD"));

        async Task<Actor> ActorAsync(string name, string agency)
        {
            var id = await db.Users.Where(u => u.Name == name && u.Agency.Code == agency).Select(u => (long?)u.Id).SingleOrDefaultAsync(ct)
                ?? throw new InvalidOperationException($"The demo user {name} of {agency} does not exist; seed the demo identities first.");
            return new Actor(id, name, agency);
        }
    }

    private sealed record DemoAgency(string Code, string Name, AgencyKind Kind, DemoUser[] Users, string? PartnerKind = null);

    private sealed record DemoUser(string Name, string Role);
}
