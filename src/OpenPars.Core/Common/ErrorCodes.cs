namespace OpenPars.Core.Common;

/// <summary>
/// Stable error codes, the <c>code</c> member of every problem-details answer. Grouped by feature;
/// a code is never reused or renumbered once released, because clients and auditors key on it.
/// </summary>
public static class ErrorCodes
{
    // Request shape (the HTTP layer): PARS-REQ-0xx
    public const string MalformedJson = "PARS-REQ-001";
    public const string UnknownMember = "PARS-REQ-002";
    public const string UnsupportedMediaType = "PARS-REQ-003";
    public const string BodyTooLarge = "PARS-REQ-004";
    public const string PreconditionRequired = "PARS-REQ-005";
    public const string ValidationFailed = "PARS-REQ-006";
    public const string IdempotencyKeyReused = "PARS-REQ-007";
    public const string NotFound = "PARS-REQ-009";
    public const string MethodNotAllowed = "PARS-REQ-010";

    // Authentication and authorization: PARS-AUTH-0xx
    public const string Unauthenticated = "PARS-AUTH-001";
    public const string Forbidden = "PARS-AUTH-002";

    // Arrests: PARS-ARR-0xx
    public const string ArrestNotFound = "PARS-ARR-001";
    public const string ArrestStale = "PARS-ARR-002";
    public const string IllegalTransition = "PARS-ARR-003";
    public const string ConcurrentChange = "PARS-ARR-004";
    public const string DeclinedIsFinal = "PARS-ARR-005";

    // Identity administration: PARS-ADM-0xx
    public const string AgencyNotFound = "PARS-ADM-001";
    public const string AgencyCodeTaken = "PARS-ADM-002";
    public const string UserNotFound = "PARS-ADM-003";
    public const string TokenNotFound = "PARS-ADM-004";
    public const string OutsideAdministration = "PARS-ADM-005";
    public const string SeparationOfDuties = "PARS-ADM-006";
    public const string OwnRoles = "PARS-ADM-007";
    public const string CredentialForAnotherPerson = "PARS-ADM-008";
    public const string EnrolmentNotRedeemable = "PARS-ADM-009";
    public const string ServiceAccountRole = "PARS-ADM-010";
    public const string NotAServiceAccount = "PARS-ADM-011";

    /// <summary>Nobody resets their own password or second factor at the administration desk: another administrator
    /// of the agency must (one person never both holds a credential and re-issues it unwitnessed).</summary>
    public const string OwnCredentialReset = "PARS-ADM-012";

    // Audit log: PARS-AUD-0xx
    public const string AuditUnavailable = "PARS-AUD-001";
    public const string AuditCheckpointNotFound = "PARS-AUD-002";
    public const string AuditRangeInvalid = "PARS-AUD-003";

    /// <summary>An event the audit log does not vouch for (unbound, altered, inserted): whatever it would decide is refused.</summary>
    public const string StoreDamaged = "PARS-AUD-004";

    // Server side
    public const string Internal = "PARS-SRV-001";

    /// <summary>The database is unreachable, read-only or full: the request was not carried out (fail closed, 503 with Retry-After).</summary>
    public const string DatabaseUnavailable = "PARS-SRV-100";

    // Rate limits (issue 14): failed credentials per client address and per account, a partner's requests per token
    /// <summary>Too many failed credentials from this client address in the window: every credential from it waits.</summary>
    public const string TooManyFailuresFromAddress = "PARS-RATE-001";

    /// <summary>Too many failed credentials for this account in the window: further failures for it wait.</summary>
    public const string TooManyFailuresForAccount = "PARS-RATE-002";

    /// <summary>A partner token sent more requests in the window than the configured rate.</summary>
    public const string PartnerRateExceeded = "PARS-RATE-003";
}

/// <summary>A refusal the domain can name: a stable code, a message safe to show (never a sensitive value),
/// and, for validation, the broken rules by field.</summary>
public sealed class DomainException : Exception
{
    public DomainException(string code, string message, ValidationErrors? errors = null)
        : base(message)
    {
        Code = code;
        Errors = errors;
    }

    public DomainException()
        : this(ErrorCodes.Internal, "Unexpected error.")
    {
    }

    public DomainException(string message)
        : this(ErrorCodes.Internal, message)
    {
    }

    public DomainException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = ErrorCodes.Internal;
    }

    public string Code { get; } = ErrorCodes.Internal;

    public ValidationErrors? Errors { get; }
}
