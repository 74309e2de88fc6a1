using OpenPars.Core.Arrests;
using OpenPars.Storage.Agencies;

namespace OpenPars.Storage.Demo;

/// <summary>Fills a migrated store with the demo: identities first, then <c>arrests</c> synthetic arrests ending at the clock's now.</summary>
public static class DemoSeeder
{
    public const int DefaultArrests = 5000;

    /// <param name="contextFactory">Makes a fresh context on the store (one per batch; the caller has migrated it).</param>
    /// <param name="progress">Arrests written so far, after each batch.</param>
    /// <returns>The demo users' credentials, tokens included.</returns>
    public static async Task<IReadOnlyList<DemoCredential>> SeedAsync(
        Func<OpenParsDbContext> contextFactory,
        ReferenceData reference,
        TimeProvider clock,
        int arrests = DefaultArrests,
        int seed = 1,
        IProgress<int>? progress = null,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(contextFactory);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentOutOfRangeException.ThrowIfNegative(arrests);

        IReadOnlyList<DemoCredential> credentials;
        DemoActors actors;
        await using (var db = contextFactory())
        {
            credentials = await DemoIdentities.SeedAsync(db, new IdentityStore(db, clock), ct);
            actors = await DemoIdentities.ActorsAsync(db, ct);
        }

        var generator = new DemoDataGenerator(reference, seed, clock.GetUtcNow());
        await new BulkArrestWriter(contextFactory, reference, actors).WriteAsync(generator.Generate(arrests), progress, ct);
        return credentials;
    }
}
