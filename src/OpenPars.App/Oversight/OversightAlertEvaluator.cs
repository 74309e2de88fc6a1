using OpenPars.App.Hosting;
using OpenPars.Core.Agencies;
using OpenPars.Core.Agreements;
using OpenPars.Core.Common;
using OpenPars.Core.Oversight;
using OpenPars.Storage.Agencies;
using OpenPars.Storage.Agreements;
using OpenPars.Storage.Audit;
using OpenPars.Storage.Oversight;

namespace OpenPars.App.Oversight;

/// <summary>
/// Raises the oversight alerts partner traffic calls for (docs/oversight.md): the sweep and probe detectors over the
/// partner's proven looks of their lookback, and the disparity measure for the 7- and 30-day windows ending now, each
/// alert recorded once (its key). An alert of a kind the agreement in force lists in <c>autoSuspendOn</c> first
/// suspends it — recorded like a privacy officer's suspension, resumed only by the consent quorum — then is raised
/// naming the suspension; a crash between the two leaves the agreement suspended and the alert raised at the next
/// run (fail safe). Run by the host's background evaluator after the checkpoint that proves the new looks; alerts
/// raised wake this process's feed dispatcher (<see cref="Feeds.FeedSignal"/>), so streams and webhooks carry them at once.
/// </summary>
public sealed class OversightAlertEvaluator(
    PartnerLookReader looks, DisparityMeasurement disparity, OversightAlertStore alerts, AgreementStore agreements, IdentityStore identity,
    CityClock city, TimeProvider clock, OversightSettings settings, AuditTrail trail, Feeds.FeedSignal signal)
{
    /// <summary>How the evaluator's entries name their origin: no user, the system channel.</summary>
    public static AuditOrigin Origin { get; } = new("system", null, null, "SYSTEM", "oversight-evaluator");

    /// <summary>The partner agencies with looks at or after <paramref name="fromIndex"/>, and the log's size: the next mark.</summary>
    public async Task<(IReadOnlyList<string> Agencies, long Size)> PartnersLookingSinceAsync(long fromIndex, CancellationToken ct = default)
    {
        var (agencies, size) = await looks.AgenciesLookingSinceAsync(fromIndex, ct);
        var partners = (await identity.ListAgenciesAsync(ct)).Where(a => a.Kind == AgencyKind.Partner).Select(a => a.Code).ToHashSet(StringComparer.Ordinal);
        return ([.. agencies.Where(partners.Contains)], size);
    }

    /// <summary>Evaluates one partner agency now; returns the alerts newly raised.</summary>
    public async Task<IReadOnlyList<OversightAlertRaised>> EvaluateAsync(string agency, CancellationToken ct = default)
    {
        trail.Origin = Origin;
        var now = clock.GetUtcNow();
        var sweepsFrom = now - settings.Sweeps.Lookback;
        var found = new List<OversightAlert>();
        Measurement? measured = null;
        try
        {
            measured = await disparity.MeasureAsync(agency, DisparityWindow.StandardDays, now, ct);
            foreach (var report in measured.Reports)
            {
                found.AddRange(DisparityAlerts.From(report, agency, measured.AgreementId, now, city.Zone));
            }
        }
        catch (DomainException e) when (e.Code == OversightErrorCodes.NoAgreementToMeasure)
        {
            // No agreement: nothing to measure disparity against; the detectors still run.
        }

        // The disparity read (30 days of every look of the agency) already holds the detectors' lookback.
        var recent = measured is not null && settings.Sweeps.Lookback <= TimeSpan.FromDays(DisparityWindow.StandardDays.Max())
            ? measured.Looks.Observations
            : (await looks.ReadAsync(agency, sweepsFrom, now, ct)).Observations;
        found.AddRange(SweepDetectors.Evaluate(recent.Where(o => o.Time >= sweepsFrom), now, city.Zone, settings.Sweeps));

        var already = await alerts.RaisedAsync([.. found.Select(a => OversightAlertIds.Of(a.Key))], ct);
        var raised = new List<OversightAlertRaised>();
        foreach (var alert in found.Where(a => !already.Contains(OversightAlertIds.Of(a.Key))).DistinctBy(a => a.Key))
        {
            var suspended = await SuspendIfOptedInAsync(agency, alert, ct);
            var raising = OversightAlertRaised.From(alert, suspended);
            if (await alerts.RaiseAsync(raising, ct))
            {
                raised.Add(raising);
            }
        }

        if (raised.Count > 0)
        {
            // Committed: the alert stream and the webhook enqueuer of this process read the alerts now.
            signal.Raise();
        }

        return raised;
    }

    /// <summary>The agreement suspended by this alert, or null when the agreement in force did not opt in to its kind.</summary>
    private async Task<string?> SuspendIfOptedInAsync(string agency, OversightAlert alert, CancellationToken ct)
    {
        var kind = AlertKinds.Name(alert.Kind);
        var inForce = await agreements.FindForPartnerAsync(agency, clock.GetUtcNow(), ct);
        var standing = inForce?.StatusAt(clock.GetUtcNow());
        if (inForce is null || standing?.Status != AgreementStatus.Active || standing.Document?.AutoSuspendOn?.Contains(kind, StringComparer.Ordinal) != true)
        {
            return null;
        }

        var statement = $"Suspended automatically: oversight alert {OversightAlertIds.Of(alert.Key)} ({kind}) was raised and the agreement lists {kind} in autoSuspendOn. {alert.Summary}";
        try
        {
            await agreements.SuspendForAlertAsync(inForce.AgreementId, kind, statement, ct);
            return inForce.AgreementId;
        }
        catch (DomainException e) when (e.Code is AgreementErrorCodes.SuspensionNotAllowed or ErrorCodes.ConcurrentChange)
        {
            // Suspended (or changed) meanwhile: the alert is raised all the same.
            return null;
        }
    }
}
