using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using OpenPars.Core.Charter;
using OpenPars.Storage.Common;
using OpenPars.Storage.Events;

namespace OpenPars.Storage.Agreements;

/// <summary>What governs a partner's requests, as verified at one agreement generation: every agreement naming the
/// partner with its events (each checked against its audit entry when read), and the stored charters with the
/// partner agency's kind. Nothing here is a status: the status is derived from these events at each request's instant.</summary>
/// <param name="Agreements">Every agreement naming the partner, oldest first (<see cref="AgreementStore.ListForPartnerAsync"/>).</param>
/// <param name="Governing">The stored charters and the partner agency's stored kind.</param>
public sealed record PartnerStreams(IReadOnlyList<StoredAgreement> Agreements, GoverningCharter Governing);

/// <summary>
/// The governed partner search without its loads: a partner's agreement streams and the charter (<see cref="PartnerStreams"/>)
/// kept in memory per partner agency, tagged with the agreement generation (the <c>counters</c> row
/// <see cref="GenerationCounter"/>) they were read at. Every agreement or charter event advances the generation in the
/// transaction that appends it (<see cref="EventLog.AppendAsync"/>: a draft, proposal, vote, withdrawal, suspension,
/// amendment or adoption, whichever process or command writes it), and every request reads the generation from the
/// database before it trusts a cached entry (<see cref="SharedCounterRead"/>: one primary-key read, shared between
/// concurrent requests). So a new agreement event bites on the very next request in every process on the store, and
/// what is cached is only ever the verified stream of one generation: the status, the agreement in force, expiry and
/// notice are re-derived from the injected clock on every request.
/// <para>
/// The generation is read <b>before</b> the streams: a write committed between the two makes the next request read
/// a newer generation and load again, never the reverse (newer streams under an older tag are harmless; older streams
/// under a newer tag are what must never happen). A load that refuses (a store the log does not vouch for) is not cached.
/// </para>
/// </summary>
public sealed class AgreementCache : IDisposable
{
    /// <summary>The <c>counters</c> row every agreement and charter event advances.</summary>
    public const string GenerationCounter = "agreement-generation";

    /// <summary>Most partner agencies kept at once; past it the cache starts over.</summary>
    public const int Capacity = 10_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly SharedCounterRead _generation = new(GenerationCounter);
    private long _loads;

    /// <summary>Generation reads issued to the database (for tests and the benchmark).</summary>
    public long GenerationReads => _generation.Reads;

    /// <summary>Streams loaded from the store because no entry of the current generation was kept (for tests and the benchmark).</summary>
    public long Loads => Interlocked.Read(ref _loads);

    /// <summary>Advances the agreement generation inside the caller's transaction: once it commits, no process trusts
    /// streams cached before it.</summary>
    /// <param name="db">The context whose transaction appends the agreement or charter event.</param>
    /// <param name="ct">Cancels the statement.</param>
    public static async Task AdvanceAsync(OpenParsDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        await db.Database.SqlQuery<long>(db.AdvanceCounterSql(GenerationCounter, 1)).ToListAsync(ct);
    }

    /// <summary>The partner's streams at the generation committed now: the kept ones when they were read at it, else
    /// <paramref name="load"/>'s, kept under the generation read before it ran.</summary>
    /// <param name="db">A context on the store (for the generation read).</param>
    /// <param name="partnerAgency">The partner agency's code.</param>
    /// <param name="load">Reads and verifies the streams from the store.</param>
    public async Task<PartnerStreams> GetAsync(OpenParsDbContext db, string partnerAgency, Func<Task<PartnerStreams>> load)
    {
        ArgumentNullException.ThrowIfNull(load);
        var generation = await _generation.CurrentAsync(db);
        if (_entries.TryGetValue(partnerAgency, out var kept) && kept.Generation == generation)
        {
            return kept.Streams;
        }

        Interlocked.Increment(ref _loads);
        var streams = await load();
        if (_entries.Count >= Capacity)
        {
            _entries.Clear();
        }

        // A concurrent request may have kept a newer generation's streams meanwhile: never replace them with older ones.
        _entries.AddOrUpdate(partnerAgency, new Entry(streams, generation), (_, other) => other.Generation > generation ? other : new Entry(streams, generation));
        return streams;
    }

    /// <summary>Closes the connection kept for generation reads.</summary>
    public void Dispose() => _generation.Dispose();

    private sealed record Entry(PartnerStreams Streams, long Generation);
}
