using System.Globalization;
using System.Security.Cryptography;
using OpenPars.Core.Audit;

namespace OpenPars.Storage.Audit;

/// <summary>
/// The checkpoint signing key: ECDSA P-256, generated on first start into the data folder (mode 0600) or read
/// from a path. The origin line names this log; it includes the key id so two installations never share one.
/// </summary>
public sealed class AuditSigning : IDisposable
{
    public const string KeyFileName = "audit-signing-key.pem";

    private readonly ECDsa _key;
    private readonly CheckpointSigner _signer;
    private readonly Lock _lock = new();

    private AuditSigning(ECDsa key)
    {
        _key = key;
        Origin = $"openpars.local/audit/{CheckpointKeys.KeyId(key).ToString("x8", CultureInfo.InvariantCulture)}";
        _signer = new CheckpointSigner(key, Origin);
    }

    public string Origin { get; }

    public string PublicKeyPem => CheckpointKeys.ExportPublicKeyPem(_key);

    /// <summary>Loads the key, or creates it. Safe when a server and a CLI command start at once: the key is written
    /// to a temporary file and moved into place without replacing, so the loser of a race loads the winner's key.</summary>
    public static AuditSigning LoadOrCreate(string keyPath)
    {
        var key = ECDsa.Create();
        if (!File.Exists(keyPath))
        {
            key.GenerateKey(ECCurve.NamedCurves.nistP256);
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

            try
            {
                File.Move(temporary, keyPath, overwrite: false);
                return new AuditSigning(key);
            }
            catch (IOException) when (File.Exists(keyPath))
            {
                File.Delete(temporary);
            }
        }

        key.ImportFromPem(File.ReadAllText(keyPath));
        return new AuditSigning(key);
    }

    public Checkpoint Sign(long treeSize, ReadOnlySpan<byte> root)
    {
        lock (_lock)
        {
            return _signer.Sign(Origin, treeSize, root);
        }
    }

    public void Dispose() => _key.Dispose();
}
