using OpenPars.Core.Audit;
using OpenPars.Core.Audit.Payloads;

namespace OpenPars.Storage.Audit;

/// <summary>Where a request came from, for its audit entry: the channel, the caller, the client, the request line.</summary>
public sealed record AuditOrigin(string Channel, AuditActor? Actor, string? ClientAddress, string? Method, string? Path, string? OsUser = null)
{
    /// <summary>A CLI command: run by an operating-system user with direct access to the store, not by an OpenPARS user.</summary>
    public static AuditOrigin Cli(string command) =>
        new("cli", null, null, "CLI", command, Environment.UserName);
}

/// <summary>
/// The audit of one unit of work (an HTTP request, a CLI command). Writes append their entry inside their own
/// transaction (<see cref="AppendInTransactionAsync(OpenParsDbContext, AuditEventType, IEnumerable{string}, CancellationToken)"/>); reads and refusals are committed through the group
/// writer (<see cref="CommitAsync"/>) before the answer leaves. Handlers note what they touched here.
/// </summary>
public sealed class AuditTrail(AuditLog log, IAuditEntrySink? writer, TimeProvider clock)
{
    private readonly List<string> _records = [];
    private readonly List<string> _requested = [];
    private readonly Dictionary<string, string> _criteria = new(StringComparer.Ordinal);
    private AuditPayload? _payload;

    public AuditOrigin Origin { get; set; } = new("unknown", null, null, null, null);

    /// <summary>The event the endpoint or command records (set from endpoint metadata for HTTP).</summary>
    public AuditEventType? EventType { get; set; }

    /// <summary>True once this unit of work has its entry; a second is never written.</summary>
    public bool Recorded { get; private set; }

    public void Touched(IEnumerable<string> arrestNumbers) => _records.AddRange(arrestNumbers);

    public void Touched(string arrestNumber) => _records.Add(arrestNumber);

    /// <summary>Notes an arrest number the request named, recorded even when the request is refused.</summary>
    public void Requested(string arrestNumber)
    {
        if (!_requested.Contains(arrestNumber, StringComparer.Ordinal))
        {
            _requested.Add(arrestNumber);
        }
    }

    public void Criterion(string name, string? value)
    {
        if (value is not null)
        {
            _criteria[name] = value;
        }
    }

    /// <summary>Sets what the entry says beyond the common members: the event family's typed payload (the last one set
    /// is written). A use case that learns its facts step by step sets the payload again with each.</summary>
    public void Payload<T>(T payload)
        where T : IAuditPayload<T> => _payload = AuditPayloads.Write(payload);

    /// <summary>Appends the entry of a write inside the write's transaction.</summary>
    public Task AppendInTransactionAsync(OpenParsDbContext db, AuditEventType type, IEnumerable<string> records, CancellationToken ct = default) =>
        AppendInTransactionAsync(db, type, records, [], status: null, ct);

    /// <summary>Appends an entry inside the caller's transaction with the answer's HTTP <paramref name="status"/>:
    /// a read that writes with its entry (a partner request and its quota reservation).</summary>
    public Task AppendInTransactionAsync(OpenParsDbContext db, AuditEventType type, IEnumerable<string> records, int? status, CancellationToken ct = default) =>
        AppendInTransactionAsync(db, type, records, [], status, ct);

    /// <summary>Appends the entry of a write that recorded events (their hashes are the entry's <c>events</c>), inside
    /// the write's transaction. Called by <see cref="Events.EventLog"/>, the one append path of events.</summary>
    /// <returns>The entry's index.</returns>
    public Task<long> AppendInTransactionAsync(OpenParsDbContext db, AuditEventType type, IEnumerable<string> records, IReadOnlyList<string> eventHashes, CancellationToken ct = default) =>
        AppendInTransactionAsync(db, type, records, eventHashes, status: null, ct);

    private async Task<long> AppendInTransactionAsync(OpenParsDbContext db, AuditEventType type, IEnumerable<string> records, IReadOnlyList<string> eventHashes, int? status, CancellationToken ct)
    {
        EventType = type;
        Touched(records);
        long index;
        try
        {
            index = await log.AppendAsync(db, [Build(AuditOutcome.Allowed, code: null, status) with { Events = eventHashes }], ct);
        }
        catch (Exception e) when (e is not OperationCanceledException and not AuditUnavailableException)
        {
            // The caller's transaction is rolled back with it: the write does not happen without its entry.
            throw new AuditUnavailableException("The audit entry of this write could not be appended.", e);
        }

        Recorded = true;

        // A CLI command may make several writes, each its own entry: the notes belonged to this one.
        _records.Clear();
        _requested.Clear();
        _criteria.Clear();
        _payload = null;
        return index;
    }

    /// <summary>Commits the entry of a read or a refusal, and returns once it is durable.</summary>
    public async Task CommitAsync(AuditOutcome outcome, string? code, int status)
    {
        if (Recorded || EventType is null)
        {
            return;
        }

        var entry = Build(outcome, code, status);
        if (writer is null)
        {
            throw new InvalidOperationException("This audit trail has no group writer; use AppendInTransactionAsync.");
        }

        await writer.AppendAsync(entry);
        Recorded = true;
    }

    private AuditEntry Build(AuditOutcome outcome, string? code, int? status) => new()
    {
        Type = EventType!.Value,
        Time = clock.GetUtcNow(),
        Outcome = outcome,
        Code = code,
        Status = status,
        Actor = Origin.Actor,
        Channel = Origin.Channel,
        ClientAddress = Origin.ClientAddress,
        Method = Origin.Method,
        Path = Origin.Path,
        Records = _records.ToList(),
        Requested = _requested.ToList(),
        Criteria = _criteria.Count == 0 ? null : new Dictionary<string, string>(_criteria),
        Payload = _payload,
        OsUser = Origin.OsUser,
    };
}
