using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using OpenPars.App.Audit;
using OpenPars.Core.Agencies;
using OpenPars.Core.Audit;
using OpenPars.Core.Audit.Payloads;
using OpenPars.Core.Common;
using OpenPars.Storage.Agencies;
using OpenPars.Storage.Common;
using OtpNet;

namespace OpenPars.App.Identity;

/// <summary>A second factor just enrolled: the TOTP secret (base32) and its otpauth URI for the QR code, and the
/// recovery codes. All three are shown once; only the secret is kept readable (to check codes: sealed with AES-256-GCM
/// under the TOTP key file, bound to the user), the codes hashed.</summary>
/// <param name="Secret">The RFC 6238 shared secret, base32.</param>
/// <param name="OtpAuthUri">The <c>otpauth://totp/…</c> URI an authenticator app reads from the QR code.</param>
/// <param name="RecoveryCodes">Ten single-use codes, each accepted once in place of a TOTP code.</param>
public sealed record SecondFactorEnrolment(string Secret, string OtpAuthUri, IReadOnlyList<string> RecoveryCodes);

/// <summary>
/// Sign-in at the pages (CJIS advanced authentication): a password (ASP.NET Core Identity's
/// <see cref="PasswordHasher{TUser}"/> over our users table), then a TOTP code (RFC 6238, 30-second steps, one step
/// of drift either way, a code never accepted twice) or a single-use recovery code. Five consecutive failures lock the
/// account for 15 minutes; a page session ends 30 minutes after its last request and 12 hours after sign-in
/// (<see cref="SignInPolicy"/>). Every step is audited (13001–13007); the clock is the injected one.
/// </summary>
public sealed class SignInUseCases(SignInStore store, AuditScope audit, TimeProvider clock)
{
    private static readonly PasswordHasher<UserEntity> Hasher = new();

    // Verified when no account has the name, so a missing user takes as long as a wrong password.
    private static readonly string DummyHash = Hasher.HashPassword(new UserEntity(), "not a password of anyone's");

    /// <summary>The first factor. Answers the pending session's secret (the cookie for the code step); refuses a
    /// wrong name or password alike (PARS-AUTH-100), a locked account (PARS-AUTH-101), an account with no password.</summary>
    /// <param name="userName">The name as typed.</param>
    /// <param name="password">The password as typed.</param>
    /// <param name="ct">Cancels the work.</param>
    public async Task<string> PasswordAsync(string? userName, string? password, CancellationToken ct = default)
    {
        var name = (userName ?? "").Trim();
        var user = name.Length is > 0 and <= 200 ? await store.FindByNameAsync(name, ct) : null;
        var caller = user is null ? Anonymous(name) : CallerOf(user);
        return await audit.WriteAsync(caller, AuditEventType.SignInPassword, async () =>
        {
            if (user is null || user.PasswordHash is null)
            {
                Hasher.VerifyHashedPassword(new UserEntity(), DummyHash, password ?? "");
                audit.Trail.Payload(new SignInV1(Clip(name), "password"));
                throw new DomainException(SignInErrorCodes.WrongPassword, "The user name or the password is wrong.");
            }

            RefuseWhileLocked(user);
            if (Hasher.VerifyHashedPassword(user, user.PasswordHash, password ?? "") == PasswordVerificationResult.Failed)
            {
                await FailAsync(user, "password", SignInErrorCodes.WrongPassword, "The user name or the password is wrong.", ct);
            }

            if (user.IsServiceAccount)
            {
                throw new DomainException(SignInErrorCodes.NotEnrolled, "A service account does not sign in at the pages.");
            }

            return (await store.OpenPendingAsync(user, ct)).Secret;
        });
    }

    /// <summary>Whether the pending session's user still has to enrol a second factor (first sign-in).</summary>
    public async Task<bool?> NeedsEnrolmentAsync(string? pendingSecret, CancellationToken ct = default) =>
        await store.FindPendingAsync(pendingSecret, ct) is { } pending && SignInPolicy.PendingIsOpen(pending.Session.CreatedAt, clock.GetUtcNow())
            ? pending.User.TotpSecretSealed is null
            : null;

    /// <summary>First sign-in: the user whose password just passed, with no second factor yet, enrols one (audited
    /// 13006) and sees it once; the code step then confirms it.</summary>
    public async Task<SecondFactorEnrolment> EnrolPendingAsync(string? pendingSecret, CancellationToken ct = default)
    {
        var pending = await store.FindPendingAsync(pendingSecret, ct);
        var caller = pending is { } p ? CallerOf(p.User) : Anonymous("");
        return await audit.WriteAsync(caller, AuditEventType.SecondFactorEnrolled, async () =>
        {
            if (pending is not { } open || !SignInPolicy.PendingIsOpen(open.Session.CreatedAt, clock.GetUtcNow()) || open.User.TotpSecretSealed is not null)
            {
                throw new DomainException(SignInErrorCodes.NoPendingSignIn, "Enrolment follows a passed password of an account with no second factor.");
            }

            return await EnrolAsync(open.User, ct);
        });
    }

