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
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _reading = new(1, 1);
    private DbCommand? _reader;
    private long _arrivals;
    private Flight? _flight;
    private TaskCompletionSource<long>? _pending;

    /// <summary>Generation reads issued to the database (for tests and the benchmark).</summary>
    public long GenerationReads => Interlocked.Read(ref _generationReads);

    private long _generationReads;

    /// <summary>Connections the cache has opened for its reads (one, unless one broke).</summary>
    public long ConnectionsOpened => Interlocked.Read(ref _connectionsOpened);

    private long _connectionsOpened;

    /// <summary>Advances the credential generation inside the caller's transaction: once it commits, no process
    /// trusts an entry cached before it.</summary>
    /// <param name="db">The context whose transaction makes the credential change.</param>
    /// <param name="ct">Cancels the statement.</param>
    public static async Task AdvanceAsync(OpenParsDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        await db.Database.SqlQuery<long>(db.AdvanceCounterSql(GenerationCounter, 1)).ToListAsync(ct);
    }

    /// <summary>The generation as committed now, read on the cache's own connection, shared with requests that arrived
    /// before the read was issued.</summary>
    /// <remarks>At most one read is in flight and one is pending: a request that arrives while a read is in flight
    /// (issued before it arrived, so not one it may use) joins the pending read, issued as soon as the one in flight
    /// ends. So the check costs one connection whatever the load. It used to issue a read — and keep a connection
    /// open — per overlapping arrival: 200 concurrent clients on PostgreSQL took the whole pool (100) into the cache's
    /// keeping and every request after waited for a connection that never came back (Cli.Tests/Faults/KillUnderLoadTests).</remarks>
    internal Task<long> CurrentGenerationAsync(OpenParsDbContext db)
    {
        var arrival = Interlocked.Increment(ref _arrivals);
        TaskCompletionSource<long> pending;
        lock (_gate)
        {
            if (_flight is { } flight && flight.IssuedAfter >= arrival)
            {
                return flight.Generation.Task;
            }

            if (_pending is { } waiting)
            {
                return waiting.Task;
            }

            pending = _pending = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        return IssueAsync(db, pending);
    }

    /// <summary>Waits for the read in flight to end, then issues the pending one: everyone who joined it arrived
    /// before this instant, the read's <see cref="Flight.IssuedAfter"/>.</summary>
    private async Task<long> IssueAsync(OpenParsDbContext db, TaskCompletionSource<long> pending)
    {
        await _reading.WaitAsync(CancellationToken.None);
        try
        {
            lock (_gate)
            {
                _pending = null;
                _flight = new Flight(Interlocked.Read(ref _arrivals), pending);
            }

            var generation = await ReadGenerationAsync(db);
            pending.SetResult(generation);
            return generation;
        }
        catch (Exception e)
        {
            pending.SetException(e);
            throw;
        }
        finally
        {
            _reading.Release();
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

    /// <summary>One primary-key read on the cache's own connection (opened on first use, kept open with the statement
    /// prepared: the read is shared, so no one request's context or cancellation may own it). Only ever called while
    /// holding <see cref="_reading"/>.</summary>
    private async Task<long> ReadGenerationAsync(OpenParsDbContext db)
    {
        if (_reader is null)
        {
            var template = db.Database.GetDbConnection();
            var connection = DbProviderFactories.GetFactory(template)!.CreateConnection()!;
            connection.ConnectionString = db.Database.GetConnectionString();
            await connection.OpenAsync(CancellationToken.None);
            Interlocked.Increment(ref _connectionsOpened);
            var command = connection.CreateCommand();
            command.CommandText = "SELECT value FROM counters WHERE name = @name";
            var name = command.CreateParameter();
            name.ParameterName = "@name";
            name.Value = GenerationCounter;
            command.Parameters.Add(name);
            await command.PrepareAsync(CancellationToken.None);
            _reader = command;
        }

        try
        {
            Interlocked.Increment(ref _generationReads);
            var value = await _reader.ExecuteScalarAsync(CancellationToken.None);
            return value is null or DBNull ? 0 : Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
        }
        catch
        {
            // A broken connection is not used again: the next read opens a new one.
            var connection = _reader.Connection;
            await _reader.DisposeAsync();
            _reader = null;
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>Closes the connection kept for generation reads.</summary>
    public void Dispose()
    {
        var connection = _reader?.Connection;
        _reader?.Dispose();
        connection?.Dispose();
        _reader = null;
        _reading.Dispose();
    }

    private sealed record Entry(Caller Caller, DateTimeOffset? ExpiresAt, long Generation);

    private sealed record Flight(long IssuedAfter, TaskCompletionSource<long> Generation);
}
