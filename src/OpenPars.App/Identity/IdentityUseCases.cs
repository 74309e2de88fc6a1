using OpenPars.App.Audit;
using OpenPars.Core.Agencies;
using OpenPars.Core.Audit;
using OpenPars.Storage.Agencies;

namespace OpenPars.App.Identity;

/// <summary>Agencies, users and tokens: the records admin's desk and the operator's bootstrap commands.</summary>
public sealed class IdentityUseCases(IdentityStore store, AuditScope audit)
{
    private static readonly Func<Caller, bool> Administrator = c => c.IsOperator || Access.RecordsAdmin(c);

    public Task<IReadOnlyList<AgencyView>> ListAgenciesAsync(Caller caller, CancellationToken ct = default) =>
        audit.ReadAsync(caller, AuditEventType.AgenciesListed, () =>
        {
            Access.Require(caller, Administrator);
            return store.ListAgenciesAsync(ct);
        });

    public Task<AgencyView> AddAgencyAsync(Caller caller, string? code, string? name, string? kind, CancellationToken ct = default) =>
        audit.WriteAsync(caller, AuditEventType.AgencyAdded, () =>
        {
            Access.Require(caller, Administrator);
            return store.AddAgencyAsync(code, name, kind, ct);
        });

    public Task<IReadOnlyList<UserView>> ListUsersAsync(Caller caller, CancellationToken ct = default) =>
        audit.ReadAsync(caller, AuditEventType.UsersListed, () =>
        {
            Access.Require(caller, Administrator);
            return store.ListUsersAsync(ct);
        });

    public Task<UserView> AddUserAsync(Caller caller, string? agency, string? name, IReadOnlyList<string>? roles, CancellationToken ct = default) =>
        audit.WriteAsync(caller, AuditEventType.UserAdded, () =>
        {
            Access.Require(caller, Administrator);
            return store.AddUserAsync(agency, name, roles, ct);
        });

    /// <summary>Creates a token; its secret is in this answer only.</summary>
    public Task<(TokenView Token, string Secret)> CreateTokenAsync(Caller caller, long userId, TimeSpan? lifetime, string? label, CancellationToken ct = default) =>
        audit.WriteAsync(caller, AuditEventType.TokenCreated, () =>
        {
            Access.Require(caller, Administrator);
            return store.CreateTokenAsync(userId, lifetime, label, ct);
        });

    /// <summary>A user by name, or by numeric id written as text; null when none.</summary>
    public async Task<long?> FindUserIdAsync(string user, CancellationToken ct = default) =>
        long.TryParse(user, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
            ? id
            : (await store.FindUserByNameAsync(user, ct))?.Id;

    public Task<TokenView> RevokeTokenAsync(Caller caller, long tokenId, CancellationToken ct = default) =>
        audit.WriteAsync(caller, AuditEventType.TokenRevoked, () =>
        {
            Access.Require(caller, Administrator);
            return store.RevokeTokenAsync(tokenId, ct);
        });

    /// <summary>A lifetime given in whole days (the API's <c>expiresInDays</c>). Days beyond what a TimeSpan holds are
    /// out of range, not an overflow: they are clamped far past the maximum, which the store then refuses.</summary>
    public static TimeSpan? LifetimeFromDays(int? days) => days switch
    {
        null => null,
        > 36_500 or < -36_500 => TimeSpan.FromDays(days > 0 ? 36_500 : -36_500),
        { } d => TimeSpan.FromDays(d),
    };
}
