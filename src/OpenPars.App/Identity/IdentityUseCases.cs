using OpenPars.App.Audit;
using OpenPars.Core.Agencies;
using OpenPars.Core.Audit;
using OpenPars.Core.Common;
using OpenPars.Storage.Agencies;

namespace OpenPars.App.Identity;

/// <summary>
/// Agencies, users and credentials. Each agency administers itself: its administrator (the police's records admin,
/// another stakeholder's agency admin) manages only its own users and tokens; the police's records admin also
/// onboards partner agencies and their analysts, and nothing of another stakeholder. Nobody changes their own roles,
/// and no one obtains a credential for another person: an administrator issues an enrolment secret that its owner
/// redeems once for their own token. The operator at the terminal (who holds the database) only bootstraps: agencies
/// and each agency's first administrator.
/// </summary>
public sealed class IdentityUseCases(IdentityStore store, AuditScope audit)
{
    private static readonly Func<Caller, bool> Administrator = c => c.IsOperator || Access.Administrator(c);

    public Task<IReadOnlyList<AgencyView>> ListAgenciesAsync(Caller caller, CancellationToken ct = default) =>
        audit.ReadAsync(caller, AuditEventType.AgenciesListed, () =>
        {
            Access.Require(caller, c => c.IsOperator || Access.RecordsAdmin(c));
            return store.ListAgenciesAsync(ct);
        });

    /// <summary>The operator adds any agency; the police's records admin onboards partner agencies only (a new
    /// stakeholder would change who votes, so it is the operator's bootstrap, recorded with the OS user).</summary>
    public Task<AgencyView> AddAgencyAsync(Caller caller, string? code, string? name, string? kind, CancellationToken ct = default) =>
        AddAgencyAsync(caller, code, name, kind, null, ct);

    /// <summary>As <see cref="AddAgencyAsync(Caller, string?, string?, string?, CancellationToken)"/>, declaring a
    /// partner agency's kind.</summary>
    /// <param name="caller">The operator or the police's records admin.</param>
    /// <param name="code">The agency's code.</param>
    /// <param name="name">Its full name.</param>
    /// <param name="kind">police, district-attorney, courts or partner.</param>
    /// <param name="ct">Cancels the work.</param>
    /// <param name="partnerKind">The partner's kind as the charter names it (immigration-enforcement, …), stored with
    /// the agency and fed to every charter check of its agreements; null holds it to every partner rule.</param>
    public Task<AgencyView> AddAgencyAsync(Caller caller, string? code, string? name, string? kind, string? partnerKind, CancellationToken ct = default) =>
        audit.WriteAsync(caller, AuditEventType.AgencyAdded, () =>
        {
            Access.Require(caller, c => c.IsOperator || Access.RecordsAdmin(c));
            if (!caller.IsOperator && AgencyKinds.TryParse(kind, out var parsed) && parsed != AgencyKind.Partner)
            {
                throw new DomainException(ErrorCodes.OutsideAdministration, "The records admin onboards partner agencies only; a stakeholder agency is added by the operator.");
            }

            return store.AddAgencyAsync(code, name, kind, partnerKind, ct);
        });

    /// <summary>The users the caller administers: their own agency's (and, for the police's records admin, the partners').</summary>
    public Task<IReadOnlyList<UserView>> ListUsersAsync(Caller caller, CancellationToken ct = default) =>
        audit.ReadAsync(caller, AuditEventType.UsersListed, async () =>
        {
            Access.Require(caller, Administrator);
            return await AdministeredAsync(caller, await store.ListUsersAsync(ct), u => u.AgencyCode, ct);
        });

    /// <summary>The tokens and unredeemed enrolments of the users the caller administers (their own agency's; the police's
    /// records admin also the partners'), newest first, never a secret.</summary>
    public Task<IReadOnlyList<TokenListing>> ListTokensAsync(Caller caller, CancellationToken ct = default) =>
        audit.ReadAsync(caller, AuditEventType.TokensListed, async () =>
        {
            Access.Require(caller, Administrator);
            return await AdministeredAsync(caller, await store.ListTokensAsync(ct), t => t.AgencyCode, ct);
        });

