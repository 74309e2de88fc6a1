using System.CommandLine;
using OpenPars.Core.Arrests;
using OpenPars.Core.Arrests.Reference;
using OpenPars.App.Hosting;

namespace OpenPars.Cli.Commands;

/// <summary>The options every command that touches the store shares: where the data lives, which reference files.</summary>
public sealed class StorageOptions
{
    public const string DefaultDataFolder = ".openpars";

    public Option<string?> Data { get; } = new("--data") { Description = "SQLite data folder (default ./.openpars, or OPENPARS_DATA)." };

    public Option<string?> Postgres { get; } = new("--postgres") { Description = "PostgreSQL connection string (or OPENPARS_POSTGRES); overrides --data." };

    public Option<string?> Statutes { get; } = new("--statutes") { Description = "Statutes file of another jurisdiction (JSON, see data/README.md)." };

    public Option<string?> Districts { get; } = new("--districts") { Description = "Districts file of another jurisdiction (JSON, see data/README.md)." };

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

    public StorageSettings Resolve(ParseResult result, string defaultDataFolder = DefaultDataFolder)
    {
        var postgres = result.GetValue(Postgres) ?? Environment.GetEnvironmentVariable("OPENPARS_POSTGRES");
        var data = result.GetValue(Data) ?? Environment.GetEnvironmentVariable("OPENPARS_DATA");
        return string.IsNullOrWhiteSpace(postgres)
            ? StorageSettings.ForDataFolder(data ?? defaultDataFolder)
            : StorageSettings.ForPostgres(postgres, data ?? defaultDataFolder);
    }

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
