using OpenPars.Core.Audit;
using OpenPars.Core.Audit.Payloads;
using OpenPars.Storage.Audit;
using OpenPars.App.Hosting;

namespace OpenPars.Cli.Commands;

/// <summary>Every CLI command that changes data writes its audit entry, in the same transaction, as channel "cli".</summary>
public static class CliAudit
{
    /// <summary>A trail for <paramref name="command"/> that appends in the caller's transaction (no group writer).</summary>
    public static AuditTrail Trail(StorageSettings settings, string command, TimeProvider clock)
    {
        var trail = new AuditTrail(new AuditLog(AuditSigning.LoadOrCreate(settings.AuditKeyPath()), clock), writer: null, clock)
        {
            Origin = AuditOrigin.Cli(command),
        };
        return trail;
    }

    /// <summary>Records one operation on the store as its own entry (<paramref name="type"/> with <paramref name="payload"/>),
    /// then signs a checkpoint over it with the key now in the key folder: what backup, restore and rotate-key leave behind.</summary>
    public static async Task RecordAndCheckpointAsync<T>(StorageSettings settings, string command, AuditEventType type, T payload, CancellationToken ct)
        where T : class, IAuditPayload<T>
    {
        await using var db = OpenParsDatabase.CreateContext(settings);
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            var trail = Trail(settings, command, TimeProvider.System);
            trail.Payload(payload);
            await trail.AppendInTransactionAsync(db, type, [], ct);
            await tx.CommitAsync(ct);
        }

        using var signing = AuditSigning.LoadOrCreate(settings.AuditKeyPath());
        await new AuditLog(signing, TimeProvider.System).CheckpointIfBehindAsync(db, ct);
    }
}
