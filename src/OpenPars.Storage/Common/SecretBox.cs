using System.Security.Cryptography;
using System.Text;

namespace OpenPars.Storage.Common;

/// <summary>
/// Encrypts a secret the server must read back (a webhook's signing secret, a user's TOTP secret) at rest with
/// AES-256-GCM, so a copy of the database alone reveals none. The key is a file beside the audit signing key (mode
/// 0600, made on first use, race-safe: two processes starting at once keep one key): a backup of the data folder
/// carries it, a database dump does not. Each secret is bound to its owner (associated data: the box's purpose and the
/// owner's id), so a sealed value copied onto another owner's row does not open. One box a purpose
/// (<see cref="SecretBoxes"/>): the webhook secrets are bound to their agency, the TOTP secrets to their user.
/// Stored form: nonce (12) ‖ tag (16) ‖ ciphertext.
/// </summary>
public sealed class SecretBox
{
    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private readonly byte[] _key;
    private readonly string _purpose;

    private SecretBox(byte[] key, string purpose)
    {
        _key = key;
        _purpose = purpose;
    }

    /// <summary>The key file <paramref name="fileName"/> beside the audit key at <paramref name="auditKeyPath"/>.</summary>
    public static string KeyPathBeside(string auditKeyPath, string fileName) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(auditKeyPath))!, fileName);

    /// <summary>Loads the key at <paramref name="keyPath"/>, or makes it (mode 0600).</summary>
    /// <param name="keyPath">The key file.</param>
    /// <param name="purpose">What the box seals (bound into every sealed value with its owner's id).</param>
    /// <exception cref="SecretKeyException">The key file is readable or writable by group or others, or not a key.</exception>
    public static SecretBox LoadOrCreate(string keyPath, string purpose)
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

        return Load(keyPath, purpose);
    }

    /// <summary>Loads the key at <paramref name="keyPath"/>; never makes one (a box that must open what an earlier key
    /// sealed fails closed when the key is gone).</summary>
    /// <param name="keyPath">The key file.</param>
    /// <param name="purpose">What the box seals.</param>
    /// <exception cref="SecretKeyException">The key file is missing, readable or writable by group or others, or not a key.</exception>
    public static SecretBox Load(string keyPath, string purpose)
    {
        ArgumentNullException.ThrowIfNull(keyPath);
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        if (!File.Exists(keyPath))
        {
            throw new SecretKeyException($"The secret key {keyPath} is missing. Restore it from the backup of the data folder.");
        }

        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(keyPath) & (UnixFileMode)0b000_111_111) != 0)
        {
            throw new SecretKeyException($"The secret key {keyPath} is readable or writable by group or others. Run: chmod 600 {keyPath}");
        }

        byte[] key;
        try
        {
            key = Convert.FromBase64String(File.ReadAllText(keyPath).Trim());
        }
        catch (FormatException)
        {
            key = [];
        }

        return key.Length == 32 ? new SecretBox(key, purpose) : throw new SecretKeyException($"The secret key {keyPath} is not a 256-bit key.");
    }

    /// <summary>The stored form of <paramref name="secret"/> for owner <paramref name="ownerId"/>.</summary>
    public byte[] Seal(string secret, long ownerId)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var plain = Encoding.UTF8.GetBytes(secret);
        var sealedBytes = new byte[NonceBytes + TagBytes + plain.Length];
        var nonce = sealedBytes.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagBytes);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceBytes + TagBytes), sealedBytes.AsSpan(NonceBytes, TagBytes), Associated(ownerId));
        return sealedBytes;
    }

    /// <summary>The secret sealed by <see cref="Seal"/> for the same owner.</summary>
    /// <exception cref="CryptographicException">Another key, another owner, or altered bytes.</exception>
    public string Open(byte[] sealedBytes, long ownerId)
    {
        ArgumentNullException.ThrowIfNull(sealedBytes);
        if (sealedBytes.Length < NonceBytes + TagBytes)
        {
            throw new CryptographicException($"A sealed {_purpose} is too short.");
        }

        var plain = new byte[sealedBytes.Length - NonceBytes - TagBytes];
        using var aes = new AesGcm(_key, TagBytes);
        aes.Decrypt(sealedBytes.AsSpan(0, NonceBytes), sealedBytes.AsSpan(NonceBytes + TagBytes), sealedBytes.AsSpan(NonceBytes, TagBytes), plain, Associated(ownerId));
        return Encoding.UTF8.GetString(plain);
    }

    private byte[] Associated(long ownerId) => Encoding.ASCII.GetBytes($"{_purpose}:{ownerId}");
}

