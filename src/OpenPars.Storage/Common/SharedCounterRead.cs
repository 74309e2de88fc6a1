using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace OpenPars.Storage.Common;

/// <summary>
/// One <c>counters</c> row read as committed now, on a connection of its own (one, whatever the load), shared between
/// concurrent requests: a request may use a read only if that read was issued after the request arrived (so after any
/// write its client had seen committed), which under load is one read per round trip instead of one per request. The
/// generation-tagged caches (<c>CredentialCache</c>, <c>AgreementCache</c>) use it for their freshness check.
/// </summary>
/// <param name="counter">The <c>counters</c> row read (0 while it does not exist).</param>
public sealed class SharedCounterRead(string counter) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _reading = new(1, 1);
    private DbCommand? _reader;
    private long _arrivals;
    private Flight? _flight;
    private TaskCompletionSource<long>? _pending;
    private long _reads;
    private long _connectionsOpened;

    /// <summary>The <c>counters</c> row read.</summary>
    public string Counter { get; } = counter;

    /// <summary>Reads issued to the database (for tests and the benchmark).</summary>
    public long Reads => Interlocked.Read(ref _reads);

    /// <summary>Connections opened for the reads (one, unless one broke).</summary>
    public long ConnectionsOpened => Interlocked.Read(ref _connectionsOpened);

    /// <summary>The counter as committed now, read on the reader's own connection, shared with requests that arrived
    /// before the read was issued.</summary>
    /// <remarks>At most one read is in flight and one is pending: a request that arrives while a read is in flight
    /// (issued before it arrived, so not one it may use) joins the pending read, issued as soon as the one in flight
    /// ends. So the check costs one connection whatever the load. It used to issue a read — and keep a connection
    /// open — per overlapping arrival: 200 concurrent clients on PostgreSQL took the whole pool (100) into the cache's
    /// keeping and every request after waited for a connection that never came back (Cli.Tests/Faults/KillUnderLoadTests).</remarks>
    /// <param name="db">A context on the store (its connection string and provider open the reader's own connection).</param>
    public Task<long> CurrentAsync(OpenParsDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        var arrival = Interlocked.Increment(ref _arrivals);
        TaskCompletionSource<long> pending;
        lock (_gate)
        {
            if (_flight is { } flight && flight.IssuedAfter >= arrival)
            {
                return flight.Value.Task;
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

            var value = await ReadAsync(db);
            pending.SetResult(value);
            return value;
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

    /// <summary>One primary-key read on the reader's own connection (opened on first use, kept open with the statement
    /// prepared: the read is shared, so no one request's context or cancellation may own it). Only ever called while
    /// holding <see cref="_reading"/>.</summary>
    private async Task<long> ReadAsync(OpenParsDbContext db)
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
            name.Value = Counter;
            command.Parameters.Add(name);
            await command.PrepareAsync(CancellationToken.None);
            _reader = command;
        }

        try
        {
            Interlocked.Increment(ref _reads);
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

    /// <summary>Closes the connection kept for the reads.</summary>
    public void Dispose()
    {
        var connection = _reader?.Connection;
        _reader?.Dispose();
        connection?.Dispose();
        _reader = null;
        _reading.Dispose();
    }

    private sealed record Flight(long IssuedAfter, TaskCompletionSource<long> Value);
}
