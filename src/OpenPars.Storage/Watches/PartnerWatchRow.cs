using Microsoft.EntityFrameworkCore;

namespace OpenPars.Storage.Watches;

/// <summary>
/// The projection of one partner watch (table <c>partner_watches</c>), written with its events
/// (<c>partner-watch-registered</c>, <c>partner-watch-cancelled</c> on the stream <c>partner-watch</c>) in the same
/// transaction. The events are the record; this row is what the list, the quota count and the matcher query.
/// </summary>
public sealed class PartnerWatchRow
{
    /// <summary>The watch id (<c>pw-…</c>), also its stream id.</summary>
    public string WatchId { get; set; } = "";

    /// <summary>The agreement it was registered under.</summary>
    public string AgreementId { get; set; } = "";

    /// <summary>The partner agency's id.</summary>
    public long AgencyId { get; set; }

    /// <summary>The partner agency's code: its analysts list, cancel and are told of its watches.</summary>
    public string AgencyCode { get; set; } = "";

    /// <summary>The analyst who registered it.</summary>
    public long UserId { get; set; }

    /// <summary>The analyst's name.</summary>
    public string UserName { get; set; } = "";

    /// <summary>The identifying criteria (canonical name → value) as JSON.</summary>
    public string CriteriaJson { get; set; } = "{}";

    /// <summary>The stated purpose.</summary>
    public string Purpose { get; set; } = "";

    /// <summary>The stated case number.</summary>
    public string? CaseNumber { get; set; }

    /// <summary>When it was registered.</summary>
    public DateTimeOffset RegisteredAt { get; set; }

    /// <summary>The global position of its registration: it matches arrest events after it only.</summary>
    public long RegisteredPosition { get; set; }

    /// <summary>When it stops matching.</summary>
    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>When it was cancelled; null while not.</summary>
    public DateTimeOffset? CancelledAt { get; set; }

    internal static void Configure(ModelBuilder modelBuilder) => modelBuilder.Entity<PartnerWatchRow>(e =>
    {
        e.ToTable("partner_watches");
        e.HasKey(x => x.WatchId);
        e.Property(x => x.WatchId).HasMaxLength(32);
        e.Property(x => x.AgreementId).HasMaxLength(64);
        e.Property(x => x.AgencyCode).HasMaxLength(16);
        e.Property(x => x.UserName).HasMaxLength(200);
        e.Property(x => x.Purpose).HasMaxLength(100);
        e.Property(x => x.CaseNumber).HasMaxLength(500);
        e.HasIndex(x => new { x.AgencyCode, x.ExpiresAt });
        e.HasIndex(x => x.ExpiresAt);
    });
}

/// <summary>
/// One match the matcher appended (table <c>partner_watch_matches</c>): the watch and the arrest event's position,
/// the primary key. Inserted in the transaction of the match's event and entry, so a match for (watch, position) is
/// appended at most once whatever the consumer's mark says (two processes, a restart between effect and mark).
/// </summary>
public sealed class WatchMatchRow
{
    /// <summary>The watch that matched.</summary>
    public string WatchId { get; set; } = "";

    /// <summary>The global position of the arrest event that matched.</summary>
    public long MatchedPosition { get; set; }

    /// <summary>The global position of the <c>partner-watch-matched</c> event appended for it.</summary>
    public long EventPosition { get; set; }

    internal static void Configure(ModelBuilder modelBuilder) => modelBuilder.Entity<WatchMatchRow>(e =>
    {
        e.ToTable("partner_watch_matches");
        e.HasKey(x => new { x.WatchId, x.MatchedPosition });
        e.Property(x => x.WatchId).HasMaxLength(32);
    });
}