    /// <summary>The operator (CLI, demo) enrols a user's second factor and receives it once, to hand over.</summary>
    public async Task<SecondFactorEnrolment> EnrolAsync(Caller caller, long userId, CancellationToken ct = default)
    {
        var user = await store.FindAsync(userId, ct);
        return await audit.WriteAsync(caller, AuditEventType.SecondFactorEnrolled, async () =>
        {
            Access.Require(caller, c => c.IsOperator);
            return await EnrolAsync(user ?? throw new DomainException(ErrorCodes.UserNotFound, $"No user {userId}."), ct);
        });
    }

    /// <summary>The second factor: a TOTP code or a recovery code for the pending session. Answers the live session's
    /// new secret (the pending one stops working).</summary>
    /// <param name="pendingSecret">The pending session's secret (its cookie).</param>
    /// <param name="code">Six digits from the authenticator, or a recovery code.</param>
    /// <param name="ct">Cancels the work.</param>
    public async Task<string> CodeAsync(string? pendingSecret, string? code, CancellationToken ct = default)
    {
        var pending = await store.FindPendingAsync(pendingSecret, ct);
        var caller = pending is { } p ? CallerOf(p.User) : Anonymous("");
        return await audit.WriteAsync(caller, AuditEventType.SignInCode, async () =>
        {
            if (pending is not { } open || !SignInPolicy.PendingIsOpen(open.Session.CreatedAt, clock.GetUtcNow()))
            {
                throw new DomainException(SignInErrorCodes.NoPendingSignIn, "Sign in with your password first; a passed password waits 5 minutes for its code.");
            }

            var user = open.User;
            RefuseWhileLocked(user);
            var secret = OpenSecret(user) ?? throw new DomainException(SignInErrorCodes.NotEnrolled, "No second factor is enrolled for this account.");
            var typed = new string((code ?? "").Where(c => !char.IsWhiteSpace(c) && c != '-').ToArray());
            if (typed.Length == 6 && typed.All(char.IsAsciiDigit))
            {
                var totp = new Totp(Base32Encoding.ToBytes(secret));
                if (totp.VerifyTotp(clock.GetUtcNow().UtcDateTime, typed, out var step, VerificationWindow.RfcSpecifiedNetworkDelay))
                {
                    if (user.TotpLastStep is { } last && step <= last)
                    {
                        await FailAsync(user, "totp", SignInErrorCodes.CodeReplayed, "This code was already used; wait for the next one.", ct);
                    }

                    return await store.CompleteAsync(open.Session.Id, step, null, "totp", ct);
                }
            }
            else if (typed.Length is > 0 and <= 64)
            {
                var hashes = (user.RecoveryCodeHashes ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).ToList();
                var hash = RecoveryHash(typed);
                if (hashes.Remove(hash))
                {
                    return await store.CompleteAsync(open.Session.Id, null, string.Join(',', hashes), "recovery-code", ct);
                }
            }

            await FailAsync(user, "totp", SignInErrorCodes.WrongCode, "The code is wrong or expired.", ct);
            throw new System.Diagnostics.UnreachableException();
        });
    }

    /// <summary>The caller a live page session's secret authenticates (touched: its idle time restarts), or null.
    /// A session found idle or past its maximum is ended here (audited 13005) and authenticates nothing.</summary>
    public async Task<Caller?> AuthenticateAsync(string? sessionSecret, CancellationToken ct = default)
    {
        var found = await store.LookUpAsync(sessionSecret, ct);
        if (found.Caller is not null || found.SessionId is not { } sessionId || found.State is not { } state)
        {
            return found.Caller;
        }

        var reason = state == SessionState.Idle ? "idle" : "expired";
        await audit.WriteAsync(Anonymous(found.UserName ?? ""), AuditEventType.SessionEnded, async () =>
        {
            await store.EndAsync(sessionId, reason, ct);
            return true;
        });
        return null;
    }

    /// <summary>Ends the caller's page session (audited 13004); an unknown or ended session changes nothing.</summary>
    public async Task SignOutAsync(Caller caller, string? sessionSecret, CancellationToken ct = default)
    {
        var found = await store.LookUpAsync(sessionSecret, ct);
        await audit.WriteAsync(caller, AuditEventType.SignedOut, async () =>
        {
            if (found.SessionId is { } id && found.Caller?.UserId == caller.UserId)
            {
                await store.EndAsync(id, "sign-out", ct);
            }

            return true;
        });
    }

