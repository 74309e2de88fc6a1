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
