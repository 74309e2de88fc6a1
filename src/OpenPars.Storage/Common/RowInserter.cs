using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace OpenPars.Storage.Common;

/// <summary>One prepared INSERT for an entity type, built from the EF model: its table, columns and value conversions.</summary>
internal sealed class RowInserter<T> : IDisposable
    where T : class
{
    private readonly DbCommand _command;
    private readonly (IClrPropertyGetter Getter, ValueConverter? Converter, DbParameter Parameter)[] _columns;
    private readonly bool _returnKey;

    public RowInserter(OpenParsDbContext db, ISqlGenerationHelper sql, DbConnection connection, DbTransaction transaction, bool returnKey)
    {
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var key = entity.FindPrimaryKey()!.Properties.Single();
        // A generated key is left to the database (and returned when asked); a key the caller assigns is inserted.
        var properties = entity.GetProperties().Where(p => p != key || key.ValueGenerated == ValueGenerated.Never).ToList();

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
