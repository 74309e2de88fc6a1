using OpenPars.Storage;
using OpenPars.App.Hosting;
using OpenPars.Web.Hosting;
using Xunit;

namespace OpenPars.Storage.Tests.Demo;

/// <summary>A migrated SQLite store in a temporary folder, deleted afterwards. (Local until the shared per-provider fixture lands.)</summary>
internal sealed class DemoDatabase : IAsyncDisposable
{
    private DemoDatabase(string directory)
    {
        Directory = directory;
        Settings = StorageSettings.ForDataFolder(directory);
    }

    public string Directory { get; }

    public StorageSettings Settings { get; }

    public static async Task<DemoDatabase> CreateAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "openpars-demo-" + Guid.NewGuid().ToString("N"));
        var database = new DemoDatabase(directory);
        await OpenParsDatabase.MigrateAsync(database.Settings, TestContext.Current.CancellationToken);
        return database;
    }

    public OpenParsDbContext Context() => OpenParsDatabase.CreateContext(Settings);

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is harmless.
        }

        return ValueTask.CompletedTask;
    }
}
