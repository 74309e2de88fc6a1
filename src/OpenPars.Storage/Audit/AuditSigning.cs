using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenPars.Core.Audit;

namespace OpenPars.Storage.Audit;

/// <summary>
/// The checkpoint signing key: ECDSA P-256, generated on first start into the data folder (mode 0600) or read
/// from a path. The origin line names this log; it includes the first key's id so two installations never share one.
/// After <see cref="Rotate"/> the key file holds a new key, and the keyring file beside it
/// (<c>audit-signing-key.pem.keyring.json</c>) keeps the log's origin and the PUBLIC keys of the retired ones, so every
/// checkpoint signed before still verifies; a retired private key is not kept.
/// </summary>
public sealed class AuditSigning : IDisposable
{
    public const string KeyFileName = "audit-signing-key.pem";

    /// <summary>The keyring beside a key file: the log's origin and the retired public keys.</summary>
    public const string KeyringSuffix = ".keyring.json";

    private const UnixFileMode GroupOrOthers = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private readonly ECDsa _key;
    private readonly CheckpointSigner _signer;
    private readonly Lock _lock = new();

    private AuditSigning(ECDsa key, Keyring keyring, string keyPath)
    {
        _key = key;
        WitnessPath = WitnessPathFor(keyPath);
        KeyId = CheckpointKeys.KeyId(key);
        Origin = keyring.Origin ?? OriginOf(KeyId);
        RetiredPublicKeysPem = keyring.Retired;
        _signer = new CheckpointSigner(key, Origin);
    }

    /// <summary>The log's name on the first line of every checkpoint (stable across key rotations).</summary>
    public string Origin { get; }

    /// <summary>The signed-note key ID of the key that signs now.</summary>
    public uint KeyId { get; }

    /// <summary><see cref="KeyId"/> as eight hex digits, as checkpoints and <c>audit verify</c> name it.</summary>
    public string KeyIdHex => KeyId.ToString("x8", CultureInfo.InvariantCulture);

    public string PublicKeyPem => CheckpointKeys.ExportPublicKeyPem(_key);

    /// <summary>The public keys of the keys this log signed with before, oldest first.</summary>
    public IReadOnlyList<string> RetiredPublicKeysPem { get; }

    /// <summary>The current public key and every retired one: what verifies the log's checkpoints.</summary>
    public IReadOnlyList<string> VerificationKeysPem => [PublicKeyPem, .. RetiredPublicKeysPem];

    /// <summary>Loads the key, or creates it. Safe when a server and a CLI command start at once: the key is written
    /// to a temporary file and moved into place without replacing, so the loser of a race loads the winner's key.</summary>
    /// <exception cref="AuditKeyException">The key file is readable or writable by group or others.</exception>
    public static AuditSigning LoadOrCreate(string keyPath)
    {
        var key = ECDsa.Create();
        if (!File.Exists(keyPath))
        {
            key.GenerateKey(ECCurve.NamedCurves.nistP256);
            var temporary = WritePrivateKey(keyPath, key);
            try
            {
                File.Move(temporary, keyPath, overwrite: false);
                return new AuditSigning(key, ReadKeyring(keyPath), keyPath);
            }
            catch (IOException) when (File.Exists(keyPath))
            {
                File.Delete(temporary);
            }
        }

        EnsurePrivate(keyPath);
        key.ImportFromPem(File.ReadAllText(keyPath));
        return new AuditSigning(key, ReadKeyring(keyPath), keyPath);
    }

