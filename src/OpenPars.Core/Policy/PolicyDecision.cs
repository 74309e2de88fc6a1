using OpenPars.Core.Agreements;

namespace OpenPars.Core.Policy;

/// <summary>
/// The answer to one partner request: <see cref="Allowed"/> with everything enforcement needs, or
/// <see cref="Refused"/> with the code, HTTP status and rule. Switch on the type.
/// </summary>
public abstract record PolicyDecision
{
    private PolicyDecision()
    {
    }

    /// <summary>
    /// Allowed: storage pushes <see cref="Scope"/> into the SQL WHERE (with <see cref="BookedSince"/> as the
    /// exact bound), selects only <see cref="Columns"/>, matches <see cref="Criteria"/> (search) or
    /// <see cref="ArrestNumber"/> (read), returns at most <see cref="MaxRecords"/> records, and projects them with
    /// <see cref="PartnerView.Project"/>. The audit entry records the agreement, purpose and
    /// <see cref="DisclosedFields"/>.
    /// </summary>
    public sealed record Allowed : PolicyDecision
    {
        public required string AgreementId { get; init; }
        public required int AgreementVersion { get; init; }
        public required DateTimeOffset ExpiresAt { get; init; }
        public required PartnerOperation Operation { get; init; }

        /// <summary>The purpose as the agreement spells it.</summary>
        public required string Purpose { get; init; }

        public required RowScope Scope { get; init; }
        public DateTimeOffset? BookedSince { get; init; }

        /// <summary>The granted columns with their masks, in catalogue order.</summary>
        public required IReadOnlyList<FieldGrant> Columns { get; init; }

        /// <summary>The names of the fields a response under this decision may disclose (for the audit entry).</summary>
        public required IReadOnlyList<string> DisclosedFields { get; init; }

        /// <summary>Search criteria by their catalogue names, blank values dropped.</summary>
        public required IReadOnlyDictionary<string, string> Criteria { get; init; }

        public string? ArrestNumber { get; init; }

        /// <summary>What remains of the agency's daily record quota: never return more.</summary>
        public required int MaxRecords { get; init; }
    }

    /// <summary>Refused by <see cref="Rule"/> (the step's name) with <see cref="Code"/>; <see cref="HttpStatus"/> is
    /// 429 for the quota and 403 otherwise. The message never echoes a value from the request.</summary>
    public sealed record Refused(string Code, int HttpStatus, string Rule, string Message) : PolicyDecision;

    public const int Forbidden = 403;
    public const int TooManyRequests = 429;

    public static Refused Refuse(string code, string rule, string message) =>
        new(code, code == AgreementErrorCodes.QuotaExceeded ? TooManyRequests : Forbidden, rule, message);
}
