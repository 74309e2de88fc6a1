using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using OpenPars.Core.Arrests;
using OpenPars.Core.Audit;
using OpenPars.Core.Audit.Payloads;
using OpenPars.Storage.Arrests;
using OpenPars.Storage.Audit;
using OpenPars.Storage.Common;
using OpenPars.Storage.Events;

namespace OpenPars.Storage.Arrests;

/// <summary>
/// Fast ingest of many past arrests (the demo seeder, an import): every event, the projection row, charges and involved parties, exactly as
/// <see cref="ArrestStore"/> would have stored them one command at a time (the events come from the domain's own
/// decisions through <see cref="BulkArrestHistory.Decide"/>, the rows from <see cref="ArrestRowMapping"/> and
/// <see cref="ArrestStore.ToNewEvent"/>).
/// <para>
/// Arrests are written in batches of <see cref="BatchSize"/>, each in one transaction on a fresh context, with arrest
/// numbers reserved a block at a time. On SQLite the rows go through prepared ADO.NET commands on the context's own
/// connection (table, column names and value conversions read from the EF model, so they cannot drift from it); on
/// PostgreSQL through binary COPY (<see cref="OpenParsDbContext.CopyRowsAsync"/>, the arrests' ids taken from their
/// sequence first); on a provider with neither, through EF Core's batched SaveChanges with change detection off. A batch's events go through
/// <see cref="EventLog"/> like every other append: one audit entry (9002) per batch records all their hashes.
/// </para>
/// </summary>
public sealed class BulkArrestWriter(Func<OpenParsDbContext> contextFactory, ReferenceData reference, BulkArrestActors actors, AuditTrail audit)
{
    private const string SqliteProvider = "Microsoft.EntityFrameworkCore.Sqlite";

    // For the length of a batch: a page cache that holds the indexes being filled (the default is 2 MB), and in WAL
    // mode no fsync per commit (a power cut may lose the last batches, never corrupt the file). Restored afterwards,
    // as the connection goes back to the pool.
    private const string SqliteBulkPragmas = "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -131072;";
    private const string SqliteDefaultPragmas = "PRAGMA synchronous = FULL; PRAGMA cache_size = -2000;";

    /// <summary>Arrests per transaction.</summary>
    public int BatchSize { get; init; } = 2000;

    /// <summary>Writes the arrests in order and returns how many; reports the running total after each batch.</summary>
    public async Task<int> WriteAsync(IEnumerable<BulkArrest> arrests, IProgress<int>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(arrests);
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1);
        var written = 0;
        var batch = new List<BulkArrest>(BatchSize);
        foreach (var arrest in arrests)
        {
            // Arrest numbers run per booking year, so a batch never straddles New Year.
            if (batch.Count == BatchSize || (batch.Count > 0 && batch[0].BookedAt.UtcDateTime.Year != arrest.BookedAt.UtcDateTime.Year))
            {
                written += await WriteBatchAsync(batch, ct);
                progress?.Report(written);
                batch.Clear();
            }

            batch.Add(arrest);
        }

        if (batch.Count > 0)
        {
            written += await WriteBatchAsync(batch, ct);
            progress?.Report(written);
        }

