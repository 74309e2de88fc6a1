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

    /// <summary>A query column of an entry (recorded_at, event_type, outcome, code, user_id, agency_code) differs from
    /// what the entry's bytes say: a filtered view would show something the log does not.</summary>
    ColumnMismatch = 9,

    /// <summary>An entry names an arrest in <c>records</c> with no row in the records index: "who looked at this record" would miss it.</summary>
    RecordIndexMissing = 10,

    /// <summary>A records-index row names an arrest its entry does not (or an entry that does not exist).</summary>
    RecordIndexExtra = 11,

    /// <summary>An event row carries no binding (no audit index or no hash): nothing in the log recorded it.</summary>
    EventUnbound = 12,

    /// <summary>An event row no longer hashes to what its entry recorded: its type, body, stream, version, time, actor or position changed.</summary>
    EventAltered = 13,

    /// <summary>An entry lists the hash of an event that is not in the event log: the event was deleted.</summary>
    EventMissing = 14,

    /// <summary>An event row names an entry that does not list it, or an entry that does not exist: the event was added behind the log's back.</summary>
    EventInserted = 15,

    /// <summary>Event positions do not increase with the index of the entries that recorded them.</summary>
    EventOutOfOrder = 16,

    /// <summary>An entry's bytes are not an OpenPARS entry (not JSON, or time, type or outcome missing): nothing can be derived from them.</summary>
    EntryUnreadable = 17,
}
