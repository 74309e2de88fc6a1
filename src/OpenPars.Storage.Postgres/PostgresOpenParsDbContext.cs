using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace OpenPars.Storage.Postgres;

/// <summary>The production store. Instants are timestamptz; Npgsql insists they arrive as UTC, so we make them so.</summary>
public sealed class PostgresOpenParsDbContext : OpenParsDbContext
{
    /// <summary>A context with options made by <see cref="Configure"/>.</summary>
    public PostgresOpenParsDbContext(DbContextOptions<PostgresOpenParsDbContext> options)
        : base(options)
    {
    }

    /// <summary>Configures a builder for PostgreSQL at <paramref name="connectionString"/>: this assembly's migrations, snake_case names.</summary>
    public static void Configure(DbContextOptionsBuilder builder, string connectionString) =>
        builder.UseNpgsql(connectionString, o => o.MigrationsAssembly(typeof(PostgresOpenParsDbContext).Assembly.GetName().Name))
            .UseSnakeCaseNamingConvention();

    /// <inheritdoc/>
    public override FormattableString AdvanceCounterSql(string name, long by) =>
        $"INSERT INTO counters (name, value) VALUES ({name}, {by}) ON CONFLICT (name) DO UPDATE SET value = counters.value + {by} RETURNING value";

    /// <summary>The channel other processes LISTEN on (<see cref="PostgresEventWakeUp"/>); the payload is the last position.</summary>
    public const string EventsChannel = "openpars_events";

    /// <inheritdoc/>
    public override FormattableString? EventsCommittedNotification(long lastPosition) =>
        $"SELECT pg_notify({EventsChannel}, {lastPosition.ToString(System.Globalization.CultureInfo.InvariantCulture)})";

    /// <inheritdoc/>
    public override async Task<bool> CopyRowsAsync<T>(IReadOnlyList<T> rows, bool withGeneratedKey, CancellationToken ct)
    {
        await PostgresCopy.CopyAsync(this, rows, withGeneratedKey, ct);
        return true;
    }

    /// <inheritdoc/>
    public override Task<long[]?> TakeGeneratedKeysAsync<T>(int count, CancellationToken ct) =>
        PostgresCopy.TakeKeysAsync<T>(this, count, ct)!;

    /// <inheritdoc/>
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<ToUtcConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<ToUtcConverter>();
    }

    private sealed class ToUtcConverter() : ValueConverter<DateTimeOffset, DateTimeOffset>(
        v => v.ToUniversalTime(),
        v => v);
}

/// <summary>Lets `dotnet ef migrations add` build the context without the host.</summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresOpenParsDbContext>
{
    /// <summary>A context on a placeholder store: enough for the tools to read the model.</summary>
    public PostgresOpenParsDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<PostgresOpenParsDbContext>();
        PostgresOpenParsDbContext.Configure(builder, "Host=localhost;Database=openpars_design");
        return new PostgresOpenParsDbContext(builder.Options);
    }
}
