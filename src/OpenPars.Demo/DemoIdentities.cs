using Microsoft.EntityFrameworkCore;
using OpenPars.Core.Agencies;
using OpenPars.Core.Arrests;
using OpenPars.Storage.Agencies;

using OpenPars.Storage;
using OpenPars.Storage.Arrests;

namespace OpenPars.Demo;

/// <summary>A demo user and the secret of the token made for them (shown once: the CLI writes it to demo-credentials.json).</summary>
/// <param name="User">The user's name.</param>
/// <param name="Agency">Their agency's code.</param>
/// <param name="Roles">Their roles.</param>
/// <param name="Token">Their bearer token (the API).</param>
/// <param name="Password">Their page password (with <see cref="TotpSecret"/>'s code: the pages); null when the store
/// was seeded without page sign-in.</param>
/// <param name="TotpSecret">Their enrolled TOTP secret (base32): add it to an authenticator, or ask
/// <c>openpars demo code USER</c> for the current code.</param>
public sealed record DemoCredential(string User, string Agency, IReadOnlyList<string> Roles, string Token, string? Password = null, string? TotpSecret = null);

/// <summary>
/// The demo's agencies and users: the three stakeholders (PPD police, DAO district attorney, FJD courts) with one user
/// per role each — each agency with its own administrator (ppd.records, dao.admin, fjd.admin), who manages only that
/// agency's users — and the partners ICE (immigration-enforcement) and FBI (federal-law-enforcement), each of its
/// charter kind, with three analysts at ICE and two at FBI. Every user gets a new 90-day token. Running it again
/// keeps the agencies and users that exist and issues fresh tokens.
/// </summary>
public static class DemoIdentities
{
    /// <summary>How long each demo token is valid.</summary>
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromDays(90);

    /// <summary>The user demo bookings are attributed to.</summary>
    public const string BookingOfficer = "ppd.booking";
    /// <summary>The user demo charging decisions are attributed to.</summary>
    public const string ChargingAttorney = "dao.charging";
    /// <summary>The user demo arraignments are attributed to.</summary>
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
            new("ice.analyst2", Roles.PartnerAnalyst),
            new("ice.analyst3", Roles.PartnerAnalyst),
        ], "immigration-enforcement"),
        new("FBI", "Federal Bureau of Investigation, Philadelphia field office", AgencyKind.Partner,
        [
            new("fbi.analyst", Roles.PartnerAnalyst),
            new("fbi.analyst2", Roles.PartnerAnalyst),
        ], "federal-law-enforcement"),
    ];

    /// <summary>Adds the agencies and users that are missing and issues each demo user a fresh token; returns every user's credentials.</summary>
    public static Task<IReadOnlyList<DemoCredential>> SeedAsync(OpenParsDbContext db, IdentityStore identity, CancellationToken ct = default) =>
        SeedAsync(db, identity, null, ct);

    /// <summary>As <see cref="SeedAsync(OpenParsDbContext, IdentityStore, CancellationToken)"/>, and with <paramref name="signIn"/>
    /// each user also gets a random page password and an enrolled TOTP secret (reported in their credential).</summary>
    /// <param name="db">The store.</param>
    /// <param name="identity">Its identity store.</param>
    /// <param name="signIn">The sign-in store, or null for tokens only.</param>
    /// <param name="ct">Cancels the work.</param>
    public static async Task<IReadOnlyList<DemoCredential>> SeedAsync(OpenParsDbContext db, IdentityStore identity, SignInStore? signIn, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(identity);
        var credentials = new List<DemoCredential>();
        var ids = await AddMissingAsync(db, identity, ct);
        foreach (var agency in Agencies)
        {
            foreach (var user in agency.Users)
            {
                var id = ids[user.Name];
                var (_, secret) = await identity.CreateTokenAsync(id, TokenLifetime, "demo", ct);
                string? password = null, totp = null;
                if (signIn is not null && await signIn.FindAsync(id, ct) is { } entity)
                {
                    password = NewPassword();
                    await signIn.SetPasswordAsync(id, App.Identity.SignInUseCases.HashPassword(entity, password), ct);
                    var (enrolment, hashes) = App.Identity.SignInUseCases.NewSecondFactor(user.Name);
                    await signIn.EnrolAsync(id, enrolment.Secret, hashes, ct);
                    totp = enrolment.Secret;
                }

                credentials.Add(new DemoCredential(user.Name, agency.Code, [user.Role], secret, password, totp));
            }
        }

        return credentials;
    }

    /// <summary>Adds the demo agencies and users that are missing, without credentials (the demo's history adds them
    /// at its start and issues their tokens at its end); returns every demo user's id by name.</summary>
    public static async Task<IReadOnlyDictionary<string, long>> AddMissingAsync(OpenParsDbContext db, IdentityStore identity, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(identity);
        var ids = new Dictionary<string, long>(StringComparer.Ordinal);
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

                ids[user.Name] = await db.Users.Where(u => u.Name == user.Name && u.Agency.Code == agency.Code).Select(u => (long?)u.Id).SingleOrDefaultAsync(ct)
                    ?? (await identity.AddUserAsync(agency.Code, user.Name, [user.Role], ct)).Id;
            }
        }

        return ids;
    }

    /// <summary>A demo user as the caller of a use case, from their stored row: no token (the demo's history acts
    /// for them through the <c>demo</c> command, channel <c>cli</c>).</summary>
    public static async Task<Caller> CallerAsync(OpenParsDbContext db, string userName, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var found = await db.Users.AsNoTracking().Where(u => u.Name == userName)
            .Select(u => new { u.Id, u.Name, u.Roles, u.AgencyId, u.Agency.Code, u.Agency.Kind, u.Agency.PartnerKind })
            .SingleOrDefaultAsync(ct)
            ?? throw new InvalidOperationException($"The demo user {userName} does not exist; seed the demo identities first.");
        return new Caller(found.Id, found.Name, found.AgencyId, found.Code, found.Kind, found.Roles.Split(',', StringSplitOptions.RemoveEmptyEntries), null, Channels.Cli)
        {
            PartnerKind = found.PartnerKind,
        };
    }

    // A demo password: 16 letters and digits, random, printed with the tokens (long enough for the 12-character rule).
    private static string NewPassword()
    {
        const string alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        return string.Create(16, alphabet, (span, chars) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = chars[System.Security.Cryptography.RandomNumberGenerator.GetInt32(chars.Length)];
            }
        });
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
