using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using OpenPars.Core.Agencies;

namespace OpenPars.Storage.Agencies;

/// <summary>
/// The token check without its join: who a token's hash belongs to is kept in memory, tagged with the credential
/// generation (the <c>counters</c> row <see cref="GenerationCounter"/>) it was read under. Every write that can change
/// what a token authenticates as (a revocation, a change of roles) advances the generation in its own transaction
/// (<see cref="AdvanceAsync"/>), and every request reads the generation from the database before it trusts a cached
/// entry. So a revoked token fails on the very next request in every process on the store, however many there are;
/// what a request saves is the token query (three tables through EF), not the freshness check.
/// <para>
/// The generation read is one primary-key lookup on a pooled connection of its own, and concurrent requests share
/// it: a request may use a read only if that read was issued after the request arrived (so after any revocation
/// its client had seen committed), which under load is one read per round trip instead of one per request.
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
    private readonly Lock _gate = new();
    private readonly ConcurrentBag<DbCommand> _readers = [];
    private long _arrivals;
    private Flight? _flight;

    /// <summary>Generation reads issued to the database (for tests and the benchmark).</summary>
    public long GenerationReads => Interlocked.Read(ref _generationReads);

    private long _generationReads;

    /// <summary>Advances the credential generation inside the caller's transaction: once it commits, no process
    /// trusts an entry cached before it.</summary>
    /// <param name="db">The context whose transaction makes the credential change.</param>
    /// <param name="ct">Cancels the statement.</param>
    public static async Task AdvanceAsync(OpenParsDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        await db.Database.SqlQuery<long>(db.AdvanceCounterSql(GenerationCounter, 1)).ToListAsync(ct);
    }

    /// <summary>The generation as committed now, read on a connection of the same kind as <paramref name="db"/>'s, shared
    /// with requests that arrived before the read was issued.</summary>
    internal Task<long> CurrentGenerationAsync(OpenParsDbContext db)
    {
        var arrival = Interlocked.Increment(ref _arrivals);
        TaskCompletionSource<long> mine;
        lock (_gate)
        {
            if (_flight is { } flight && flight.IssuedAfter >= arrival)
            {
                return flight.Generation.Task;
            }

            // Everyone who has arrived so far arrived before this read is issued. The read itself runs outside the
            // lock (SQLite's "async" calls complete synchronously: inside it they would serialize every request).
            mine = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            _flight = new Flight(Interlocked.Read(ref _arrivals), mine);
        }

        return ReadIntoAsync(db, mine);
    }

    private async Task<long> ReadIntoAsync(OpenParsDbContext db, TaskCompletionSource<long> flight)
    {
        try
        {
            var generation = await ReadGenerationAsync(db);
            flight.SetResult(generation);
            return generation;
        }
        catch (Exception e)
        {
            flight.SetException(e);
            throw;
        }
    }

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

    private async Task<long> ReadGenerationAsync(OpenParsDbContext db)
    {
        // Connections of its own, kept open with the statement prepared: the read is shared, so no one request's
        // context or cancellation may own it, and a read per round trip should not pay an open and a prepare.
        if (!_readers.TryTake(out var reader))
        {
            var template = db.Database.GetDbConnection();
            var connection = DbProviderFactories.GetFactory(template)!.CreateConnection()!;
            connection.ConnectionString = db.Database.GetConnectionString();
            await connection.OpenAsync(CancellationToken.None);
            var command = connection.CreateCommand();
            command.CommandText = "SELECT value FROM counters WHERE name = @name";
            var name = command.CreateParameter();
            name.ParameterName = "@name";
            name.Value = GenerationCounter;
            command.Parameters.Add(name);
            await command.PrepareAsync(CancellationToken.None);
            reader = command;
        }

        try
        {
            Interlocked.Increment(ref _generationReads);
            var value = await reader.ExecuteScalarAsync(CancellationToken.None);
            _readers.Add(reader);
            return value is null or DBNull ? 0 : Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
        }
        catch
        {
            // A broken connection is not handed out again.
            var connection = reader.Connection;
            await reader.DisposeAsync();
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>Closes the connections kept for generation reads.</summary>
    public void Dispose()
    {
        while (_readers.TryTake(out var reader))
        {
            var connection = reader.Connection;
            reader.Dispose();
            connection?.Dispose();
        }
    }

    private sealed record Entry(Caller Caller, DateTimeOffset? ExpiresAt, long Generation);

    private sealed record Flight(long IssuedAfter, TaskCompletionSource<long> Generation);
}
