using Microsoft.Extensions.DependencyInjection;
using OpenPars.Storage;
using OpenPars.Storage.Events;

namespace OpenPars.App.Audit;

/// <summary>What <c>/healthz</c> says: running, and whether the event log is vouched for by the audit log.</summary>
/// <param name="Status"><c>ok</c>, or <c>damaged</c> when an event is unbound, forged or altered.</param>
/// <param name="Code">PARS-AUD-004 when damaged.</param>
/// <param name="Damage">The kind of damage found (e.g. <c>EventInserted</c>).</param>
/// <param name="Problem">What is wrong, in words (positions and entry indexes only, never a record's content).</param>
public sealed record StoreHealthReport(string Status, string? Code = null, string? Damage = null, string? Problem = null);

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

            await using var scope = scopes.CreateAsyncScope();
            var found = await StoreIntegrity.CheckAsync(scope.ServiceProvider.GetRequiredService<OpenParsDbContext>(), ct);
            var report = found.Intact ? new StoreHealthReport("ok") : new StoreHealthReport("damaged", found.Code, found.Damage.ToString(), found.Problem);
            _last = (report, clock.GetUtcNow());
            return report;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