    public Task<UserView> AddUserAsync(Caller caller, string? agency, string? name, IReadOnlyList<string>? roles, CancellationToken ct = default) =>
        audit.WriteAsync(caller, AuditEventType.UserAdded, async () =>
        {
            Access.Require(caller, Administrator);
            var target = string.IsNullOrWhiteSpace(agency) ? null : (await store.ListAgenciesAsync(ct)).FirstOrDefault(a => a.Code == agency);
            if (target is not null)
            {
                RequireAdministers(caller, target.Code, target.Kind);
            }

            if (caller.IsOperator && roles is { Count: > 0 } && !roles.All(r => r is not null && Roles.IsAdministration(r)))
            {
                throw new DomainException(ErrorCodes.OutsideAdministration,
                    "The operator adds an agency's administrator only; the agency's administrator adds its other users.");
            }

            return await store.AddUserAsync(agency, name, roles, ct);
        });

    /// <summary>Replaces a user's roles: an administrator of the user's agency, never on themselves.</summary>
    public Task<UserView> SetRolesAsync(Caller caller, long userId, IReadOnlyList<string>? roles, CancellationToken ct = default) =>
        audit.WriteAsync(caller, AuditEventType.RolesChanged, async () =>
        {
            Access.Require(caller, Access.Administrator);
            await RequireAdministersUserAsync(caller, userId, ct);
            if (userId == caller.UserId)
            {
                throw new DomainException(ErrorCodes.OwnRoles, "Nobody changes their own roles; another administrator of the agency must.");
            }

            return await store.SetRolesAsync(userId, roles, ct);
        });

    /// <summary>A new token for the caller themselves (a rotation): its secret is in this answer only. A token for
    /// anyone else is refused: the owner redeems an enrolment secret instead.</summary>
    public Task<(TokenView Token, string Secret)> CreateTokenAsync(Caller caller, long userId, TimeSpan? lifetime, string? label, CancellationToken ct = default) =>
        audit.WriteAsync(caller, AuditEventType.TokenCreated, () =>
        {
            if (caller.IsOperator || userId != caller.UserId)
            {
                throw new DomainException(ErrorCodes.CredentialForAnotherPerson,
                    "No one obtains a token for another person; issue an enrolment secret that its owner redeems.");
            }

            return store.CreateTokenAsync(userId, lifetime, label, ct);
        });

    /// <summary>A one-time enrolment secret for a user the caller administers (the operator: an administrator
    /// account only, to bootstrap an agency). Its secret is in this answer only; the owner redeems it.</summary>
    public Task<(TokenView Enrolment, string Secret)> IssueEnrolmentAsync(Caller caller, long userId, CancellationToken ct = default) =>
        audit.WriteAsync(caller, AuditEventType.EnrolmentIssued, async () =>
        {
            Access.Require(caller, Administrator);
            var user = await RequireAdministersUserAsync(caller, userId, ct);
            if (caller.IsOperator && !user.RoleList.Any(Roles.IsAdministration))
            {
                throw new DomainException(ErrorCodes.OutsideAdministration,
                    "The operator enrols an agency's administrator only; the agency's administrator enrols its other users.");
            }

            return await store.IssueEnrolmentAsync(userId, ct);
        });

    /// <summary>Redeems an enrolment secret for the enrolled user's own token; needs no other credential.</summary>
    public Task<(TokenView Token, string Secret)> RedeemEnrolmentAsync(Caller caller, string? secret, TimeSpan? lifetime, string? label, CancellationToken ct = default) =>
        audit.WriteAsync(caller, AuditEventType.EnrolmentRedeemed, () => store.RedeemEnrolmentAsync(secret, lifetime, label, ct));

    /// <summary>An agency administrator adds a service account (a system, not a person) to their own agency — never
    /// to another, the partners included: a partner's system is its own administration's, not the police's.</summary>
    public Task<UserView> AddServiceAccountAsync(Caller caller, string? name, IReadOnlyList<string>? roles, CancellationToken ct = default) =>
        audit.WriteAsync(caller, AuditEventType.ServiceAccountAdded, () =>
        {
            Access.Require(caller, Access.Administrator);
            return store.AddServiceAccountAsync(caller.AgencyCode, name, roles, ct);
        });

