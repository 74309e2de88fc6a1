using Microsoft.EntityFrameworkCore;
using OpenPars.Core.Audit;
using OpenPars.Storage.Audit;
using OpenPars.Testing;
using OpenPars.App.Hosting;
using OpenPars.Web.Hosting;

namespace OpenPars.Cli.Tests.Audit;

/// <summary>
/// What a database administrator could do to the audit log behind our back, each caught by `openpars audit verify`
/// with the index and kind of damage. The log: 1,200 entries, checkpoints signed at 1,000 (every thousand) and 1,200.
/// </summary>
public sealed class AuditTamperTests
{
    private const int Entries = 1200;

    [Theory, AllProviders]
    public async Task An_untouched_log_verifies_and_so_does_its_export(StorageProvider provider)
    {
        await using var db = await LogAsync(provider);
        var run = await Verify(db);
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains($"intact: {Entries:N0} entries", run.Output, StringComparison.Ordinal);
        Assert.Contains("2 signed checkpoints match", run.Output, StringComparison.Ordinal);

        var folder = Path.Combine(db.Settings.DataDirectory!, "export");
        Assert.Equal(0, (await CliRunner.RunAsync(["audit", "export", "--out", folder, .. CliRunner.StorageArgs(db.Settings)])).ExitCode);
        var exported = await CliRunner.RunAsync("audit", "verify", "--export", folder);
        Assert.True(exported.ExitCode == 0, exported.Output);

        // The export is checked by its files alone: one changed byte in it is caught too.
        var lines = await File.ReadAllLinesAsync(Path.Combine(folder, "entries.jsonl"));
        lines[700] = lines[700].Replace("\"outcome\":\"allowed\"", "\"outcome\":\"refused\"", StringComparison.Ordinal);
        await File.WriteAllLinesAsync(Path.Combine(folder, "entries.jsonl"), lines);
        var tampered = await CliRunner.RunAsync("audit", "verify", "--export", folder);
        Assert.Equal(1, tampered.ExitCode);
        Assert.Contains("CheckpointRootMismatch", tampered.Output, StringComparison.Ordinal);
    }

    [Theory, AllProviders]
    public async Task One_changed_byte_in_one_entry(StorageProvider provider)
    {
        await using var db = await LogAsync(provider);
        await using (var ctx = db.NewContext())
        {
            var row = await ctx.AuditEntries.SingleAsync(e => e.Index == 500);
            row.Entry = (byte[])row.Entry.Clone();
            row.Entry[row.Entry.Length / 2] ^= 0x01;
            await ctx.SaveChangesAsync();
        }

        await AssertDamage(db, AuditDamage.EntryAltered, 500);
    }

    [Theory, AllProviders]
    public async Task One_entry_deleted(StorageProvider provider)
    {
        await using var db = await LogAsync(provider);
        await using (var ctx = db.NewContext())
        {
            await ctx.AuditEntries.Where(e => e.Index == 500).ExecuteDeleteAsync();
        }

        await AssertDamage(db, AuditDamage.EntryMissing, 500);
    }

    [Theory, AllProviders]
    public async Task Two_entries_swapped(StorageProvider provider)
    {
        await using var db = await LogAsync(provider);
        await using (var ctx = db.NewContext())
        {
            var a = await ctx.AuditEntries.SingleAsync(e => e.Index == 500);
            var b = await ctx.AuditEntries.SingleAsync(e => e.Index == 501);
            (a.Entry, b.Entry) = (b.Entry, a.Entry);
            (a.LeafHash, b.LeafHash) = (b.LeafHash, a.LeafHash);
            await ctx.SaveChangesAsync();
        }

        await AssertDamage(db, AuditDamage.EntryOutOfOrder, 500);
    }

    [Theory, AllProviders]
    public async Task Tail_truncated_after_a_checkpoint(StorageProvider provider)
    {
        await using var db = await LogAsync(provider);
        await using (var ctx = db.NewContext())
        {
            await ctx.AuditEntries.Where(e => e.Index >= 900).ExecuteDeleteAsync();
            await ctx.AuditHead.ExecuteUpdateAsync(h => h.SetProperty(x => x.Size, 900));
        }

        await AssertDamage(db, AuditDamage.LogTruncated, 900);
    }

