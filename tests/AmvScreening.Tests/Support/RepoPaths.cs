namespace AmvScreening.Tests.Support;

/// <summary>Paths in the repository the tests run from.</summary>
public static class RepoPaths
{
    /// <summary>The folder holding AmvScreening.sln, found by walking up from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    public static string Of(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AmvScreening.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"AmvScreening.sln not found above {AppContext.BaseDirectory}.");
    }
}
