using OpenPars.Core.Arrests;
using Microsoft.EntityFrameworkCore;
using OpenPars.Core.Audit;
using OpenPars.Core.Audit.Payloads;
using OpenPars.Storage.Agencies;
using OpenPars.Storage.Audit;

using OpenPars.Storage;
using OpenPars.Storage.Common;
using OpenPars.Storage.Arrests;

namespace OpenPars.Demo;

/// <summary>Fills a migrated store with the demo: identities first, then <c>arrests</c> synthetic arrests ending at the clock's now.</summary>
public static class DemoSeeder
{
    /// <summary>How many arrests `openpars demo` seeds unless told.</summary>
    public const int DefaultArrests = 5000;

    /// <param name="contextFactory">Makes a fresh context on the store (one per batch; the caller has migrated it).</param>
    /// <param name="reference">The statutes and districts the arrests are drawn from and checked against.</param>
    /// <param name="clock">The demo ends at its now; agreements start then.</param>
    /// <param name="audit">The trail every write is recorded through.</param>
    /// <param name="secrets">The secret boxes the demo users' TOTP secrets are sealed with.</param>
    /// <param name="arrests">How many synthetic arrests.</param>
    /// <param name="seed">The same seed gives the same arrests.</param>
    /// <param name="progress">Arrests written so far, after each batch.</param>
    /// <param name="ct">Stops between batches.</param>
    /// <returns>The demo users' credentials, tokens included.</returns>
    public static async Task<IReadOnlyList<DemoCredential>> SeedAsync(
        Func<OpenParsDbContext> contextFactory,
        ReferenceData reference,
        TimeProvider clock,
        AuditTrail audit,
        SecretBoxes secrets,
        int arrests = DefaultArrests,
        int seed = 1,
        IProgress<int>? progress = null,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(contextFactory);
        ArgumentOutOfRangeException.ThrowIfNegative(arrests);

        IReadOnlyList<DemoCredential> credentials;
        await using (var db = contextFactory())
        {
            credentials = await DemoIdentities.SeedAsync(db, new IdentityStore(db, clock, audit), new SignInStore(db, clock, audit, secrets), ct);
            await DemoAgreements.SeedAsync(db, clock, audit, ct);
        }

        await SeedArrestsAsync(contextFactory, reference, clock, audit, arrests, seed, progress, ct);
        return credentials;
    }

    /// <summary>Bulk synthetic arrests (`openpars seed`), booked by the demo users, who are created first if missing.</summary>
    /// <returns>How many arrests were written.</returns>
    public static async Task<int> SeedArrestsAsync(
        Func<OpenParsDbContext> contextFactory,
        ReferenceData reference,
        TimeProvider clock,
        AuditTrail audit,
        int arrests,
        int seed = 1,
        IProgress<int>? progress = null,
        CancellationToken ct = default)
    {
        BulkArrestActors actors;
        await using (var db = contextFactory())
        {
            if (!await db.Users.AnyAsync(u => u.Name == DemoIdentities.BookingOfficer, ct))
            {
                await DemoIdentities.SeedAsync(db, new IdentityStore(db, clock, audit), ct);
                await DemoAgreements.SeedAsync(db, clock, audit, ct);
            }

            actors = await DemoIdentities.ActorsAsync(db, ct);
        }

        var generator = new DemoDataGenerator(reference, seed, clock.GetUtcNow());
        var written = await new BulkArrestWriter(contextFactory, reference, actors, audit).WriteAsync(generator.Generate(arrests), progress, ct);

        // One entry for the whole bulk load: what was written, by which command, from which seed.
        await using (var db = contextFactory())
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            audit.Payload(new ArrestsSeededV1(written, seed));
            await audit.AppendInTransactionAsync(db, AuditEventType.ArrestsSeeded, [], ct);
            await tx.CommitAsync(ct);
        }

        return written;
    }
}
