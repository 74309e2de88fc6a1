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
