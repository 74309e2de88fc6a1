namespace OpenPars.Core.Audit;

/// <summary>One stored audit entry as read back for verification, in the order storage returns them.</summary>
/// <param name="Index">The leaf index stored with the entry.</param>
/// <param name="EntryBytes">The exact stored bytes that were hashed (the RFC 8785 canonical JSON of the entry).</param>
/// <param name="StoredLeafHash">The leaf hash stored beside the entry, when storage keeps one.</param>
/// <param name="StoredColumns">The query columns stored beside the entry, when storage keeps them: each is checked against the bytes.</param>
public readonly record struct AuditLogRecord(long Index, ReadOnlyMemory<byte> EntryBytes, byte[]? StoredLeafHash = null, AuditEntryColumns? StoredColumns = null);

/// <summary>One row of the records index: entry <paramref name="Index"/> touched arrest <paramref name="ArrestNumber"/>.</summary>
public readonly record struct AuditRecordRow(long Index, string ArrestNumber);

/// <summary>One stored event row as read back for verification.</summary>
/// <param name="AuditIndex">The entry that recorded it; null when unbound.</param>
/// <param name="StoredHash">The hash stored beside it; null when unbound.</param>
/// <param name="Event">The columns that are hashed.</param>
public sealed record StoredEventRecord(EventEnvelope Event, long? AuditIndex, byte[]? StoredHash);

/// <summary>
/// A slice of a stored log for <see cref="AuditLogVerifier.VerifyStoreAsync"/>: the entries of one index range (in
/// index order) with every records-index row and every event row that names an index in that range (rows sorted by
/// index; events by index, then position). Unbound events (no index) may come in any slice.
/// </summary>
public sealed record AuditStoreSlice(IReadOnlyList<AuditLogRecord> Entries, IReadOnlyList<AuditRecordRow> Records, IReadOnlyList<StoredEventRecord> Events);

/// <summary>One piece of damage found beside the Merkle chain: a derived column, a records-index row or an event.</summary>
/// <param name="Index">The entry concerned (for an unbound event, null).</param>
/// <param name="EventPosition">The event concerned, when the finding is about one.</param>
/// <param name="Kind">What is damaged.</param>
/// <param name="Message">The damage in a sentence an auditor reads.</param>
public sealed record AuditFinding(AuditDamage Kind, long? Index, string Message, long? EventPosition = null);

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
/// <param name="Damage">The first damage, or none.</param>
/// <param name="Message">What was found, in a sentence an auditor reads.</param>
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

    /// <summary>Damage found beside the chain (columns, records index, events), the first <see cref="AuditLogVerifier.MaxFindings"/>
    /// in index order; <see cref="Damage"/> and <see cref="FirstBadIndex"/> name the chain's damage, else the first of these.</summary>
    public IReadOnlyList<AuditFinding> Findings { get; init; } = [];

    /// <summary>How many findings there were in all (more than <see cref="Findings"/> holds when capped).</summary>
    public long FindingCount { get; init; }

    /// <summary>Events checked against their entries.</summary>
    public long EventsChecked { get; init; }
}
