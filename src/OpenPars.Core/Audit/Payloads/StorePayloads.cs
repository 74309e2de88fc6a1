namespace OpenPars.Core.Audit.Payloads;

/// <summary>What a booking's entry (1001) says beyond who and which record: that it was a retry answered from the first
/// booking (idempotency key), or the reason a records administrator gave for a booking backdated beyond the plausible
/// window (clipped as every audited free text is). A plain booking carries neither.</summary>
public sealed record ArrestBookedV1(bool IdempotentReplay = false, string? BackdatingReason = null) : IAuditPayload<ArrestBookedV1>
{
    public static AuditPayloadSchema Schema { get; } = new("arrest-booked", 1, [AuditEventType.ArrestBooked]);

    public static ArrestBookedV1 FromDetails(IReadOnlyDictionary<string, string> details) =>
        new(details.Text("idempotentReplay") == "true", details.Text("backdatingReason"));
}

/// <summary>One batch of the bulk writer (9002): how many arrests, the first and last arrest numbers.</summary>
public sealed record ArrestsBatchWrittenV1(int Arrests, string FirstArrest, string LastArrest) : IAuditPayload<ArrestsBatchWrittenV1>
{
    public static AuditPayloadSchema Schema { get; } = new("arrests-batch-written", 1, [AuditEventType.ArrestsBatchWritten]);

    public static ArrestsBatchWrittenV1 FromDetails(IReadOnlyDictionary<string, string> details) =>
        new(details.Int("arrests") ?? 0, details.Text("firstArrest") ?? "", details.Text("lastArrest") ?? "");
}

/// <summary>A whole synthetic load (`openpars seed`, `openpars demo`; 9001): how many arrests, from which seed.</summary>
public sealed record ArrestsSeededV1(int Arrests, int Seed) : IAuditPayload<ArrestsSeededV1>
{
    public static AuditPayloadSchema Schema { get; } = new("arrests-seeded", 1, [AuditEventType.ArrestsSeeded]);

    public static ArrestsSeededV1 FromDetails(IReadOnlyDictionary<string, string> details) => new(details.Int("arrests") ?? 0, details.Int("seed") ?? 0);
}

/// <summary>Events an older schema held, bound to the log once after migration (6006): how many, which positions.</summary>
public sealed record EventsAdoptedV1(int LegacyEvents, long FirstPosition, long LastPosition) : IAuditPayload<EventsAdoptedV1>
{
    public static AuditPayloadSchema Schema { get; } = new("events-adopted", 1, [AuditEventType.EventsAdopted]);

    public static EventsAdoptedV1 FromDetails(IReadOnlyDictionary<string, string> details) =>
        new(details.Int("legacyEvents") ?? 0, details.Long("firstPosition") ?? 0, details.Long("lastPosition") ?? 0);
}

/// <summary>The log handed out (`openpars audit export`; 6005): the entries [first, end) exported.</summary>
public sealed record AuditExportedV1(long FirstIndex, long EndIndex) : IAuditPayload<AuditExportedV1>
{
    public static AuditPayloadSchema Schema { get; } = new("audit-exported", 1, [AuditEventType.AuditExported]);

    public static AuditExportedV1 FromDetails(IReadOnlyDictionary<string, string> details) => new(details.Long("firstIndex") ?? 0, details.Long("endIndex") ?? 0);
}

/// <summary>The signing key rotated (14051): the key ids (hex, c2sp signed-note key ID) before and after.</summary>
public sealed record AuditKeyRotatedV1(string OldKeyId, string NewKeyId) : IAuditPayload<AuditKeyRotatedV1>
{
    public static AuditPayloadSchema Schema { get; } = new("audit-key-rotated", 1, [AuditEventType.AuditKeyRotated]);

    public static AuditKeyRotatedV1 FromDetails(IReadOnlyDictionary<string, string> details) => new(details.Text("oldKeyId") ?? "", details.Text("newKeyId") ?? "");
}

/// <summary>A backup written (14052): the provider and the tree size the copy holds.</summary>
public sealed record StoreBackedUpV1(string Provider, long TreeSize) : IAuditPayload<StoreBackedUpV1>
{
    public static AuditPayloadSchema Schema { get; } = new("store-backed-up", 1, [AuditEventType.StoreBackedUp]);

    public static StoreBackedUpV1 FromDetails(IReadOnlyDictionary<string, string> details) => new(details.Text("provider") ?? "", details.Long("treeSize") ?? 0);
}

/// <summary>A backup restored (14053, or 14054 when forced over a newer published checkpoint): the backup's tree size and
/// the largest tree size the system had published before the restore.</summary>
public sealed record StoreRestoredV1(string Provider, long TreeSize, long PublishedTreeSize) : IAuditPayload<StoreRestoredV1>
{
    public static AuditPayloadSchema Schema { get; } = new("store-restored", 1, [AuditEventType.StoreRestored, AuditEventType.StoreRestoreForced]);

    public static StoreRestoredV1 FromDetails(IReadOnlyDictionary<string, string> details) =>
        new(details.Text("provider") ?? "", details.Long("treeSize") ?? 0, details.Long("publishedTreeSize") ?? 0);
}
