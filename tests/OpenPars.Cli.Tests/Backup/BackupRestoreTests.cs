using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using OpenPars.App.Backup;
using OpenPars.App.Hosting;
using OpenPars.Cli.Tests.Audit;
using OpenPars.Core.Audit;
using OpenPars.Core.Backup;
using OpenPars.Storage.Audit;
using OpenPars.Testing;

namespace OpenPars.Cli.Tests.Backup;

/// <summary>
/// `openpars backup` and `openpars restore` on each provider: the manifest describes the copy, a restore verifies and is
/// consistent with every checkpoint signed before the backup, an older backup over a newer published log is refused
/// (PARS-BAK-001, exit 1, nothing restored) and restored only with --force, which the log records; a damaged backup
/// is refused (PARS-BAK-002).
/// </summary>
public sealed class BackupRestoreTests
{
    [Theory, AllProviders]
    public async Task A_backup_restores_over_a_newer_log_only_when_forced_and_the_newest_restores_and_verifies(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var store = CliRunner.StorageArgs(db.Settings);
        await SigningKeyTests.AddAgencyAsync(store, "PPD", "police");
        var older = NewFolder();
        var backup = await CliRunner.RunAsync(["backup", "--out", older, .. store]);
        Assert.True(backup.ExitCode == 0, backup.Output);

        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(older, StoreBackup.ManifestFileName)))!;
        Assert.Equal(StoreBackup.Format, manifest["format"]!.GetValue<string>());
        Assert.Equal(provider == StorageProvider.Sqlite ? "sqlite" : "postgres", manifest["provider"]!.GetValue<string>());
        var backedUpSize = manifest["log"]!["treeSize"]!.GetValue<long>();
        // The backup's own entry is in it, under its last checkpoint.
        Assert.Equal(backedUpSize, manifest["log"]!["lastCheckpointTreeSize"]!.GetValue<long>());
        await using (var ctx = db.NewContext())
        {
            Assert.Equal((int)AuditEventType.StoreBackedUp, await ctx.AuditEntries.Where(e => e.Index == backedUpSize - 1).Select(e => e.EventType).SingleAsync());
        }

        // The system moves on and publishes a larger checkpoint.
        await SigningKeyTests.AddAgencyAsync(store, "DAO", "district-attorney");
        await SigningKeyTests.CheckpointAsync(db);
        var newest = NewFolder();
        Assert.Equal(0, (await CliRunner.RunAsync(["backup", "--out", newest, .. store])).ExitCode);
        await SigningKeyTests.AddAgencyAsync(store, "FJD", "courts");
        await SigningKeyTests.CheckpointAsync(db);
        var sizeBefore = await SizeAsync(db);

        var refused = await CliRunner.RunAsync(["restore", older, .. store]);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains(BackupErrorCodes.OlderThanPublished, refused.Output, StringComparison.Ordinal);
        Assert.Equal(sizeBefore, await SizeAsync(db));
        Assert.Equal(3, await AgenciesAsync(db, "PPD", "DAO", "FJD"));

        // The newest backup is older than the log too: FJD's checkpoint was published after it.
        var restoreNewest = await CliRunner.RunAsync(["restore", newest, .. store]);
        Assert.Equal(1, restoreNewest.ExitCode);
        Assert.Contains(BackupErrorCodes.OlderThanPublished, restoreNewest.Output, StringComparison.Ordinal);

        var forced = await CliRunner.RunAsync(["restore", newest, "--force", .. store]);
        Assert.True(forced.ExitCode == 0, forced.Output);
        Assert.Contains("FORCED", forced.Output, StringComparison.Ordinal);
        Assert.Equal(2, await AgenciesAsync(db, "PPD", "DAO", "FJD"));
        await using (var ctx = db.NewContext())
        {
            var last = await ctx.AuditEntries.OrderByDescending(e => e.Index).FirstAsync();
            Assert.Equal((int)AuditEventType.StoreRestoreForced, last.EventType);
        }

        var verify = await CliRunner.RunAsync(["audit", "verify", .. store]);
        Assert.True(verify.ExitCode == 0, verify.Output);

        // After a forced restore the witness follows the restored log: a backup of it now restores without --force.
        var current = NewFolder();
        Assert.Equal(0, (await CliRunner.RunAsync(["backup", "--out", current, .. store])).ExitCode);
        var plain = await CliRunner.RunAsync(["restore", current, .. store]);
        Assert.True(plain.ExitCode == 0, plain.Output);
        await using (var ctx = db.NewContext())
        {
            Assert.Equal((int)AuditEventType.StoreRestored, (await ctx.AuditEntries.OrderByDescending(e => e.Index).FirstAsync()).EventType);
            var backupEntry = await ctx.AuditEntries.Where(e => e.EventType == (int)AuditEventType.StoreBackedUp).CountAsync();
            Assert.Equal(3, backupEntry);
        }

        Assert.Equal(0, (await CliRunner.RunAsync(["audit", "verify", .. store])).ExitCode);
    }

    [Theory, AllProviders]
    public async Task A_damaged_backup_or_a_witness_from_elsewhere_is_refused_and_nothing_is_restored(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var store = CliRunner.StorageArgs(db.Settings);
        await SigningKeyTests.AddAgencyAsync(store, "PPD", "police");
        var folder = NewFolder();
        Assert.Equal(0, (await CliRunner.RunAsync(["backup", "--out", folder, .. store])).ExitCode);
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder, StoreBackup.ManifestFileName)))!;
        var file = Path.Combine(folder, manifest["file"]!.GetValue<string>());

        // One byte changed in the copy: the hash in the manifest no longer matches.
        var bytes = await File.ReadAllBytesAsync(file);
        bytes[^100] ^= 0xFF;
        var damagedFolder = NewFolder();
        Directory.CreateDirectory(damagedFolder);
        File.Copy(Path.Combine(folder, StoreBackup.ManifestFileName), Path.Combine(damagedFolder, StoreBackup.ManifestFileName));
        await File.WriteAllBytesAsync(Path.Combine(damagedFolder, Path.GetFileName(file)), bytes);
        var damaged = await CliRunner.RunAsync(["restore", damagedFolder, .. store]);
        Assert.Equal(1, damaged.ExitCode);
        Assert.Contains(BackupErrorCodes.NotABackup, damaged.Output, StringComparison.Ordinal);

        // A manifest claiming a larger tree (to slip past the witness) no longer matches its file's hash either way;
        // with the hash fixed up too, the restored log is checked against the manifest before anything is replaced.
        var sizeBefore = await SizeAsync(db);
        var witness = Path.Combine(NewFolder() + ".txt");
        using (var other = AuditSigning.LoadOrCreate(Path.Combine(NewFolder(), AuditSigning.KeyFileName)))
        {
            await File.WriteAllTextAsync(witness, other.Sign(10, new byte[32]).NoteText);
        }

        var foreign = await CliRunner.RunAsync(["restore", folder, "--checkpoint-witness", witness, .. store]);
        Assert.Equal(1, foreign.ExitCode);
        Assert.Contains("does not verify", foreign.Output, StringComparison.Ordinal);
        Assert.Equal(sizeBefore, await SizeAsync(db));

        var otherProvider = provider == StorageProvider.Sqlite ? "postgres" : "sqlite";
        manifest["provider"] = otherProvider;
        await File.WriteAllTextAsync(Path.Combine(folder, StoreBackup.ManifestFileName), manifest.ToJsonString());
        var wrong = await CliRunner.RunAsync(["restore", folder, .. store]);
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains(BackupErrorCodes.WrongProvider, wrong.Output, StringComparison.Ordinal);
        Assert.Equal(0, (await CliRunner.RunAsync(["audit", "verify", .. store])).ExitCode);
    }

    private static string NewFolder() => Path.Combine(Path.GetTempPath(), "openpars-tests", "backup-" + Guid.NewGuid().ToString("N"));

    private static async Task<long> SizeAsync(TestDatabase db)
    {
        await using var ctx = db.NewContext();
        return await new AuditReader(ctx).SizeAsync(TestContext.Current.CancellationToken);
    }

    private static async Task<int> AgenciesAsync(TestDatabase db, params string[] codes)
    {
        await using var ctx = db.NewContext();
        return await ctx.Agencies.CountAsync(a => codes.Contains(a.Code));
    }
}
