using Microsoft.EntityFrameworkCore;
using OpenPars.Core.Agencies;
using OpenPars.Core.Audit;
using OpenPars.Core.Audit.Payloads;
using OpenPars.Storage.Audit;
using OpenPars.Storage.Common;

namespace OpenPars.Storage.Agencies;

/// <summary>A page session as presented: the caller it authenticates, or why it no longer does.</summary>
/// <param name="Caller">The signed-in caller (channel <c>page</c>) while the session is live; null otherwise.</param>
/// <param name="SessionId">The session's id when one was found.</param>
/// <param name="UserName">Whose session it was.</param>
/// <param name="State">Live, idle or expired; null when no open, completed session has this secret.</param>
public sealed record SessionLookup(Caller? Caller, long? SessionId, string? UserName, SessionState? State);

/// <summary>
/// The rows of page sign-in: password hashes, TOTP secrets (sealed: <see cref="SecretBoxes"/>), recovery-code hashes, failure counts and lockouts on the
/// users table, and the page sessions. Writes that succeed append their audit entry in their own transaction; the
/// rules (when to lock, when a session is over) are <see cref="SignInPolicy"/>'s and the use case's.
/// </summary>
public sealed class SignInStore(OpenParsDbContext db, TimeProvider clock, AuditTrail audit, SecretBoxes boxes)
{
    /// <summary>The account a sign-in names, with its agency; null when no user, or more than one, has the name.</summary>
    public async Task<UserEntity?> FindByNameAsync(string name, CancellationToken ct = default)
    {
        var found = await db.Users.AsNoTracking().Include(u => u.Agency).Where(u => u.Name == name).OrderBy(u => u.Id).Take(2).ToListAsync(ct);
        return found.Count == 1 ? found[0] : null;
    }

    /// <summary>The user by id, with its agency.</summary>
    public Task<UserEntity?> FindAsync(long userId, CancellationToken ct = default) =>
        db.Users.AsNoTracking().Include(u => u.Agency).SingleOrDefaultAsync(u => u.Id == userId, ct);

    /// <summary>The user's TOTP secret (base32), opened; null when none is enrolled.</summary>
    /// <exception cref="SecretKeyException">The TOTP key file is missing, readable by others or not a key.</exception>
    /// <exception cref="System.Security.Cryptography.CryptographicException">The sealed value was not sealed for this
    /// user with this key (copied from another row, altered, or the key replaced).</exception>
    public string? OpenTotpSecret(UserEntity user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.TotpSecretSealed is { } sealedSecret ? boxes.TotpForOpening().Open(sealedSecret, user.Id) : null;
    }

    /// <summary>Stores one more failure (and the lockout it may start); committed on its own, before the refusal's entry.</summary>
    public async Task<(int Failures, DateTimeOffset? LockedUntil)> RecordFailureAsync(long userId, CancellationToken ct = default)
    {
        var user = await db.Users.SingleAsync(u => u.Id == userId, ct);
        var (failures, lockedUntil) = SignInPolicy.AfterFailure(user.FailedSignIns, StoredTime.Now(clock));
        user.FailedSignIns = failures;
        user.LockedUntil = lockedUntil ?? user.LockedUntil;
        await db.SaveChangesAsync(ct);
        return (failures, lockedUntil);
    }

    /// <summary>Opens a pending session after a passed password (audited <see cref="AuditEventType.SignInPassword"/>);
    /// returns its id and the secret for the cookie.</summary>
    public async Task<(long SessionId, string Secret)> OpenPendingAsync(UserEntity user, CancellationToken ct = default)
    {
        var now = StoredTime.Now(clock);
        var secret = PageSessionSecrets.NewSecret();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var session = new PageSessionEntity { UserId = user.Id, SecretHash = TokenSecrets.Hash(secret), CreatedAt = now, LastSeenAt = now };
        db.PageSessions.Add(session);
        await db.SaveChangesAsync(ct);
        audit.Payload(new SignInV1(user.Name, "password", session.Id));
        await audit.AppendInTransactionAsync(db, AuditEventType.SignInPassword, [], ct);
        await tx.CommitAsync(ct);
        return (session.Id, secret);
    }

