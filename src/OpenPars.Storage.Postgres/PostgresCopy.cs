using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Npgsql;

namespace OpenPars.Storage.Postgres;

/// <summary>
/// Binary <c>COPY … FROM STDIN</c> of one entity type's rows, columns, store types and value conversions read from the EF
/// model (so it cannot drift from it), on the context's connection inside its transaction: the bulk writer's path on
/// PostgreSQL, one round trip for a batch instead of one per row.
/// </summary>
internal static class PostgresCopy
{
    public static async Task CopyAsync<T>(DbContext db, IReadOnlyList<T> rows, bool withGeneratedKey, CancellationToken ct)
        where T : class
    {
        if (rows.Count == 0)
        {
            return;
        }

        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var key = entity.FindPrimaryKey()!.Properties.Single();
        var columns = entity.GetProperties()
            .Where(p => p != key || key.ValueGenerated == ValueGenerated.Never || withGeneratedKey)
            .Select(p =>
            {
                var mapping = (RelationalTypeMapping)p.GetRelationalTypeMapping();
                return (Name: p.GetColumnName(table)!, Getter: p.GetGetter(), mapping.Converter, Type: mapping.StoreTypeNameBase);
            })
            .ToArray();
        var sql = db.GetService<ISqlGenerationHelper>();
        var copy = $"COPY {sql.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.Name)))}) FROM STDIN (FORMAT BINARY)";

        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var importer = await connection.BeginBinaryImportAsync(copy, ct);
        foreach (var row in rows)
        {
            await importer.StartRowAsync(ct);
            foreach (var (_, getter, converter, type) in columns)
            {
                var value = getter.GetClrValueUsingContainingEntity(row);
                if (value is not null && converter is not null)
                {
                    value = converter.ConvertToProvider(value);
                }

                if (value is null)
                {
                    await importer.WriteNullAsync(ct);
                }
                else
                {
                    await importer.WriteAsync(value, type, ct);
                }
            }
        }

        await importer.CompleteAsync(ct);
    }

    /// <summary>The next <paramref name="count"/> values of the sequence behind T's generated key.</summary>
    public static async Task<long[]> TakeKeysAsync<T>(DbContext db, int count, CancellationToken ct)
        where T : class
    {
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var key = entity.FindPrimaryKey()!.Properties.Single().GetColumnName(table)!;
        var name = entity.GetSchema() is { } schema ? $"{schema}.{table.Name}" : table.Name;
        var keys = await db.Database
            .SqlQuery<long>($"SELECT nextval(pg_get_serial_sequence({name}, {key})) AS \"Value\" FROM generate_series(1, {count})")
            .ToArrayAsync(ct);
        return keys;
    }
}