/// <summary>A secret box's key file is missing, readable by others, or not a key: nothing is sealed or opened.</summary>
public sealed class SecretKeyException : InvalidOperationException
{
    /// <summary>A key problem stated by <paramref name="message"/>.</summary>
    public SecretKeyException(string message)
        : base(message)
    {
    }

    /// <summary>A key problem with the default message.</summary>
    public SecretKeyException()
    {
    }

    /// <summary>A key problem stated by <paramref name="message"/>, caused by <paramref name="innerException"/>.</summary>
    public SecretKeyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// The secret boxes of one installation, each with its key file beside the audit signing key:
/// <see cref="WebhookKeyFileName"/> (webhook secrets, bound to their agency) and <see cref="TotpKeyFileName"/> (TOTP
/// secrets, bound to their user). A box is loaded on first use and kept. The webhook key is made when first needed;
/// the TOTP key only when a secret is sealed (<see cref="TotpForSealing"/>): opening never makes one, so a lost key
/// fails sign-in closed instead of silently replacing what the stored secrets were sealed with.
/// </summary>
public sealed class SecretBoxes
{
    /// <summary>The webhook secrets' key file's name.</summary>
    public const string WebhookKeyFileName = "webhook-secrets.key";

    /// <summary>The TOTP secrets' key file's name.</summary>
    public const string TotpKeyFileName = "totp-secrets.key";

    // Bound into each sealed value with its owner's id; the webhook one is the bytes sealed before the box was shared.
    private const string WebhookPurpose = "openpars-webhook-secret";
    private const string TotpPurpose = "openpars-totp-secret";

    private readonly Lazy<SecretBox> _webhooks;
    private readonly Lock _gate = new();
    private SecretBox? _totp;

    /// <summary>The boxes whose keys sit beside the audit key at <paramref name="auditKeyPath"/>.</summary>
    public SecretBoxes(string auditKeyPath)
    {
        ArgumentNullException.ThrowIfNull(auditKeyPath);
        WebhookKeyPath = SecretBox.KeyPathBeside(auditKeyPath, WebhookKeyFileName);
        TotpKeyPath = SecretBox.KeyPathBeside(auditKeyPath, TotpKeyFileName);
        _webhooks = new(() => SecretBox.LoadOrCreate(WebhookKeyPath, WebhookPurpose));
    }

    /// <summary>The webhook secrets' key file.</summary>
    public string WebhookKeyPath { get; }

    /// <summary>The TOTP secrets' key file.</summary>
    public string TotpKeyPath { get; }

    /// <summary>The webhook secrets' box (its key made on first use).</summary>
    /// <exception cref="SecretKeyException">The key file is readable by others or not a key.</exception>
    public SecretBox Webhooks => _webhooks.Value;

    /// <summary>The TOTP box to seal a new secret with: its key is made if there is none.</summary>
    /// <exception cref="SecretKeyException">The key file is readable by others or not a key.</exception>
    public SecretBox TotpForSealing() => Totp(create: true);

    /// <summary>The TOTP box to open a stored secret with: a missing key is not made.</summary>
    /// <exception cref="SecretKeyException">The key file is missing, readable by others or not a key.</exception>
    public SecretBox TotpForOpening() => Totp(create: false);

    private SecretBox Totp(bool create)
    {
        lock (_gate)
        {
            return _totp ??= create ? SecretBox.LoadOrCreate(TotpKeyPath, TotpPurpose) : SecretBox.Load(TotpKeyPath, TotpPurpose);
        }
    }
}
