using System.CommandLine;
using OpenPars.Core.Arrests;
using OpenPars.Core.Arrests.Reference;
using OpenPars.App.Hosting;

namespace OpenPars.Cli.Commands;

/// <summary>The options every command that touches the store shares: where the data lives, which reference files.</summary>
public sealed class StorageOptions
{
    /// <summary>The SQLite data folder when neither an option nor a variable names one.</summary>
    public const string DefaultDataFolder = ".openpars";

    /// <c>--data</c>.
    public Option<string?> Data { get; } = new("--data") { Description = "SQLite data folder (default ./.openpars, or OPENPARS_DATA)." };

    /// <c>--postgres</c>.
    public Option<string?> Postgres { get; } = new("--postgres") { Description = "PostgreSQL connection string (or OPENPARS_POSTGRES); overrides --data." };

    /// <c>--statutes</c>.
    public Option<string?> Statutes { get; } = new("--statutes") { Description = "Statutes file of another jurisdiction (JSON, see data/README.md)." };

    /// <c>--districts</c>.
    public Option<string?> Districts { get; } = new("--districts") { Description = "Districts file of another jurisdiction (JSON, see data/README.md)." };

    /// <summary>Adds the options to <paramref name="command"/> (the reference files only when <paramref name="withReference"/>).</summary>
    public void AddTo(Command command, bool withReference = true)
    {
        command.Options.Add(Data);
        command.Options.Add(Postgres);
        if (withReference)
        {
            command.Options.Add(Statutes);
            command.Options.Add(Districts);
        }
    }

    /// <summary>The store the options and environment name: PostgreSQL when a connection string is given, else the SQLite folder.</summary>
    public StorageSettings Resolve(ParseResult result, string defaultDataFolder = DefaultDataFolder)
    {
        var postgres = result.GetValue(Postgres) ?? Environment.GetEnvironmentVariable("OPENPARS_POSTGRES");
        var data = result.GetValue(Data) ?? Environment.GetEnvironmentVariable("OPENPARS_DATA");
        return string.IsNullOrWhiteSpace(postgres)
            ? StorageSettings.ForDataFolder(data ?? defaultDataFolder)
            : StorageSettings.ForPostgres(postgres, data ?? defaultDataFolder);
    }

    /// <summary>The statutes and districts the options name, or the shipped ones; a <see cref="CliException"/> when a file is unreadable.</summary>
    public ReferenceData ResolveReference(ParseResult result)
    {
        try
        {
            var statutes = result.GetValue(Statutes) is { } s ? StatuteCatalog.LoadFile(s) : StatuteCatalog.LoadDefault();
            var districts = result.GetValue(Districts) is { } d ? DistrictCatalog.LoadFile(d) : DistrictCatalog.LoadDefault();
            return new ReferenceData(statutes, districts);
        }
        catch (Exception e) when (e is ReferenceDataException or IOException or UnauthorizedAccessException)
        {
            throw new CliException(e.Message);
        }
    }
}
