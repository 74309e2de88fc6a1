using OpenPars.Core.Tests.Agreements;
using Xunit;

namespace OpenPars.Core.Tests.Common;

/// <summary>The repository stands alone: nothing in it points a reader or a build to a folder outside it.</summary>
public sealed class RepositoryTests
{
    /// <summary>The folder beside the repository that a file must never point a reader or a build to.</summary>
    private static readonly string Beside = string.Join('/', "..", "shared") + "/";

    private static readonly string[] Extensions = [".md", ".cs", ".csproj", ".props", ".json", ".slnx", ".sh", ".js", ".html"];

    [Fact]
    public void No_file_points_outside_the_repository()
    {
        var root = TestAgreements.RepoPath();
        var offenders = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}.git{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains("node_modules", StringComparison.Ordinal)
                && (Extensions.Contains(Path.GetExtension(f)) || Path.GetFileName(f) is "test" or "openpars" or "run"))
            .Where(f => File.ReadAllText(f).Contains(Beside, StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(root, f))
            .ToList();
        Assert.Empty(offenders);
    }
}
