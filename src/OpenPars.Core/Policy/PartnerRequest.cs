using OpenPars.Core.Agreements;

namespace OpenPars.Core.Policy;

/// <summary>
/// One partner request as the HTTP layer received it, before any check: the operation, the arrest number
/// (read: from the path) or the criteria (search: the query string, names as typed), and the headers
/// <c>Purpose</c>, <c>Reason</c> and <c>Case-Number</c> (null when absent).
/// </summary>
public sealed record PartnerRequest
{
    public PartnerOperation Operation { get; init; }
    public string? ArrestNumber { get; init; }
    public IReadOnlyDictionary<string, string> Criteria { get; init; } = new Dictionary<string, string>();
    public string? Purpose { get; init; }
    public string? Reason { get; init; }
    public string? CaseNumber { get; init; }

    /// <summary>True for the partner stream (<see cref="Stream"/>): operation <c>watch</c>, naming no person (the
    /// agency's registered watches do) and using no quota (it discloses no record, only its own watches' matches).</summary>
    public bool OpensStream { get; init; }

    /// <summary>GET /api/v1/partner/arrests?criteria</summary>
    public static PartnerRequest Search(IReadOnlyDictionary<string, string> criteria, string? purpose, string? reason, string? caseNumber) =>
        new() { Operation = PartnerOperation.Search, Criteria = criteria, Purpose = purpose, Reason = reason, CaseNumber = caseNumber };

    /// <summary>POST /api/v1/partner/watches: the identifying criteria of one person, judged as a search's.</summary>
    public static PartnerRequest Watch(IReadOnlyDictionary<string, string> criteria, string? purpose, string? reason, string? caseNumber) =>
        new() { Operation = PartnerOperation.Watch, Criteria = criteria, Purpose = purpose, Reason = reason, CaseNumber = caseNumber };

    /// <summary>GET /api/v1/partner/stream: the agency's watch matches as they happen, under the operation <c>watch</c>.</summary>
    public static PartnerRequest Stream(string? purpose, string? reason, string? caseNumber) =>
        new() { Operation = PartnerOperation.Watch, OpensStream = true, Purpose = purpose, Reason = reason, CaseNumber = caseNumber };

    /// <summary>GET /api/v1/partner/arrests/{arrestNumber}</summary>
    public static PartnerRequest Read(string arrestNumber, string? purpose, string? reason, string? caseNumber) =>
        new() { Operation = PartnerOperation.Read, ArrestNumber = arrestNumber, Purpose = purpose, Reason = reason, CaseNumber = caseNumber };
}
