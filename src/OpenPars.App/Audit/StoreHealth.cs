using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenPars.App.Hosting;
using OpenPars.Core.Common;
using OpenPars.Storage;
using OpenPars.Storage.Events;

namespace OpenPars.App.Audit;

/// <summary>What <c>/healthz</c> says: running, and whether the event log is vouched for by the audit log.</summary>
/// <param name="Status"><c>ok</c>; <c>damaged</c> when an event is unbound, forged or altered; <c>unavailable</c> when the database cannot be read or written.</param>
/// <param name="Code">PARS-AUD-004 when damaged, PARS-SRV-100 when unavailable.</param>
/// <param name="Damage">The kind of damage found (e.g. <c>EventInserted</c>).</param>
/// <param name="Problem">What is wrong, in words (positions and entry indexes only, never a record's content).</param>
/// <param name="Dependency">The failing dependency when unavailable: <c>database</c>.</param>
public sealed record StoreHealthReport(string Status, string? Code = null, string? Damage = null, string? Problem = null, string? Dependency = null);

/// <summary>
/// The store's integrity for the health endpoint: <see cref="StoreIntegrity.CheckAsync"/> at most once per
/// <see cref="CacheFor"/> (a health probe every second must not become a scan every second), so a tampered store is
/// reported within seconds. Partner decisions never rely on this cache: every load checks its own events.
/// </summary>
public sealed class StoreHealth(IServiceScopeFactory scopes, TimeProvider clock) : IDisposable
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private (StoreHealthReport Report, DateTimeOffset At)? _last;

    public async Task<StoreHealthReport> CheckAsync(CancellationToken ct = default)
    {
        if (_last is { } last && clock.GetUtcNow() - last.At < CacheFor)
        {
            return last.Report;
        }

        await _gate.WaitAsync(ct);
        try
        {
            if (_last is { } again && clock.GetUtcNow() - again.At < CacheFor)
            {
                return again.Report;
            }

            StoreHealthReport report;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<OpenParsDbContext>();
                await ProbeWriteAsync(db, ct);
                var found = await StoreIntegrity.CheckAsync(db, ct);
                report = found.Intact ? new StoreHealthReport("ok") : new StoreHealthReport("damaged", found.Code, found.Damage.ToString(), found.Problem);
                if (found.Intact && _lastFailure is { } failure && clock.GetUtcNow() - failure.At < CacheFor)
                {
                    // The probe's one-page write can pass on a full disk (SQLite reuses its WAL) while requests that
                    // need new pages fail: a request's database failure counts until CacheFor has passed without one.
                    report = new StoreHealthReport("unavailable", ErrorCodes.DatabaseUnavailable, Problem: $"Requests failed on the database moments ago ({failure.What}).", Dependency: "database");
                }
                else
                {
                    _last = (report, clock.GetUtcNow());
                }
            }
            catch (Exception e) when (OpenParsDatabase.IsUnavailable(e))
            {
                // Not cached: the first probe after the database is back reports ok.
                report = new StoreHealthReport("unavailable", ErrorCodes.DatabaseUnavailable, Problem: $"The database cannot be read or written ({Describe(e)}).", Dependency: "database");
                _last = null;
            }

            return report;
        }
        finally
        {
            _gate.Release();
        }
    }

    private (DateTimeOffset At, string What)? _lastFailure;

    /// <summary>Called when a request failed because the database is unavailable: health reports it (without
    /// caching an earlier ok) until <see cref="CacheFor"/> passes without another.</summary>
    public void RecordUnavailable(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        _lastFailure = (clock.GetUtcNow(), Describe(exception));
        _last = null;
    }

    public void Dispose() => _gate.Dispose();

    /// <summary>A committed write that changes nothing (the log head set to itself): a read-only, full or unreachable
    /// database fails it, where a read would still pass.</summary>
    private static async Task ProbeWriteAsync(OpenParsDbContext db, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlRawAsync("UPDATE audit_head SET size = size WHERE id = 1", ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>The exception's kind and code, never its message (which may name a host or path an outsider should not learn beyond this).</summary>
    private static string Describe(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case Npgsql.PostgresException postgres:
                    return $"PostgreSQL SQLSTATE {postgres.SqlState}";
                case Npgsql.NpgsqlException:
                    return "PostgreSQL does not answer";
                case Microsoft.Data.Sqlite.SqliteException sqlite:
                    return $"SQLite error {sqlite.SqliteErrorCode.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
            }
        }

        return e.GetType().Name;
    }
}
