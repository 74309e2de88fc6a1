namespace OpenPars.Core.Audit.Payloads;

/// <summary>
/// A partner's search, read or look at its terms (8001–8003), allowed or refused: the agreement and version it was
/// decided under, the stated purpose, reason and case number (clipped as audited), the fields disclosed and, when
/// refused, the pipeline rule that refused it. The criteria and the records disclosed are the entry's own
/// <c>criteria</c> and <c>records</c> (the records index derives from those).
/// </summary>
public sealed record PartnerAccessV1 : IAuditPayload<PartnerAccessV1>
{
    public static AuditPayloadSchema Schema { get; } = new("partner-access", 1, [AuditEventType.PartnerSearch, AuditEventType.PartnerRead, AuditEventType.PartnerAgreementRead]);

    /// <summary>The agreement in force for the partner when decided; null when there was none.</summary>
    public string? AgreementId { get; init; }

    public int? AgreementVersion { get; init; }
    public string? Purpose { get; init; }
    public string? Reason { get; init; }
    public string? CaseNumber { get; init; }

    /// <summary>The field paths disclosed (<c>person.ssn</c>, …) when allowed.</summary>
    public IReadOnlyList<string>? DisclosedFields { get; init; }

    /// <summary>The rule that refused the request (<c>within-quota</c>, <c>reason-stated</c>, …).</summary>
    public string? Rule { get; init; }

    public static PartnerAccessV1 FromDetails(IReadOnlyDictionary<string, string> details) => new()
    {
        AgreementId = details.Text("agreementId"),
        AgreementVersion = details.Int("agreementVersion"),
        Purpose = details.Text("purpose"),
        Reason = details.Text("reason"),
        CaseNumber = details.Text("caseNumber"),
        DisclosedFields = details.ContainsKey("disclosedFields") ? details.List("disclosedFields") : null,
        Rule = details.Text("rule"),
    };
}
