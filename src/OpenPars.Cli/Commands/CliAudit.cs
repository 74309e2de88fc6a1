using OpenPars.Storage.Audit;
using OpenPars.App.Hosting;

namespace OpenPars.Cli.Commands;

/// <summary>Every CLI command that changes data writes its audit entry, in the same transaction, as channel "cli".</summary>
public static class CliAudit
{
    public static AuditTrail Trail(StorageSettings settings, string command, TimeProvider clock)
    {
        var trail = new AuditTrail(new AuditLog(AuditSigning.LoadOrCreate(settings.AuditKeyPath()), clock), writer: null, clock)
        {
            Origin = AuditOrigin.Cli(command),
        };
        return trail;
    }
}