    /// <summary>An agency administrator mints a token for a service account of their own agency; its secret is in
    /// this answer only. Never for another agency's account (PARS-ADM-005) nor for a person (PARS-ADM-011).</summary>
    public Task<(TokenView Token, string Secret)> CreateServiceAccountTokenAsync(Caller caller, long userId, TimeSpan? lifetime, string? label, CancellationToken ct = default) =>
        audit.WriteAsync(caller, AuditEventType.ServiceAccountTokenCreated, async () =>
        {
            Access.Require(caller, Access.Administrator);
            var user = await store.FindUserAsync(userId, ct) ?? throw new DomainException(ErrorCodes.UserNotFound, $"No user {userId}.");
            if (!string.Equals(user.Agency.Code, caller.AgencyCode, StringComparison.Ordinal))
            {
                throw new DomainException(ErrorCodes.OutsideAdministration, $"{user.Agency.Code}'s service accounts are administered by {user.Agency.Code}, not by {caller.AgencyCode}.");
            }

            return await store.CreateServiceAccountTokenAsync(userId, lifetime, label, ct);
        });

    /// <summary>A user by name, or by numeric id written as text; null when none.</summary>
    public async Task<long?> FindUserIdAsync(string user, CancellationToken ct = default) =>
        long.TryParse(user, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
            ? id
            : (await store.FindUserByNameAsync(user, ct))?.Id;

    /// <summary>Revokes a token (or an unredeemed enrolment): the operator, an administrator of its owner's agency, or its owner.</summary>
    public Task<TokenView> RevokeTokenAsync(Caller caller, long tokenId, CancellationToken ct = default) =>
        audit.WriteAsync(caller, AuditEventType.TokenRevoked, async () =>
        {
            Access.Require(caller, Administrator);
            var owner = await store.FindTokenOwnerAsync(tokenId, ct)
                ?? throw new DomainException(ErrorCodes.TokenNotFound, $"No token {tokenId}.");
            RequireAdministers(caller, owner.Agency.Code, owner.Agency.Kind);
            return await store.RevokeTokenAsync(tokenId, ct);
        });

    /// <summary>A lifetime given in whole days (the API's <c>expiresInDays</c>). Days beyond what a TimeSpan holds are
    /// out of range, not an overflow: they are clamped far past the maximum, which the store then refuses.</summary>
    public static TimeSpan? LifetimeFromDays(int? days) => days switch
    {
        null => null,
        > 36_500 or < -36_500 => TimeSpan.FromDays(days > 0 ? 36_500 : -36_500),
        { } d => TimeSpan.FromDays(d),
    };

    /// <summary>Whether the caller administers an agency: the operator every one, an administrator their own, and the
    /// police's records admin the partner agencies too.</summary>
    public static bool Administers(Caller caller, string agencyCode, AgencyKind agencyKind) =>
        caller.IsOperator
        || (Access.Administrator(caller) && string.Equals(caller.AgencyCode, agencyCode, StringComparison.Ordinal))
        || (Access.RecordsAdmin(caller) && agencyKind == AgencyKind.Partner);

    // The items of the agencies the caller administers.
    private async Task<IReadOnlyList<T>> AdministeredAsync<T>(Caller caller, IReadOnlyList<T> items, Func<T, string> agencyOf, CancellationToken ct)
    {
        var agencies = (await store.ListAgenciesAsync(ct)).ToDictionary(a => a.Code, StringComparer.Ordinal);
        return [.. items.Where(i => agencies.TryGetValue(agencyOf(i), out var a) && Administers(caller, a.Code, a.Kind))];
    }

    private static void RequireAdministers(Caller caller, string agencyCode, AgencyKind agencyKind)
    {
        if (!Administers(caller, agencyCode, agencyKind))
        {
            throw new DomainException(ErrorCodes.OutsideAdministration, $"{agencyCode} is administered by its own administrator, not by {caller.AgencyCode}.");
        }
    }

    private async Task<UserEntity> RequireAdministersUserAsync(Caller caller, long userId, CancellationToken ct)
    {
        var user = await store.FindUserAsync(userId, ct) ?? throw new DomainException(ErrorCodes.UserNotFound, $"No user {userId}.");
        RequireAdministers(caller, user.Agency.Code, user.Agency.Kind);
        return user;
    }
}
