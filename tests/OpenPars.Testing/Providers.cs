using System.Reflection;
using OpenPars.App.Hosting;
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

    /// <summary>A table's rows once per provider, for a theory that takes the provider first:
    /// <c>public static TheoryData&lt;StorageProvider, string&gt; Cases() => Providers.Each(Table.Select(r => r.Name));</c>
    /// Each (provider, row) is its own test case, e.g. <c>X(provider: Postgres, name: "no charges")</c>.</summary>
    public static TheoryData<StorageProvider, T> Each<T>(IEnumerable<T> rows)
    {
        var list = rows.ToList();
        var data = new TheoryData<StorageProvider, T>();
        foreach (var provider in All)
        {
            foreach (var row in list)
            {
                data.Add(provider, row);
            }
        }

        return data;
    }

    /// <summary>As <see cref="Each{T}"/>, for rows of two values.</summary>
    public static TheoryData<StorageProvider, T1, T2> Each<T1, T2>(IEnumerable<(T1, T2)> rows)
    {
        var list = rows.ToList();
        var data = new TheoryData<StorageProvider, T1, T2>();
        foreach (var provider in All)
        {
            foreach (var (first, second) in list)
            {
                data.Add(provider, first, second);
            }
        }

        return data;
    }
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
