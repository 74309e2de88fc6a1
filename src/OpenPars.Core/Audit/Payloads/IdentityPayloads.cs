namespace OpenPars.Core.Audit.Payloads;

/// <summary>An agency added (5002): its code and kind (<c>partner</c>, …), and for a partner the charter's kind of
/// partner it was onboarded as (<c>immigration-enforcement</c>, …).</summary>
public sealed record AgencyAddedV1(string Agency, string Kind, string? PartnerKind = null) : IAuditPayload<AgencyAddedV1>
{
    public static AuditPayloadSchema Schema { get; } = new("agency-added", 1, [AuditEventType.AgencyAdded]);

    public static AgencyAddedV1 FromDetails(IReadOnlyDictionary<string, string> details) => new(details.Text("agency") ?? "", details.Text("kind") ?? "", details.Text("partnerKind"));
}

/// <summary>A user added (5004) or a service account (10005): the new user's id and name, agency and roles.</summary>
public sealed record UserAddedV1(long UserId, string User, string Agency, IReadOnlyList<string> Roles) : IAuditPayload<UserAddedV1>
{
    public static AuditPayloadSchema Schema { get; } = new("user-added", 1, [AuditEventType.UserAdded, AuditEventType.ServiceAccountAdded]);

    public static UserAddedV1 FromDetails(IReadOnlyDictionary<string, string> details) =>
        new(details.Long("newUserId") ?? 0, details.Text("newUser") ?? "", details.Text("agency") ?? "", details.List("roles"));
}

/// <summary>A token created (5005): for which user, and the new token's id (never its secret).</summary>
public sealed record TokenCreatedV1(long ForUserId, long TokenId) : IAuditPayload<TokenCreatedV1>
{
    public static AuditPayloadSchema Schema { get; } = new("token-created", 1, [AuditEventType.TokenCreated, AuditEventType.ServiceAccountTokenCreated]);

    public static TokenCreatedV1 FromDetails(IReadOnlyDictionary<string, string> details) => new(details.Long("forUserId") ?? 0, details.Long("newTokenId") ?? 0);
}

/// <summary>A token revoked (5006).</summary>
public sealed record TokenRevokedV1(long TokenId) : IAuditPayload<TokenRevokedV1>
{
    public static AuditPayloadSchema Schema { get; } = new("token-revoked", 1, [AuditEventType.TokenRevoked]);

    public static TokenRevokedV1 FromDetails(IReadOnlyDictionary<string, string> details) => new(details.Long("revokedTokenId") ?? 0);
}

/// <summary>A user's roles changed (5007): before and after.</summary>
public sealed record RolesChangedV1(long UserId, IReadOnlyList<string> RolesBefore, IReadOnlyList<string> Roles) : IAuditPayload<RolesChangedV1>
{
    public static AuditPayloadSchema Schema { get; } = new("roles-changed", 1, [AuditEventType.RolesChanged]);

    public static RolesChangedV1 FromDetails(IReadOnlyDictionary<string, string> details) =>
        new(details.Long("userId") ?? 0, details.List("rolesBefore"), details.List("roles"));
}

/// <summary>An enrolment secret issued (5008): for which user, the enrolment's id (never the secret).</summary>
public sealed record EnrolmentIssuedV1(long ForUserId, long EnrolmentId) : IAuditPayload<EnrolmentIssuedV1>
{
    public static AuditPayloadSchema Schema { get; } = new("enrolment-issued", 1, [AuditEventType.EnrolmentIssued]);

    public static EnrolmentIssuedV1 FromDetails(IReadOnlyDictionary<string, string> details) => new(details.Long("forUserId") ?? 0, details.Long("enrolmentId") ?? 0);
}

/// <summary>An enrolment redeemed by its owner (5009): the user, the enrolment, the token it gave them.</summary>
public sealed record EnrolmentRedeemedV1(long ForUserId, long EnrolmentId, long TokenId) : IAuditPayload<EnrolmentRedeemedV1>
{
    public static AuditPayloadSchema Schema { get; } = new("enrolment-redeemed", 1, [AuditEventType.EnrolmentRedeemed]);

    public static EnrolmentRedeemedV1 FromDetails(IReadOnlyDictionary<string, string> details) =>
        new(details.Long("forUserId") ?? 0, details.Long("enrolmentId") ?? 0, details.Long("newTokenId") ?? 0);
}

/// <summary>A sign-in step at the pages (13001–13009): whose account (the name as typed when no account has it), which
/// step (<c>password</c>, <c>totp</c>, <c>recovery-code</c>, <c>sign-out</c>, <c>idle</c>, <c>expired</c>, <c>enrol</c>,
/// <c>set-password</c>, <c>password-reset</c>, <c>second-factor-reset</c>), the page session it opened or ended, the consecutive failures after it and the end of a lockout
/// it started. Never a password, a code or a secret.</summary>
public sealed record SignInV1(string User, string Step, long? SessionId = null, int Failures = 0, DateTimeOffset? LockedUntil = null) : IAuditPayload<SignInV1>
{
    /// <summary>sign-in@1, for the page sign-in events.</summary>
    public static AuditPayloadSchema Schema { get; } = new("sign-in", 1,
        [AuditEventType.SignInPassword, AuditEventType.SignInCode, AuditEventType.SignInLockedOut, AuditEventType.SignedOut,
         AuditEventType.SessionEnded, AuditEventType.SecondFactorEnrolled, AuditEventType.PasswordSet, AuditEventType.PasswordReset,
         AuditEventType.SecondFactorReset]);

    /// <summary>No entry before typed payloads had these events; a legacy map reads as its user and step.</summary>
    public static SignInV1 FromDetails(IReadOnlyDictionary<string, string> details) => new(details.Text("user") ?? "", details.Text("step") ?? "");
}
