namespace OpenPars.Testing;

/// <summary>Files of the repository the tests were built from (docs/, data/), found from the test binaries.</summary>
public static class TestRepository
{
    /// <summary>The path of <paramref name="parts"/> under the repository root (the folder that holds OpenPars.slnx).</summary>
    public static string PathOf(params string[] parts)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OpenPars.slnx")))
        {
            dir = dir.Parent;
        }

        return Path.Combine([dir?.FullName ?? throw new DirectoryNotFoundException("OpenPars.slnx not found above the test binaries."), .. parts]);
    }
}
