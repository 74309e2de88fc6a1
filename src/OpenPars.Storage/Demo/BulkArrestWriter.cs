using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using OpenPars.Core.Arrests;
using OpenPars.Storage.Arrests;

namespace OpenPars.Storage.Demo;

/// <summary>
/// Fast ingest of many demo arrests: every event row, the projection row, charges and involved parties, exactly as
/// <see cref="ArrestStore"/> would have stored them one command at a time (the events come from the domain's own
/// decisions through <see cref="DemoHistory.Decide"/>, the rows from <see cref="ArrestRowMapping"/> and
/// <see cref="ArrestStore.ToEventRow"/>).
/// <para>
/// Arrests are written in batches of <see cref="BatchSize"/>, each in one transaction on a fresh context, with arrest
/// numbers reserved a block at a time. On SQLite the rows go through prepared ADO.NET commands on the context's own
/// connection (table, column names and value conversions read from the EF model, so they cannot drift from it); on
/// other providers through EF Core's batched SaveChanges with change detection off.
/// </para>
/// </summary>
public sealed class BulkArrestWriter(Func<OpenParsDbContext> contextFactory, ReferenceData reference, DemoActors actors)
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
    public async Task<int> WriteAsync(IEnumerable<DemoArrest> arrests, IProgress<int>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(arrests);
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1);
        var written = 0;
        var batch = new List<DemoArrest>(BatchSize);
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

    private async Task<int> WriteBatchAsync(List<DemoArrest> batch, CancellationToken ct)
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

    private async Task WriteBatchAsync(OpenParsDbContext db, bool sqlite, List<DemoArrest> batch, CancellationToken ct)
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
        else
        {
            await WriteWithEfAsync(db, prepared, ct);
        }

        await tx.CommitAsync(ct);
    }

    private Prepared Prepare(DemoArrest arrest, string number)
    {
        var history = DemoHistory.Decide(arrest, number, actors, reference);
        var row = new ArrestRow();
        ArrestRowMapping.Write(row, history.Record);
        var parties = ArrestRowMapping.PartyRows(0, history.Record.InvolvedParties);
        var events = history.Events.Select(e => ArrestStore.ToEventRow(0, e)).ToList();
        return new Prepared(row, parties, events);
    }

    private static void WriteWithCommands(OpenParsDbContext db, Prepared[] prepared, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction!.GetDbTransaction();
        var sql = db.GetService<ISqlGenerationHelper>();
        using var arrests = new Inserter<ArrestRow>(db, sql, connection, transaction, returnKey: true);
        using var charges = new Inserter<ChargeRow>(db, sql, connection, transaction, returnKey: false);
        using var parties = new Inserter<InvolvedPartyRow>(db, sql, connection, transaction, returnKey: false);
        using var events = new Inserter<ArrestEventRow>(db, sql, connection, transaction, returnKey: false);

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

            foreach (var evt in item.Events)
            {
                evt.ArrestId = id;
                events.Insert(evt);
            }
        }
    }

    private static async Task WriteWithEfAsync(OpenParsDbContext db, Prepared[] prepared, CancellationToken ct)
    {
        // Arrests (with their charges) first, for their generated ids; then the rows that point at them.
        db.Arrests.AddRange(prepared.Select(p => p.Arrest));
        await db.SaveChangesAsync(ct);
        foreach (var item in prepared)
        {
            item.Parties.ForEach(p => p.ArrestId = item.Arrest.Id);
            item.Events.ForEach(e => e.ArrestId = item.Arrest.Id);
            db.InvolvedParties.AddRange(item.Parties);
            db.ArrestEvents.AddRange(item.Events);
        }

        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
    }

    private sealed record Prepared(ArrestRow Arrest, List<InvolvedPartyRow> Parties, List<ArrestEventRow> Events);

    /// <summary>One prepared INSERT for an entity type, built from the EF model: its table, columns and value conversions.</summary>
    private sealed class Inserter<T> : IDisposable
        where T : class
    {
        private readonly DbCommand _command;
        private readonly (IClrPropertyGetter Getter, ValueConverter? Converter, DbParameter Parameter)[] _columns;
        private readonly bool _returnKey;

        public Inserter(OpenParsDbContext db, ISqlGenerationHelper sql, DbConnection connection, DbTransaction transaction, bool returnKey)
        {
            var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
            var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
            var key = entity.FindPrimaryKey()!.Properties.Single();
            var properties = entity.GetProperties().Where(p => p != key).ToList();

            _returnKey = returnKey;
            _command = connection.CreateCommand();
            _command.Transaction = transaction;
            _columns = new (IClrPropertyGetter, ValueConverter?, DbParameter)[properties.Count];
            var names = new List<string>(properties.Count);
            var values = new List<string>(properties.Count);
            for (var i = 0; i < properties.Count; i++)
            {
                var property = properties[i];
                var mapping = (RelationalTypeMapping)property.GetRelationalTypeMapping();
                var parameter = mapping.CreateParameter(_command, sql.GenerateParameterName("p" + i), null, property.IsNullable);
                _command.Parameters.Add(parameter);
                _columns[i] = (property.GetGetter(), mapping.Converter, parameter);
                names.Add(sql.DelimitIdentifier(property.GetColumnName(table)!));
                values.Add(sql.GenerateParameterNamePlaceholder("p" + i));
            }

            _command.CommandText =
                $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", names)}) VALUES ({string.Join(", ", values)})"
                + (returnKey ? $" RETURNING {sql.DelimitIdentifier(key.GetColumnName(table)!)}" : "");
            _command.Prepare();
        }

        /// <summary>Inserts one row; returns its generated key when asked for at construction, else 0.</summary>
        public long Insert(T row)
        {
            foreach (var (getter, converter, parameter) in _columns)
            {
                var value = getter.GetClrValueUsingContainingEntity(row);
                parameter.Value = value is null ? DBNull.Value : converter is null ? value : converter.ConvertToProvider(value) ?? DBNull.Value;
            }

            if (_returnKey)
            {
                return Convert.ToInt64(_command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            }

            _command.ExecuteNonQuery();
            return 0;
        }

        public void Dispose() => _command.Dispose();
    }
}
