using Microsoft.EntityFrameworkCore;
using Xunit;
using Microsoft.Extensions.Logging.Abstractions;
using OpenPars.Core.Audit;
using OpenPars.Storage.Audit;
using OpenPars.Testing;
using OpenPars.App.Hosting;

namespace OpenPars.Storage.Tests.Audit;

/// <summary>The group-commit writer under 32 concurrent callers, interleaved with writes that append in their own transaction.</summary>
public sealed class GroupCommitTests
{
    [Theory, AllProviders]
    public async Task Concurrent_appenders_get_one_gapless_log_that_verifies(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var log = new AuditLog(AuditSigning.LoadOrCreate(db.Settings.AuditKeyPath()), db.Clock);
        // No timed checkpoint: the test counts the one signed at 1,000 entries, and a busy machine can take over 10 s.
        await using var writer = new GroupCommitAuditWriter(db.NewContext, log, NullLogger<GroupCommitAuditWriter>.Instance, TimeSpan.FromHours(1));
        // A migrated store starts with the charter's adoption entry (10001); the run appends after it.
        long before;
        await using (var start = db.NewContext())
        {
            before = await start.AuditHead.Select(h => h.Size).SingleAsync();
        }

        var reads = Enumerable.Range(0, 32).Select(caller => Task.Run(async () =>
        {
            for (var i = 0; i < 40; i++)
            {
                await writer.AppendAsync(Entry(AuditEventType.ArrestRead, $"26-{caller:D3}{i:D4}"));
            }
        }));
        var writes = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 25; i++)
            {
                await using var ctx = db.NewContext();
                await using var tx = await ctx.Database.BeginTransactionAsync();
                await log.AppendAsync(ctx, [Entry(AuditEventType.ArrestBooked, $"26-9{w:D2}{i:D4}")]);
                await tx.CommitAsync();
            }
        }));
        await Task.WhenAll(reads.Concat(writes));

        await using var check = db.NewContext();
        var indexes = await check.AuditEntries.OrderBy(e => e.Index).Select(e => e.Index).ToListAsync();
        Assert.Equal(1, before);
        Assert.Equal(Enumerable.Range(0, (int)before + 32 * 40 + 4 * 25).Select(i => (long)i), indexes);
        Assert.Equal(indexes.Count, await check.AuditHead.Select(h => h.Size).SingleAsync());
        Assert.Single(await check.AuditCheckpoints.ToListAsync()); // the one at 1,000

        Assert.True(await log.CheckpointIfBehindAsync(check));
        var run = await VerifyAsync(db);
        Assert.True(run.IsIntact, run.Message);
        Assert.Equal(2, run.CheckpointsMatched);

        // The stored nodes give the same root as the entries do.
        var root = await MerkleTree.RootHashAsync(indexes.Count, new StoredMerkleNodes(check));
        Assert.Equal(run.RootHash, root);
    }

    private static async Task<AuditVerificationResult> VerifyAsync(TestDatabase db)
    {
        await using var ctx = db.NewContext();
        using var signing = AuditSigning.LoadOrCreate(db.Settings.AuditKeyPath());
        using var key = System.Security.Cryptography.ECDsa.Create();
        key.ImportFromPem(signing.PublicKeyPem);
        return await new AuditReader(ctx).VerifyAsync(key);
    }

    private static AuditEntry Entry(AuditEventType type, string arrestNumber) => new()
    {
        Type = type,
        Time = TestClock.Start,
        Actor = new AuditActor(3, "dao.charging", "DAO", ["charging-attorney"], 9),
        Records = [arrestNumber],
    };
}
