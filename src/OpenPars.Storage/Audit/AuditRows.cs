namespace OpenPars.Storage.Audit;

/// <summary>One entry of the audit log. Never updated or deleted by any code path. <see cref="Entry"/> holds the
/// RFC 8785 canonical bytes exactly as hashed (never a JSON column type that could rewrite them).</summary>
public sealed class AuditEntryRow
{
    public long Index { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
    public int EventType { get; set; }
    public string Outcome { get; set; } = "";
    public string? Code { get; set; }
    public long? UserId { get; set; }
    public string? AgencyCode { get; set; }

    /// <summary>The agreement the entry names (derived: Core/Audit/AuditEntryFacts).</summary>
    public string? AgreementId { get; set; }

    /// <summary>The purpose the entry states (derived: Core/Audit/AuditEntryFacts).</summary>
    public string? Purpose { get; set; }

    public byte[] Entry { get; set; } = [];
    public byte[] LeafHash { get; set; } = [];
}

/// <summary>Which arrests an entry touched: the index behind "every look at arrest 26-0001234".</summary>
public sealed class AuditEntryRecordRow
{
    public string ArrestNumber { get; set; } = "";
    public long Index { get; set; }
}

/// <summary>The hash of one complete perfect subtree, written once (Core/Audit/README.md § 3).
/// <see cref="NodeId"/> = level·2^56 + index, one indexed column for a lookup of O(log n) nodes.</summary>
public sealed class AuditNodeRow
{
    public long NodeId { get; set; }
    public byte[] Hash { get; set; } = [];

    public static long Id(int level, long index) => ((long)level << 56) | index;
}

/// <summary>A signed checkpoint (C2SP signed note) of the tree at one size.</summary>
public sealed class AuditCheckpointRow
{
    public long TreeSize { get; set; }
    public string Note { get; set; } = "";
    public DateTimeOffset SignedAt { get; set; }
}

/// <summary>The log's size, one row. Advancing it first in every append takes the lock that serializes appenders
/// on PostgreSQL (row lock) as on SQLite (the single writer).</summary>
public sealed class AuditHeadRow
{
    public int Id { get; set; }
    public long Size { get; set; }
}