    /// <summary>Sets a user's initial (or reset) password: the operator, or an administrator of the user's agency.
    /// The password is checked against the length rule (PARS-AUTH-105) and stored as PasswordHasher's hash only.</summary>
    public async Task SetPasswordAsync(Caller caller, long userId, string? password, CancellationToken ct = default)
    {
        var user = await store.FindAsync(userId, ct);
        await audit.WriteAsync(caller, AuditEventType.PasswordSet, async () =>
        {
            var target = user ?? throw new DomainException(ErrorCodes.UserNotFound, $"No user {userId}.");
            Access.Require(caller, c => c.IsOperator || Access.Administrator(c));
            if (!IdentityUseCases.Administers(caller, target.Agency.Code, target.Agency.Kind))
            {
                throw new DomainException(ErrorCodes.OutsideAdministration, $"{target.Agency.Code} is administered by its own administrator, not by {caller.AgencyCode}.");
            }

            if (SignInPolicy.PasswordProblem(password) is { } problem)
            {
                throw new ValidationErrors().Add("password", "password-length", problem).ToException();
            }

            await store.SetPasswordAsync(userId, Hasher.HashPassword(target, password!), ct);
            return true;
        });
    }

    /// <summary>An administrator resets another user's password (a new initial password, handed over in person): the
    /// same rules as <see cref="SetPasswordAsync"/>, never one's own (PARS-ADM-012); the user's page sessions end.</summary>
    /// <param name="caller">An administrator of the user's agency (the records admin also of the partners').</param>
    /// <param name="userId">The user.</param>
    /// <param name="password">The new password, checked against the length rule (PARS-AUTH-105 at <c>password</c>).</param>
    /// <param name="ct">Cancels the work.</param>
    public async Task ResetPasswordAsync(Caller caller, long userId, string? password, CancellationToken ct = default)
    {
        var user = await store.FindAsync(userId, ct);
        await audit.WriteAsync(caller, AuditEventType.PasswordReset, async () =>
        {
            var target = RequireResettable(caller, user, userId);
            if (SignInPolicy.PasswordProblem(password) is { } problem)
            {
                throw new ValidationErrors().Add("password", "password-length", problem).ToException();
            }

            await store.ResetPasswordAsync(userId, Hasher.HashPassword(target, password!), ct);
            return true;
        });
    }

    /// <summary>An administrator resets another user's second factor (a lost authenticator): the secret and recovery
    /// codes are cleared, the user's page sessions end, and the user enrols a new authenticator after their next
    /// password. Never one's own (PARS-ADM-012): a second administrator is on the record for every reset.</summary>
    public async Task ResetSecondFactorAsync(Caller caller, long userId, CancellationToken ct = default)
    {
        var user = await store.FindAsync(userId, ct);
        await audit.WriteAsync(caller, AuditEventType.SecondFactorReset, async () =>
        {
            RequireResettable(caller, user, userId);
            await store.ResetSecondFactorAsync(userId, ct);
            return true;
        });
    }

    // The reset rules: an administrator (not the operator, who sets passwords at the terminal), of the user's agency,
    // and never of their own credential.
    private static UserEntity RequireResettable(Caller caller, UserEntity? user, long userId)
    {
        Access.Require(caller, Access.Administrator);
        var target = user ?? throw new DomainException(ErrorCodes.UserNotFound, $"No user {userId}.");
        if (!IdentityUseCases.Administers(caller, target.Agency.Code, target.Agency.Kind))
        {
            throw new DomainException(ErrorCodes.OutsideAdministration, $"{target.Agency.Code} is administered by its own administrator, not by {caller.AgencyCode}.");
        }

        if (target.Id == caller.UserId)
        {
            throw new DomainException(ErrorCodes.OwnCredentialReset, "Nobody resets their own password or second factor; another administrator of the agency must.");
        }

        return target;
    }

    /// <summary>The current TOTP code of a user (the demo's <c>openpars demo code</c>): the operator only, at the
    /// terminal that holds the store.</summary>
    public async Task<string?> CurrentCodeAsync(Caller caller, string userName, CancellationToken ct = default)
    {
        Access.Require(caller, c => c.IsOperator);
        var user = await store.FindByNameAsync(userName, ct);
        return user is not null && OpenSecret(user) is { } secret ? new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(clock.GetUtcNow().UtcDateTime) : null;
    }

    /// <summary>The TOTP code of a base32 secret at the injected clock's now (tests and the demo's printout).</summary>
    public static string CodeAt(string base32Secret, DateTimeOffset at) => new Totp(Base32Encoding.ToBytes(base32Secret)).ComputeTotp(at.UtcDateTime);

