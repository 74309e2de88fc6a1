using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OpenPars.App.Hosting;
using OpenPars.Testing.Web;

namespace OpenPars.Web.Tests.Reliability;

/// <summary>
/// The fuzzer's oracle for "a refused request changes no row", kept by the database itself: the test installs, in the
/// test database only, a trigger on every table but the audit log's (which every request appends to) and the
/// migrations history, that appends the table's name to <c>fuzz_row_changes</c> on every insert, delete and every
/// update that changes a value. A request changed rows exactly when that log grew while it ran. The triggers are the
/// test's own SQL over the catalogue, independent of the product's model, and the check costs one indexed read per
/// request however many rows the run has written (a checksum of every table grows with them and made a 100,000-request
/// run slow down to a few requests a second). An insert rolled back takes its log row with it, as it should.
/// </summary>
public sealed class RowChangeLog(OpenParsTestServer server)
{
    private const string LogTable = "fuzz_row_changes";

    /// <summary>Installs the log table and the triggers; idempotent per database.</summary>
    public async Task InstallAsync(CancellationToken ct)
    {
        await using var db = server.NewContext();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(ct);
        var postgres = server.Storage.Provider == StorageProvider.Postgres;
        var tables = await TablesAsync(connection, postgres, ct);
        var script = new List<string>();
        if (postgres)
        {
            script.Add($"CREATE TABLE IF NOT EXISTS {LogTable} (id bigserial PRIMARY KEY, table_name text NOT NULL)");
            script.Add($"""
                CREATE OR REPLACE FUNCTION fuzz_log_row_change() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN INSERT INTO {LogTable}(table_name) VALUES (TG_TABLE_NAME); RETURN NULL; END $$
                """);
            foreach (var table in tables)
            {
                var name = Quote(table);
                script.Add($"CREATE OR REPLACE TRIGGER fuzz_changed_id AFTER INSERT OR DELETE ON {name} FOR EACH ROW EXECUTE FUNCTION fuzz_log_row_change()");
                script.Add($"CREATE OR REPLACE TRIGGER fuzz_changed_u AFTER UPDATE ON {name} FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION fuzz_log_row_change()");
                script.Add($"CREATE OR REPLACE TRIGGER fuzz_changed_t AFTER TRUNCATE ON {name} FOR EACH STATEMENT EXECUTE FUNCTION fuzz_log_row_change()");
            }
        }
        else
        {
            script.Add($"CREATE TABLE IF NOT EXISTS {LogTable} (id INTEGER PRIMARY KEY AUTOINCREMENT, table_name TEXT NOT NULL)");
            foreach (var table in tables)
            {
                var columns = await SqliteColumnsAsync(connection, table, ct);
                var changed = string.Join(" OR ", columns.Select(c => $"OLD.{Quote(c)} IS NOT NEW.{Quote(c)}"));
                var log = $"INSERT INTO {LogTable}(table_name) VALUES ('{table.Replace("'", "''", StringComparison.Ordinal)}');";
                var name = Quote(table);
                var trigger = table.Replace("\"", "", StringComparison.Ordinal);
                script.Add($"CREATE TRIGGER IF NOT EXISTS \"fuzz_i_{trigger}\" AFTER INSERT ON {name} BEGIN {log} END");
                script.Add($"CREATE TRIGGER IF NOT EXISTS \"fuzz_d_{trigger}\" AFTER DELETE ON {name} BEGIN {log} END");
                script.Add($"CREATE TRIGGER IF NOT EXISTS \"fuzz_u_{trigger}\" AFTER UPDATE ON {name} WHEN {changed} BEGIN {log} END");
            }
        }

        foreach (var statement in script)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = statement;
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>The log's position now: what a request's changes are counted after.</summary>
    public async Task<long> PositionAsync(CancellationToken ct)
    {
        await using var db = server.NewContext();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COALESCE(MAX(id), 0) FROM {LogTable}";
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }

    /// <summary>The tables changed after <paramref name="position"/>, each with its number of changed rows, in name
    /// order ("" when nothing changed), so a failure names what changed.</summary>
    public async Task<string> ChangedSinceAsync(long position, CancellationToken ct)
    {
        await using var db = server.NewContext();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT table_name, COUNT(*) FROM {LogTable} WHERE id > {position.ToString(CultureInfo.InvariantCulture)} GROUP BY table_name ORDER BY table_name";
        await using var reader = await command.ExecuteReaderAsync(ct);
        var changed = new List<string>();
        while (await reader.ReadAsync(ct))
        {
            changed.Add($"{reader.GetString(0)} ×{Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture)}");
        }

        return string.Join(", ", changed);
    }

    private static async Task<List<string>> TablesAsync(DbConnection connection, bool postgres, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = postgres
            ? "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
            : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";
        await using var reader = await command.ExecuteReaderAsync(ct);
        var tables = new List<string>();
        while (await reader.ReadAsync(ct))
        {
            var name = reader.GetString(0);
            if (!name.StartsWith("audit", StringComparison.OrdinalIgnoreCase) && !name.StartsWith("__", StringComparison.Ordinal) && name != LogTable)
            {
                tables.Add(name);
            }
        }

        return tables;
    }

    private static async Task<List<string>> SqliteColumnsAsync(DbConnection connection, string table, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT name FROM pragma_table_info('{table.Replace("'", "''", StringComparison.Ordinal)}')";
        await using var reader = await command.ExecuteReaderAsync(ct);
        var columns = new List<string>();
        while (await reader.ReadAsync(ct))
        {
            columns.Add(reader.GetString(0));
        }

        return columns;
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
