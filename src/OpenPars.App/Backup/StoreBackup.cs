using System.Data;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using OpenPars.App.Hosting;
using OpenPars.Core.Audit;
using OpenPars.Core.Backup;
using OpenPars.Storage;
using OpenPars.Storage.Audit;

namespace OpenPars.App.Backup;

/// <summary>The audit log's state in one consistent read: its size, its root at that size, and its largest signed checkpoint.</summary>
/// <param name="TreeSize">Entries in the log.</param>
/// <param name="RootHash">The Merkle root of those entries.</param>
/// <param name="CheckpointNote">The largest signed checkpoint, or null when none was signed.</param>
public sealed record LogState(long TreeSize, byte[] RootHash, string? CheckpointNote);

/// <summary>What a backup folder's <c>manifest.json</c> says (format <see cref="StoreBackup.Format"/>).</summary>
/// <param name="Provider">sqlite or postgres.</param>
/// <param name="File">The database file in the folder (an SQLite database, or a pg_dump custom-format archive).</param>
/// <param name="Sha256">Hex SHA-256 of that file.</param>
/// <param name="Log">The audit log the file holds.</param>
/// <param name="CreatedAt">When the copy was taken.</param>
public sealed record BackupManifest(string Provider, string File, string Sha256, LogState Log, DateTimeOffset CreatedAt);

/// <summary>A restore refused with a catalogued code (<see cref="BackupErrorCodes"/>); nothing was restored unless the message says so.</summary>
public sealed class BackupRefusedException : Exception
{
    /// <summary>A refusal with <paramref name="code"/> stated by <paramref name="message"/>.</summary>
    public BackupRefusedException(string code, string message)
        : base(message) => Code = code;

    /// <summary>A refusal with the default message.</summary>
    public BackupRefusedException()
    {
        Code = BackupErrorCodes.NotABackup;
    }

    /// <summary>A refusal stated by <paramref name="message"/>, caused by <paramref name="innerException"/>.</summary>
    public BackupRefusedException(string message, Exception innerException)
        : base(message, innerException) => Code = BackupErrorCodes.NotABackup;

    /// <summary>The PARS-BAK code.</summary>
    public string Code { get; }
}

/// <summary>What a restore found and did.</summary>
/// <param name="Manifest">The backup restored.</param>
/// <param name="PublishedTreeSize">The largest checkpoint the system had published before (witness file, --checkpoint-witness, the store replaced).</param>
/// <param name="Forced">The backup was older than that and --force restored it anyway.</param>
public sealed record RestoreOutcome(BackupManifest Manifest, long PublishedTreeSize, bool Forced);

/// <summary>
/// `openpars backup` and `openpars restore`. SQLite is copied with its online backup API (a consistent copy while the
/// server writes); PostgreSQL with <c>pg_dump --format=custom</c> inside a REPEATABLE READ transaction whose snapshot
/// it shares (<c>--snapshot</c>), so the manifest's tree size and root describe exactly the rows dumped. A restore is
/// refused when the backup's tree is smaller than the largest checkpoint the system published — kept outside the
/// database in the key folder's witness file (<see cref="AuditSigning.WitnessPath"/>) — so a rollback is detected.
/// </summary>
public static class StoreBackup
{
    /// <summary>The manifest's format name; a restore refuses another.</summary>
    public const string Format = "openpars-backup/1";

    /// <summary>The manifest's file name in a backup folder.</summary>
    public const string ManifestFileName = "manifest.json";

    /// <summary>The pg_dump archive's file name in a backup folder.</summary>
    public const string PostgresArchiveName = "openpars.pgdump";

