using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace OpenPars.Storage.Sqlite;

/// <summary>The embedded store. SQLite cannot compare DateTimeOffset values in SQL, so instants are kept as UTC ticks.</summary>
public sealed class SqliteOpenParsDbContext : OpenParsDbContext
{
    /// <summary>A context with options made by <see cref="Configure"/>.</summary>
    public SqliteOpenParsDbContext(DbContextOptions<SqliteOpenParsDbContext> options)
        : base(options)
    {
    }

    /// <summary>Configures a builder for SQLite at <paramref name="connectionString"/>: this assembly's migrations, snake_case names.</summary>
    public static void Configure(DbContextOptionsBuilder builder, string connectionString) =>
        builder.UseSqlite(connectionString, o => o.MigrationsAssembly(typeof(SqliteOpenParsDbContext).Assembly.GetName().Name))
            .UseSnakeCaseNamingConvention();

    /// <inheritdoc/>
    public override FormattableString AdvanceCounterSql(string name, long by) =>
        $"INSERT INTO counters (name, value) VALUES ({name}, {by}) ON CONFLICT (name) DO UPDATE SET value = value + {by} RETURNING value";

    /// <inheritdoc/>
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UtcTicksConverter>();
    }

    private sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
        v => v.UtcTicks,
        v => new DateTimeOffset(v, TimeSpan.Zero));
}

/// <summary>Lets `dotnet ef migrations add` build the context without the host.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteOpenParsDbContext>
{
    /// <summary>A context on a placeholder store: enough for the tools to read the model.</summary>
    public SqliteOpenParsDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<SqliteOpenParsDbContext>();
        SqliteOpenParsDbContext.Configure(builder, "Data Source=design-time.db");
        return new SqliteOpenParsDbContext(builder.Options);
    }
}
