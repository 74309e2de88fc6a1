using Microsoft.EntityFrameworkCore;
using OpenPars.Core.Agencies;
using OpenPars.Storage.Agencies;
using OpenPars.Storage.Agreements;
using OpenPars.Storage.Arrests;
using OpenPars.Storage.Audit;
using OpenPars.Storage.Common;
using OpenPars.Storage.Events;

namespace OpenPars.Storage;

/// <summary>
/// The one model of the store. Each provider has a subclass (OpenPars.Storage.Sqlite / .Postgres) that owns its
/// migrations and the few type conventions where the providers differ; everything else is here.
/// </summary>
public abstract class OpenParsDbContext : DbContext
{
    protected OpenParsDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<AgencyEntity> Agencies => Set<AgencyEntity>();
    public DbSet<UserEntity> Users => Set<UserEntity>();
    public DbSet<TokenEntity> Tokens => Set<TokenEntity>();

    /// <summary>Page sessions (sign-in with password and second factor).</summary>
    public DbSet<PageSessionEntity> PageSessions => Set<PageSessionEntity>();

    /// <summary>Plaintext TOTP secrets of an upgraded installation, waiting for the first start to seal them.</summary>
    public DbSet<UnsealedTotpSecretEntity> UnsealedTotpSecrets => Set<UnsealedTotpSecretEntity>();
    public DbSet<ArrestRow> Arrests => Set<ArrestRow>();
    public DbSet<ChargeRow> Charges => Set<ChargeRow>();
    public DbSet<InvolvedPartyRow> InvolvedParties => Set<InvolvedPartyRow>();
    public DbSet<IdempotencyRow> IdempotencyKeys => Set<IdempotencyRow>();
    public DbSet<CounterRow> Counters => Set<CounterRow>();
    public DbSet<AuditEntryRow> AuditEntries => Set<AuditEntryRow>();
    public DbSet<AuditEntryRecordRow> AuditEntryRecords => Set<AuditEntryRecordRow>();
    public DbSet<AuditNodeRow> AuditNodes => Set<AuditNodeRow>();
    public DbSet<AuditCheckpointRow> AuditCheckpoints => Set<AuditCheckpointRow>();
    public DbSet<AuditHeadRow> AuditHead => Set<AuditHeadRow>();
    public DbSet<AgreementRow> Agreements => Set<AgreementRow>();
    public DbSet<EventRow> Events => Set<EventRow>();
    public DbSet<QuotaCounterRow> QuotaCounters => Set<QuotaCounterRow>();
    public DbSet<Feeds.FeedConsumerRow> FeedConsumers => Set<Feeds.FeedConsumerRow>();

    /// <summary>Partner watches (the projection of the <c>partner-watch</c> streams).</summary>
    public DbSet<Watches.PartnerWatchRow> PartnerWatches => Set<Watches.PartnerWatchRow>();

    /// <summary>The matches appended, one per (watch, arrest event position).</summary>
    public DbSet<Watches.WatchMatchRow> WatchMatches => Set<Watches.WatchMatchRow>();
    /// <summary>Registered webhook endpoints (Storage/Webhooks).</summary>
    public DbSet<Webhooks.WebhookEndpointRow> WebhookEndpoints => Set<Webhooks.WebhookEndpointRow>();

    /// <summary>Webhook deliveries: one per endpoint and event, with their schedule.</summary>
    public DbSet<Webhooks.WebhookDeliveryRow> WebhookDeliveries => Set<Webhooks.WebhookDeliveryRow>();

    /// <summary>Every attempt of every webhook delivery.</summary>
    public DbSet<Webhooks.WebhookAttemptRow> WebhookAttempts => Set<Webhooks.WebhookAttemptRow>();

    /// <summary>The provider's SQL to advance a counter by n and return its new value (the last number taken).</summary>
    public abstract FormattableString AdvanceCounterSql(string name, long by);

    /// <summary>The provider's statement that tells other processes, at commit, that events up to
    /// <paramref name="lastPosition"/> were appended; null where the provider has no such channel (SQLite: one process
    /// per file, its dispatcher woken in process and by polling).</summary>
    public virtual FormattableString? EventsCommittedNotification(long lastPosition) => null;

