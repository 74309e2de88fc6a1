using OpenPars.App.Arrests;
using OpenPars.App.Audit;
using OpenPars.App.Identity;
using OpenPars.Core.Agencies;
using OpenPars.Core.Arrests;
using OpenPars.Core.Audit;
using OpenPars.Core.Charging;
using OpenPars.Core.Common;
using OpenPars.Storage.Arrests;

namespace OpenPars.App.Charging;

/// <summary>The DA's charging desk: the queue of arrests awaiting review, and the decision on each.</summary>
public sealed class ChargingUseCases(ArrestStore store, AuditScope audit)
{
    /// <summary>Arrests awaiting a charging decision, oldest booking first.</summary>
    public Task<ArrestPage> QueueAsync(Caller caller, string? cursor, string? limit, CancellationToken ct = default) =>
        audit.ReadAsync(caller, AuditEventType.ChargingQueueRead, () =>
        {
            Access.Require(caller, Access.ChargingAttorney);
            var errors = new ValidationErrors();
            var after = RequestParsing.Cursor(cursor, errors);
            var size = RequestParsing.Limit(limit, errors);
            RequestParsing.ThrowIfAny(errors);
            return store.ChargingQueueAsync(after, size, ct);
        });

    public Task<ArrestRecord> DecideAsync(Caller caller, string arrestNumber, ChargingDecision decision, CancellationToken ct = default) =>
        audit.WriteAsync(caller, AuditEventType.ChargingDecided, () =>
        {
            audit.Requested(arrestNumber);
            Access.Require(caller, Access.ChargingAttorney);
            return store.DecideChargingAsync(arrestNumber, decision, caller.ToActor(), ct);
        });
}
