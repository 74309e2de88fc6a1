using System.Security.Cryptography;
using System.Text;

namespace OpenPars.Storage.Webhooks;

/// <summary>
/// Encrypts webhook secrets at rest (AES-256-GCM) so the server can sign with them while a copy of the database
/// alone reveals none. The key is a file beside the audit signing key (<see cref="KeyFileName"/>, mode 0600, made on
/// first use, the same race-safe way): a backup of the data folder carries it, a database dump does not. Each secret
/// is bound to its agency (associated data), so a row moved to another agency does not decrypt.
/// Stored form: nonce (12) ‖ tag (16) ‖ ciphertext.
/// </summary>
public sealed class WebhookSecretBox
{
    /// <summary>The key file's name, in the folder of the audit signing key.</summary>
    public const string KeyFileName = "webhook-secrets.key";

    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private readonly byte[] _key;

    private WebhookSecretBox(byte[] key) => _key = key;

    /// <summary>The key file beside the audit key at <paramref name="auditKeyPath"/>.</summary>
    public static string KeyPathBeside(string auditKeyPath) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(auditKeyPath))!, KeyFileName);

    /// <summary>Loads the key at <paramref name="keyPath"/>, or makes it.</summary>
    /// <exception cref="InvalidOperationException">The key file is readable or writable by group or others, or not a key.</exception>
    public static WebhookSecretBox LoadOrCreate(string keyPath)
    {
        ArgumentNullException.ThrowIfNull(keyPath);
        if (!File.Exists(keyPath))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(keyPath))!);
            var temporary = $"{keyPath}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var file = new StreamWriter(temporary, Encoding.ASCII, options))
            {
                file.Write(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
            }

            try
            {
                File.Move(temporary, keyPath, overwrite: false);
            }
            catch (IOException) when (File.Exists(keyPath))
            {
                File.Delete(temporary);
            }
        }

        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(keyPath) & (UnixFileMode)0b000_111_111) != 0)
        {
            throw new InvalidOperationException($"The webhook secret key {keyPath} is readable or writable by group or others. Run: chmod 600 {keyPath}");
        }

        var key = Convert.FromBase64String(File.ReadAllText(keyPath).Trim());
        return key.Length == 32 ? new WebhookSecretBox(key) : throw new InvalidOperationException($"The webhook secret key {keyPath} is not a 256-bit key.");
    }

    /// <summary>The stored form of <paramref name="secret"/> for agency <paramref name="agencyId"/>.</summary>
    public byte[] Seal(string secret, long agencyId)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var plain = Encoding.UTF8.GetBytes(secret);
        var sealedBytes = new byte[NonceBytes + TagBytes + plain.Length];
        var nonce = sealedBytes.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagBytes);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceBytes + TagBytes), sealedBytes.AsSpan(NonceBytes, TagBytes), Associated(agencyId));
        return sealedBytes;
    }

    /// <summary>The secret sealed by <see cref="Seal"/> for the same agency.</summary>
    /// <exception cref="CryptographicException">Another key, another agency, or altered bytes.</exception>
    public string Open(byte[] sealedBytes, long agencyId)
    {
        ArgumentNullException.ThrowIfNull(sealedBytes);
        if (sealedBytes.Length < NonceBytes + TagBytes)
        {
            throw new CryptographicException("A sealed webhook secret is too short.");
        }

        var plain = new byte[sealedBytes.Length - NonceBytes - TagBytes];
        using var aes = new AesGcm(_key, TagBytes);
        aes.Decrypt(sealedBytes.AsSpan(0, NonceBytes), sealedBytes.AsSpan(NonceBytes + TagBytes), sealedBytes.AsSpan(NonceBytes, TagBytes), plain, Associated(agencyId));
        return Encoding.UTF8.GetString(plain);
    }

    private static byte[] Associated(long agencyId) => Encoding.ASCII.GetBytes($"openpars-webhook-secret:{agencyId}");
}
