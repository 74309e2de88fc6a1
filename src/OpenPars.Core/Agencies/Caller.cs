using OpenPars.Core.Agreements;
using OpenPars.Core.Arrests;
using OpenPars.Core.Audit;
using OpenPars.Core.Policy;

namespace OpenPars.Core.Agencies;

/// <summary>
/// Who is asking, in every layer: the user, their agency and its kind, their roles, the credential they presented and
/// the channel the request came through (<see cref="Channels"/>). Built once per request by the adapter that
/// authenticated it (the token handler, the CLI); every use case takes one. The narrower shapes the domain keeps in
/// its events and decisions (<see cref="Actor"/>, <see cref="AgreementActor"/>, <see cref="Caller"/>,
/// <see cref="AuditActor"/>) are projections of it, made here and nowhere else.
/// </summary>
public sealed record Caller(
    long UserId,
    string UserName,
    long AgencyId,
    string AgencyCode,
    AgencyKind AgencyKind,
    IReadOnlyList<string> Roles,
    long? TokenId,
    string Channel)
{
    /// <summary>The operating-system user running a CLI command with direct access to the store (migrate, seed,
    /// bootstrap an agency): not an OpenPARS user, recorded by their OS name.</summary>
    public static Caller Operator(string osUser) => new(0, osUser, 0, "", AgencyKind.Police, [], null, Channels.Cli) { IsOperator = true };

    /// <summary>True for <see cref="Operator"/>: no OpenPARS identity, no roles.</summary>
    public bool IsOperator { get; private init; }

    /// <summary>A partner agency's kind as stored for it (the charter's partner kinds); null otherwise. The partner
    /// decision reads the stored kind again with the charter, so this is what the caller was authenticated with.</summary>
    public string? PartnerKind { get; init; }

    public bool HasRole(string role) => Roles.Contains(role, StringComparer.Ordinal);

    public bool HasAnyRole(IEnumerable<string> roles) => roles.Any(HasRole);

    public bool IsStakeholder => !IsOperator && AgencyKinds.IsStakeholder(AgencyKind) && HasAnyRole(Agencies.Roles.Stakeholder);

    public Caller Via(string channel) => this with { Channel = channel };

    public Actor ToActor() => new(UserId, UserName, AgencyCode);

    public AgreementActor ToAgreementActor() => new(UserId, UserName, AgencyCode, AgencyKind);

    /// <summary>The caller as the audit entry names them; an operator is named by the entry's osUser instead.</summary>
    public AuditActor? ToAuditActor() => IsOperator ? null : new(UserId, UserName, AgencyCode, Roles, TokenId);
}

/// <summary>The ways a request reaches a use case, as the audit log names them.</summary>
public static class Channels
{
    public const string Http = "http";
    public const string Cli = "cli";
    public const string Page = "page";
    public const string Stream = "stream";
    public const string Webhook = "webhook";
}
