using OpenPars.Core.Agreements;
using OpenPars.Core.Arrests;
using OpenPars.Core.Common;
using OpenPars.Core.Oversight;
using OpenPars.Storage.Agreements;
using OpenPars.Storage.Oversight;

namespace OpenPars.App.Oversight;

/// <summary>A partner's disparity reports for windows ending at one instant, with the looks and agreement behind them.</summary>
public sealed record Measurement(string AgreementId, AgreementDocument Document, PartnerLooks Looks, IReadOnlyList<DisparityReport> Reports);

/// <summary>
/// The disparity measure wired to the store (docs/oversight.md § Disparity): the partner's proven looks under its
/// agreement against the persons in that agreement's row scope booked in the same windows. Shared by the view and the
/// alert evaluator, so what a privacy officer reads is what raised the alert.
/// </summary>
public sealed class DisparityMeasurement(PartnerLookReader looks, AgreementStore agreements, ReferenceData reference, OversightSettings settings)
{
    public async Task<Measurement> MeasureAsync(string agency, IReadOnlyList<int> windows, DateTimeOffset now, CancellationToken ct)
    {
        var (agreementId, document) = await MeasuredAgreementAsync(agency, now, ct);
        var longest = DisparityWindow.Last(windows.Max(), now);
        var read = await looks.ReadAsync(agency, longest.Start, now, ct);
        var underAgreement = read.Observations.Where(o => o.AgreementId == agreementId).Select(o => o.EntryIndex).ToHashSet();
        var disclosures = read.Disclosures().Where(d => underAgreement.Contains(d.EntryIndex)).ToList();
        var bookings = await looks.BookedInScopeAsync(document, longest.Start, now, now, reference.Statutes, ct);
        var reports = windows.Select(days => DisparityAnalysis.Evaluate(DisparityWindow.Last(days, now), disclosures, bookings, settings.Disparity)).ToList();
        return new Measurement(agreementId, document, read, reports);
    }

    /// <summary>The agreement a partner's looks are measured under: the one in force, else the newest with terms.</summary>
    private async Task<(string AgreementId, AgreementDocument Document)> MeasuredAgreementAsync(string agency, DateTimeOffset now, CancellationToken ct)
    {
        var inForce = await agreements.FindForPartnerAsync(agency, now, ct);
        var candidates = inForce is not null ? [inForce] : (await agreements.ListForPartnerAsync(agency, ct)).Reverse();
        foreach (var agreement in candidates)
        {
            if ((agreement.StatusAt(now).Document ?? LatestDocument(agreement)) is { } document)
            {
                return (agreement.AgreementId, document);
            }
        }

        throw new DomainException(OversightErrorCodes.NoAgreementToMeasure, $"{agency} has no agreement whose row scope gives a benchmark population.");
    }

    public static AgreementDocument? LatestDocument(StoredAgreement agreement) =>
        agreement.Events.OfType<AgreementDrafted>().LastOrDefault()?.Document;
}
