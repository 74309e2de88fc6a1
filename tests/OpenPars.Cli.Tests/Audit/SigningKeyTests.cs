using Microsoft.EntityFrameworkCore;
using OpenPars.App.Hosting;
using OpenPars.Core.Audit;
using OpenPars.Storage.Audit;
using OpenPars.Testing;

namespace OpenPars.Cli.Tests.Audit;

/// <summary>
/// The checkpoint signing key: checkpoints name the key that signed them (the signed-note key ID), `audit rotate-key`
/// starts a new key while the old checkpoints still verify, and a key others can read — or a missing key over a signed
/// log — stops `serve` and `audit verify` with a message and a non-zero exit, without making a new key.
/// </summary>
public sealed class SigningKeyTests
{
    [Theory, AllProviders]
    public async Task After_a_rotation_old_and_new_checkpoints_verify_and_each_names_its_key(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var store = CliRunner.StorageArgs(db.Settings);
        var keyPath = db.Settings.AuditKeyPath();
        await AddAgencyAsync(store, "PPD", "police");
        await CheckpointAsync(db);
        string oldId;
        using (var before = AuditSigning.LoadOrCreate(keyPath))
        {
            oldId = before.KeyIdHex;
        }

        var rotate = await CliRunner.RunAsync(["audit", "rotate-key", .. store]);
        Assert.True(rotate.ExitCode == 0, rotate.Output);
        string newId;
        using (var after = AuditSigning.LoadOrCreate(keyPath))
        {
            newId = after.KeyIdHex;
        }

        Assert.NotEqual(oldId, newId);
        Assert.Contains($"{oldId} → {newId}", rotate.Output, StringComparison.Ordinal);
        await AddAgencyAsync(store, "DAO", "district-attorney");
        await CheckpointAsync(db);

        var verify = await CliRunner.RunAsync(["audit", "verify", .. store]);
        Assert.True(verify.ExitCode == 0, verify.Output);
        Assert.Contains($"key {oldId}:", verify.Output, StringComparison.Ordinal);
        Assert.Contains($"key {newId}:", verify.Output, StringComparison.Ordinal);

        await using var ctx = db.NewContext();
        var notes = await ctx.AuditCheckpoints.OrderBy(c => c.TreeSize).Select(c => c.Note).ToListAsync();
        Assert.Equal([oldId], CheckpointVerifier.SignerKeyIds(notes[0]));
        Assert.Equal([newId], CheckpointVerifier.SignerKeyIds(notes[^1]));
        Assert.Single(notes.Select(n => n.Split('\n')[0]).Distinct()); // one log, one origin, whatever the key
        Assert.Equal((int)AuditEventType.AuditKeyRotated, await ctx.AuditEntries.Where(e => e.EventType == (int)AuditEventType.AuditKeyRotated).Select(e => e.EventType).SingleAsync());

        // The keyring is what keeps the old checkpoints verifiable: without it they are signed by an unknown key.
        File.Delete(keyPath + AuditSigning.KeyringSuffix);
        var without = await CliRunner.RunAsync(["audit", "verify", .. store]);
        Assert.Equal(1, without.ExitCode);
        Assert.Contains("no signature by the trusted key", without.Output, StringComparison.Ordinal);
    }

    [Theory, AllProviders]
    public async Task A_key_readable_by_others_stops_serve_and_verify(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var store = CliRunner.StorageArgs(db.Settings);
        await AddAgencyAsync(store, "PPD", "police");
        await CheckpointAsync(db);
        var keyPath = db.Settings.AuditKeyPath();
        SetMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var verify = await CliRunner.RunAsync(["audit", "verify", .. store]);
        Assert.Equal(2, verify.ExitCode);
        Assert.Contains("readable or writable by group or others", verify.Output, StringComparison.Ordinal);
        Assert.Contains($"chmod 600 {keyPath}", verify.Output, StringComparison.Ordinal);

        var serve = await CliRunner.RunAsync(["serve", "--urls", "http://127.0.0.1:0", .. store]);
        Assert.Equal(2, serve.ExitCode);
        Assert.Contains("readable or writable by group or others", serve.Output, StringComparison.Ordinal);

        // Owner-only again, both work.
        SetMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Assert.Equal(0, (await CliRunner.RunAsync(["audit", "verify", .. store])).ExitCode);
    }

    [Theory, AllProviders]
    public async Task A_missing_key_over_a_signed_log_stops_serve_and_verify_and_no_new_key_is_made(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var store = CliRunner.StorageArgs(db.Settings);
        await AddAgencyAsync(store, "PPD", "police");
        await CheckpointAsync(db);
        var keyPath = db.Settings.AuditKeyPath();
        File.Move(keyPath, keyPath + ".away");

        var serve = await CliRunner.RunAsync(["serve", "--urls", "http://127.0.0.1:0", .. store]);
        Assert.Equal(2, serve.ExitCode);
        Assert.Contains("is missing, but the store holds", serve.Output, StringComparison.Ordinal);
        var verify = await CliRunner.RunAsync(["audit", "verify", .. store]);
        Assert.Equal(2, verify.ExitCode);
        Assert.Contains("is missing, but the store holds", verify.Output, StringComparison.Ordinal);
        var write = await CliRunner.RunAsync(["agency", "add", "--code", "DAO", "--name", "District Attorney", "--kind", "district-attorney", .. store]);
        Assert.Equal(2, write.ExitCode);
        Assert.False(File.Exists(keyPath), "a new key was made over a signed log");

        File.Move(keyPath + ".away", keyPath);
        Assert.Equal(0, (await CliRunner.RunAsync(["audit", "verify", .. store])).ExitCode);
    }

    private static void SetMode(string path, UnixFileMode mode)
    {
        Assert.False(OperatingSystem.IsWindows(), "file modes are a Unix matter");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
    }

    /// <summary>Adds an agency through the CLI (one audited write).</summary>
    internal static async Task AddAgencyAsync(string[] store, string code, string kind)
    {
        var run = await CliRunner.RunAsync(["agency", "add", "--code", code, "--name", $"Agency {code}", "--kind", kind, .. store]);
        Assert.True(run.ExitCode == 0, run.Output);
    }

    /// <summary>Signs a checkpoint of the log as it is (what the server's 10-second timer does).</summary>
    internal static async Task CheckpointAsync(TestDatabase db)
    {
        using var signing = AuditSigning.LoadOrCreate(db.Settings.AuditKeyPath());
        await using var ctx = db.NewContext();
        Assert.True(await new AuditLog(signing, TimeProvider.System).CheckpointIfBehindAsync(ctx, TestContext.Current.CancellationToken));
    }
}
