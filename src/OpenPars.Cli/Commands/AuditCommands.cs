using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using OpenPars.Core.Audit;
using OpenPars.Core.Audit.Payloads;
using OpenPars.Storage;
using OpenPars.Storage.Audit;
using OpenPars.App.Hosting;
using Spectre.Console;

namespace OpenPars.Cli.Commands;

/// <summary>
/// `audit verify` recomputes every leaf and the tree, checks every checkpoint's signature and that the entries hash
/// to each signed root, and — on a store — every query column and records-index row against the entry bytes and every
/// event against the entry that recorded it; it names the first bad index and the kind of damage, then lists every
/// other finding. `audit export` writes what an outside auditor needs to check the chain with no database
/// (docs/audit-log.md).
/// </summary>
public static class AuditCommands
{
    /// <summary>The format name an export's manifest carries; a verifier refuses another.</summary>
    public const string ExportFormat = "openpars-audit-export/1";

    /// <summary>`openpars audit verify` and `openpars audit export`, writing to <paramref name="console"/>.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var verify = CreateVerify(console);
        var export = CreateExport(console);
        var rotate = CreateRotateKey(console);
        return new Command("audit", "Verify or export the tamper-evident audit log; rotate its signing key.") { verify, export, rotate };
    }

    private static Command CreateVerify(IAnsiConsole console)
    {
        var storage = new StorageOptions();
        var exported = new Option<string?>("--export") { Description = "Verify an export folder instead of a database (no database needed)." };
        var publicKey = new Option<string?>("--public-key") { Description = "PEM public key to verify checkpoints with (default: the data folder's signing key, or the export's)." };
        var command = new Command("verify", "Check the whole audit log: every leaf, the tree, every signed checkpoint, every query column and records-index row, every event's binding. Exits 1 on any damage.") { exported, publicKey };
        storage.AddTo(command, withReference: false);
        command.SetAction(async (result, ct) =>
        {
            AuditVerificationResult outcome;
            if (result.GetValue(exported) is { } folder)
            {
                outcome = await VerifyExportAsync(console, folder, result.GetValue(publicKey), ct);
            }
            else
            {
                var settings = storage.Resolve(result);
                await using var db = OpenParsDatabase.CreateContext(settings);
                var reader = new AuditReader(db);
                var keys = result.GetValue(publicKey) is { } given ? [LoadPublicKey(given)] : await StoreKeysAsync(db, settings.AuditKeyPath(), ct);
                try
                {
                    var size = await reader.SizeAsync(ct);
                    outcome = await WithProgress(console, size, progress => reader.VerifyAsync(keys, progress, ct));
                    ReportSigners(console, await reader.CheckpointsAsync(ct));
                }
                finally
                {
                    keys.ForEach(k => k.Dispose());
                }
            }

            return Report(console, outcome);
        });
        return command;
    }

    /// <summary>The data folder's key and its keyring; a missing key over a signed log, or a key others can read, is an error.</summary>
    private static async Task<List<ECDsa>> StoreKeysAsync(OpenParsDbContext db, string keyPath, CancellationToken ct)
    {
        AuditSigning.EnsureUsable(keyPath, await db.AuditCheckpoints.LongCountAsync(ct));
        return [.. AuditSigning.LoadVerificationKeys(keyPath)];
    }

    /// <summary>Which key signed how many checkpoints (the signed-note key ID of each signature line).</summary>
    private static void ReportSigners(IAnsiConsole console, IReadOnlyList<CheckpointView> checkpoints)
    {
        var signers = checkpoints.SelectMany(c => CheckpointVerifier.SignerKeyIds(c.Note)).GroupBy(id => id, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal);
        foreach (var signer in signers)
        {
            console.MarkupLineInterpolated($"key {signer.Key}: {signer.Count():N0} checkpoints");
        }
    }

    private static Command CreateRotateKey(IAnsiConsole console)
    {
        var storage = new StorageOptions();
        var command = new Command("rotate-key", "Start a new checkpoint signing key. The old public key stays in the keyring beside the key file, so every checkpoint it signed still verifies; restart the server afterwards.");
        storage.AddTo(command, withReference: false);
        command.SetAction(async (result, ct) =>
        {
            var settings = storage.Resolve(result);
            await OpenParsDatabase.MigrateAsync(settings, ct);
            var (oldId, newId) = AuditSigning.Rotate(settings.AuditKeyPath(), DateTimeOffset.UtcNow);
            // Recorded, then the first checkpoint by the new key over the rotation's own entry.
            await CliAudit.RecordAndCheckpointAsync(settings, "audit rotate-key", AuditEventType.AuditKeyRotated, new AuditKeyRotatedV1(oldId, newId), ct);

            console.MarkupLineInterpolated($"Rotated the audit signing key: {oldId} → [bold]{newId}[/]. Key {oldId}'s public key is kept in {settings.AuditKeyPath()}{AuditSigning.KeyringSuffix}. Restart the server to sign with the new key.");
            return 0;
        });
        return command;
    }

    private static Command CreateExport(IAnsiConsole console)
    {
        var storage = new StorageOptions();
        var output = new Option<string>("--out") { Description = "Folder to write (must not exist or be empty).", Required = true };
        var from = new Option<string?>("--from") { Description = "First instant (ISO 8601) of the window; the export then carries the frontier of the tree before it." };
        var to = new Option<string?>("--to") { Description = "Instant (ISO 8601) the window ends before." };
        var command = new Command("export", "Write entries (JSON Lines), checkpoints and the public key for an outside auditor.") { output, from, to };
        storage.AddTo(command, withReference: false);
        command.SetAction(async (result, ct) =>
        {
            var settings = storage.Resolve(result);
            var folder = result.GetValue(output)!;
            if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
            {
                throw new CliException($"{folder} is not empty.");
            }

            var fromInstant = ParseInstant(result.GetValue(from), "--from");
            var toInstant = ParseInstant(result.GetValue(to), "--to");
            await using var db = OpenParsDatabase.CreateContext(settings);
            var written = await ExportAsync(db, settings, folder, fromInstant, toInstant, ct);

            // Handing the log to someone is itself recorded.
            await using (var tx = await db.Database.BeginTransactionAsync(ct))
            {
                var trail = CliAudit.Trail(settings, "audit export", TimeProvider.System);
                trail.Payload(new AuditExportedV1(written.First, written.End));
                await trail.AppendInTransactionAsync(db, AuditEventType.AuditExported, [], ct);
                await tx.CommitAsync(ct);
            }

            console.MarkupLineInterpolated($"Exported entries [[{written.First}, {written.End}) and {written.Checkpoints} checkpoints to [bold]{folder}[/].");
            console.MarkupLineInterpolated($"Check it anywhere with: openpars audit verify --export {folder}");
            return 0;
        });
        return command;
    }

    /// <summary>What an export wrote: entries [<paramref name="First"/>, <paramref name="End"/>) and how many checkpoints.</summary>
    public sealed record ExportSummary(long First, long End, int Checkpoints);

    /// <summary>Writes the entries recorded between <paramref name="from"/> and <paramref name="to"/>, every checkpoint and the public key to <paramref name="folder"/>, for `audit verify --export` anywhere.</summary>
    public static async Task<ExportSummary> ExportAsync(OpenParsDbContext db, StorageSettings settings, string folder, DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct)
    {
        var size = await new AuditReader(db).SizeAsync(ct);
        var first = from is { } f ? await db.AuditEntries.Where(e => e.RecordedAt >= f).MinAsync(e => (long?)e.Index, ct) ?? size : 0;
        var end = to is { } t ? (await db.AuditEntries.Where(e => e.RecordedAt < t).MaxAsync(e => (long?)e.Index, ct) ?? -1) + 1 : size;
        end = Math.Max(end, first);

        Directory.CreateDirectory(folder);
        var frontier = first == 0 ? [] : (await AuditLog.LoadNodesAsync(db, MerkleAppender.FrontierAddresses(first), ct)).Values.ToList();
        var checkpoints = await db.AuditCheckpoints.AsNoTracking().Where(c => c.TreeSize >= first && c.TreeSize <= end).OrderBy(c => c.TreeSize).ToListAsync(ct);

        using var signing = AuditSigning.LoadOrCreate(settings.AuditKeyPath());
        await File.WriteAllTextAsync(Path.Combine(folder, "public-key.pem"), signing.PublicKeyPem, ct);
        var manifest = new JsonObject
        {
            ["format"] = ExportFormat,
            ["origin"] = signing.Origin,
            ["firstIndex"] = first,
            ["endIndex"] = end,
            ["frontier"] = new JsonArray(frontier.Select(h => (JsonNode)Convert.ToBase64String(h)).ToArray()),
            ["exportedAt"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
        };
        await File.WriteAllTextAsync(Path.Combine(folder, "manifest.json"), manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), ct);

        await using (var entries = File.Create(Path.Combine(folder, "entries.jsonl")))
        {
            await foreach (var record in new AuditReader(db).ScanAsync(first, end, ct))
            {
                await entries.WriteAsync(record.EntryBytes, ct);
                entries.WriteByte((byte)'\n');
            }
        }

        await using (var lines = new StreamWriter(Path.Combine(folder, "checkpoints.jsonl"), false, new UTF8Encoding(false)))
        {
            foreach (var checkpoint in checkpoints)
            {
                await lines.WriteLineAsync(new JsonObject { ["treeSize"] = checkpoint.TreeSize, ["note"] = checkpoint.Note }.ToJsonString());
            }
        }

        return new ExportSummary(first, end, checkpoints.Count);
    }

    /// <summary>What an outside auditor runs: only the files, no database.</summary>
    public static async Task<AuditVerificationResult> VerifyExportAsync(IAnsiConsole console, string folder, string? publicKeyPath, CancellationToken ct)
    {
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "manifest.json"), ct))!;
        if (manifest["format"]?.GetValue<string>() != ExportFormat)
        {
            throw new CliException($"{folder}/manifest.json is not an {ExportFormat} export.");
        }

        using var key = LoadPublicKey(publicKeyPath ?? Path.Combine(folder, "public-key.pem"));
        var first = manifest["firstIndex"]!.GetValue<long>();
        var end = manifest["endIndex"]!.GetValue<long>();
        var frontier = manifest["frontier"]!.AsArray().Select(n => Convert.FromBase64String(n!.GetValue<string>())).ToList();
        var notes = (await File.ReadAllLinesAsync(Path.Combine(folder, "checkpoints.jsonl"), ct))
            .Where(l => l.Length > 0).Select(l => JsonNode.Parse(l)!["note"]!.GetValue<string>()).ToList();
        var verifier = new AuditLogVerifier(key) { ProgressInterval = 5_000, ResumeFrom = first == 0 ? null : (first, frontier) };
        return await WithProgress(console, end - first, progress => verifier.VerifyAsync(ReadLines(Path.Combine(folder, "entries.jsonl"), first, ct), notes, progress, ct));
    }

    /// <summary>Entries as exported: one canonical JSON entry per line (canonical JSON never contains a raw newline).</summary>
    private static async IAsyncEnumerable<AuditLogRecord> ReadLines(string path, long firstIndex, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var index = firstIndex;
        await foreach (var line in File.ReadLinesAsync(path, ct))
        {
            if (line.Length == 0)
            {
                continue;
            }

            var bytes = Encoding.UTF8.GetBytes(line);

            // The entry's own "index" member says where it belongs; the file's order is what is checked.
            yield return new AuditLogRecord(IndexOf(bytes) ?? index, bytes);
            index++;
        }
    }

    private static long? IndexOf(byte[] entry)
    {
        try
        {
            return long.TryParse(JsonNode.Parse(entry)?["index"]?.GetValue<string>(), NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task<AuditVerificationResult> WithProgress(IAnsiConsole console, long total, Func<Action<long>, Task<AuditVerificationResult>> run)
    {
        AuditVerificationResult? outcome = null;
        await console.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask($"Verifying {total:N0} audit entries", maxValue: Math.Max(1, total));
                outcome = await run(done => task.Value = done);
                task.Value = task.MaxValue;
            });
        return outcome!;
    }

    /// <summary>Findings listed one per line after the first damage; the rest are counted.</summary>
    private const int FindingsListed = 200;

    private static int Report(IAnsiConsole console, AuditVerificationResult outcome)
    {
        if (outcome.IsIntact)
        {
            console.MarkupLineInterpolated($"[green]intact[/]: {outcome.EntriesProcessed:N0} entries, tree size {outcome.TreeSize:N0}, {outcome.CheckpointsMatched} signed checkpoints match; root {Convert.ToBase64String(outcome.RootHash)}");
            if (outcome.EventsChecked > 0)
            {
                console.MarkupLineInterpolated($"every query column and records-index row matches its entry; {outcome.EventsChecked:N0} events bound to the entries that recorded them");
            }

            return 0;
        }

        console.MarkupLineInterpolated($"[red]DAMAGED[/]: {outcome.Damage} at index {Index(outcome.FirstBadIndex)}{(outcome.CheckpointPosition is { } p ? $" (checkpoint #{p})" : "")}");
        console.WriteLine(outcome.Message);
        foreach (var finding in outcome.Findings.Take(FindingsListed))
        {
            console.WriteLine($"  {finding.Kind} at index {Index(finding.Index)}{(finding.EventPosition is { } position ? $", event {position.ToString(CultureInfo.InvariantCulture)}" : "")}: {finding.Message}");
        }

        if (outcome.FindingCount > Math.Min(outcome.Findings.Count, FindingsListed))
        {
            console.WriteLine($"  … and {outcome.FindingCount - Math.Min(outcome.Findings.Count, FindingsListed):N0} more.");
        }

        return 1;
    }

    private static string Index(long? index) => index is { } i ? i.ToString(CultureInfo.InvariantCulture) : "-";

    private static ECDsa LoadPublicKey(string path)
    {
        if (!File.Exists(path))
        {
            throw new CliException($"No key at {path}; pass --public-key.");
        }

        var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(path));
        return key;
    }

    private static DateTimeOffset? ParseInstant(string? text, string option) =>
        text is null ? null
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant) ? instant
        : throw new CliException($"{option} must be an ISO 8601 instant.");
}
