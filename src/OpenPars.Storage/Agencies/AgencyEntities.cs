using OpenPars.Core.Agencies;

namespace OpenPars.Storage.Agencies;

public sealed class AgencyEntity
{
    public long Id { get; set; }
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public AgencyKind Kind { get; set; }

    /// <summary>A partner agency's kind as the charter's <c>partnerKinds</c> name it (e.g. <c>immigration-enforcement</c>),
    /// set by the operator at onboarding; null for a stakeholder, or a partner of no declared kind (held to every
    /// partner rule). The charter's partner rules bind by this column, never by what an agreement says.</summary>
    public string? PartnerKind { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class UserEntity
{
    public long Id { get; set; }
    public long AgencyId { get; set; }
    public AgencyEntity Agency { get; set; } = null!;
    public string Name { get; set; } = "";

    /// <summary>Comma-separated role names (<see cref="Roles"/>); few and fixed, so no join table.</summary>
    public string Roles { get; set; } = "";

    /// <summary>A service account: a system of the agency, not a person. Its administrator mints its tokens; it never
    /// holds a desk, representative, privacy-officer or administration role.</summary>
    public bool IsServiceAccount { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The page password as ASP.NET Core Identity's PasswordHasher stores it (PBKDF2, salted, versioned);
    /// null: this user cannot sign in at the pages.</summary>
    public string? PasswordHash { get; set; }

    /// <summary>The TOTP shared secret (RFC 6238, base32), sealed with AES-256-GCM under the TOTP key file and bound to
    /// this user's id (<see cref="Common.SecretBoxes.TotpForSealing"/>): it must be readable to check a code, so it is
    /// not hashed, but a database dump alone does not reveal it and a value copied onto another user's row does not
    /// open. Null: no second factor enrolled (the user enrols at the next sign-in). Never shown after enrolment, never
    /// logged, never in an audit entry.</summary>
    public byte[]? TotpSecretSealed { get; set; }

    /// <summary>The time step of the last TOTP code accepted: a code of that step or an older one is a replay.</summary>
    public long? TotpLastStep { get; set; }

    /// <summary>SHA-256 (hex) of each unused recovery code, comma-separated; a code used is removed.</summary>
    public string? RecoveryCodeHashes { get; set; }

    /// <summary>Consecutive failed sign-ins since the last success or lockout.</summary>
    public int FailedSignIns { get; set; }

    /// <summary>Until when sign-in is refused after too many failures.</summary>
    public DateTimeOffset? LockedUntil { get; set; }

    public IReadOnlyList<string> RoleList => Roles.Split(',', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>A TOTP secret an installation stored in plaintext before secrets were sealed: the migration
/// <c>SealedTotpSecrets</c> moves each one here out of <c>users</c>, and the first start seals it onto its user and
/// deletes the row (<see cref="TotpSecretSealing"/>). Empty on every store after that start.</summary>
public sealed class UnsealedTotpSecretEntity
{
    /// <summary>The user whose secret it is.</summary>
    public long UserId { get; set; }

    /// <summary>The secret as the older code stored it (base32).</summary>
    public string Secret { get; set; } = "";
}

/// <summary>A bearer token. Only the SHA-256 of the secret is kept; the secret is shown once, at creation.</summary>
public sealed class TokenEntity
{
    public long Id { get; set; }
    public long UserId { get; set; }
    public UserEntity User { get; set; } = null!;
    public byte[] SecretHash { get; set; } = [];
    public string Label { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}

/// <summary>A page session: the cookie holds its secret, only the SHA-256 is kept. It is pending (no
/// <see cref="SecondFactorAt"/>) between the password and the code, then live until idle, its maximum, or sign-out.</summary>
public sealed class PageSessionEntity
{
    /// <summary>Its id (named in the audit entries of its sign-in and its end).</summary>
    public long Id { get; set; }

    /// <summary>Whose session.</summary>
    public long UserId { get; set; }

    /// <summary>SHA-256 of the cookie's secret.</summary>
    public byte[] SecretHash { get; set; } = [];

    /// <summary>When the password was accepted.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the second factor was accepted; null while pending.</summary>
    public DateTimeOffset? SecondFactorAt { get; set; }

    /// <summary>The last request made with it (the idle timeout runs from here).</summary>
    public DateTimeOffset LastSeenAt { get; set; }

    /// <summary>When it ended (sign-out, idle, maximum, superseded); null while open.</summary>
    public DateTimeOffset? EndedAt { get; set; }

    /// <summary>Why it ended: <c>sign-out</c>, <c>idle</c>, <c>expired</c>.</summary>
    public string? EndReason { get; set; }
}
