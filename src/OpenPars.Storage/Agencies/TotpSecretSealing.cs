using Microsoft.EntityFrameworkCore;
using OpenPars.Storage.Common;

namespace OpenPars.Storage.Agencies;

/// <summary>
/// Seals the TOTP secrets an installation stored in plaintext before they were sealed at rest. The migration
/// <c>SealedTotpSecrets</c> moved each such secret out of <c>users</c> into <c>totp_secrets_to_seal</c> (the key file
/// is not the database's to read); the first start after the upgrade seals each onto its user's row, bound to the
/// user, and deletes it, in one transaction, so the same authenticator keeps working and no plaintext stays behind.
/// </summary>
public static class TotpSecretSealing
{
    /// <summary>Seals every waiting secret (the TOTP key is made if there is none); returns how many.</summary>
    /// <exception cref="SecretKeyException">The TOTP key file is readable by others or not a key: nothing is sealed.</exception>
    public static async Task<int> SealWaitingAsync(OpenParsDbContext db, SecretBoxes boxes, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(boxes);
        if (!await db.UnsealedTotpSecrets.AnyAsync(ct))
        {
            return 0;
        }

        var box = boxes.TotpForSealing();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var waiting = await db.UnsealedTotpSecrets.ToListAsync(ct);
        var ids = waiting.Select(w => w.UserId).ToList();
        var users = await db.Users.Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, ct);
        foreach (var secret in waiting)
        {
            // A secret enrolled since (a newer one sealed already) wins over the plaintext one.
            if (users.TryGetValue(secret.UserId, out var user) && user.TotpSecretSealed is null)
            {
                user.TotpSecretSealed = box.Seal(secret.Secret, user.Id);
            }
        }

        db.UnsealedTotpSecrets.RemoveRange(waiting);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return waiting.Count;
    }
}
