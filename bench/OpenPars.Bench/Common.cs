using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenPars.Storage;
using OpenPars.Storage.Audit;
using OpenPars.App.Hosting;
using OpenPars.Web.Hosting;
using System.Data.Common;

namespace OpenPars.Bench;

/// <summary>Command-line options shared by every benchmark.</summary>
public sealed record BenchOptions(string Command, string? Postgres, bool Quick, bool SqliteOnly)
{
    /// <summary>--arrests N: overrides the store size of the search benchmark.</summary>
    public int? Arrests { get; init; }

    /// <summary>--requests N: overrides the requests per query shape of the search benchmark.</summary>
    public int? Requests { get; init; }

    public IEnumerable<StorageProvider> Providers()
    {
        yield return StorageProvider.Sqlite;
        if (Postgres is not null && !SqliteOnly)
        {
            yield return StorageProvider.Postgres;
        }
    }
}

/// <summary>Prints Markdown tables and keeps them for the end-of-run summary.</summary>
public static class Report
{
    public static void Table(string title, string[] headers, IEnumerable<string[]> rows)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"\n#### {title}\n");
        sb.AppendLine("| " + string.Join(" | ", headers) + " |");
        sb.AppendLine("|" + string.Concat(headers.Select(h => "---|")));
        foreach (var row in rows)
        {
            sb.AppendLine("| " + string.Join(" | ", row) + " |");
        }

        Console.Write(sb.ToString());
        Console.Out.Flush();
    }

    public static void Note(string text)
    {
        Console.WriteLine(text);
        Console.Out.Flush();
    }

    public static void Progress(string text)
    {
        Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {text}");
    }

    public static string F(double value, int decimals = 0) => value.ToString("N" + decimals, CultureInfo.InvariantCulture);

    public static string Ms(double value) => value.ToString(value < 1 ? "0.000" : value < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture);

    public static string Ratio(double value) => value.ToString("0.00", CultureInfo.InvariantCulture) + "×";

    public static string Name(StorageProvider provider) => provider == StorageProvider.Sqlite ? "SQLite" : "PostgreSQL";
}

/// <summary>Latency samples in milliseconds.</summary>
public sealed class Latencies
{
    private readonly double[] _sorted;

    public Latencies(IEnumerable<double> samples)
    {
        _sorted = samples.ToArray();
        Array.Sort(_sorted);
    }

    public int Count => _sorted.Length;

    public double P(double percentile)
    {
        if (_sorted.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(percentile / 100.0 * _sorted.Length) - 1;
        return _sorted[Math.Clamp(rank, 0, _sorted.Length - 1)];
    }

    public double Mean => _sorted.Length == 0 ? double.NaN : _sorted.Average();

    public static double ToMs(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    /// <summary>Runs <paramref name="op"/> <paramref name="count"/> times one after the other.</summary>
    public static async Task<List<double>> SequentialAsync(int count, Func<int, Task> op)
    {
        var samples = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await op(i);
            samples.Add(ToMs(Stopwatch.GetTimestamp() - start));
        }

        return samples;
    }

    /// <summary>Runs <paramref name="total"/> operations from <paramref name="clients"/> concurrent loops; returns the samples and the wall time.</summary>
    public static async Task<(Latencies Latencies, TimeSpan Elapsed)> ConcurrentAsync(int total, int clients, Func<int, Task> op)
    {
        var next = -1;
        var all = new List<double>[clients];
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            var mine = all[c] = [];
            int i;
            while ((i = Interlocked.Increment(ref next)) < total)
            {
                var start = Stopwatch.GetTimestamp();
                await op(i);
                mine.Add(ToMs(Stopwatch.GetTimestamp() - start));
            }
        })));
        watch.Stop();
        return (new Latencies(all.SelectMany(l => l)), watch.Elapsed);
    }
}

/// <summary>A fresh, migrated store: SQLite in a temporary folder, or a new database on the PostgreSQL server.</summary>
public sealed class BenchStore : IAsyncDisposable
{
    private readonly string _directory;
    private readonly string? _adminConnection;
    private readonly string? _database;

    private BenchStore(StorageSettings settings, string directory, string? adminConnection, string? database)
    {
        Settings = settings;
        _directory = directory;
        _adminConnection = adminConnection;
        _database = database;
    }

    public StorageSettings Settings { get; }

    public StorageProvider Provider => Settings.Provider;

