using System.Reflection;
using OpenPars.App.Hosting;
using OpenPars.Web.Hosting;
using Xunit;
using Xunit.Sdk;
using Xunit.v3;

namespace OpenPars.Testing;

/// <summary>The storage providers every storage test runs on.</summary>
public static class Providers
{
    public static IReadOnlyList<StorageProvider> All { get; } = [StorageProvider.Sqlite, StorageProvider.Postgres];

    /// <summary>For <c>[MemberData(nameof(Providers.Data), MemberType = typeof(Providers))]</c>.</summary>
    public static TheoryData<StorageProvider> Data => new(All);
}

/// <summary>
/// Runs a theory once per storage provider: <c>[Theory, AllProviders] public async Task X(StorageProvider provider)</c>.
/// Each provider is its own test case (by name, e.g. <c>X(provider: Postgres)</c>), so one can be run or fail alone.
/// Whether PostgreSQL is there is decided when the test runs (<see cref="TestDatabase.CreateAsync"/>), not here.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class AllProvidersAttribute : DataAttribute
{
    public override ValueTask<IReadOnlyCollection<ITheoryDataRow>> GetData(MethodInfo testMethod, DisposalTracker disposalTracker) =>
        new(Providers.All.Select(p => (ITheoryDataRow)new TheoryDataRow<StorageProvider>(p)).ToList());

    public override bool SupportsDiscoveryEnumeration() => true;
}
