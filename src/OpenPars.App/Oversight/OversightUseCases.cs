using OpenPars.App.Arrests;
using OpenPars.App.Audit;
using OpenPars.App.Hosting;
using OpenPars.App.Identity;
using OpenPars.Core.Agencies;
using OpenPars.Core.Agreements;
using OpenPars.Core.Arrests;
using OpenPars.Core.Audit;
using OpenPars.Core.Common;
using OpenPars.Core.Oversight;
using OpenPars.Storage.Agencies;
using OpenPars.Storage.Agreements;
using OpenPars.Storage.Oversight;

namespace OpenPars.App.Oversight;

/// <summary>The usage filters as an adapter received them (null when absent).</summary>
public sealed record UsageRequest(string? Agency, string? From, string? To, string? GroupBy);

/// <summary>How oversight judges looks: the disparity rule and the sweep detectors' thresholds (docs/oversight.md).</summary>
public sealed record OversightSettings
{
    public DisparityOptions Disparity { get; init; } = DisparityOptions.Default;

    public SweepThresholds Sweeps { get; init; } = SweepThresholds.Default;
}

/// <summary>
/// Oversight of partner access for the people who answer for it: the stakeholders' privacy officers and
/// representatives. Every figure is computed from partner looks the log proves (<see cref="PartnerLookReader"/>),
/// and every view is itself an audit entry (12xxx).
/// </summary>
public sealed class OversightUseCases(PartnerLookReader looks, AgreementStore agreements, IdentityStore identity, ReferenceData reference, CityClock city, TimeProvider clock, OversightSettings settings, AuditScope audit)
{
    /// <summary>The longest usage period one request may ask for.</summary>
    public const int MaxUsageDays = 366;

    /// <summary>Privacy officers and stakeholder representatives (of a stakeholder agency: the roles allow no other).</summary>
    public static readonly Func<Caller, bool> Overseers = c => Access.PrivacyOfficer(c) || Access.Representative(c);

    public Task<UsageReport> UsageAsync(Caller caller, UsageRequest request, CancellationToken ct = default) =>
        audit.ReadAsync(caller, AuditEventType.OversightUsageRead, async () =>
        {
            Access.Require(caller, Overseers);
            var errors = new ValidationErrors();
            var today = city.Today();
            var agency = await PartnerAgencyAsync(request.Agency, errors, ct);
            var from = RequestParsing.Date(request.From, "from", errors) ?? today.AddDays(-29);
            var to = RequestParsing.Date(request.To, "to", errors) ?? today;
            errors.Require(from <= to, "to", "range-order", "to must be on or after from.");
            errors.Require(to.DayNumber - from.DayNumber < MaxUsageDays, "to", "range-length", $"from and to span at most {MaxUsageDays} days.");
            var grouping = request.GroupBy switch
            {
                null or "day" => UsageGrouping.Day,
                "user" => UsageGrouping.User,
                _ => (UsageGrouping?)null,
            };
            errors.Require(grouping is not null, "groupBy", "group-by-value", "groupBy is day or user.");
            RequestParsing.ThrowIfAny(errors);
            audit.Trail.Detail("agency", agency);
            audit.Trail.Detail("from", from.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            audit.Trail.Detail("to", to.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));

            var read = await looks.ReadAsync(agency, city.DayBounds(from).Start, city.DayBounds(to).End, ct);
            var quotas = (await agreements.ListForPartnerAsync(agency!, ct)).ToDictionary(a => a.AgreementId, a => LatestDocument(a)?.Quotas, StringComparer.Ordinal);
            var rows = UsageAggregation.Summarize(read.Observations, city.Zone, grouping!.Value, id => quotas.GetValueOrDefault(id));
            return new UsageReport(agency!, from, to, grouping == UsageGrouping.User ? "user" : "day", read.ProvenThrough, read.Pending, rows);
        });

    public Task<DisparityView> DisparityAsync(Caller caller, string? agencyCode, string? window, CancellationToken ct = default) =>
        audit.ReadAsync(caller, AuditEventType.OversightDisparityRead, async () =>
        {
            Access.Require(caller, Overseers);
            var errors = new ValidationErrors();
            var agency = await PartnerAgencyAsync(agencyCode, errors, ct);
            IReadOnlyList<int> windows = window switch
            {
                null => DisparityWindow.StandardDays,
                "7" => [7],
                "30" => [30],
                _ => [],
            };
            errors.Require(windows.Count > 0, "window", "window-days", "window is 7 or 30 (days).");
            RequestParsing.ThrowIfAny(errors);
            audit.Trail.Detail("agency", agency);
            audit.Trail.Detail("window", window);
            var (agreementId, report) = await MeasureAsync(agency!, windows, ct);
            return report with { AgreementId = agreementId };
        });

    /// <summary>The disparity of <paramref name="agency"/>'s looks under its agreement, for each window ending now.</summary>
    internal async Task<(string AgreementId, DisparityView View)> MeasureAsync(string agency, IReadOnlyList<int> windows, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var (agreementId, document) = await MeasuredAgreementAsync(agency, now, ct);
        var longest = DisparityWindow.Last(windows.Max(), now);
        var read = await looks.ReadAsync(agency, longest.Start, now, ct);
        var underAgreement = read.Observations.Where(o => o.AgreementId == agreementId).Select(o => o.EntryIndex).ToHashSet();
        var disclosures = read.Disclosures().Where(d => underAgreement.Contains(d.EntryIndex)).ToList();
        var bookings = await looks.BookedInScopeAsync(document, longest.Start, now, now, reference.Statutes, ct);
        var views = windows.Select(days =>
        {
            var report = DisparityAnalysis.Evaluate(DisparityWindow.Last(days, now), disclosures, bookings, settings.Disparity);
            return new DisparityWindowView(days, report.Window.Start, report.Window.End, report.DisclosedPersons, report.BenchmarkPersons,
                [.. report.Rows.Select(r => DisparityRowView.From(r, settings.Disparity.Confidence))]);
        }).ToList();
        return (agreementId, new DisparityView(agency, agreementId, now, read.ProvenThrough, read.Pending, views));
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

    private static AgreementDocument? LatestDocument(StoredAgreement agreement) =>
        agreement.Events.OfType<AgreementDrafted>().LastOrDefault()?.Document;

    /// <summary>The agency asked about: required, and a partner agency (stakeholders are not overseen here).</summary>
    private async Task<string?> PartnerAgencyAsync(string? code, ValidationErrors errors, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            errors.Add("agency", "required", "agency is required: the code of a partner agency.");
            return null;
        }

        var partner = (await identity.ListAgenciesAsync(ct)).Any(a => a.Kind == AgencyKind.Partner && string.Equals(a.Code, code, StringComparison.Ordinal));
        errors.Require(partner, "agency", "unknown-partner-agency", "agency must be the code of a partner agency.");
        return partner ? code : null;
    }
}
