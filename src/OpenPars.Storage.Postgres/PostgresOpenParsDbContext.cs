using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace OpenPars.Storage.Postgres;

/// <summary>The production store. Instants are timestamptz; Npgsql insists they arrive as UTC, so we make them so.</summary>
public sealed class PostgresOpenParsDbContext : OpenParsDbContext
{
    public PostgresOpenParsDbContext(DbContextOptions<PostgresOpenParsDbContext> options)
        : base(options)
    {
    }

    public static void Configure(DbContextOptionsBuilder builder, string connectionString) =>
        builder.UseNpgsql(connectionString, o => o.MigrationsAssembly(typeof(PostgresOpenParsDbContext).Assembly.GetName().Name))
            .UseSnakeCaseNamingConvention();

    public override FormattableString AdvanceCounterSql(string name, long by) =>
        $"INSERT INTO counters (name, value) VALUES ({name}, {by}) ON CONFLICT (name) DO UPDATE SET value = counters.value + {by} RETURNING value";

    /// <summary>The channel other processes LISTEN on (<see cref="PostgresEventWakeUp"/>); the payload is the last position.</summary>
    public const string EventsChannel = "openpars_events";

    public override FormattableString? EventsCommittedNotification(long lastPosition) =>
        $"SELECT pg_notify({EventsChannel}, {lastPosition.ToString(System.Globalization.CultureInfo.InvariantCulture)})";

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

public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresOpenParsDbContext>
{
    public PostgresOpenParsDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<PostgresOpenParsDbContext>();
        PostgresOpenParsDbContext.Configure(builder, "Host=localhost;Database=openpars_design");
        return new PostgresOpenParsDbContext(builder.Options);
    }
}
