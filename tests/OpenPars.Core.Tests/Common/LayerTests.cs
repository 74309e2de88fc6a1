using System.Xml.Linq;
using OpenPars.Core.Tests.Agreements;
using Xunit;

namespace OpenPars.Core.Tests.Common;

/// <summary>Dependencies point down (docs/architecture.md): read from the project files, transitively, so a reference
/// that brings a forbidden project in through another one is caught too.</summary>
public sealed class LayerTests
{
    /// <summary>A project and the projects it must not reach through any chain of references.</summary>
    public static TheoryData<string, string[]> Forbidden => new()
    {
        { "src/OpenPars.Core", ["OpenPars.Storage", "OpenPars.App", "OpenPars.Web", "OpenPars.Cli", "OpenPars.Demo", "OpenPars.Host"] },
        { "src/OpenPars.Storage", ["OpenPars.App", "OpenPars.Web", "OpenPars.Cli", "OpenPars.Demo", "OpenPars.Host"] },
        { "src/OpenPars.App", ["OpenPars.Web", "OpenPars.Cli", "OpenPars.Demo", "OpenPars.Host"] },
        { "src/OpenPars.Demo", ["OpenPars.Web", "OpenPars.Cli", "OpenPars.Host"] },
        { "src/OpenPars.Web", ["OpenPars.Cli", "OpenPars.Demo", "OpenPars.Host"] },
        { "src/OpenPars.Cli", ["OpenPars.Web", "OpenPars.Host"] },
        { "tests/OpenPars.Testing", ["OpenPars.Web", "OpenPars.Host", "OpenPars.Testing.Web"] },
        { "tests/OpenPars.Storage.Tests", ["OpenPars.Web", "OpenPars.Host", "OpenPars.Cli", "OpenPars.Testing.Web"] },
    };

    [Theory, MemberData(nameof(Forbidden))]
    public void A_project_does_not_reach_the_layers_above_it(string project, string[] forbidden)
    {
        var reached = Reachable(project).Select(Path.GetFileNameWithoutExtension).ToHashSet(StringComparer.Ordinal);
        var wrong = forbidden.Where(reached.Contains).ToList();
        Assert.True(wrong.Count == 0, $"{project} reaches {string.Join(", ", wrong)}");
    }

    [Fact]
    public void The_domain_tests_reference_only_the_domain_and_its_builders()
    {
        var reached = Reachable("tests/OpenPars.Core.Tests").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal);
        Assert.Equal(["OpenPars.Core", "OpenPars.Testing.Domain"], reached);
    }

    [Fact]
    public void No_production_project_references_the_demo_generator_library()
    {
        // Bogus is the demo's; the store and everything the server runs on never carry it.
        foreach (var project in new[] { "src/OpenPars.Core", "src/OpenPars.Storage", "src/OpenPars.App", "src/OpenPars.Web" })
        {
            var packages = Load(ProjectFile(project)).Descendants("PackageReference").Select(p => (string?)p.Attribute("Include"));
            Assert.DoesNotContain("Bogus", packages);
        }
    }

    private static string ProjectFile(string folder) => TestAgreements.RepoPath([.. folder.Split('/'), Path.GetFileName(folder) + ".csproj"]);

    private static XDocument Load(string path) => XDocument.Load(path);

    /// <summary>Every project file reached from <paramref name="folder"/>'s project through ProjectReference, itself excluded.</summary>
    private static HashSet<string> Reachable(string folder)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([Path.GetFullPath(ProjectFile(folder))]);
        while (pending.TryPop(out var file))
        {
            foreach (var include in Load(file).Descendants("ProjectReference").Select(r => (string?)r.Attribute("Include")).OfType<string>())
            {
                var referenced = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, include.Replace('\\', Path.DirectorySeparatorChar)));
                if (seen.Add(referenced))
                {
                    pending.Push(referenced);
                }
            }
        }

        return seen;
    }
}