        return written;
    }

    private async Task<int> WriteBatchAsync(List<BulkArrest> batch, CancellationToken ct)
    {
        await using var db = contextFactory();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var sqlite = db.Database.ProviderName == SqliteProvider;
        if (sqlite)
        {
            await db.Database.OpenConnectionAsync(ct);
            await db.Database.ExecuteSqlRawAsync(SqliteBulkPragmas, ct);
        }

        try
        {
            await WriteBatchAsync(db, sqlite, batch, ct);
        }
        finally
        {
            if (sqlite)
            {
                await db.Database.ExecuteSqlRawAsync(SqliteDefaultPragmas, CancellationToken.None);
                await db.Database.CloseConnectionAsync();
            }
        }

        return batch.Count;
    }

    private async Task WriteBatchAsync(OpenParsDbContext db, bool sqlite, List<BulkArrest> batch, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var numbers = await ArrestStore.TakeArrestNumbersAsync(db, batch[0].BookedAt, batch.Count, ct);

        // The domain work (validation, decisions, folding, JSON) is pure: spread it over the cores.
        var prepared = new Prepared[batch.Count];
        Parallel.For(0, batch.Count, new ParallelOptions { CancellationToken = ct }, i => prepared[i] = Prepare(batch[i], numbers[i]));

        if (sqlite)
        {
            WriteWithCommands(db, prepared, ct);
        }
        else if (!await WriteWithCopyAsync(db, prepared, ct))
        {
            await WriteWithEfAsync(db, prepared, ct);
        }

        audit.Payload(new ArrestsBatchWrittenV1(batch.Count, numbers[0], numbers[^1]));
        await EventLog.AppendAsync(db, audit, AuditEventType.ArrestsBatchWritten, [], [.. prepared.SelectMany(p => p.Events)], ct);
        await tx.CommitAsync(ct);
    }

    private Prepared Prepare(BulkArrest arrest, string number)
    {
        var history = BulkArrestHistory.Decide(arrest, number, actors, reference);
        var row = new ArrestRow();
        ArrestRowMapping.Write(row, history.Record);
        var parties = ArrestRowMapping.PartyRows(0, history.Record.InvolvedParties);
        var events = history.Events.Select(ArrestStore.ToNewEvent).ToList();
        return new Prepared(row, parties, events);
    }

    private static void WriteWithCommands(OpenParsDbContext db, Prepared[] prepared, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction!.GetDbTransaction();
        var sql = db.GetService<ISqlGenerationHelper>();
        using var arrests = new RowInserter<ArrestRow>(db, sql, connection, transaction, returnKey: true);
        using var charges = new RowInserter<ChargeRow>(db, sql, connection, transaction, returnKey: false);
        using var parties = new RowInserter<InvolvedPartyRow>(db, sql, connection, transaction, returnKey: false);

        foreach (var item in prepared)
        {
            ct.ThrowIfCancellationRequested();
            var id = arrests.Insert(item.Arrest);
            foreach (var charge in item.Arrest.Charges)
            {
                charge.ArrestId = id;
                charges.Insert(charge);
            }

            foreach (var party in item.Parties)
            {
                party.ArrestId = id;
                parties.Insert(party);
            }
        }
    }

    /// <summary>PostgreSQL: the arrests' ids taken from their sequence in one statement, then one binary COPY per table.</summary>
    private static async Task<bool> WriteWithCopyAsync(OpenParsDbContext db, Prepared[] prepared, CancellationToken ct)
    {
        if (await db.TakeGeneratedKeysAsync<ArrestRow>(prepared.Length, ct) is not { } ids)
        {
            return false;
        }

        var charges = new List<ChargeRow>();
        var parties = new List<InvolvedPartyRow>();
        for (var i = 0; i < prepared.Length; i++)
        {
            var item = prepared[i];
            item.Arrest.Id = ids[i];
            foreach (var charge in item.Arrest.Charges)
            {
                charge.ArrestId = ids[i];
                charges.Add(charge);
            }

            item.Parties.ForEach(p => p.ArrestId = ids[i]);
            parties.AddRange(item.Parties);
        }

        return await db.CopyRowsAsync(prepared.Select(p => p.Arrest).ToList(), withGeneratedKey: true, ct)
            && await db.CopyRowsAsync(charges, withGeneratedKey: false, ct)
            && await db.CopyRowsAsync(parties, withGeneratedKey: false, ct);
    }

    private static async Task WriteWithEfAsync(OpenParsDbContext db, Prepared[] prepared, CancellationToken ct)
    {
        // Arrests (with their charges) first, for their generated ids; then the rows that point at them.
        db.Arrests.AddRange(prepared.Select(p => p.Arrest));
        await db.SaveChangesAsync(ct);
        foreach (var item in prepared)
        {
            item.Parties.ForEach(p => p.ArrestId = item.Arrest.Id);
            db.InvolvedParties.AddRange(item.Parties);
        }

        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
    }

    private sealed record Prepared(ArrestRow Arrest, List<InvolvedPartyRow> Parties, List<NewEvent> Events);
}
