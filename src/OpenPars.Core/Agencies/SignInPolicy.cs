namespace OpenPars.Core.Agencies;

/// <summary>Refusals of sign-in at the pages (CJIS advanced authentication): PARS-AUTH-100..149, catalogued in
/// Core/Common/ErrorCatalogue.cs.</summary>
public static class SignInErrorCodes
{
    /// <summary>The user name or the password is wrong (one answer for both, so a name cannot be probed).</summary>
    public const string WrongPassword = "PARS-AUTH-100";

    /// <summary>The account is locked after repeated failures until the lockout ends.</summary>
    public const string LockedOut = "PARS-AUTH-101";

    /// <summary>The second-factor code (TOTP or recovery code) is wrong or expired.</summary>
    public const string WrongCode = "PARS-AUTH-102";

    /// <summary>The TOTP code was already used (its time step is not newer than the last one accepted).</summary>
    public const string CodeReplayed = "PARS-AUTH-103";

    /// <summary>The page session ended: idle too long, past its maximum, signed out, or unknown.</summary>
    public const string SessionEnded = "PARS-AUTH-104";

    /// <summary>A password shorter than the minimum, or longer than the maximum.</summary>
    public const string PasswordRule = "PARS-AUTH-105";

    /// <summary>The first factor was not passed (or its pending step expired) before a code was sent.</summary>
    public const string NoPendingSignIn = "PARS-AUTH-106";

    /// <summary>The account has no password or no second factor enrolled: it cannot sign in at the pages.</summary>
    public const string NotEnrolled = "PARS-AUTH-107";

    /// <summary>The enrolled TOTP secret does not open for this account: sealed for another user (a row copied), altered,
    /// or sealed under another key. Sign-in fails closed; an administrator resets the second factor.</summary>
    public const string SecondFactorUnreadable = "PARS-AUTH-108";

    /// <summary>The TOTP key file is missing, readable by others, or not a key: no second factor can be checked.</summary>
    public const string SecondFactorKeyUnavailable = "PARS-AUTH-109";
}

/// <summary>What a page session is, at one instant.</summary>
public enum SessionState
{
    /// <summary>Signed in and in use.</summary>
    Live,

    /// <summary>No request for <see cref="SignInPolicy.IdleTimeout"/>.</summary>
    Idle,

    /// <summary>Older than <see cref="SignInPolicy.MaxSession"/>, however busy.</summary>
    Expired,
}

/// <summary>
/// The sign-in rules, pure (the clock is passed in): lockout after <see cref="MaxFailures"/> consecutive failures for
/// <see cref="LockoutDuration"/>; a session ends <see cref="IdleTimeout"/> after its last request and
/// <see cref="MaxSession"/> after it began; a password's first factor stays pending for a code for
/// <see cref="PendingSecondFactor"/>. Each boundary instant belongs to the ended side.
/// </summary>
public static class SignInPolicy
{
    /// <summary>Consecutive failures (password or code) that lock the account; a success resets the count.</summary>
    public const int MaxFailures = 5;

    /// <summary>The shortest password accepted (NIST SP 800-63B: at least 8; CJIS policy 5.6.2.1: we ask 12).</summary>
    public const int MinPasswordLength = 12;

    /// <summary>The longest password accepted (bounds the hashing work an attacker can ask for).</summary>
    public const int MaxPasswordLength = 256;

    /// <summary>How long a lockout lasts.</summary>
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    /// <summary>A session with no request for this long is over (CJIS 5.5.5: session lock after 30 minutes).</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(30);

    /// <summary>A session ends this long after sign-in however busy it is (one shift).</summary>
    public static readonly TimeSpan MaxSession = TimeSpan.FromHours(12);

    /// <summary>How long a passed password waits for the code.</summary>
    public static readonly TimeSpan PendingSecondFactor = TimeSpan.FromMinutes(5);

    /// <summary>Whether an account locked until <paramref name="lockedUntil"/> is still locked at <paramref name="now"/>.</summary>
    public static bool IsLocked(DateTimeOffset? lockedUntil, DateTimeOffset now) => lockedUntil is { } until && now < until;

    /// <summary>The failure count after one more failure, and the lockout it starts (null while under the limit).</summary>
    public static (int Failures, DateTimeOffset? LockedUntil) AfterFailure(int failuresBefore, DateTimeOffset now)
    {
        var failures = failuresBefore + 1;
        return failures >= MaxFailures ? (0, now + LockoutDuration) : (failures, null);
    }

    /// <summary>A session begun at <paramref name="createdAt"/> and last used at <paramref name="lastSeenAt"/>, at <paramref name="now"/>.</summary>
    public static SessionState Session(DateTimeOffset createdAt, DateTimeOffset lastSeenAt, DateTimeOffset now) =>
        now - createdAt >= MaxSession ? SessionState.Expired
        : now - lastSeenAt >= IdleTimeout ? SessionState.Idle
        : SessionState.Live;

    /// <summary>Whether a first factor passed at <paramref name="passedAt"/> still waits for its code at <paramref name="now"/>.</summary>
    public static bool PendingIsOpen(DateTimeOffset passedAt, DateTimeOffset now) => now - passedAt < PendingSecondFactor;

    /// <summary>The password rule's refusal message, or null when <paramref name="password"/> is acceptable.</summary>
    public static string? PasswordProblem(string? password) =>
        password is null || password.Length < MinPasswordLength ? $"A password has at least {MinPasswordLength} characters."
        : password.Length > MaxPasswordLength ? $"A password has at most {MaxPasswordLength} characters."
        : null;
}

/// <summary>Refusals made by the pages themselves: PARS-PAGE-001..049.</summary>
public static class PageErrorCodes
{
    /// <summary>A form posted without its antiforgery token, or with a wrong one.</summary>
    public const string AntiforgeryFailed = "PARS-PAGE-001";
}