    /// <summary>Copies the store into <paramref name="folder"/> (created; must be empty) and writes the manifest.</summary>
    public static async Task<BackupManifest> BackupAsync(StorageSettings settings, string folder, TimeProvider clock, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(clock);
        Directory.CreateDirectory(folder);
        if (Directory.EnumerateFileSystemEntries(folder).Any())
        {
            throw new IOException($"{folder} is not empty.");
        }

        string file;
        LogState state;
        if (settings.Provider == StorageProvider.Sqlite)
        {
            file = StorageSettings.DatabaseFileName;
            var copy = StorageSettings.ForDataFolder(folder);
            await using (var source = new SqliteConnection(settings.ConnectionString))
            await using (var destination = new SqliteConnection(new SqliteConnectionStringBuilder(copy.ConnectionString) { Pooling = false }.ToString()))
            {
                await source.OpenAsync(ct);
                await destination.OpenAsync(ct);
                source.BackupDatabase(destination);
            }

            // Read from the copy itself: the manifest describes what the file holds, not what the store held a moment later.
            await using (var db = OpenParsDatabase.CreateContext(copy))
            {
                state = await ReadStateAsync(db, ct);
            }

            SqliteConnection.ClearAllPools();
            foreach (var sidecar in new[] { "-wal", "-shm" }.Select(s => Path.Combine(folder, file + s)).Where(File.Exists))
            {
                File.Delete(sidecar);
            }
        }
        else
        {
            file = PostgresArchiveName;
            await using var db = OpenParsDatabase.CreateContext(settings);
            await using var tx = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
            var snapshot = (await db.Database.SqlQuery<string>($"SELECT pg_export_snapshot() AS \"Value\"").ToListAsync(ct))[0];
            state = await ReadStateAsync(db, ct);
            await RunPostgresToolAsync("pg_dump", settings.ConnectionString, ["--format=custom", "--no-owner", $"--snapshot={snapshot}", $"--file={Path.Combine(folder, file)}"], ct);
            await tx.CommitAsync(ct);
        }

        var manifest = new BackupManifest(ProviderName(settings.Provider), file, await Sha256Async(Path.Combine(folder, file), ct), state, clock.GetUtcNow());
        await File.WriteAllTextAsync(Path.Combine(folder, ManifestFileName), ToJson(manifest).ToJsonString(new JsonSerializerOptions { WriteIndented = true }), ct);
        return manifest;
    }

