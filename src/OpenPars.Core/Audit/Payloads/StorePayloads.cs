namespace OpenPars.Core.Audit.Payloads;

/// <summary>A booking retried with the same idempotency key (1001), answered from the first booking without a write.</summary>
public sealed record BookingReplayedV1(bool IdempotentReplay) : IAuditPayload<BookingReplayedV1>
{
    public static AuditPayloadSchema Schema { get; } = new("booking-replayed", 1, [AuditEventType.ArrestBooked]);

    public static BookingReplayedV1 FromDetails(IReadOnlyDictionary<string, string> details) => new(details.Text("idempotentReplay") == "true");
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
