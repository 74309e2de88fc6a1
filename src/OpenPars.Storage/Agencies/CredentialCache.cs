using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using OpenPars.Core.Agencies;
using OpenPars.Storage.Common;

namespace OpenPars.Storage.Agencies;

/// <summary>
/// The token check without its join: who a token's hash belongs to is kept in memory, tagged with the credential
/// generation (the <c>counters</c> row <see cref="GenerationCounter"/>) it was read under. Every write that can change
/// what a token authenticates as (a revocation, a change of roles) advances the generation in its own transaction
/// (<see cref="AdvanceAsync"/>), and every request reads the generation from the database before it trusts a cached
/// entry. So a revoked token fails on the very next request in every process on the store, however many there are;
/// what a request saves is the token query (three tables through EF), not the freshness check.
/// <para>
/// The generation read is one primary-key lookup on a connection of its own (one, whatever the load), and concurrent
/// requests share it: a request may use a read only if that read was issued after the request arrived (so after any
/// revocation its client had seen committed), which under load is one read per round trip instead of one per request.
/// </para>
/// Unknown, revoked or expired tokens are never cached; an entry's expiry is checked on every use; the cache is
/// emptied when it reaches <see cref="Capacity"/>.
/// </summary>
public sealed class CredentialCache : IDisposable
{
    /// <summary>The <c>counters</c> row every credential change advances.</summary>
    public const string GenerationCounter = "credential-generation";

    /// <summary>Most tokens kept at once; past it the cache starts over.</summary>
    public const int Capacity = 50_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly SharedCounterRead _generation = new(GenerationCounter);

    /// <summary>Generation reads issued to the database (for tests and the benchmark).</summary>
    public long GenerationReads => _generation.Reads;

    /// <summary>Connections the cache has opened for its reads (one, unless one broke).</summary>
    public long ConnectionsOpened => _generation.ConnectionsOpened;

    /// <summary>Advances the credential generation inside the caller's transaction: once it commits, no process
    /// trusts an entry cached before it.</summary>
    /// <param name="db">The context whose transaction makes the credential change.</param>
    /// <param name="ct">Cancels the statement.</param>
    public static async Task AdvanceAsync(OpenParsDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        await db.Database.SqlQuery<long>(db.AdvanceCounterSql(GenerationCounter, 1)).ToListAsync(ct);
    }

    /// <summary>The generation as committed now (<see cref="SharedCounterRead.CurrentAsync"/>: shared with requests
    /// that arrived before the read was issued, on one connection whatever the load).</summary>
    internal Task<long> CurrentGenerationAsync(OpenParsDbContext db) => _generation.CurrentAsync(db);

    internal bool TryGet(string hashKey, long generation, DateTimeOffset now, out Caller caller)
    {
        if (_entries.TryGetValue(hashKey, out var entry) && entry.Generation == generation && (entry.ExpiresAt is not { } expires || expires > now))
        {
            caller = entry.Caller;
            return true;
        }

        caller = null!;
        return false;
    }

    internal void Put(string hashKey, long generation, DateTimeOffset? expiresAt, Caller caller)
    {
        if (_entries.Count >= Capacity)
        {
            _entries.Clear();
        }

        _entries[hashKey] = new Entry(caller, expiresAt, generation);
    }

    /// <summary>Closes the connection kept for generation reads.</summary>
    public void Dispose() => _generation.Dispose();

    private sealed record Entry(Caller Caller, DateTimeOffset? ExpiresAt, long Generation);
}
