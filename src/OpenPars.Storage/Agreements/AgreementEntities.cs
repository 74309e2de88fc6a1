namespace OpenPars.Storage.Agreements;

/// <summary>One data-sharing agreement: its stable id and the partner it serves. Everything else about it is in
/// its events; its status is computed from them and the clock, never stored.</summary>
public sealed class AgreementRow
{
    public long Id { get; set; }

    /// <summary>The document's <c>agreementId</c>, e.g. <c>ice-2026</c>.</summary>
    public string AgreementId { get; set; } = "";

    public string PartnerAgency { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// One quota counter: what a subject used of an agreement's quota on one quota day. Kind <c>queries</c> counts a
/// partner user's allowed queries (subject: the user id); kind <c>records</c> counts the records disclosed to the
/// partner agency (subject: the agency code). Reserved before the query, in the transaction that appends the
/// decision's audit entry (<see cref="PartnerAccessLog.ReserveAsync"/>), so concurrent requests never exceed a quota.
/// </summary>
public sealed class QuotaCounterRow
{
    public string AgreementId { get; set; } = "";

    /// <summary>The quota day as the agreement's calendar date, <c>yyyy-MM-dd</c> (see <see cref="Core.Agreements.AgreementClock.QuotaDay"/>).</summary>
    public string QuotaDay { get; set; } = "";

    public string Kind { get; set; } = "";
    public string Subject { get; set; } = "";
    public long Used { get; set; }
}