    /// <summary>
    /// Restores <paramref name="folder"/> over the store. Refused (<see cref="BackupRefusedException"/>, nothing restored)
    /// when the folder is not an intact backup of this provider signed by this log's keys, or when its tree is smaller
    /// than the largest checkpoint published (unless <paramref name="force"/>), or when it does not extend that checkpoint.
    /// The server must be stopped; the caller records the restore in the restored log.
    /// </summary>
    /// <param name="settings">The store to restore into.</param>
    /// <param name="folder">A folder written by <see cref="BackupAsync"/>.</param>
    /// <param name="witnessFile">A checkpoint note published elsewhere (e.g. fetched from /api/v1/audit/checkpoints/latest), or null.</param>
    /// <param name="force">Restore an older backup anyway.</param>
    /// <param name="ct">Cancels before the copy.</param>
    public static async Task<RestoreOutcome> RestoreAsync(StorageSettings settings, string folder, string? witnessFile, bool force, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var manifest = await ReadManifestAsync(folder, ct);
        if (manifest.Provider != ProviderName(settings.Provider))
        {
            throw new BackupRefusedException(BackupErrorCodes.WrongProvider, $"{folder} is a {manifest.Provider} backup; the store is {ProviderName(settings.Provider)}.");
        }

        var path = Path.Combine(folder, manifest.File);
        if (!File.Exists(path) || await Sha256Async(path, ct) != manifest.Sha256)
        {
            throw new BackupRefusedException(BackupErrorCodes.NotABackup, $"{path} is missing or does not match the manifest's SHA-256: the backup is damaged.");
        }

        var keys = AuditSigning.LoadVerificationKeys(settings.AuditKeyPath());
        try
        {
            using var signing = AuditSigning.LoadOrCreate(settings.AuditKeyPath());
            if (manifest.Log.CheckpointNote is { } note
                && (!CheckpointVerifier.TryParseAndVerifyAny(note, keys, null, signing.Origin, out var backupCheckpoint, out var error) || backupCheckpoint.TreeSize > manifest.Log.TreeSize))
            {
                throw new BackupRefusedException(BackupErrorCodes.NotABackup, $"The backup's checkpoint does not verify with this log's keys ({error ?? "larger than the backup's tree"}).");
            }

            var published = await PublishedAsync(settings, signing, keys, witnessFile, ct);
            var publishedSize = published?.TreeSize ?? 0;
            var older = manifest.Log.TreeSize < publishedSize;
            if (older && !force)
            {
                throw new BackupRefusedException(BackupErrorCodes.OlderThanPublished,
                    $"The backup holds {manifest.Log.TreeSize:N0} audit entries, but this system published a checkpoint of {publishedSize:N0}: restoring it would drop " +
                    $"{publishedSize - manifest.Log.TreeSize:N0} signed entries (a rollback). Nothing was restored. Use --force to restore it anyway; that is recorded as store.restore-forced.");
            }

            if (settings.Provider == StorageProvider.Sqlite)
            {
                // Check the file before it replaces anything: its log is the manifest's, and extends what was published.
                var staged = Path.Combine(Path.GetTempPath(), "openpars-restore-" + Guid.NewGuid().ToString("N"));
                Directory.CreateDirectory(staged);
                try
                {
                    File.Copy(path, Path.Combine(staged, StorageSettings.DatabaseFileName));
                    await CheckRestoredAsync(StorageSettings.ForDataFolder(staged), manifest, older ? null : published, ct);
                }
                finally
                {
                    SqliteConnection.ClearAllPools();
                    Directory.Delete(staged, recursive: true);
                }

                // No pooled connection of this process may keep the old file's pages or WAL index.
                SqliteConnection.ClearAllPools();
                var target = new SqliteConnectionStringBuilder(settings.ConnectionString).DataSource;
                foreach (var sidecar in new[] { "-wal", "-shm" }.Select(s => target + s).Where(File.Exists))
                {
                    File.Delete(sidecar);
                }

                File.Copy(path, target, overwrite: true);
            }
            else
            {
                await RunPostgresToolAsync("pg_restore", settings.ConnectionString, ["--clean", "--if-exists", "--no-owner", "--single-transaction", path], ct);
                await CheckRestoredAsync(settings, manifest, older ? null : published, ct);
            }

            return new RestoreOutcome(manifest, publishedSize, older);
        }
        finally
        {
            foreach (var key in keys)
            {
                key.Dispose();
            }
        }
    }

    /// <summary>The audit log's state as <paramref name="db"/> sees it (call inside a transaction for a consistent read).</summary>
    public static async Task<LogState> ReadStateAsync(OpenParsDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var size = await new AuditReader(db).SizeAsync(ct);
        var note = await db.AuditCheckpoints.AsNoTracking().OrderByDescending(c => c.TreeSize).Select(c => c.Note).FirstOrDefaultAsync(ct);
        return new LogState(size, await RootAtAsync(db, size, ct), note);
    }

    /// <summary>Reads a backup folder's manifest; <see cref="BackupRefusedException"/> (PARS-BAK-002) when it is not one.</summary>
    public static async Task<BackupManifest> ReadManifestAsync(string folder, CancellationToken ct)
    {
        var path = Path.Combine(folder, ManifestFileName);
        try
        {
            var json = JsonNode.Parse(await File.ReadAllTextAsync(path, ct))!;
            if (json["format"]?.GetValue<string>() != Format)
            {
                throw new BackupRefusedException(BackupErrorCodes.NotABackup, $"{path} is not an {Format} manifest.");
            }

            var log = json["log"]!;
            return new BackupManifest(
                json["provider"]!.GetValue<string>(),
                Path.GetFileName(json["file"]!.GetValue<string>()),
                json["sha256"]!.GetValue<string>(),
                new LogState(log["treeSize"]!.GetValue<long>(), Convert.FromBase64String(log["rootHash"]!.GetValue<string>()), log["lastCheckpoint"]?.GetValue<string>()),
                DateTimeOffset.Parse(json["createdAt"]!.GetValue<string>(), CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is IOException or JsonException or NullReferenceException or FormatException or InvalidOperationException)
        {
            throw new BackupRefusedException(BackupErrorCodes.NotABackup, $"{path} is missing or not a backup manifest ({e.GetType().Name}).");
        }
    }

    private static JsonObject ToJson(BackupManifest manifest) => new()
    {
        ["format"] = Format,
        ["provider"] = manifest.Provider,
        ["file"] = manifest.File,
        ["sha256"] = manifest.Sha256,
        ["createdAt"] = manifest.CreatedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        ["log"] = new JsonObject
        {
            ["treeSize"] = manifest.Log.TreeSize,
            ["rootHash"] = Convert.ToBase64String(manifest.Log.RootHash),
            ["lastCheckpointTreeSize"] = manifest.Log.CheckpointNote is { } n ? SizeOf(n) : 0,
            ["lastCheckpointKeyIds"] = new JsonArray([.. (manifest.Log.CheckpointNote is { } k ? CheckpointVerifier.SignerKeyIds(k) : []).Select(id => (JsonNode)id)]),
            ["lastCheckpoint"] = manifest.Log.CheckpointNote,
        },
    };

    private static long SizeOf(string note)
    {
        var lines = note.Split('\n');
        return lines.Length > 1 && long.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size) ? size : 0;
    }

    /// <summary>The largest verified checkpoint among the witness file, <paramref name="witnessFile"/> and the store being replaced.</summary>
    private static async Task<Checkpoint?> PublishedAsync(StorageSettings settings, AuditSigning signing, IReadOnlyList<ECDsa> keys, string? witnessFile, CancellationToken ct)
    {
        var notes = new List<(string Source, string Note)>();
        if (File.Exists(signing.WitnessPath))
        {
            notes.Add((signing.WitnessPath, await File.ReadAllTextAsync(signing.WitnessPath, ct)));
        }

        if (witnessFile is not null)
        {
            notes.Add((witnessFile, await File.ReadAllTextAsync(witnessFile, ct)));
        }

        try
        {
            await using var db = OpenParsDatabase.CreateContext(settings);
            if (await db.Database.CanConnectAsync(ct) && (await ReadCurrentNoteAsync(db, ct)) is { } current)
            {
                notes.Add(("the store", current));
            }
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException)
        {
            // A store that is gone or empty publishes nothing; the witness file still speaks for it.
        }

        Checkpoint? largest = null;
        foreach (var (source, note) in notes)
        {
            if (!CheckpointVerifier.TryParseAndVerifyAny(note, keys, null, signing.Origin, out var checkpoint, out var error))
            {
                throw new BackupRefusedException(BackupErrorCodes.NotABackup, $"The published checkpoint in {source} does not verify with this log's keys ({error}); refusing to judge a restore against it.");
            }

            if (largest is null || checkpoint.TreeSize > largest.TreeSize)
            {
                largest = checkpoint;
            }
        }

        return largest;
    }

    private static async Task<string?> ReadCurrentNoteAsync(OpenParsDbContext db, CancellationToken ct)
    {
        try
        {
            return await db.AuditCheckpoints.AsNoTracking().OrderByDescending(c => c.TreeSize).Select(c => c.Note).FirstOrDefaultAsync(ct);
        }
        catch (System.Data.Common.DbException)
        {
            return null; // no schema yet
        }
    }

    private static async Task CheckRestoredAsync(StorageSettings restored, BackupManifest manifest, Checkpoint? published, CancellationToken ct)
    {
        await using var db = OpenParsDatabase.CreateContext(restored);
        var state = await ReadStateAsync(db, ct);
        if (state.TreeSize != manifest.Log.TreeSize || !state.RootHash.AsSpan().SequenceEqual(manifest.Log.RootHash))
        {
            throw new BackupRefusedException(BackupErrorCodes.NotABackup, $"The backup's log has {state.TreeSize:N0} entries and another root than its manifest says ({manifest.Log.TreeSize:N0}): it is damaged.");
        }

        if (published is not null && published.TreeSize <= state.TreeSize
            && !(await RootAtAsync(db, published.TreeSize, ct)).AsSpan().SequenceEqual(published.RootHash))
        {
            throw new BackupRefusedException(BackupErrorCodes.Inconsistent,
                $"The backup's log does not extend the published checkpoint of {published.TreeSize:N0} entries (another root at that size): it is a fork of this log." +
                (restored.Provider == StorageProvider.Postgres ? " The PostgreSQL database now holds the backup; restore a consistent one." : " Nothing was restored."));
        }
    }

    private static async Task<byte[]> RootAtAsync(OpenParsDbContext db, long size, CancellationToken ct)
    {
        var addresses = MerkleAppender.FrontierAddresses(size);
        var nodes = await AuditLog.LoadNodesAsync(db, addresses, ct);
        return MerkleTreeBuilder.FromFrontier(size, [.. addresses.Select(a => nodes[a])]).RootHash();
    }

    private static string ProviderName(StorageProvider provider) => provider == StorageProvider.Sqlite ? "sqlite" : "postgres";

    private static async Task<string> Sha256Async(string path, CancellationToken ct)
    {
        await using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, ct));
    }

