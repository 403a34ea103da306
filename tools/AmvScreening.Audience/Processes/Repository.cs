namespace AmvScreening.Audience.Processes;

/// <summary>Where this repository's built programs are (built by <c>./amv build</c>, Release), and how a path inside it is
/// shown (relative to its root).</summary>
public static class Repository
{
    /// <summary>The folder holding AmvScreening.sln, found by walking up from this tool's binaries.</summary>
    public static string Root { get; } = FindRoot();

    public static string ServerDll => Path.Combine(Root, "server", "bin", "Release", "net10.0", "AmvScreening.Server.dll");

    public static string PlayerDll => Path.Combine(Root, "player", "bin", "Release", "net10.0", "AmvScreening.Player.dll");

    /// <summary>A path made absolute from the repository's root, as <c>./amv</c> takes them.</summary>
    public static string Absolute(string path) => Path.GetFullPath(path, Root);

    /// <summary>A path inside the repository relative to its root (as a person there would type it), others as they are.</summary>
    public static string Show(string path)
    {
        var relative = Path.GetRelativePath(Root, path);
        return relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) || Path.IsPathRooted(relative)
            ? path : relative;
    }

    /// <summary>The built program, or a failure saying how to build it.</summary>
    public static string Built(string dll) => File.Exists(dll) ? dll : throw new AmvFailure($"{Show(dll)} is not built: run ./amv build.");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AmvScreening.sln")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