    [Theory, AllProviders]
    public async Task An_entry_inserted_and_the_rest_re_indexed(StorageProvider provider)
    {
        await using var db = await LogAsync(provider);
        await using (var ctx = db.NewContext())
        {
            // Two steps keep the primary key unique at every row on both databases.
            await ctx.AuditEntries.Where(e => e.Index >= 500).ExecuteUpdateAsync(u => u.SetProperty(e => e.Index, e => -(e.Index + 1)));
            await ctx.AuditEntries.Where(e => e.Index < 0).ExecuteUpdateAsync(u => u.SetProperty(e => e.Index, e => -e.Index));
            var forged = Entry(500, "26-6666666").CanonicalBytes(500);
            ctx.AuditEntries.Add(new AuditEntryRow { Index = 500, RecordedAt = db.Clock.GetUtcNow(), EventType = 1002, Outcome = "allowed", Entry = forged, LeafHash = MerkleHash.LeafHash(forged) });
            await ctx.SaveChangesAsync();
        }

        // The forged entry is well-formed where it stands; the entry after it names its real place (500), not 501.
        await AssertDamage(db, AuditDamage.EntryOutOfOrder, 501);
    }

    [Theory, AllProviders]
    public async Task The_whole_log_rewritten_and_re_hashed_consistently_is_caught_by_the_signed_checkpoints(StorageProvider provider)
    {
        await using var db = await LogAsync(provider);
        await using (var ctx = db.NewContext())
        {
            // Erase one look at an arrest, and make every hash agree again: only a signature can tell.
            var row = await ctx.AuditEntries.SingleAsync(e => e.Index == 500);
            var rewritten = Entry(500, "26-0000001") with { Records = [] };
            row.Entry = rewritten.CanonicalBytes(500);
            row.LeafHash = MerkleHash.LeafHash(row.Entry);
            await ctx.SaveChangesAsync();
        }

        await AssertDamage(db, AuditDamage.CheckpointRootMismatch, 0);
    }

    [Theory, AllProviders]
    public async Task A_checkpoint_edited(StorageProvider provider)
    {
        await using var db = await LogAsync(provider);
        await using (var ctx = db.NewContext())
        {
            var checkpoint = await ctx.AuditCheckpoints.SingleAsync(c => c.TreeSize == 1000);
            checkpoint.Note = checkpoint.Note.Replace("\n1000\n", "\n999\n", StringComparison.Ordinal);
            await ctx.SaveChangesAsync();
        }

        var run = await Verify(db);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("CheckpointSignatureInvalid", run.Output, StringComparison.Ordinal);
    }

    private static async Task AssertDamage(TestDatabase db, AuditDamage damage, long index)
    {
        var run = await Verify(db);
        Assert.True(run.ExitCode == 1, run.Output);
        Assert.Contains($"DAMAGED: {damage} at index {index}", run.Output, StringComparison.Ordinal);
    }

    private static Task<CliRunner.Run> Verify(TestDatabase db) =>
        CliRunner.RunAsync(["audit", "verify", .. CliRunner.StorageArgs(db.Settings)]);

    /// <summary>A log of <see cref="Entries"/> reads, appended in batches as the group writer would, then checkpointed.</summary>
    private static async Task<TestDatabase> LogAsync(StorageProvider provider)
    {
        var db = await TestDatabase.CreateAsync(provider, TestContext.Current.CancellationToken);
        var log = new AuditLog(AuditSigning.LoadOrCreate(db.Settings.AuditKeyPath()), db.Clock);
        // Entry 0 is the charter's adoption (every migrated store has it); the reads fill 1…1,199 in batches that end
        // on the hundreds, so the log crosses 1,000 (a checkpoint) at a batch's end as before.
        for (var start = 1; start < Entries; start = (start / 100 + 1) * 100)
        {
            await using var ctx = db.NewContext();
            await using var tx = await ctx.Database.BeginTransactionAsync();
            await log.AppendAsync(ctx, Enumerable.Range(start, (start / 100 + 1) * 100 - start).Select(i => Entry(i, $"26-{i:D7}")).ToList());
            await tx.CommitAsync();
        }

        await using (var ctx = db.NewContext())
        {
            Assert.True(await log.CheckpointIfBehindAsync(ctx));
        }

        return db;
    }

    private static AuditEntry Entry(long i, string arrestNumber) => new()
    {
        Type = AuditEventType.ArrestRead,
        Time = TestClock.Start.AddSeconds(i),
        Actor = new AuditActor(7, "dao.charging", "DAO", ["charging-attorney"], 11),
        ClientAddress = "127.0.0.1",
        Method = "GET",
        Path = $"/api/v1/arrests/{arrestNumber}",
        Status = 200,
        Records = [arrestNumber],
    };
}