    /// <summary>
    /// What must hold before a store is served or verified: a key file that only its owner can read, and a key file at
    /// all when the store has signed checkpoints (a new key would sign a log whose old checkpoints nothing can verify,
    /// and would hide that the key was lost or swapped).
    /// </summary>
    /// <exception cref="AuditKeyException">Either does not hold; the message says which and what to do.</exception>
    public static void EnsureUsable(string keyPath, long checkpoints)
    {
        if (!File.Exists(keyPath))
        {
            if (checkpoints > 0)
            {
                throw new AuditKeyException(
                    $"The audit signing key {keyPath} is missing, but the store holds {checkpoints.ToString(CultureInfo.InvariantCulture)} signed checkpoints. " +
                    "Restore the key file from your backup (or point to it); OpenPARS will not start a new key over a signed log.");
            }

            return;
        }

        EnsurePrivate(keyPath);
    }

    /// <summary>
    /// Replaces the key at <paramref name="keyPath"/> with a new one. The old public key goes into the keyring (with the
    /// log's origin, so checkpoints keep naming the same log) before the new key is moved into place, so a crash in
    /// between leaves a keyring that names a key which is still the current one — harmless.
    /// </summary>
    /// <returns>The key IDs before and after, as hex.</returns>
    /// <exception cref="AuditKeyException">There is no key to rotate, or it is readable by others.</exception>
    public static (string OldKeyId, string NewKeyId) Rotate(string keyPath, DateTimeOffset now)
    {
        if (!File.Exists(keyPath))
        {
            throw new AuditKeyException($"There is no audit signing key at {keyPath} to rotate.");
        }

        string oldId;
        string origin;
        using (var current = LoadOrCreate(keyPath))
        {
            oldId = current.KeyIdHex;
            origin = current.Origin;
            var keyring = ReadKeyringJson(keyPath);
            keyring["origin"] = origin;
            var retired = keyring["retired"] as JsonArray ?? [];
            retired.Add(new JsonObject
            {
                ["keyId"] = oldId,
                ["publicKeyPem"] = current.PublicKeyPem,
                ["retiredAt"] = now.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            });
            keyring["retired"] = retired;
            var temporaryKeyring = $"{keyPath}{KeyringSuffix}.{Guid.NewGuid():N}.tmp";
            File.WriteAllText(temporaryKeyring, keyring.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            File.Move(temporaryKeyring, keyPath + KeyringSuffix, overwrite: true);
        }

        using var next = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var temporary = WritePrivateKey(keyPath, next);
        File.Move(temporary, keyPath, overwrite: true);
        return (oldId, CheckpointKeys.KeyId(next).ToString("x8", CultureInfo.InvariantCulture));
    }

    /// <summary>The public keys that verify the checkpoints of the log whose key is at <paramref name="keyPath"/>: the
    /// current one (a PEM private or public key) and the keyring's retired ones. The caller disposes them.</summary>
    /// <exception cref="AuditKeyException">The key file is missing or readable by others.</exception>
    public static IReadOnlyList<ECDsa> LoadVerificationKeys(string keyPath)
    {
        if (!File.Exists(keyPath))
        {
            throw new AuditKeyException($"No key at {keyPath}; pass --public-key.");
        }

        EnsurePrivate(keyPath);
        var keys = new List<ECDsa>();
        foreach (var pem in (string[])[File.ReadAllText(keyPath), .. ReadKeyring(keyPath).Retired])
        {
            var key = ECDsa.Create();
            key.ImportFromPem(pem);
            keys.Add(key);
        }

        return keys;
    }

    /// <summary>The file beside the key that keeps the largest checkpoint this key folder ever signed: outside the
    /// database, so restoring an older backup over the store is detected (`openpars restore`), not silent.</summary>
    public string WitnessPath { get; }

    /// <summary>The checkpoint witness file beside the key at <paramref name="keyPath"/>.</summary>
    public static string WitnessPathFor(string keyPath) => Path.Combine(Path.GetDirectoryName(Path.GetFullPath(keyPath))!, WitnessFileName);

    /// <summary>The witness file's name (see <see cref="WitnessPath"/>).</summary>
    public const string WitnessFileName = "audit-checkpoint-witness.txt";

    /// <summary>Signs a checkpoint, and records it as the witness when it is larger than the one recorded. The witness is
    /// written when the checkpoint is signed, before its transaction commits: a rolled-back checkpoint can leave it a
    /// little ahead of the log (a restore of the newest backup is then refused until the log passes it, or with
    /// <c>--force</c>) — never behind, which is what would hide a rollback.</summary>
    public Checkpoint Sign(long treeSize, ReadOnlySpan<byte> root)
    {
        lock (_lock)
        {
            var checkpoint = _signer.Sign(Origin, treeSize, root);
            if (ReadWitnessSize(WitnessPath) < treeSize)
            {
                WriteWitness(WitnessPath, checkpoint.NoteText);
            }

            return checkpoint;
        }
    }

    /// <summary>The tree size of the witness at <paramref name="path"/> (0 when there is none or it does not parse;
    /// the signature is checked by whoever relies on it).</summary>
    public static long ReadWitnessSize(string path)
    {
        try
        {
            var lines = File.Exists(path) ? File.ReadAllText(path).Split('\n') : [];
            return lines.Length > 1 && long.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size) ? size : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>Replaces the witness at <paramref name="path"/> with <paramref name="note"/> (atomically: a reader sees the old or the new one).</summary>
    public static void WriteWitness(string path, string note)
    {
        var temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        File.WriteAllText(temporary, note);
        File.Move(temporary, path, overwrite: true);
    }

    public void Dispose() => _key.Dispose();

    private static string OriginOf(uint keyId) => $"openpars.local/audit/{keyId.ToString("x8", CultureInfo.InvariantCulture)}";

    private static void EnsurePrivate(string keyPath)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var mode = File.GetUnixFileMode(keyPath);
        if ((mode & GroupOrOthers) != 0)
        {
            throw new AuditKeyException(
                $"The audit signing key {keyPath} is readable or writable by group or others (mode {Convert.ToString((int)mode, 8)}). " +
                $"Anyone who can read it can sign checkpoints for this log. Run: chmod 600 {keyPath}");
        }
    }

    private static string WritePrivateKey(string keyPath, ECDsa key)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(keyPath))!);
        var temporary = $"{keyPath}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var file = new StreamWriter(temporary, System.Text.Encoding.ASCII, options))
        {
            file.Write(key.ExportPkcs8PrivateKeyPem());
        }

        return temporary;
    }

    private sealed record Keyring(string? Origin, IReadOnlyList<string> Retired);

    private static JsonObject ReadKeyringJson(string keyPath)
    {
        var path = keyPath + KeyringSuffix;
        if (!File.Exists(path))
        {
            return [];
        }

        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new AuditKeyException($"The keyring {path} is not a JSON object.");
        }
        catch (JsonException e)
        {
            throw new AuditKeyException($"The keyring {path} is not valid JSON: {e.Message}");
        }
    }

    private static Keyring ReadKeyring(string keyPath)
    {
        var json = ReadKeyringJson(keyPath);
        var origin = json["origin"] is JsonValue o && o.TryGetValue<string>(out var text) ? text : null;
        var retired = (json["retired"] as JsonArray ?? []).Select(k => k?["publicKeyPem"]?.GetValue<string>()).OfType<string>().ToList();
        return new Keyring(origin, retired);
    }
}

/// <summary>The audit signing key cannot be used safely: missing while checkpoints exist, readable by others, or a
/// damaged keyring. An <see cref="IOException"/>, so the command line reports it as a plain error and exits non-zero.</summary>
public sealed class AuditKeyException : IOException
{
    /// <summary>A key problem stated by <paramref name="message"/>.</summary>
    public AuditKeyException(string message)
        : base(message)
    {
    }

    /// <summary>A key problem with the default message.</summary>
    public AuditKeyException()
    {
    }

    /// <summary>A key problem stated by <paramref name="message"/>, caused by <paramref name="innerException"/>.</summary>
    public AuditKeyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
