using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using OpenPars.App.Backup;
using OpenPars.App.Hosting;
using OpenPars.Core.Audit;
using OpenPars.Core.Audit.Payloads;
using OpenPars.Storage;
using OpenPars.Storage.Audit;
using Spectre.Console;

namespace OpenPars.Cli.Commands;

/// <summary>
/// `openpars backup --out DIR` and `openpars restore DIR` (docs/reliability.md § Backup and restore). A backup is
/// recorded in the log before the copy and a checkpoint is signed, so the copy carries its own entry; a restore is
/// recorded in the restored log (store.restored, or store.restore-forced when an older backup was forced over a newer
/// published checkpoint) and a checkpoint of the restored log becomes the witness.
/// </summary>
public static class BackupCommands
{
    /// <summary>`openpars backup`.</summary>
    public static Command CreateBackup(IAnsiConsole console)
    {
        var storage = new StorageOptions();
        var output = new Option<string>("--out") { Description = "Folder to write (must not exist or be empty).", Required = true };
        var command = new Command("backup", "Copy the store (SQLite online backup, or pg_dump custom format) with a manifest: tree size, root, last checkpoint, provider, time.") { output };
        storage.AddTo(command, withReference: false);
        command.SetAction(async (result, ct) =>
        {
            var settings = storage.Resolve(result);
            var folder = result.GetValue(output)!;
            if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
            {
                throw new CliException($"{folder} is not empty.");
            }

            await OpenParsDatabase.MigrateAsync(settings, ct);
            long size;
            await using (var db = OpenParsDatabase.CreateContext(settings))
            {
                size = await new AuditReader(db).SizeAsync(ct);
            }

            // Recorded first, under a checkpoint of everything so far: the copy's last checkpoint covers its own entry.
            await CliAudit.RecordAndCheckpointAsync(settings, "backup", AuditEventType.StoreBackedUp, new StoreBackedUpV1(settings.Provider.ToString().ToLowerInvariant(), size), ct);

            var manifest = await StoreBackup.BackupAsync(settings, folder, TimeProvider.System, ct);
            console.MarkupLineInterpolated($"Backed up {settings.Describe()} to [bold]{folder}[/]: {manifest.Log.TreeSize:N0} audit entries, root {Convert.ToBase64String(manifest.Log.RootHash)}.");
            console.MarkupLine("The signing key is not in the backup: keep the key folder (audit-signing-key.pem and its keyring) in a separate, protected backup.");
            return 0;
        });
        return command;
    }

    /// <summary>`openpars restore`.</summary>
    public static Command CreateRestore(IAnsiConsole console)
    {
        var storage = new StorageOptions();
        var folder = new Argument<string>("folder") { Description = "A folder written by `openpars backup`." };
        var witness = new Option<string?>("--checkpoint-witness") { Description = "A checkpoint note published elsewhere (e.g. saved from /api/v1/audit/checkpoints/latest): a backup smaller than it is refused too." };
        var force = new Option<bool>("--force") { Description = "Restore a backup older than the last published checkpoint anyway (recorded as store.restore-forced)." };
        var command = new Command("restore", "Replace the store with a backup (stop the server first). Refuses a backup older than the last checkpoint published.") { folder, witness, force };
        storage.AddTo(command, withReference: false);
        command.SetAction(async (result, ct) =>
        {
            var settings = storage.Resolve(result);
            var outcome = await StoreBackup.RestoreAsync(settings, result.GetValue(folder)!, result.GetValue(witness), result.GetValue(force), ct);
            await OpenParsDatabase.MigrateAsync(settings, ct);
            await CliAudit.RecordAndCheckpointAsync(settings, outcome.Forced ? "restore --force" : "restore", outcome.Forced ? AuditEventType.StoreRestoreForced : AuditEventType.StoreRestored,
                new StoreRestoredV1(outcome.Manifest.Provider, outcome.Manifest.Log.TreeSize, outcome.PublishedTreeSize), ct);
            if (outcome.Forced)
            {
                // The log is now deliberately shorter than the witness: the witness follows it, and the entry says why.
                await using var db = OpenParsDatabase.CreateContext(settings);
                if (await db.AuditCheckpoints.OrderByDescending(c => c.TreeSize).Select(c => c.Note).FirstOrDefaultAsync(ct) is { } note)
                {
                    AuditSigning.WriteWitness(AuditSigning.WitnessPathFor(settings.AuditKeyPath()), note);
                }
            }

            if (outcome.Forced)
            {
                console.MarkupLineInterpolated($"[red]FORCED[/]: restored a backup of {outcome.Manifest.Log.TreeSize:N0} entries over a published checkpoint of {outcome.PublishedTreeSize:N0}; {outcome.PublishedTreeSize - outcome.Manifest.Log.TreeSize:N0} signed entries are gone. Recorded as store.restore-forced.");
            }
            else
            {
                console.MarkupLineInterpolated($"Restored {outcome.Manifest.Log.TreeSize:N0} audit entries (backup of {outcome.Manifest.CreatedAt:u}) into {settings.Describe()}. Run `openpars audit verify`.");
            }

            return 0;
        });
        return command;
    }
}
