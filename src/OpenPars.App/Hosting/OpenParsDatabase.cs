using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenPars.Storage;
using OpenPars.Storage.Agencies;
using OpenPars.Storage.Audit;
using OpenPars.Storage.Charter;
using OpenPars.Storage.Common;
using OpenPars.Storage.Events;
using OpenPars.Storage.Postgres;
using OpenPars.Storage.Sqlite;

namespace OpenPars.App.Hosting;

public enum StorageProvider { Sqlite, Postgres }

/// <summary>Which store to use: SQLite in a data folder (the embedded default) or PostgreSQL (production).</summary>
public sealed record StorageSettings(StorageProvider Provider, string ConnectionString, string? DataDirectory = null)
{
    public const string DatabaseFileName = "openpars.db";

    public static StorageSettings ForDataFolder(string directory)
    {
        var full = Path.GetFullPath(directory);
        var connection = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(full, DatabaseFileName),
            DefaultTimeout = 30,
            Pooling = true,
        };
        return new StorageSettings(StorageProvider.Sqlite, connection.ToString(), full);
    }

    public static StorageSettings ForPostgres(string connectionString, string? dataDirectory = null) =>
        new(StorageProvider.Postgres, connectionString, dataDirectory is null ? null : Path.GetFullPath(dataDirectory));

    /// <summary>Where the audit signing key lives unless configured: beside the data.</summary>
    public string AuditKeyPath() => Path.Combine(DataDirectory ?? Path.GetFullPath(".openpars"), OpenPars.Storage.Audit.AuditSigning.KeyFileName);

    /// <summary>A description safe for logs and the console: never the password.</summary>
    public string Describe() => Provider switch
    {
        StorageProvider.Sqlite => $"SQLite at {new SqliteConnectionStringBuilder(ConnectionString).DataSource}",
        _ => $"PostgreSQL database {new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString).Database} on {new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString).Host}",
    };
}

