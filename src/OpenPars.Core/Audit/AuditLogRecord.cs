namespace OpenPars.Core.Audit;

/// <summary>One stored audit entry as read back for verification, in the order storage returns them.</summary>
/// <param name="Index">The leaf index stored with the entry.</param>
/// <param name="EntryBytes">The exact stored bytes that were hashed (the RFC 8785 canonical JSON of the entry).</param>
/// <param name="StoredLeafHash">The leaf hash stored beside the entry, when storage keeps one.</param>
public readonly record struct AuditLogRecord(long Index, ReadOnlyMemory<byte> EntryBytes, byte[]? StoredLeafHash = null);

/// <summary>The outcome of <see cref="AuditLogVerifier"/>: the first damage found, or none.</summary>
/// <param name="FirstBadIndex">
/// The first damaged entry's index. For <see cref="AuditDamage.CheckpointRootMismatch"/> the stream alone cannot tell which
/// entry changed; it is the first index not vouched for by an earlier matching checkpoint (the damage lies in
/// [FirstBadIndex, checkpoint size)). Null for damage to the checkpoints themselves.
/// </param>
/// <param name="EntriesProcessed">Records read before stopping.</param>
/// <param name="TreeSize">Leaves accepted into the recomputed tree.</param>
/// <param name="RootHash">The recomputed root at <paramref name="TreeSize"/>.</param>
/// <param name="VerifiedThrough">The largest checkpoint size whose signed root matched the recomputed one (0 if none).</param>
/// <param name="CheckpointsMatched">Distinct checkpoint sizes whose signed roots matched.</param>
/// <param name="CheckpointPosition">For checkpoint damage, the position of the offending note in the list given.</param>
public sealed record AuditVerificationResult(
    AuditDamage Damage,
    long? FirstBadIndex,
    string Message,
    long EntriesProcessed,
    long TreeSize,
    byte[] RootHash,
    long VerifiedThrough,
    int CheckpointsMatched,
    int? CheckpointPosition = null)
{
    public bool IsIntact => Damage == AuditDamage.None;
}
