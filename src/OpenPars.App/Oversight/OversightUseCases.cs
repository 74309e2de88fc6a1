using OpenPars.App.Arrests;
using OpenPars.App.Audit;
using OpenPars.App.Hosting;
using OpenPars.App.Identity;
using OpenPars.Core.Agencies;
using OpenPars.Core.Agreements;
using OpenPars.Core.Arrests;
using OpenPars.Core.Audit;
using OpenPars.Core.Audit.Payloads;
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
public sealed class OversightUseCases(PartnerLookReader looks, AgreementStore agreements, DisparityMeasurement agreementsToMeasure, OversightAlertStore alerts, IdentityStore identity, CityClock city, TimeProvider clock, OversightSettings settings, AuditScope audit)
{
    /// <summary>The longest usage period one request may ask for.</summary>
    public const int MaxUsageDays = 366;

    /// <summary>Privacy officers and stakeholder representatives (of a stakeholder agency: the roles allow no other).</summary>
    public static readonly Func<Caller, bool> Overseers = c => Access.PrivacyOfficer(c) || Access.Representative(c);

    public Task<UsageReport> UsageAsync(Caller caller, UsageRequest request, CancellationToken ct = default) =>
        audit.ReadAsync(caller, AuditEventType.OversightUsageRead, () =>
        {
            Access.Require(caller, Overseers);
            return UsageCoreAsync(request, ct);
        });

    /// <summary>The report the CLI prints (<c>openpars oversight report</c>): usage by day over [from, to], the disparity
    /// for both windows ending now, and the partner's alerts — one view, one audit entry (12006).</summary>
    public Task<OversightReport> ReportAsync(Caller caller, string? agency, string? from, string? to, CancellationToken ct = default) =>
        audit.ReadAsync(caller, AuditEventType.OversightReportRead, async () =>
        {
            Access.Require(caller, Overseers);
            var usage = await UsageCoreAsync(new UsageRequest(agency, from, to, "day"), ct);
            var (agreementId, disparity) = await MeasureAsync(usage.Agency, DisparityWindow.StandardDays, ct);
            return new OversightReport(usage, disparity with { AgreementId = agreementId },
                new OversightAlertList([.. (await alerts.ListAsync(usage.Agency, ct)).Select(OversightAlertView.From)]));
        });

    private async Task<UsageReport> UsageCoreAsync(UsageRequest request, CancellationToken ct)
    {
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
            audit.Trail.Payload(new OversightReadV1(agency, from, to));

            var read = await looks.ReadAsync(agency, city.DayBounds(from).Start, city.DayBounds(to).End, ct);
            var quotas = (await agreements.ListForPartnerAsync(agency!, ct)).ToDictionary(a => a.AgreementId, a => DisparityMeasurement.LatestDocument(a)?.Quotas, StringComparer.Ordinal);
            var rows = UsageAggregation.Summarize(read.Observations, city.Zone, grouping!.Value, id => quotas.GetValueOrDefault(id));
            return new UsageReport(agency!, from, to, grouping == UsageGrouping.User ? "user" : "day", read.ProvenThrough, read.Pending, rows);
    }

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
            audit.Trail.Payload(new OversightReadV1(agency, Window: window));
            var (agreementId, report) = await MeasureAsync(agency!, windows, ct);
            return report with { AgreementId = agreementId };
        });

    /// <summary>Every alert raised (optionally one partner's), newest first, with its evidence and acknowledgements: the same
    /// list for every stakeholder's privacy officers and representatives.</summary>
    public Task<OversightAlertList> AlertsAsync(Caller caller, string? agency, CancellationToken ct = default) =>
        audit.ReadAsync(caller, AuditEventType.OversightAlertsRead, async () =>
        {
            Access.Require(caller, Overseers);
            var errors = new ValidationErrors();
            var partner = agency is null ? null : await PartnerAgencyAsync(agency, errors, ct);
            RequestParsing.ThrowIfAny(errors);
            audit.Trail.Payload(new OversightReadV1(partner));
            return new OversightAlertList([.. (await alerts.ListAsync(partner, ct)).Select(OversightAlertView.From)]);
        });

    /// <summary>A stakeholder agency's acknowledgement of an alert, with a statement; once per agency.</summary>
    public Task<OversightAlertView> AcknowledgeAsync(Caller caller, string alertId, string? statement, CancellationToken ct = default) =>
        audit.WriteAsync(caller, AuditEventType.OversightAlertAcknowledged, async () =>
        {
            Access.Require(caller, Overseers);
            var errors = new ValidationErrors();
            errors.RequireText(statement, "statement", AgreementGovernance.MaxStatementLength);
            RequestParsing.ThrowIfAny(errors);
            audit.Trail.Payload(new OversightAlertV1(alertId.Length <= 64 ? alertId : alertId[..64]));
            return OversightAlertView.From(await alerts.AcknowledgeAsync(alertId, statement!, caller.ToActor(), ct));
        });

    /// <summary>The disparity of <paramref name="agency"/>'s looks under its agreement, for each window ending now.</summary>
    private async Task<(string AgreementId, DisparityView View)> MeasureAsync(string agency, IReadOnlyList<int> windows, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var measured = await agreementsToMeasure.MeasureAsync(agency, windows, now, ct);
        var views = measured.Reports.Select(report => new DisparityWindowView(report.Window.Days, report.Window.Start, report.Window.End, report.DisclosedPersons, report.BenchmarkPersons,
            [.. report.Rows.Select(r => DisparityRowView.From(r, settings.Disparity.Confidence))])).ToList();
        return (measured.AgreementId, new DisparityView(agency, measured.AgreementId, now, measured.Looks.ProvenThrough, measured.Looks.Pending, views));
    }

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
