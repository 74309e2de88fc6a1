using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;
using OpenPars.Storage.Charter;
using OpenPars.App.Hosting;
using Xunit;

namespace OpenPars.Testing;

/// <summary>
/// Where test databases come from. SQLite: a fresh temp data folder per test, migrated. PostgreSQL: a fresh database
/// per test on the server named by <c>OPENPARS_TEST_POSTGRES</c> (a superuser's Npgsql connection string; <c>./test</c>
/// starts a throwaway server and sets it), cloned from a template that is migrated once.
/// Without that variable the PostgreSQL variants are skipped, except under <c>CI=true</c>, where they fail.
/// </summary>
public static class TestDatabases
{
    public const string PostgresVariable = "OPENPARS_TEST_POSTGRES";

    private const string TestDatabasePrefix = "openpars_test_";
    private const string TemplatePrefix = "openpars_template_";

    /// <summary>An arbitrary key for pg_advisory_lock: test processes sharing a server build a template one at a time.</summary>
    private const long TemplateLockKey = 0x4F50_4152_5354;

    private static readonly SemaphoreSlim TemplateGate = new(1, 1);
    private static string? _template;
    private static string? _sqliteTemplate;

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string? PostgresServer => Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } server ? server : null;

    /// <summary>The PostgreSQL server's connection string; skips the test without one (fails it under CI=true).</summary>
    public static string RequirePostgresServer()
    {
        if (PostgresServer is { } server)
        {
            return server;
        }

        if (IsCi)
        {
            throw new InvalidOperationException(
                $"{PostgresVariable} is not set and CI=true: the PostgreSQL tests must run in CI. Run ./test, which starts a throwaway PostgreSQL server.");
        }

        Assert.Skip($"PostgreSQL variant skipped: set {PostgresVariable} to a superuser's Npgsql connection string, or run ./test.");
        return "";
    }

    /// <summary>A database of its own on <paramref name="provider"/>, migrated unless <paramref name="migrated"/> is false
    /// (then it is empty, as a first start or a demo finds it).</summary>
    public static Task<StorageSettings> CreateAsync(StorageProvider provider, bool migrated = true, CancellationToken ct = default) => provider switch
    {
        StorageProvider.Sqlite => CreateSqliteAsync(migrated, ct),
        StorageProvider.Postgres => CreatePostgresAsync(migrated, ct),
        _ => throw new ArgumentOutOfRangeException(nameof(provider)),
    };

    /// <summary>A SQLite data folder of its own under the temp directory (not created when not migrated). Migrated,
    /// its database file is a copy of this process's template (as PostgreSQL's are clones): the migration runs once,
    /// the keys beside the data are the test's own, made at first use as in production.</summary>
    public static async Task<StorageSettings> CreateSqliteAsync(bool migrated = true, CancellationToken ct = default)
    {
        var folder = Path.Combine(Path.GetTempPath(), "openpars-tests", Guid.NewGuid().ToString("N"));
        var settings = StorageSettings.ForDataFolder(folder);
        if (migrated)
        {
            Directory.CreateDirectory(folder);
            File.Copy(await EnsureSqliteTemplateAsync(ct), new SqliteConnectionStringBuilder(settings.ConnectionString).DataSource);
        }

        return settings;
    }

    /// <summary>The migrated SQLite file every migrated SQLite test database is copied from, built once per process
    /// in a folder of its own (its connections closed, so the file holds the whole database and no WAL is left).</summary>
    private static async Task<string> EnsureSqliteTemplateAsync(CancellationToken ct)
    {
        if (Volatile.Read(ref _sqliteTemplate) is { } ready)
        {
            return ready;
        }

        await TemplateGate.WaitAsync(ct);
        try
        {
            if (_sqliteTemplate is { } built)
            {
                return built;
            }

            var folder = Path.Combine(Path.GetTempPath(), "openpars-tests", "template-" + Guid.NewGuid().ToString("N"));
            var settings = StorageSettings.ForDataFolder(folder);
            await MigrateAsync(settings, ct);
            var file = new SqliteConnectionStringBuilder(settings.ConnectionString).DataSource;
            using (var connection = new SqliteConnection(settings.ConnectionString))
            {
                SqliteConnection.ClearPool(connection);
            }

            // Closing the last connection checkpoints the WAL into the file; a test database must not start from a
            // template whose tail is still in a -wal file the copy would leave behind.
            if (File.Exists(file + "-wal"))
            {
                throw new InvalidOperationException($"the SQLite template {file} still has a write-ahead log after its connections closed");
            }

            Volatile.Write(ref _sqliteTemplate, file);
            return file;
        }
        finally
        {
            TemplateGate.Release();
        }
    }

    /// <summary>A PostgreSQL database of its own: migrated, it is cloned from the template (a file copy, not a
    /// migration); otherwise it is created empty.</summary>
    public static async Task<StorageSettings> CreatePostgresAsync(bool migrated = true, CancellationToken ct = default)
    {
        var server = RequirePostgresServer();
        var name = TestDatabasePrefix + Guid.NewGuid().ToString("N");
        await ExecuteAsync(server, migrated ? $"CREATE DATABASE {name} TEMPLATE {await EnsureTemplateAsync(server, ct)}" : $"CREATE DATABASE {name}", ct);
        // The audit signing key lives in a folder beside the data; a PostgreSQL test gets a temp one.
        return StorageSettings.ForPostgres(WithDatabase(server, name), Path.Combine(Path.GetTempPath(), "openpars-tests", name));
    }

    /// <summary>Removes a test database: closes this process's pooled connections and drops it (or its folder).</summary>
    public static async Task DropAsync(StorageSettings settings)
    {
        switch (settings.Provider)
        {
            case StorageProvider.Sqlite:
                using (var connection = new SqliteConnection(settings.ConnectionString))
                {
                    SqliteConnection.ClearPool(connection);
                }

                if (settings.DataDirectory is { } folder)
                {
                    try
                    {
                        Directory.Delete(folder, recursive: true);
                    }
                    catch (IOException)
                    {
                        // A temp folder left behind is harmless.
                    }
                }

                break;
            case StorageProvider.Postgres:
                var database = new NpgsqlConnectionStringBuilder(settings.ConnectionString).Database!;
                using (var connection = new NpgsqlConnection(settings.ConnectionString))
                {
                    NpgsqlConnection.ClearPool(connection);
                }

                await ExecuteAsync(RequirePostgresServer(), $"DROP DATABASE IF EXISTS {database} WITH (FORCE)", CancellationToken.None);
                if (settings.DataDirectory is { } keys && Directory.Exists(keys))
                {
                    Directory.Delete(keys, recursive: true);
                }

                break;
        }
    }

    /// <summary>
    /// The template all test databases of this schema are cloned from, migrated once. Its name carries a hash of the
    /// migration script, so a changed migration gets a new template and an unchanged one is reused, even across runs
    /// against the same server. It is built under another name and renamed when complete, so a crashed build is never used.
    /// </summary>
    private static async Task<string> EnsureTemplateAsync(string server, CancellationToken ct)
    {
        if (Volatile.Read(ref _template) is { } ready)
        {
            return ready;
        }

        await TemplateGate.WaitAsync(ct);
        try
        {
            if (_template is { } built)
            {
                return built;
            }

            var name = TemplatePrefix + MigrationScriptHash(server);
            await using var admin = new NpgsqlConnection(server);
            await admin.OpenAsync(ct);
            await ExecuteAsync(admin, $"SELECT pg_advisory_lock({TemplateLockKey})", ct);
            try
            {
                await using var exists = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = @name", admin);
                exists.Parameters.AddWithValue("name", name);
                if ((long)(await exists.ExecuteScalarAsync(ct))! == 0)
                {
                    var building = name + "_building";
                    await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {building} WITH (FORCE)", ct);
                    await ExecuteAsync(admin, $"CREATE DATABASE {building}", ct);
                    var keys = Path.Combine(Path.GetTempPath(), "openpars-tests", building);
                    var settings = StorageSettings.ForPostgres(WithDatabase(server, building), keys);
                    await MigrateAsync(settings, ct);
                    Directory.Delete(keys, recursive: true);

                    // CREATE DATABASE … TEMPLATE refuses a template anyone is connected to.
                    using (var connection = new NpgsqlConnection(settings.ConnectionString))
                    {
                        NpgsqlConnection.ClearPool(connection);
                    }

                    await ExecuteAsync(admin, $"ALTER DATABASE {building} RENAME TO {name}", ct);
                }
            }
            finally
            {
                await ExecuteAsync(admin, $"SELECT pg_advisory_unlock({TemplateLockKey})", CancellationToken.None);
            }

            Volatile.Write(ref _template, name);
            return name;
        }
        finally
        {
            TemplateGate.Release();
        }
    }

    /// <summary>
    /// The schema, and the embedded charter adopted at <see cref="TestClock.CharterAdoptedAt"/>: before every test
    /// clock, so each test's instants find it in force (a migration at the machine's clock would adopt it after the
    /// tests' fixed 2026 instants).
    /// </summary>
    public static Task MigrateAsync(StorageSettings settings, CancellationToken ct = default) =>
        OpenParsDatabase.MigrateAsync(settings, TestClock.New(TestClock.CharterAdoptedAt), CharterSource.Default, ct);

    private static string MigrationScriptHash(string server)
    {
        using var db = OpenParsDatabase.CreateContext(StorageSettings.ForPostgres(server));
        // The template also holds what MigrateAsync adopts: a change to that makes a new template too.
        var script = db.GetService<IMigrator>().GenerateScript() + "\n-- charter adopted at " + TestClock.CharterAdoptedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(script)))[..16];
    }

    private static string WithDatabase(string server, string database) =>
        new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;

    private static async Task ExecuteAsync(string server, string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync(ct);
        await ExecuteAsync(connection, sql, ct);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }
}
