using Microsoft.EntityFrameworkCore;
using System.Globalization;
using OpenPars.Core.Agencies;
using OpenPars.Core.Audit;
using OpenPars.Core.Common;
using OpenPars.Storage.Audit;
using OpenPars.Storage.Charter;
using OpenPars.Storage.Common;
using OpenPars.Core.Audit.Payloads;

namespace OpenPars.Storage.Agencies;

/// <summary>An agency as administrators see it.</summary>
/// <param name="Id">Its row id.</param>
/// <param name="Code">Its short code (PPD, DAO, ICE-ERO-PHL), unique.</param>
/// <param name="Name">Its full name.</param>
/// <param name="Kind">Police, district attorney, courts or partner.</param>
/// <param name="CreatedAt">When it was added.</param>
/// <param name="PartnerKind">A partner agency's kind as the charter names it (e.g. immigration-enforcement); null when none was declared.</param>
public sealed record AgencyView(long Id, string Code, string Name, AgencyKind Kind, DateTimeOffset CreatedAt, string? PartnerKind = null);

/// <summary>A user account as administrators see it (never its secrets).</summary>
/// <param name="Id">Its row id.</param>
/// <param name="Name">Its name, unique within the agency.</param>
/// <param name="AgencyCode">The agency it belongs to.</param>
/// <param name="Roles">Its roles.</param>
/// <param name="CreatedAt">When it was added.</param>
/// <param name="IsServiceAccount">A system of the agency, not a person (its administrator mints its tokens).</param>
public sealed record UserView(long Id, string Name, string AgencyCode, IReadOnlyList<string> Roles, DateTimeOffset CreatedAt, bool IsServiceAccount = false);

public sealed record TokenView(long Id, long UserId, string Label, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt);

/// <summary>A token or unredeemed enrolment as an administrator lists it: whose, which agency, its label and dates,
/// never its secret (only the secret's SHA-256 is kept). When it was last used is not recorded.</summary>
/// <param name="Id">The token's id (what revocation names).</param>
/// <param name="UserId">Its owner.</param>
/// <param name="UserName">Its owner's name.</param>
/// <param name="AgencyCode">Its owner's agency.</param>
/// <param name="Label">Its label (<c>enrolment</c> for an enrolment secret).</param>
/// <param name="CreatedAt">When it was made.</param>
/// <param name="ExpiresAt">When it stops working, if ever.</param>
/// <param name="RevokedAt">When it was revoked, if it was.</param>
public sealed record TokenListing(long Id, long UserId, string UserName, string AgencyCode, string Label, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt);

/// <summary>Agencies, users and tokens: the administration the records admin and the CLI share.</summary>
public sealed class IdentityStore(OpenParsDbContext db, TimeProvider clock, AuditTrail audit, CredentialCache? credentials = null)
{
    public static readonly TimeSpan MaxTokenLifetime = TimeSpan.FromDays(400);

    public Task<AgencyView> AddAgencyAsync(string? code, string? name, string? kind, CancellationToken ct = default) =>
        AddAgencyAsync(code, name, kind, null, ct);