    /// <summary>The pending session a secret names (open, second factor not yet given) and its user; null otherwise.</summary>
    public async Task<(PageSessionEntity Session, UserEntity User)?> FindPendingAsync(string? secret, CancellationToken ct = default)
    {
        if (!PageSessionSecrets.LooksLikeSecret(secret))
        {
            return null;
        }

        var hash = TokenSecrets.Hash(secret!);
        var session = await db.PageSessions.AsNoTracking().SingleOrDefaultAsync(s => s.SecretHash == hash && s.EndedAt == null && s.SecondFactorAt == null, ct);
        if (session is null)
        {
            return null;
        }

        var user = await FindAsync(session.UserId, ct);
        return user is null ? null : (session, user);
    }

    /// <summary>Completes a pending session with its second factor (audited <see cref="AuditEventType.SignInCode"/>):
    /// the failure count resets, the TOTP step (or the remaining recovery codes) is stored, and the session gets a new
    /// secret, so a secret seen before the second factor never authenticates.</summary>
    /// <param name="sessionId">The pending session.</param>
    /// <param name="totpStep">The accepted TOTP code's time step; null when a recovery code was used.</param>
    /// <param name="remainingRecoveryHashes">The recovery codes left after one was used; null when a TOTP code was used.</param>
    /// <param name="step">The factor used, for the entry: <c>totp</c> or <c>recovery-code</c>.</param>
    /// <param name="ct">Cancels the work.</param>
    public async Task<string> CompleteAsync(long sessionId, long? totpStep, string? remainingRecoveryHashes, string step, CancellationToken ct = default)
    {
        var now = StoredTime.Now(clock);
        var secret = PageSessionSecrets.NewSecret();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var session = await db.PageSessions.SingleAsync(s => s.Id == sessionId, ct);
        var user = await db.Users.SingleAsync(u => u.Id == session.UserId, ct);
        session.SecretHash = TokenSecrets.Hash(secret);
        session.SecondFactorAt = now;
        session.LastSeenAt = now;
        user.FailedSignIns = 0;
        user.LockedUntil = null;
        if (totpStep is { } stepUsed)
        {
            user.TotpLastStep = stepUsed;
        }

        if (remainingRecoveryHashes is not null)
        {
            user.RecoveryCodeHashes = remainingRecoveryHashes;
        }

        await db.SaveChangesAsync(ct);
        audit.Payload(new SignInV1(user.Name, step, session.Id));
        await audit.AppendInTransactionAsync(db, AuditEventType.SignInCode, [], ct);
        await tx.CommitAsync(ct);
        return secret;
    }

    /// <summary>The live session a cookie's secret names, touched (its idle timeout restarts); an open session found
    /// idle or past its maximum is answered with its state and left for the caller to end.</summary>
    public async Task<SessionLookup> LookUpAsync(string? secret, CancellationToken ct = default)
    {
        if (!PageSessionSecrets.LooksLikeSecret(secret))
        {
            return new(null, null, null, null);
        }

        var hash = TokenSecrets.Hash(secret!);
        var now = StoredTime.Now(clock);
        var session = await db.PageSessions.SingleOrDefaultAsync(s => s.SecretHash == hash && s.EndedAt == null && s.SecondFactorAt != null, ct);
        if (session is null)
        {
            return new(null, null, null, null);
        }

        var user = await db.Users.AsNoTracking().Include(u => u.Agency).SingleAsync(u => u.Id == session.UserId, ct);
        var state = SignInPolicy.Session(session.SecondFactorAt!.Value, session.LastSeenAt, now);
        if (state != SessionState.Live)
        {
            return new(null, session.Id, user.Name, state);
        }

        session.LastSeenAt = now;
        await db.SaveChangesAsync(ct);
        var caller = new Caller(user.Id, user.Name, user.AgencyId, user.Agency.Code, user.Agency.Kind, user.RoleList, null, Channels.Page)
        {
            PartnerKind = user.Agency.PartnerKind,
        };
        return new(caller, session.Id, user.Name, state);
    }

    /// <summary>Ends a session (<c>sign-out</c>, <c>idle</c>, <c>expired</c>) with its entry: <see cref="AuditEventType.SignedOut"/>
    /// for a sign-out, <see cref="AuditEventType.SessionEnded"/> otherwise. Ending an ended session changes nothing.</summary>
    public async Task EndAsync(long sessionId, string reason, CancellationToken ct = default)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var session = await db.PageSessions.SingleAsync(s => s.Id == sessionId, ct);
        if (session.EndedAt is not null)
        {
            return;
        }