/// <summary>Creates contexts for the configured provider and brings the schema up to date.</summary>
public static class OpenParsDatabase
{
    /// <summary>
    /// Whether <paramref name="exception"/> (or one it wraps) says the database itself is gone, not that a statement
    /// was wrong: PostgreSQL unreachable, shutting down, out of disk or connections (SQLSTATE classes 08, 53, 57P, 58, or
    /// no server answer at all), SQLite read-only, full, unopenable or failing I/O. Such a request is answered 503
    /// (PARS-SRV-100), never 500; a constraint violation or a syntax error is not an outage.
    /// </summary>
    public static bool IsUnavailable(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case Npgsql.PostgresException postgres:
                    var state = postgres.SqlState;
                    if (state.StartsWith("08", StringComparison.Ordinal) || state.StartsWith("53", StringComparison.Ordinal)
                        || state.StartsWith("57P", StringComparison.Ordinal) || state.StartsWith("58", StringComparison.Ordinal))
                    {
                        return true;
                    }

                    break;
                case Npgsql.NpgsqlException:
                    return true; // no answer from the server: refused, reset, timed out
                case SqliteException sqlite when (sqlite.SqliteErrorCode & 0xFF) is 3 or 5 or 6 or 8 or 10 or 13 or 14:
                    return true; // PERM, BUSY, LOCKED, READONLY, IOERR, FULL, CANTOPEN
            }
        }

        return false;
    }

    // The options are built once (optionsLifetime singleton), not once per request scope: they depend only on the settings.
    public static void AddOpenParsStorage(this IServiceCollection services, StorageSettings settings)
    {
        switch (settings.Provider)
        {
            case StorageProvider.Sqlite:
                services.AddDbContext<SqliteOpenParsDbContext>(b => SqliteOpenParsDbContext.Configure(b, settings.ConnectionString), optionsLifetime: ServiceLifetime.Singleton);
                services.AddScoped<OpenParsDbContext>(sp => sp.GetRequiredService<SqliteOpenParsDbContext>());
                break;
            case StorageProvider.Postgres:
                services.AddDbContext<PostgresOpenParsDbContext>(b => PostgresOpenParsDbContext.Configure(b, settings.ConnectionString), optionsLifetime: ServiceLifetime.Singleton);
                services.AddScoped<OpenParsDbContext>(sp => sp.GetRequiredService<PostgresOpenParsDbContext>());
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(settings));
        }
    }

    public static OpenParsDbContext CreateContext(StorageSettings settings)
    {
        switch (settings.Provider)
        {
            case StorageProvider.Sqlite:
                var sqlite = new DbContextOptionsBuilder<SqliteOpenParsDbContext>();
                SqliteOpenParsDbContext.Configure(sqlite, settings.ConnectionString);
                return new SqliteOpenParsDbContext(sqlite.Options);
            case StorageProvider.Postgres:
                var postgres = new DbContextOptionsBuilder<PostgresOpenParsDbContext>();
                PostgresOpenParsDbContext.Configure(postgres, settings.ConnectionString);
                return new PostgresOpenParsDbContext(postgres.Options);
            default:
                throw new ArgumentOutOfRangeException(nameof(settings));
        }
    }

    /// <summary>Applies pending migrations, binds to the audit log any events a migration moved from an older
    /// schema (<see cref="EventAdoption"/>), and adopts the configured charter (the file named by
    /// OPENPARS_CHARTER, else the embedded data/charters/philadelphia.json) if the store has none, at the system's
    /// clock (see the overload).</summary>
    public static Task MigrateAsync(StorageSettings settings, CancellationToken ct = default) =>
        MigrateAsync(settings, TimeProvider.System, CharterSource.Configured(Environment.GetEnvironmentVariable(CharterSource.EnvironmentVariable)), ct);

    /// <summary>Applies pending migrations, then binds to the audit log any events a migration moved from an older
    /// schema (<see cref="EventAdoption"/>), then seals the TOTP secrets an older schema held in plaintext
    /// (<see cref="TotpSecretSealing"/>), then adopts <paramref name="charter"/> as the first charter when the
    /// store has none (<see cref="CharterStore.AdoptIfNoneAsync"/>: an empty store, or one made before the charter
    /// was stored), recorded at <paramref name="clock"/>. Null <paramref name="charter"/> adopts nothing (a schema
    /// only, as a template for test databases). On SQLite, creates the data folder and switches the file to WAL
    /// (readers never block the writer; the mode is remembered by the file).</summary>
    public static async Task MigrateAsync(StorageSettings settings, TimeProvider clock, CharterSource? charter, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(clock);
        if (settings is { Provider: StorageProvider.Sqlite, DataDirectory: { } dir })
        {
            Directory.CreateDirectory(dir);
        }

        await using var db = CreateContext(settings);
        await db.Database.MigrateAsync(ct);
        if (settings.Provider == StorageProvider.Sqlite)
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }

        // Before anything signs: a missing key over a signed log, or a key others can read, stops here (AuditKeyException).
        AuditSigning.EnsureUsable(settings.AuditKeyPath(), await db.AuditCheckpoints.LongCountAsync(ct));
        await EventAdoption.AdoptLegacyEventsAsync(db, settings.AuditKeyPath(), clock, "migrate", ct);

        // An installation upgraded from plaintext TOTP secrets: seal them now, under the key beside the audit key.
        await TotpSecretSealing.SealWaitingAsync(db, new SecretBoxes(settings.AuditKeyPath()), ct);
        if (charter is not null)
        {
            await AdoptCharterAsync(db, settings, charter, clock, ct);
        }
    }

    private static async Task AdoptCharterAsync(OpenParsDbContext db, StorageSettings settings, CharterSource charter, TimeProvider clock, CancellationToken ct)
    {
        AuditSigning? signing = null;
        try
        {
            await CharterStore.AdoptIfNoneAsync(db, charter, () =>
            {
                signing = AuditSigning.LoadOrCreate(settings.AuditKeyPath());
                return new AuditTrail(new AuditLog(signing, clock), writer: null, clock) { Origin = AuditOrigin.Cli("charter adopt") };
            }, clock, ct);
        }
        finally
        {
            signing?.Dispose();
        }
    }
}
