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

    public IReadOnlyList<string> RoleList => Roles.Split(',', StringSplitOptions.RemoveEmptyEntries);
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