        session.EndedAt = StoredTime.Now(clock);
        session.EndReason = reason;
        await db.SaveChangesAsync(ct);
        var name = await db.Users.Where(u => u.Id == session.UserId).Select(u => u.Name).SingleAsync(ct);
        audit.Payload(new SignInV1(name, reason, session.Id));
        await audit.AppendInTransactionAsync(db, reason == "sign-out" ? AuditEventType.SignedOut : AuditEventType.SessionEnded, [], ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>Sets a user's password hash (audited <see cref="AuditEventType.PasswordSet"/>); the failure count and lockout reset.</summary>
    public async Task SetPasswordAsync(long userId, string passwordHash, CancellationToken ct = default)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var user = await db.Users.SingleAsync(u => u.Id == userId, ct);
        user.PasswordHash = passwordHash;
        user.FailedSignIns = 0;
        user.LockedUntil = null;
        await db.SaveChangesAsync(ct);
        audit.Payload(new SignInV1(user.Name, "set-password"));
        await audit.AppendInTransactionAsync(db, AuditEventType.PasswordSet, [], ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>An administrator's password reset (audited <see cref="AuditEventType.PasswordReset"/>): the new hash, the
    /// failure count and lockout cleared, and every open page session of the user ended, in one transaction.</summary>
    public Task ResetPasswordAsync(long userId, string passwordHash, CancellationToken ct = default) =>
        ResetAsync(userId, "password-reset", AuditEventType.PasswordReset, user =>
        {
            user.PasswordHash = passwordHash;
            user.FailedSignIns = 0;
            user.LockedUntil = null;
        }, ct);

    /// <summary>An administrator's second-factor reset (audited <see cref="AuditEventType.SecondFactorReset"/>): the
    /// sealed TOTP secret, its last step and the recovery codes cleared (the user enrols again after their next
    /// password), and every open page session of the user ended, in one transaction.</summary>
    public Task ResetSecondFactorAsync(long userId, CancellationToken ct = default) =>
        ResetAsync(userId, "factor-reset", AuditEventType.SecondFactorReset, user =>
        {
            user.TotpSecretSealed = null;
            user.TotpLastStep = null;
            user.RecoveryCodeHashes = null;
        }, ct);

    private async Task ResetAsync(long userId, string reason, AuditEventType type, Action<UserEntity> change, CancellationToken ct)
    {
        var now = StoredTime.Now(clock);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var user = await db.Users.SingleAsync(u => u.Id == userId, ct);
        change(user);
        await db.PageSessions.Where(s => s.UserId == userId && s.EndedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, now).SetProperty(x => x.EndReason, reason), ct);
        await db.SaveChangesAsync(ct);
        audit.Payload(new SignInV1(user.Name, type == AuditEventType.PasswordReset ? "password-reset" : "second-factor-reset"));
        await audit.AppendInTransactionAsync(db, type, [], ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>Stores a new TOTP secret, sealed to the user, and recovery-code hashes (audited
    /// <see cref="AuditEventType.SecondFactorEnrolled"/>), replacing any earlier ones; no code of the old secret is
    /// accepted after this.</summary>
    /// <exception cref="SecretKeyException">The TOTP key file is readable by others or not a key: nothing is stored.</exception>
    public async Task EnrolAsync(long userId, string totpSecret, string recoveryCodeHashes, CancellationToken ct = default)
    {
        var box = boxes.TotpForSealing();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var user = await db.Users.SingleAsync(u => u.Id == userId, ct);
        user.TotpSecretSealed = box.Seal(totpSecret, user.Id);
        user.TotpLastStep = null;
        user.RecoveryCodeHashes = recoveryCodeHashes;
        await db.SaveChangesAsync(ct);
        audit.Payload(new SignInV1(user.Name, "enrol"));
        await audit.AppendInTransactionAsync(db, AuditEventType.SecondFactorEnrolled, [], ct);
        await tx.CommitAsync(ct);
    }
}

/// <summary>Page session secrets: 256 random bits in the cookie, SHA-256 in the table (as tokens).</summary>
public static class PageSessionSecrets
{
    /// <summary>Every session secret begins so.</summary>
    public const string Prefix = "ops_";

    /// <summary>A fresh secret.</summary>
    public static string NewSecret() => Prefix + TokenSecrets.Base64Url(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    /// <summary>Whether a cookie value has a session secret's shape (anything else is not looked up).</summary>
    public static bool LooksLikeSecret(string? text) => text is { Length: > 20 and < 100 } && text.StartsWith(Prefix, StringComparison.Ordinal);
}
