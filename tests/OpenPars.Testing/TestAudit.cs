using OpenPars.Storage.Audit;
using OpenPars.App.Hosting;

namespace OpenPars.Testing;

/// <summary>An audit trail for work a test does directly on a store (arrange steps, storage tests): channel "test",
/// appending to the same log, signed with the same key, as the server on that store.</summary>
public static class TestAudit
{
    public static AuditTrail Trail(StorageSettings storage, TimeProvider clock) =>
        new(new AuditLog(AuditSigning.LoadOrCreate(storage.AuditKeyPath()), clock), writer: null, clock)
        {
            Origin = new AuditOrigin("test", null, null, "TEST", "arrange"),
        };
}