    /// <summary>How a recovery code is stored: SHA-256 (hex) of its normalised text. A recovery code carries 60 random
    /// bits and is single-use, so a slow hash would add little.</summary>
    public static string RecoveryHash(string code) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(new string(code.Where(char.IsAsciiLetterOrDigit).Select(char.ToLowerInvariant).ToArray()))));

    private async Task<SecondFactorEnrolment> EnrolAsync(UserEntity user, CancellationToken ct)
    {
        var (enrolment, hashes) = NewSecondFactor(user.Name);
        await store.EnrolAsync(user.Id, enrolment.Secret, hashes, ct);
        return enrolment;
    }

    /// <summary>A new second factor for <paramref name="userName"/>: the enrolment to show once, and the recovery codes'
    /// hashes to store (the demo seeder stores it directly; the use cases through <see cref="SignInStore.EnrolAsync"/>).</summary>
    public static (SecondFactorEnrolment Enrolment, string RecoveryCodeHashes) NewSecondFactor(string userName)
    {
        var secret = Base32Encoding.ToString(KeyGeneration.GenerateRandomKey(20));
        var codes = Enumerable.Range(0, 10).Select(_ => NewRecoveryCode()).ToList();
        var label = Uri.EscapeDataString($"OpenPARS:{userName}");
        var enrolment = new SecondFactorEnrolment(secret, $"otpauth://totp/{label}?secret={secret}&issuer=OpenPARS&algorithm=SHA1&digits=6&period=30", codes);
        return (enrolment, string.Join(',', codes.Select(RecoveryHash)));
    }

    /// <summary>The stored form of a password (PasswordHasher: PBKDF2, salted, versioned).</summary>
    public static string HashPassword(UserEntity user, string password) => Hasher.HashPassword(user, password);

    private static string NewRecoveryCode()
    {
        const string alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
        var chars = Enumerable.Range(0, 12).Select(_ => alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)]).ToArray();
        return $"{new string(chars, 0, 4)}-{new string(chars, 4, 4)}-{new string(chars, 8, 4)}";
    }

    // The sealed secret opened, or a refusal that fails closed: a value sealed for another user (or altered, or under
    // another key) and a missing or unsafe key file are each a catalogued refusal, audited as the step's, never a 500.
    private string? OpenSecret(UserEntity user)
    {
        try
        {
            return store.OpenTotpSecret(user);
        }
        catch (SecretKeyException)
        {
            audit.Trail.Payload(new SignInV1(user.Name, "totp"));
            throw new DomainException(SignInErrorCodes.SecondFactorKeyUnavailable, "The second-factor key is unavailable; ask the operator to restore it.");
        }
        catch (CryptographicException)
        {
            audit.Trail.Payload(new SignInV1(user.Name, "totp"));
            throw new DomainException(SignInErrorCodes.SecondFactorUnreadable, "This account's second factor cannot be read; ask your administrator to reset it.");
        }
    }

    private void RefuseWhileLocked(UserEntity user)
    {
        if (SignInPolicy.IsLocked(user.LockedUntil, clock.GetUtcNow()))
        {
            audit.Trail.EventType = AuditEventType.SignInLockedOut;
            audit.Trail.Payload(new SignInV1(user.Name, "locked", LockedUntil: user.LockedUntil));
            throw new DomainException(SignInErrorCodes.LockedOut, "This account is locked after repeated failed sign-ins; try again later or ask your administrator.");
        }
    }

    private async Task FailAsync(UserEntity user, string step, string code, string message, CancellationToken ct)
    {
        var (failures, lockedUntil) = await store.RecordFailureAsync(user.Id, ct);
        if (lockedUntil is not null)
        {
            audit.Trail.EventType = AuditEventType.SignInLockedOut;
            audit.Trail.Payload(new SignInV1(user.Name, step, Failures: SignInPolicy.MaxFailures, LockedUntil: lockedUntil));
            throw new DomainException(SignInErrorCodes.LockedOut, "Too many failed sign-ins: this account is locked for 15 minutes.");
        }

        audit.Trail.Payload(new SignInV1(user.Name, step, Failures: failures));
        throw new DomainException(code, message);
    }

    private static Caller CallerOf(UserEntity user) =>
        new(user.Id, user.Name, user.AgencyId, user.Agency.Code, user.Agency.Kind, user.RoleList, null, Channels.Page) { PartnerKind = user.Agency.PartnerKind };

    // A sign-in naming no account is recorded under the name typed (clipped), with no identity.
    private static Caller Anonymous(string name) => new(0, Clip(name), 0, "", AgencyKind.Police, [], null, Channels.Page);

    private static string Clip(string name) => name.Length > 64 ? name[..64] : name;
}