    public static async Task<BenchStore> CreateAsync(StorageProvider provider, BenchOptions options)
    {
        var directory = Path.Combine(Path.GetTempPath(), "openpars-bench-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(directory);
        BenchStore store;
        if (provider == StorageProvider.Sqlite)
        {
            store = new BenchStore(StorageSettings.ForDataFolder(directory), directory, null, null);
        }
        else
        {
            var admin = options.Postgres ?? throw new InvalidOperationException("--postgres is required for PostgreSQL.");
            var database = "bench_" + Guid.NewGuid().ToString("N")[..12];
            await using (var connection = new NpgsqlConnection(admin))
            {
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand($"CREATE DATABASE {database}", connection);
                await command.ExecuteNonQueryAsync();
            }

            var builder = new NpgsqlConnectionStringBuilder(admin) { Database = database, MaxPoolSize = 100 };
            store = new BenchStore(StorageSettings.ForPostgres(builder.ConnectionString, directory), directory, admin, database);
        }

        await OpenParsDatabase.MigrateAsync(store.Settings);
        return store;
    }

    public OpenParsDbContext Context() => OpenParsDatabase.CreateContext(Settings);

    public DbConnection RawConnection() => Provider == StorageProvider.Sqlite
        ? new Microsoft.Data.Sqlite.SqliteConnection(Settings.ConnectionString)
        : new NpgsqlConnection(Settings.ConnectionString);

    public async ValueTask DisposeAsync()
    {
        if (_database is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(_adminConnection);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
        else
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>The real server (OpenParsHost.Build) on a loopback port, logging warnings only.</summary>
public sealed class BenchServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BenchServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public IServiceProvider Services => _app.Services;

    /// <param name="storage">The store it serves.</param>
    /// <param name="auditSink">Null: the product's own composition (group commit). Otherwise the benchmark's own
    /// composition, with this sink in place of the group writer for reads and refusals (no product setting can do this).</param>
    /// <param name="webhooks">The webhook worker's options (the webhook bench allows loopback); null for the defaults.</param>
    public static async Task<BenchServer> StartAsync(StorageSettings storage, IAuditEntrySink? auditSink = null, OpenPars.App.Webhooks.WebhookOptions? webhooks = null)
    {
        var app = OpenParsHost.Build(new OpenParsHostOptions { Storage = storage, ListenOnLoopbackPort0 = true, RateLimits = OpenPars.Web.Security.RateLimitSettings.Unlimited, Webhooks = webhooks ?? new() }, builder =>
        {
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            if (auditSink is not null)
            {
                builder.Services.AddSingleton(auditSink);
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new BenchServer(app, new Uri(address));
    }

    public HttpClient Client(string token)
    {
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 128, PooledConnectionLifetime = Timeout.InfiniteTimeSpan, UseCookies = false };
        var client = new HttpClient(handler) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(120), DefaultRequestVersion = HttpVersion.Version11 };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>The benchmark's no-op audit sink: an entry is dropped at once. Only the bench composes it (see
/// <see cref="BenchServer.StartAsync"/>), to measure a read with everything but its audit commit.</summary>
public sealed class NoOpAuditSink : IAuditEntrySink
{
    public int Dropped => _dropped;

    private int _dropped;

    public Task AppendAsync(OpenPars.Core.Audit.AuditEntry entry)
    {
        Interlocked.Increment(ref _dropped);
        return Task.CompletedTask;
    }
}

/// <summary>A plain prepared INSERT of one entity type, columns and conversions read from the EF model (no EF in the loop).</summary>
public sealed class RawInserter<T> : IDisposable
    where T : class
{
    private readonly DbCommand _command;
    private readonly (IClrPropertyGetter Getter, ValueConverter? Converter, DbParameter Parameter)[] _columns;
    private readonly bool _returnKey;

    public RawInserter(OpenParsDbContext db, DbConnection connection, DbTransaction? transaction, bool returnKey)
    {
        var sql = db.GetService<ISqlGenerationHelper>();
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var key = entity.FindPrimaryKey()!.Properties;
        var generated = key.Count == 1 && key[0].ValueGenerated == ValueGenerated.OnAdd ? key[0] : null;
        var properties = entity.GetProperties().Where(p => p != generated).ToList();

        _returnKey = returnKey && generated is not null;
        _command = connection.CreateCommand();
        _command.Transaction = transaction;
        _columns = new (IClrPropertyGetter, ValueConverter?, DbParameter)[properties.Count];
        var names = new List<string>();
        var values = new List<string>();
        for (var i = 0; i < properties.Count; i++)
        {
            var property = properties[i];
            var mapping = (RelationalTypeMapping)property.GetRelationalTypeMapping();
            var parameter = mapping.CreateParameter(_command, sql.GenerateParameterName("p" + i.ToString(CultureInfo.InvariantCulture)), null, property.IsNullable);
            _command.Parameters.Add(parameter);
            _columns[i] = (property.GetGetter(), mapping.Converter, parameter);
            names.Add(sql.DelimitIdentifier(property.GetColumnName(table)!));
            values.Add(sql.GenerateParameterNamePlaceholder("p" + i.ToString(CultureInfo.InvariantCulture)));
        }

        _command.CommandText = $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", names)}) VALUES ({string.Join(", ", values)})"
            + (_returnKey ? $" RETURNING {sql.DelimitIdentifier(generated!.GetColumnName(table)!)}" : "");
        _command.Prepare();
    }

    public DbTransaction? Transaction
    {
        get => _command.Transaction;
        set => _command.Transaction = value;
    }

    public long Insert(T row)
    {
        Bind(row);
        if (_returnKey)
        {
            return Convert.ToInt64(_command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }

        _command.ExecuteNonQuery();
        return 0;
    }

    public async Task InsertAsync(T row)
    {
        Bind(row);
        await _command.ExecuteNonQueryAsync();
    }

    private void Bind(T row)
    {
        foreach (var (getter, converter, parameter) in _columns)
        {
            var value = getter.GetClrValueUsingContainingEntity(row);
            parameter.Value = value is null ? DBNull.Value : converter is null ? value : converter.ConvertToProvider(value) ?? DBNull.Value;
        }
    }

    public void Dispose() => _command.Dispose();
}