    /// <summary>Adds an agency (the operator onboards partner agencies); refused with the field and rule when the code is
    /// taken or a value is invalid.</summary>
    /// <param name="code">The agency's code.</param>
    /// <param name="name">Its full name.</param>
    /// <param name="kind">police, district-attorney, courts or partner.</param>
    /// <param name="ct">Cancels the work.</param>
    /// <param name="partnerKind">A partner agency's kind, one of the charter in force's <c>partnerKinds</c> (the
    /// charter's partner rules bind by it); null declares none, which holds the partner to every partner rule.</param>
    public async Task<AgencyView> AddAgencyAsync(string? code, string? name, string? kind, string? partnerKind, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        if (string.IsNullOrWhiteSpace(code) || code.Length > 16 || !code.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c)))
        {
            errors.Add("code", "agency-code-format", "code must be 1 to 16 capital letters or digits.");
        }

        errors.RequireText(name, "name", 200);
        if (!AgencyKinds.TryParse(kind, out var agencyKind))
        {
            errors.Add("kind", "agency-kind", "kind must be police, district-attorney, courts or partner.");
        }
        else if (partnerKind is not null && agencyKind != AgencyKind.Partner)
        {
            errors.Add("partnerKind", "partner-kind-for-partners", "partnerKind is declared for a partner agency only.");
        }
        else if (partnerKind is not null)
        {
            var charter = (await new CharterStore(db, clock, audit).TimelineAsync(ct)).At(StoredTime.Now(clock));
            if (!charter.PartnerKinds.Any(k => string.Equals(k.Code, partnerKind, StringComparison.Ordinal)))
            {
                errors.Add("partnerKind", "charter-partner-kind", $"partnerKind must be one of the charter's kinds of partner ({string.Join(", ", charter.PartnerKinds.Select(k => k.Code))}).");
            }
        }

        if (!errors.IsEmpty)
        {
            throw errors.ToException();
        }

        if (await db.Agencies.AnyAsync(a => a.Code == code, ct))
        {
            throw new DomainException(ErrorCodes.AgencyCodeTaken, $"An agency with code {code} exists.");
        }

        var entity = new AgencyEntity { Code = code!, Name = name!.Trim(), Kind = agencyKind, PartnerKind = partnerKind, CreatedAt = StoredTime.Now(clock) };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.Agencies.Add(entity);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another request added the same code between our check and our insert; the unique index kept one.
            throw new DomainException(ErrorCodes.AgencyCodeTaken, $"An agency with code {code} exists.");
        }

        audit.Payload(new AgencyAddedV1(entity.Code, kind!, partnerKind));
        await audit.AppendInTransactionAsync(db, AuditEventType.AgencyAdded, [], ct);
        await tx.CommitAsync(ct);
        return ToView(entity);
    }

    public async Task<IReadOnlyList<AgencyView>> ListAgenciesAsync(CancellationToken ct = default) =>
        (await db.Agencies.AsNoTracking().OrderBy(a => a.Code).ToListAsync(ct)).Select(ToView).ToList();

    public async Task<UserView> AddUserAsync(string? agencyCode, string? name, IReadOnlyList<string>? roles, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        errors.RequireText(name, "name", 200);
        var agency = string.IsNullOrWhiteSpace(agencyCode) ? null : await db.Agencies.SingleOrDefaultAsync(a => a.Code == agencyCode, ct);
        if (agency is null)
        {
            errors.Add("agency", "unknown-agency", "agency must be the code of an existing agency.");
        }

        CheckRoles(errors, roles, agency?.Kind);
        if (!errors.IsEmpty)
        {
            throw errors.ToException();
        }

        RequireSeparationOfDuties(roles!);

        // Names are stored trimmed, so the same name with spaces around it is taken too.
        var trimmed = name!.Trim();
        if (await db.Users.AnyAsync(u => u.AgencyId == agency!.Id && u.Name == trimmed, ct))
        {
            throw new ValidationErrors().Add("name", "user-name-taken", "name is taken in that agency.").ToException();
        }

        var user = new UserEntity { AgencyId = agency!.Id, Name = trimmed, Roles = string.Join(',', roles!.Distinct()), CreatedAt = StoredTime.Now(clock) };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.Users.Add(user);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another request added the same name between our check and our insert; the unique index kept one.
            throw new ValidationErrors().Add("name", "user-name-taken", "name is taken in that agency.").ToException();
        }

        audit.Payload(new UserAddedV1(user.Id, user.Name, agency.Code, user.RoleList));
        await audit.AppendInTransactionAsync(db, AuditEventType.UserAdded, [], ct);
        await tx.CommitAsync(ct);
        return new UserView(user.Id, user.Name, agency.Code, user.RoleList, user.CreatedAt);
    }

    public async Task<IReadOnlyList<UserView>> ListUsersAsync(CancellationToken ct = default) =>
        (await db.Users.AsNoTracking().Include(u => u.Agency).OrderBy(u => u.Id).ToListAsync(ct))
        .Select(u => new UserView(u.Id, u.Name, u.Agency.Code, u.RoleList, u.CreatedAt, u.IsServiceAccount)).ToList();

    /// <summary>Adds a service account (a system of the agency, not a person) with roles a system may hold
    /// (<see cref="Roles.IsAllowedForServiceAccount"/>; none of today's, so usually none).</summary>
    public async Task<UserView> AddServiceAccountAsync(string? agencyCode, string? name, IReadOnlyList<string>? roles, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        errors.RequireText(name, "name", 200);
        var agency = string.IsNullOrWhiteSpace(agencyCode) ? null : await db.Agencies.SingleOrDefaultAsync(a => a.Code == agencyCode, ct);
        if (agency is null)
        {
            errors.Add("agency", "unknown-agency", "agency must be the code of an existing agency.");
        }

        roles ??= [];
        foreach (var role in roles)
        {
            if (role is null || !Roles.IsKnown(role))
            {
                errors.Add("roles", "unknown-role", $"roles: each role is one of {string.Join(", ", Roles.All)} (the value sent is not repeated).");
            }
        }

        if (!errors.IsEmpty)
        {
            throw errors.ToException();
        }

        RequireServiceAccountRoles(roles);
        var trimmed = name!.Trim();
        if (await db.Users.AnyAsync(u => u.AgencyId == agency!.Id && u.Name == trimmed, ct))
        {
            throw new ValidationErrors().Add("name", "user-name-taken", "name is taken in that agency.").ToException();
        }

        var user = new UserEntity { AgencyId = agency!.Id, Name = trimmed, Roles = string.Join(',', roles.Distinct()), IsServiceAccount = true, CreatedAt = StoredTime.Now(clock) };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.Users.Add(user);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            throw new ValidationErrors().Add("name", "user-name-taken", "name is taken in that agency.").ToException();
        }

        audit.Payload(new UserAddedV1(user.Id, user.Name, agency.Code, user.RoleList));
        await audit.AppendInTransactionAsync(db, AuditEventType.ServiceAccountAdded, [], ct);
        await tx.CommitAsync(ct);
        return new UserView(user.Id, user.Name, agency.Code, user.RoleList, user.CreatedAt, IsServiceAccount: true);
    }

    /// <summary>Mints a token for a service account (refused for a person: <see cref="ErrorCodes.NotAServiceAccount"/>);
    /// its secret is in this answer only, and only its SHA-256 is stored.</summary>
    public async Task<(TokenView Token, string Secret)> CreateServiceAccountTokenAsync(long userId, TimeSpan? lifetime, string? label, CancellationToken ct = default)
    {
        ValidateToken(lifetime, label);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var isService = await db.Users.Where(u => u.Id == userId).Select(u => (bool?)u.IsServiceAccount).SingleOrDefaultAsync(ct)
            ?? throw new DomainException(ErrorCodes.UserNotFound, $"No user {userId}.");
        if (!isService)
        {
            throw new DomainException(ErrorCodes.NotAServiceAccount, "This user is a person: they obtain their own token by redeeming an enrolment secret.");
        }

        var (token, secret) = await AddTokenAsync(userId, lifetime, label, StoredTime.Now(clock), ct);
        audit.Payload(new TokenCreatedV1(userId, token.Id));
        await audit.AppendInTransactionAsync(db, AuditEventType.ServiceAccountTokenCreated, [], ct);
        await tx.CommitAsync(ct);
        return (ToView(token), secret);
    }

    /// <summary>A user by name. Names are unique within an agency, not across agencies: an ambiguous name is refused
    /// rather than guessed (callers can use the numeric id).</summary>
    public async Task<UserEntity?> FindUserByNameAsync(string name, CancellationToken ct = default)
    {
        var found = await db.Users.Include(u => u.Agency).Where(u => u.Name == name).OrderBy(u => u.Id).Take(2).ToListAsync(ct);
        return found.Count switch
        {
            0 => null,
            1 => found[0],
            _ => throw new ValidationErrors().Add("user", "ambiguous-user-name", $"More than one agency has a user named '{name}'; use the user's id.").ToException(),
        };
    }

    /// <summary>Creates a token and returns its secret: the only time the secret exists outside the caller's hands.</summary>
    public async Task<(TokenView Token, string Secret)> CreateTokenAsync(long userId, TimeSpan? lifetime, string? label, CancellationToken ct = default)
    {
        ValidateToken(lifetime, label);
        if (!await db.Users.AnyAsync(u => u.Id == userId, ct))
        {
            throw new DomainException(ErrorCodes.UserNotFound, $"No user {userId}.");
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var (token, secret) = await AddTokenAsync(userId, lifetime, label, StoredTime.Now(clock), ct);
        audit.Payload(new TokenCreatedV1(userId, token.Id));
        await audit.AppendInTransactionAsync(db, AuditEventType.TokenCreated, [], ct);
        await tx.CommitAsync(ct);
        return (ToView(token), secret);
    }

    public async Task<TokenView> RevokeTokenAsync(long tokenId, CancellationToken ct = default)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var token = await db.Tokens.SingleOrDefaultAsync(t => t.Id == tokenId, ct)
            ?? throw new DomainException(ErrorCodes.TokenNotFound, $"No token {tokenId}.");
        token.RevokedAt ??= StoredTime.Now(clock);
        await db.SaveChangesAsync(ct);
        await CredentialCache.AdvanceAsync(db, ct);
        audit.Payload(new TokenRevokedV1(tokenId));
        await audit.AppendInTransactionAsync(db, AuditEventType.TokenRevoked, [], ct);
        await tx.CommitAsync(ct);
        return ToView(token);
    }

    /// <summary>Every token and enrolment with its owner and agency, newest first (secrets are not stored, so none is read).</summary>
    public async Task<IReadOnlyList<TokenListing>> ListTokensAsync(CancellationToken ct = default) =>
        await db.Tokens.AsNoTracking().OrderByDescending(t => t.Id)
            .Select(t => new TokenListing(t.Id, t.UserId, t.User.Name, t.User.Agency.Code, t.Label, t.CreatedAt, t.ExpiresAt, t.RevokedAt))
            .ToListAsync(ct);

    /// <summary>A user with their agency, or null.</summary>
    public Task<UserEntity?> FindUserAsync(long userId, CancellationToken ct = default) =>
        db.Users.AsNoTracking().Include(u => u.Agency).SingleOrDefaultAsync(u => u.Id == userId, ct);

    /// <summary>The user a token or enrolment belongs to, with their agency, or null when there is no such token.</summary>
    public Task<UserEntity?> FindTokenOwnerAsync(long tokenId, CancellationToken ct = default) =>
        db.Users.AsNoTracking().Include(u => u.Agency).Where(u => db.Tokens.Any(t => t.Id == tokenId && t.UserId == u.Id)).SingleOrDefaultAsync(ct);

    /// <summary>Replaces a user's roles, with the same rules as at creation.</summary>
    public async Task<UserView> SetRolesAsync(long userId, IReadOnlyList<string>? roles, CancellationToken ct = default)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var user = await db.Users.Include(u => u.Agency).SingleOrDefaultAsync(u => u.Id == userId, ct)
            ?? throw new DomainException(ErrorCodes.UserNotFound, $"No user {userId}.");
        var errors = new ValidationErrors();
        CheckRoles(errors, roles, user.Agency.Kind);
        if (!errors.IsEmpty)
        {
            throw errors.ToException();
        }

        RequireSeparationOfDuties(roles!);
        if (user.IsServiceAccount)
        {
            RequireServiceAccountRoles(roles!);
        }

        var before = user.Roles;
        user.Roles = string.Join(',', roles!.Distinct());
        await CredentialCache.AdvanceAsync(db, ct);
        await db.SaveChangesAsync(ct);
        audit.Payload(new RolesChangedV1(user.Id, before.Split(',', StringSplitOptions.RemoveEmptyEntries), user.RoleList));
        await audit.AppendInTransactionAsync(db, AuditEventType.RolesChanged, [], ct);
        await tx.CommitAsync(ct);
        return new UserView(user.Id, user.Name, user.Agency.Code, user.RoleList, user.CreatedAt);
    }

    /// <summary>Issues a one-time enrolment secret for a user: the user redeems it for a token of their own
    /// (<see cref="RedeemEnrolmentAsync"/>). Stored like a token (SHA-256 only) in a row marked as an enrolment,
    /// which never authenticates a request. Any earlier unredeemed enrolment of the user is revoked.</summary>
    public async Task<(TokenView Enrolment, string Secret)> IssueEnrolmentAsync(long userId, CancellationToken ct = default)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (!await db.Users.AnyAsync(u => u.Id == userId, ct))
        {
            throw new DomainException(ErrorCodes.UserNotFound, $"No user {userId}.");
        }

        var now = StoredTime.Now(clock);
        await db.Tokens.Where(t => t.UserId == userId && t.Label == EnrolmentSecrets.Label && t.RevokedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(t => t.RevokedAt, now), ct);
        var secret = EnrolmentSecrets.NewSecret();
        var enrolment = new TokenEntity
        {
            UserId = userId,
            SecretHash = TokenSecrets.Hash(secret),
            Label = EnrolmentSecrets.Label,
            CreatedAt = now,
            ExpiresAt = now + EnrolmentSecrets.Lifetime,
        };
        db.Tokens.Add(enrolment);
        await db.SaveChangesAsync(ct);
        audit.Payload(new EnrolmentIssuedV1(userId, enrolment.Id));
        await audit.AppendInTransactionAsync(db, AuditEventType.EnrolmentIssued, [], ct);
        await tx.CommitAsync(ct);
        return (ToView(enrolment), secret);
    }

    /// <summary>Redeems an enrolment secret, once, for a new token of the enrolled user. Two concurrent redemptions
    /// of one secret give one token: the enrolment row is claimed by a conditional update.</summary>
    public async Task<(TokenView Token, string Secret)> RedeemEnrolmentAsync(string? secret, TimeSpan? lifetime, string? label, CancellationToken ct = default)
    {
        ValidateToken(lifetime, label);
        if (!EnrolmentSecrets.LooksLikeSecret(secret))
        {
            throw NotRedeemable();
        }

        var hash = TokenSecrets.Hash(secret!);
        var now = StoredTime.Now(clock);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var enrolment = await db.Tokens.AsNoTracking()
            .Where(t => t.SecretHash == hash && t.Label == EnrolmentSecrets.Label && t.RevokedAt == null)
            .Select(t => new { t.Id, t.UserId, t.ExpiresAt })
            .SingleOrDefaultAsync(ct);
        if (enrolment is null || enrolment.ExpiresAt is not { } expires || expires <= now
            || await db.Tokens.Where(t => t.Id == enrolment.Id && t.RevokedAt == null).ExecuteUpdateAsync(u => u.SetProperty(t => t.RevokedAt, now), ct) != 1)
        {
            throw NotRedeemable();
        }

        var (token, tokenSecret) = await AddTokenAsync(enrolment.UserId, lifetime, label, now, ct);

        // The request came without a credential; the entry names the person who obtained the token.
        var owner = await db.Users.AsNoTracking().Where(u => u.Id == enrolment.UserId).Select(u => new { u.Name, u.Roles, u.Agency.Code }).SingleAsync(ct);
        audit.Origin = audit.Origin with { Actor = new AuditActor(enrolment.UserId, owner.Name, owner.Code, owner.Roles.Split(',', StringSplitOptions.RemoveEmptyEntries), token.Id) };
        audit.Payload(new EnrolmentRedeemedV1(enrolment.UserId, enrolment.Id, token.Id));
        await audit.AppendInTransactionAsync(db, AuditEventType.EnrolmentRedeemed, [], ct);
        await tx.CommitAsync(ct);
        return (ToView(token), tokenSecret);

        static DomainException NotRedeemable() =>
            new(ErrorCodes.EnrolmentNotRedeemable, "The enrolment secret is unknown, already redeemed, revoked or expired.");
    }

    /// <summary>Resolves a presented secret to its caller (channel http; an adapter names another with
    /// <see cref="Caller.Via"/>), or null when unknown, revoked or expired.</summary>
    public async Task<Caller?> AuthenticateAsync(string secret, CancellationToken ct = default)
    {
        if (!TokenSecrets.LooksLikeSecret(secret))
        {
            return null;
        }

        var hash = TokenSecrets.Hash(secret);
        var now = StoredTime.Now(clock);

        // The generation is read before the token: a change committed after this read is seen by the next request.
        var generation = credentials is null ? 0 : await credentials.CurrentGenerationAsync(db);
        var key = credentials is null ? "" : Convert.ToBase64String(hash);
        if (credentials is not null && credentials.TryGet(key, generation, now, out var cached))
        {
            return cached;
        }

        var found = await db.Tokens.AsNoTracking()
            .Where(t => t.SecretHash == hash && t.RevokedAt == null && t.Label != EnrolmentSecrets.Label)
            .Select(t => new { t.Id, t.ExpiresAt, t.UserId, t.User.Name, t.User.Roles, t.User.AgencyId, t.User.Agency.Code, t.User.Agency.Kind, t.User.Agency.PartnerKind })
            .SingleOrDefaultAsync(ct);
        if (found is null || (found.ExpiresAt is { } expires && expires <= now))
        {
            return null;
        }

        var caller = new Caller(found.UserId, found.Name, found.AgencyId, found.Code, found.Kind, found.Roles.Split(',', StringSplitOptions.RemoveEmptyEntries), found.Id, Channels.Http)
        {
            PartnerKind = found.PartnerKind,
        };
        credentials?.Put(key, generation, found.ExpiresAt, caller);
        return caller;
    }

    /// <summary>The user a secret was issued to when it does not authenticate (revoked or expired): the account a
    /// failed credential counts against. Null for a secret never issued, which names no account.</summary>
    public async Task<long?> AccountOfFailedSecretAsync(string secret, CancellationToken ct = default)
    {
        if (!TokenSecrets.LooksLikeSecret(secret))
        {
            return null;
        }

        var hash = TokenSecrets.Hash(secret);
        return await db.Tokens.AsNoTracking().Where(t => t.SecretHash == hash).Select(t => (long?)t.UserId).FirstOrDefaultAsync(ct);
    }

    private async Task<(TokenEntity Token, string Secret)> AddTokenAsync(long userId, TimeSpan? lifetime, string? label, DateTimeOffset now, CancellationToken ct)
    {
        var secret = TokenSecrets.NewSecret();
        var token = new TokenEntity
        {
            UserId = userId,
            SecretHash = TokenSecrets.Hash(secret),
            Label = label ?? "",
            CreatedAt = now,
            ExpiresAt = now + (lifetime ?? TimeSpan.FromDays(90)),
        };
        db.Tokens.Add(token);
        await db.SaveChangesAsync(ct);
        return (token, secret);
    }

    private static void ValidateToken(TimeSpan? lifetime, string? label)
    {
        var errors = new ValidationErrors();
        if (lifetime is { } l && (l <= TimeSpan.Zero || l > MaxTokenLifetime))
        {
            errors.Add("expiresInDays", "token-lifetime", $"A token lives between 1 day and {MaxTokenLifetime.TotalDays:0} days.");
        }

        errors.OptionalText(label, "label", 200);
        if (label == EnrolmentSecrets.Label)
        {
            errors.Add("label", "reserved-label", $"label '{EnrolmentSecrets.Label}' is reserved for enrolment secrets.");
        }

        if (!errors.IsEmpty)
        {
            throw errors.ToException();
        }
    }

    private static void CheckRoles(ValidationErrors errors, IReadOnlyList<string>? roles, AgencyKind? kind)
    {
        if (roles is null || roles.Count == 0)
        {
            errors.Add("roles", "required", "roles must name at least one role.");
            return;
        }

        foreach (var role in roles)
        {
            if (role is null || !Roles.IsKnown(role))
            {
                errors.Add("roles", "unknown-role", $"roles: each role is one of {string.Join(", ", Roles.All)} (the value sent is not repeated).");
            }
            else if (kind is { } k && !Roles.IsAllowedFor(role, k))
            {
                errors.Add("roles", "role-not-for-agency-kind", $"roles: a {AgencyKinds.ToCode(k)} agency cannot hold {role}.");
            }
        }
    }

    /// <summary>Separation of duties is a property of every account, whoever writes it (the API, the CLI, the demo).</summary>
    private static void RequireSeparationOfDuties(IReadOnlyList<string> roles)
    {
        if (Roles.BreaksSeparationOfDuties(roles))
        {
            throw new DomainException(ErrorCodes.SeparationOfDuties,
                "An account holds either an administration role (records-admin, agency-admin) or other roles, never both.",
                new ValidationErrors().Add("roles", "separation-of-duties", "roles: an administration role cannot be held with a representative, privacy-officer, desk or partner role."));
        }
    }

    /// <summary>A service account is a system: no role that acts for a person or administers accounts.</summary>
    private static void RequireServiceAccountRoles(IReadOnlyList<string> roles)
    {
        if (roles.FirstOrDefault(r => !Roles.IsAllowedForServiceAccount(r)) is { } role)
        {
            throw new DomainException(ErrorCodes.ServiceAccountRole, $"A service account is a system, not a person: it cannot hold {role}.",
                new ValidationErrors().Add("roles", "service-account-role", $"roles: a service account cannot hold {role} (no desk, representative, privacy-officer, partner-analyst or administration role)."));
        }
    }

    private static AgencyView ToView(AgencyEntity a) => new(a.Id, a.Code, a.Name, a.Kind, a.CreatedAt, a.PartnerKind);

    private static TokenView ToView(TokenEntity t) => new(t.Id, t.UserId, t.Label, t.CreatedAt, t.ExpiresAt, t.RevokedAt);
}
