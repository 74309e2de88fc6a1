namespace OpenPars.Core.Audit.Payloads;

/// <summary>An oversight view read (12001 usage, 12002 disparity, 12003 alerts, 12006 the oversight report): the
/// partner agency it was about and the window asked for. Null members were not asked (the alert list of every
/// partner names no agency).</summary>
/// <param name="Agency">The partner agency's code.</param>
/// <param name="From">The first day of a usage range (city time).</param>
/// <param name="To">The last day of a usage range (city time).</param>
/// <param name="Window">The disparity window asked for, in days (<c>7</c>, <c>30</c>); null for both.</param>
public sealed record OversightReadV1(string? Agency, DateOnly? From = null, DateOnly? To = null, string? Window = null) : IAuditPayload<OversightReadV1>
{
    /// <inheritdoc/>
    public static AuditPayloadSchema Schema { get; } = new("oversight-read", 1,
        [AuditEventType.OversightUsageRead, AuditEventType.OversightDisparityRead, AuditEventType.OversightAlertsRead, AuditEventType.OversightReportRead]);

    /// <inheritdoc/>
    public static OversightReadV1 FromDetails(IReadOnlyDictionary<string, string> details) =>
        new(details.Text("agency"), Day(details.Text("from")), Day(details.Text("to")), details.Text("window"));

    private static DateOnly? Day(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var day) ? day : null;
}

/// <summary>An oversight alert raised by the evaluator (12005) or acknowledged by an overseer (12004): the alert, and
/// for a raised one its kind, the partner agency, the agreement it concerns and whether that agreement was
/// suspended automatically (the suspension's own entry says how). The statement of an acknowledgement is in its
/// event, not here.</summary>
/// <param name="AlertId">The alert's id (its stream id in the event log).</param>
/// <param name="Kind">The detector that raised it (<c>disparity</c>, <c>daily-probing</c>, …); null on an acknowledgement.</param>
/// <param name="Agency">The partner agency it concerns; null on an acknowledgement.</param>
/// <param name="AgreementId">The agreement it concerns, when one was in force; indexed as the entry's agreement.</param>
/// <param name="AutoSuspended">What the automatic suspension did (its outcome), when the agreement opted in.</param>
public sealed record OversightAlertV1(string AlertId, string? Kind = null, string? Agency = null, string? AgreementId = null, string? AutoSuspended = null)
    : IAuditPayload<OversightAlertV1>
{
    /// <inheritdoc/>
    public static AuditPayloadSchema Schema { get; } = new("oversight-alert", 1, [AuditEventType.OversightAlertRaised, AuditEventType.OversightAlertAcknowledged]);

    /// <inheritdoc/>
    public static OversightAlertV1 FromDetails(IReadOnlyDictionary<string, string> details) =>
        new(details.Text("alertId") ?? "", details.Text("kind"), details.Text("agency"), details.Text("agreementId"), details.Text("autoSuspended"));
}
