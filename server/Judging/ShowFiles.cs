using System.Runtime.InteropServices;

namespace AmvScreening.Server.Judging;

/// <summary>
/// Where a promoted finalist's file is for the show. The player plays files inside the media folder only (README,
/// "Media files"): an entry's file inside it is named by its path relative to the media folder; one outside it (the
/// default: entries are in {data}/entries, the media folder is {data}/media) gets a hard link at
/// <c>entries/{entry id}/{file name}</c> in the media folder — the same file, no copy, no extra space — or, across file
/// systems or where hard links are not possible, a copy. .NET has no hard-link API: on Linux and macOS libc's
/// <c>link</c> makes it.
/// </summary>
public static class ShowFiles
{
    /// <summary>The file's path relative to the media folder (forward slashes), placing it there when it is outside.</summary>
    public static string Place(string file, string mediaRoot, int submissionId)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(mediaRoot));
        if (file.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return Path.GetRelativePath(root, file).Replace('\\', '/');
        }

        var relative = $"entries/{submissionId}/{Path.GetFileName(file)}";
        var target = Path.Combine(root, "entries", submissionId.ToString(System.Globalization.CultureInfo.InvariantCulture), Path.GetFileName(file));
        // An entry's file is named by its upload (a new upload, a new name): one already placed under that name is it.
        if (File.Exists(target) && new FileInfo(target).Length == new FileInfo(file).Length)
        {
            return relative;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Delete(target);
        if (OperatingSystem.IsWindows() || Link(file, target) != 0)
        {
            var partial = target + ".part";
            File.Copy(file, partial, overwrite: true);
            File.Move(partial, target, overwrite: true);
        }

        return relative;
    }

    // DllImport rather than LibraryImport: its generated marshalling needs unsafe code, which this project does not allow.
#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "link", CharSet = CharSet.Ansi)]
    private static extern int Link(string existing, string created);
#pragma warning restore SYSLIB1054
}