    /// <summary>pg_dump or pg_restore: the one on PATH, else the newest under /usr/lib/postgresql/*/bin.</summary>
    public static string FindPostgresTool(string name)
    {
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .Concat(Directory.Exists("/usr/lib/postgresql")
                ? Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => int.TryParse(Path.GetFileName(d), CultureInfo.InvariantCulture, out var v) ? v : 0).Select(d => Path.Combine(d, "bin", name))
                : []);
        return candidates.FirstOrDefault(File.Exists) ?? throw new IOException($"{name} was not found on PATH or under /usr/lib/postgresql/*/bin; install the PostgreSQL client tools.");
    }

    private static async Task RunPostgresToolAsync(string tool, string connectionString, IReadOnlyList<string> arguments, CancellationToken ct)
    {
        var connection = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo(FindPostgresTool(tool)) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add($"--host={connection.Host}");
        start.ArgumentList.Add($"--port={connection.Port.ToString(CultureInfo.InvariantCulture)}");
        if (connection.Username is { } user)
        {
            start.ArgumentList.Add($"--username={user}");
        }

        start.ArgumentList.Add($"--dbname={connection.Database}");
        start.ArgumentList.Add("--no-password");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The password goes through the environment, never the command line (visible to every user in ps).
        if (connection.Password is { } password)
        {
            start.Environment["PGPASSWORD"] = password;
        }

        using var process = Process.Start(start) ?? throw new IOException($"{tool} did not start.");
        var error = process.StandardError.ReadToEndAsync(ct);
        var output = process.StandardOutput.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
        {
            throw new IOException($"{tool} failed (exit {process.ExitCode.ToString(CultureInfo.InvariantCulture)}): {(await error).Trim()}");
        }

        await output;
    }
}