    /// <summary>Writes <paramref name="rows"/> with the provider's bulk statement (PostgreSQL: binary COPY) inside the current
    /// transaction, and returns true; false where the provider has none (the caller then inserts them otherwise).</summary>
    /// <param name="rows">Rows of one entity type.</param>
    /// <param name="withGeneratedKey">Also write a database-generated key (taken by <see cref="TakeGeneratedKeysAsync"/>).</param>
    /// <param name="ct">Cancels the copy (the transaction is then rolled back by its owner).</param>
    public virtual Task<bool> CopyRowsAsync<T>(IReadOnlyList<T> rows, bool withGeneratedKey, CancellationToken ct)
        where T : class => Task.FromResult(false);

    /// <summary>Takes <paramref name="count"/> values of T's generated key from its sequence, for rows written with
    /// <see cref="CopyRowsAsync"/>; null where the provider cannot (SQLite: no sequence).</summary>
    /// <param name="count">How many keys.</param>
    /// <param name="ct">Cancels the statement.</param>
    public virtual Task<long[]?> TakeGeneratedKeysAsync<T>(int count, CancellationToken ct)
        where T : class => Task.FromResult<long[]?>(null);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<AgencyKind>().HaveConversion<string>().HaveMaxLength(32);
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<AgencyEntity>(e =>
        {
            e.ToTable("agencies");
            e.HasIndex(x => x.Code).IsUnique();
            e.Property(x => x.Code).HasMaxLength(16);
            e.Property(x => x.Name).HasMaxLength(200);
            e.Property(x => x.PartnerKind).HasMaxLength(64);
        });

        modelBuilder.Entity<UserEntity>(e =>
        {
            e.ToTable("users");
            e.Property(x => x.Name).HasMaxLength(200);
            e.Property(x => x.Roles).HasMaxLength(400);
            e.Ignore(x => x.RoleList);
            e.HasIndex(x => new { x.AgencyId, x.Name }).IsUnique();
            e.Property(x => x.PasswordHash).HasMaxLength(200);
            e.Property(x => x.TotpSecretSealed).HasMaxLength(128);
            e.Property(x => x.RecoveryCodeHashes).HasMaxLength(1000);
        });

        modelBuilder.Entity<UnsealedTotpSecretEntity>(e =>
        {
            e.ToTable("totp_secrets_to_seal");
            e.HasKey(x => x.UserId);
            e.Property(x => x.UserId).ValueGeneratedNever();
            e.Property(x => x.Secret).HasMaxLength(64);
            e.HasOne<UserEntity>().WithMany().HasForeignKey(x => x.UserId);
        });

        modelBuilder.Entity<PageSessionEntity>(e =>
        {
            e.ToTable("page_sessions");
            e.HasIndex(x => x.SecretHash).IsUnique();
            e.HasIndex(x => x.UserId);
            e.Property(x => x.SecretHash).HasMaxLength(32);
            e.Property(x => x.EndReason).HasMaxLength(16);
            e.HasOne<UserEntity>().WithMany().HasForeignKey(x => x.UserId);
        });

        modelBuilder.Entity<TokenEntity>(e =>
        {
            e.ToTable("tokens");
            e.HasIndex(x => x.SecretHash).IsUnique();
            e.Property(x => x.SecretHash).HasMaxLength(32);
            e.Property(x => x.Label).HasMaxLength(200);
        });

        modelBuilder.Entity<ArrestRow>(e =>
        {
            e.ToTable("arrests");
            e.HasIndex(x => x.ArrestNumber).IsUnique();
            e.Property(x => x.ArrestNumber).HasMaxLength(16);
            e.Property(x => x.Version).IsConcurrencyToken();
            e.Property(x => x.Status).HasMaxLength(20);
            e.Property(x => x.District).HasMaxLength(8);
            e.Property(x => x.BailAmount).HasPrecision(12, 2);
            e.HasIndex(x => new { x.BookedAt, x.Id });
            e.HasIndex(x => new { x.LastNameKey, x.FirstNameKey });
            e.HasIndex(x => new { x.Status, x.BookedAt });
            e.HasIndex(x => new { x.District, x.BookedAt });
            e.HasIndex(x => x.DateOfBirth);
            e.HasIndex(x => x.Sid);
            e.HasIndex(x => x.FbiNumber);
            e.HasMany(x => x.Charges).WithOne().HasForeignKey(c => c.ArrestId);
        });

        modelBuilder.Entity<ChargeRow>(e =>
        {
            e.ToTable("charges");
            e.HasIndex(x => new { x.ArrestId, x.Position }).IsUnique();
            e.HasIndex(x => new { x.Citation, x.ArrestId });
            e.Property(x => x.Citation).HasMaxLength(64);
            e.Property(x => x.Grade).HasMaxLength(16);
        });

