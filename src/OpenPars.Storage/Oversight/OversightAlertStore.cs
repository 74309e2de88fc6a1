using Microsoft.EntityFrameworkCore;
using OpenPars.Core.Arrests;
using OpenPars.Core.Audit;
using OpenPars.Core.Audit.Payloads;
using OpenPars.Core.Common;
using OpenPars.Core.Oversight;
using OpenPars.Storage.Audit;
using OpenPars.Storage.Common;
using OpenPars.Storage.Events;

namespace OpenPars.Storage.Oversight;

/// <summary>
/// Oversight alerts as streams of the one event log (<see cref="EventStreams.OversightAlert"/>), each event bound to
/// its audit entry (12005 raised, 12004 acknowledged) in one transaction. An alert id is a hash of its key, and a
/// stream's first version is written once, so the same alert is never raised twice, however many evaluators run.
/// Every read checks each event against the log (<see cref="EventLog"/>): no alert is shown from a forged row.
/// </summary>
public sealed class OversightAlertStore(OpenParsDbContext db, TimeProvider clock, AuditTrail audit)
{
    /// <summary>Who an event of the evaluator is recorded as: no user, the oversight "agency".</summary>
    public const string EvaluatorAgency = "OVERSIGHT";

    /// <summary>The ids among <paramref name="alertIds"/> already raised.</summary>
    public async Task<IReadOnlySet<string>> RaisedAsync(IReadOnlyCollection<string> alertIds, CancellationToken ct = default)
    {
        var ids = alertIds.ToList();
        var found = ids.Count == 0 ? [] : await db.Events.AsNoTracking()
            .Where(e => e.StreamType == EventStreams.OversightAlert && e.Version == 1 && ids.Contains(e.StreamId)).Select(e => e.StreamId).ToListAsync(ct);
        return found.ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Records the alert with its audit entry; false when it was raised already (by anyone).</summary>
    public async Task<bool> RaiseAsync(OversightAlertRaised raised, CancellationToken ct = default)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if ((await RaisedAsync([raised.AlertId], ct)).Count > 0)
        {
            return false;
        }

        audit.Payload(new OversightAlertV1(raised.AlertId, raised.Kind, raised.Agency, raised.AgreementId, raised.AutoSuspended));
        try
        {
            await EventLog.AppendAsync(db, audit, AuditEventType.OversightAlertRaised, [],
                [new NewEvent(EventStreams.OversightAlert, raised.AlertId, 1, OversightAlertRaised.TypeName, OversightAlertJson.Serialize(raised), raised.RecordedAt, 0, EvaluatorAgency)], ct);
            await tx.CommitAsync(ct);
            return true;
        }
        catch (DomainException e) when (e.Code == ErrorCodes.ConcurrentChange)
        {
            return false;
        }
        catch (DbUpdateException)
        {
            // Another evaluator wrote version 1 between our check and our insert.
            return false;
        }
    }

    /// <summary>Every alert, newest first, each stream checked against the log (<paramref name="agency"/>: one partner's only).</summary>
    public async Task<IReadOnlyList<OversightAlertState>> ListAsync(string? agency, CancellationToken ct = default)
    {
        var streams = await EventLog.ReadAllAsync(db, EventStreams.OversightAlert, ct);
        return
        [
            .. streams.Select(s => OversightAlertState.Fold([.. s.Select(e => OversightAlertJson.Deserialize(e.Body))]))
                .Where(a => agency is null || a.Raised.Agency == agency)
                .OrderByDescending(a => a.Raised.RecordedAt).ThenBy(a => a.Raised.AlertId, StringComparer.Ordinal),
        ];
    }

    /// <summary>A stakeholder agency's acknowledgement of an alert, once per agency (PARS-OVS-003), with its audit entry.</summary>
    public async Task<OversightAlertState> AcknowledgeAsync(string alertId, string statement, Actor actor, CancellationToken ct = default)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var state = await FindAsync(alertId, ct) ?? throw new DomainException(OversightErrorCodes.AlertNotFound, $"No oversight alert {alertId}.");
        if (state.AcknowledgedBy(actor.AgencyCode))
        {
            throw new DomainException(OversightErrorCodes.AlreadyAcknowledged, $"{actor.AgencyCode} has acknowledged alert {alertId}; its statement stands.");
        }

        var acknowledged = new OversightAlertAcknowledged
        {
            AlertId = alertId, RecordedAt = StoredTime.Now(clock),
            UserId = actor.UserId, UserName = actor.UserName, AgencyCode = actor.AgencyCode, Statement = statement.Trim(),
        };
        audit.Payload(new OversightAlertV1(alertId));
        try
        {
            await EventLog.AppendAsync(db, audit, AuditEventType.OversightAlertAcknowledged, [],
                [new NewEvent(EventStreams.OversightAlert, alertId, state.Acknowledgements.Count + 2, OversightAlertAcknowledged.TypeName, OversightAlertJson.Serialize(acknowledged), acknowledged.RecordedAt, actor.UserId, actor.AgencyCode)], ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException)
        {
            throw new DomainException(ErrorCodes.ConcurrentChange, $"Alert {alertId} was acknowledged at the same time; reload it and retry.");
        }

        return state with { Acknowledgements = [.. state.Acknowledgements, acknowledged] };
    }

    private async Task<OversightAlertState?> FindAsync(string alertId, CancellationToken ct)
    {
        var events = await EventLog.ReadAsync(db, EventStreams.OversightAlert, alertId, ct);
        return events.Count == 0 ? null : OversightAlertState.Fold([.. events.Select(e => OversightAlertJson.Deserialize(e.Body))]);
    }
}
