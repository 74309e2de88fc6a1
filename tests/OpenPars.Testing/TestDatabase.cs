using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using OpenPars.Core.Arrests;
using OpenPars.Storage;
using OpenPars.Storage.Agencies;
using OpenPars.Storage.Arrests;
using OpenPars.App.Hosting;

namespace OpenPars.Testing;

/// <summary>
/// One test's own migrated database on one provider, with the test clock and the reference data.
/// <code>
/// [Theory, AllProviders]
/// public async Task Books_an_arrest(StorageProvider provider)
/// {
///     await using var db = await TestDatabase.CreateAsync(provider);
///     var booked = await db.Arrests().BookAsync(new ArrestBuilder().Build(), TestActors.BookingOfficer, null);
///     (await db.Arrests().GetAsync(booked.Record.ArrestNumber)).ShouldNotBeNull();
/// }
/// </code>
/// Every context it hands out (<see cref="NewContext"/>, and the one under each store) is its own, and is disposed
/// with the database, which is then dropped.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private static readonly ReferenceData DefaultReference = ReferenceData.LoadDefault();

    private readonly ConcurrentBag<OpenParsDbContext> _contexts = [];

    private TestDatabase(StorageSettings settings, FakeTimeProvider clock)
    {
        Settings = settings;
        Clock = clock;
    }

    public StorageProvider Provider => Settings.Provider;

    public StorageSettings Settings { get; }

    /// <summary>The clock every store of this database reads; starts at <see cref="TestClock.Start"/>.</summary>
    public FakeTimeProvider Clock { get; }

    public ReferenceData Reference => DefaultReference;

    public static async Task<TestDatabase> CreateAsync(StorageProvider provider, CancellationToken ct = default) =>
        new(await TestDatabases.CreateAsync(provider, migrated: true, ct), TestClock.New());

    /// <summary>A database no one has migrated yet, for what starts from nothing (the demo, a first start).</summary>
    public static async Task<TestDatabase> CreateEmptyAsync(StorageProvider provider, CancellationToken ct = default) =>
        new(await TestDatabases.CreateAsync(provider, migrated: false, ct), TestClock.New());

    /// <summary>A new context of its own (as each HTTP request would have); disposed with the database.</summary>
    public OpenParsDbContext NewContext()
    {
        var context = OpenParsDatabase.CreateContext(Settings);
        _contexts.Add(context);
        return context;
    }

    /// <summary>An arrest store on a new context.</summary>
    public ArrestStore Arrests() => new(NewContext(), Reference, Clock, TestAudit.Trail(Settings, Clock));

    /// <summary>An identity store on a new context.</summary>
    public IdentityStore Identity() => new(NewContext(), Clock, TestAudit.Trail(Settings, Clock));

    public async ValueTask DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.DisposeAsync();
        }

        await TestDatabases.DropAsync(Settings);
    }

    public override string ToString() => Settings.Describe();
}