        modelBuilder.Entity<InvolvedPartyRow>(e =>
        {
            e.ToTable("involved_parties");
            e.HasIndex(x => new { x.ArrestId, x.Position }).IsUnique();
            e.HasOne<ArrestRow>().WithMany().HasForeignKey(x => x.ArrestId);
            e.Property(x => x.Role).HasMaxLength(16);
        });

        modelBuilder.Entity<IdempotencyRow>(e =>
        {
            e.ToTable("idempotency_keys");
            e.HasIndex(x => new { x.UserId, x.Key }).IsUnique();
            e.Property(x => x.Key).HasMaxLength(200);
        });

        modelBuilder.Entity<AuditEntryRow>(e =>
        {
            e.ToTable("audit_entries");
            e.HasKey(x => x.Index);
            e.Property(x => x.Index).ValueGeneratedNever();
            e.Property(x => x.Outcome).HasMaxLength(16);
            e.Property(x => x.Code).HasMaxLength(32);
            e.Property(x => x.AgencyCode).HasMaxLength(16);
            e.Property(x => x.LeafHash).HasMaxLength(32);
            e.HasIndex(x => new { x.RecordedAt, x.Index });
            e.HasIndex(x => new { x.UserId, x.Index });
            e.HasIndex(x => new { x.AgencyCode, x.Index });
            e.HasIndex(x => new { x.AgreementId, x.Index });
            e.HasIndex(x => new { x.EventType, x.Index });
        });

        modelBuilder.Entity<AuditEntryRecordRow>(e =>
        {
            e.ToTable("audit_entry_records");
            e.HasKey(x => new { x.ArrestNumber, x.Index });
            e.HasIndex(x => x.Index);
            e.Property(x => x.ArrestNumber).HasMaxLength(16);
        });

        modelBuilder.Entity<AuditNodeRow>(e =>
        {
            e.ToTable("audit_nodes");
            e.HasKey(x => x.NodeId);
            e.Property(x => x.NodeId).ValueGeneratedNever();
            e.Property(x => x.Hash).HasMaxLength(32);
        });

        modelBuilder.Entity<AuditCheckpointRow>(e =>
        {
            e.ToTable("audit_checkpoints");
            e.HasKey(x => x.TreeSize);
            e.Property(x => x.TreeSize).ValueGeneratedNever();
        });

        modelBuilder.Entity<AuditHeadRow>(e =>
        {
            e.ToTable("audit_head");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.HasData(new AuditHeadRow { Id = 1, Size = 0 });
        });

        modelBuilder.Entity<AgreementRow>(e =>
        {
            e.ToTable("agreements");
            e.HasIndex(x => x.AgreementId).IsUnique();
            e.HasIndex(x => new { x.PartnerAgency, x.Id });
            e.Property(x => x.AgreementId).HasMaxLength(64);
            e.Property(x => x.PartnerAgency).HasMaxLength(50);
        });

        modelBuilder.Entity<EventRow>(e =>
        {
            e.ToTable("events");
            e.HasKey(x => x.Position);
            e.Property(x => x.Position).ValueGeneratedNever();
            e.HasIndex(x => new { x.StreamType, x.StreamId, x.Version }).IsUnique();
            e.HasIndex(x => new { x.AuditIndex, x.Position });
            e.Property(x => x.StreamType).HasMaxLength(32);
            e.Property(x => x.StreamId).HasMaxLength(64);
            e.Property(x => x.Type).HasMaxLength(40);
            e.Property(x => x.AgencyCode).HasMaxLength(16);
            e.Property(x => x.Hash).HasMaxLength(32);
        });

        modelBuilder.Entity<QuotaCounterRow>(e =>
        {
            e.ToTable("quota_counters");
            e.HasKey(x => new { x.AgreementId, x.QuotaDay, x.Kind, x.Subject });
            e.Property(x => x.AgreementId).HasMaxLength(64);
            e.Property(x => x.QuotaDay).HasMaxLength(10);
            e.Property(x => x.Kind).HasMaxLength(8);
            e.Property(x => x.Subject).HasMaxLength(50);
        });

        Feeds.FeedConsumerRow.Configure(modelBuilder);
        Watches.PartnerWatchRow.Configure(modelBuilder);
        Watches.WatchMatchRow.Configure(modelBuilder);
        Webhooks.WebhookAttemptRow.Configure(modelBuilder);

        modelBuilder.Entity<CounterRow>(e =>
        {
            e.ToTable("counters");
            e.HasKey(x => x.Name);
            e.Property(x => x.Name).HasMaxLength(64);
        });
    }
}
