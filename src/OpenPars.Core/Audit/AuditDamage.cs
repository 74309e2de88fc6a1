namespace OpenPars.Core.Audit;

/// <summary>What <see cref="AuditLogVerifier"/> found wrong. Stable numbers: stored and reported, never renumbered.</summary>
public enum AuditDamage
{
    None = 0,

    /// <summary>An entry's bytes no longer hash to the leaf hash stored beside it.</summary>
    EntryAltered = 1,

    /// <summary>An index never appears: an entry was deleted.</summary>
    EntryMissing = 2,

    /// <summary>An index appears after a later one: entries were moved.</summary>
    EntryOutOfOrder = 3,

    /// <summary>An index appears twice: an entry was added among the others.</summary>
    EntryInserted = 4,

    /// <summary>A valid checkpoint covers more entries than the log holds: the tail was cut off.</summary>
    LogTruncated = 5,

    /// <summary>A checkpoint is malformed, edited, or not signed by the trusted key.</summary>
    CheckpointSignatureInvalid = 6,

    /// <summary>The entries up to a checkpoint's size do not hash to the root it signs: entries were changed, added or removed and re-hashed.</summary>
    CheckpointRootMismatch = 7,

    /// <summary>Two validly signed checkpoints disagree about the same tree size: the signer forked the log.</summary>
    CheckpointsInconsistent = 8,
}
