namespace OpenPars.Core.Audit.Payloads;

/// <summary>A transparency report published (12007) or a report folder checked against the log (12008): the month,
/// the SHA-256 of the folder's <c>manifest.json</c> (which lists every file's hash) and the checkpoint size the
/// figures were proven through. The published entry is what <c>openpars report verify</c> finds and proves.</summary>
/// <param name="Month">The report's month, <c>yyyy-MM</c>.</param>
/// <param name="ManifestSha256">SHA-256 of the manifest's bytes, lowercase hex.</param>
/// <param name="ProvenThrough">The signed checkpoint size whose entries the figures were computed from.</param>
/// <param name="Proven">On a check (12008): whether the folder matched the log and the proof verified.</param>
public sealed record TransparencyReportV1(string Month, string ManifestSha256, long ProvenThrough, bool? Proven = null) : IAuditPayload<TransparencyReportV1>
{
    /// <inheritdoc/>
    public static AuditPayloadSchema Schema { get; } = new("transparency-report", 1, [AuditEventType.TransparencyReportPublished, AuditEventType.TransparencyReportVerified]);

    /// <inheritdoc/>
    /// <remarks>No entry of this family was ever written with <c>details</c>.</remarks>
    public static TransparencyReportV1 FromDetails(IReadOnlyDictionary<string, string> details) => new("", "", 0);
}
