using System.Security.Cryptography;
using System.Text.Json;
using AmvScreening.Protocol.Media;

namespace AmvScreening.Player.Preflight;

/// <summary>
/// The measurements of files already analysed, by the SHA-256 of their bytes: a second pre-flight run on unchanged
/// files reads them here instead of decoding every file again. One JSON file, by default
/// <c>$XDG_CACHE_HOME/amv-screening/preflight-cache.json</c> (<c>~/.cache/…</c>; the local application data folder on
/// Windows); <c>preflight --cache FILE</c> names another. A cache written by another version of the analysis, or one
/// that cannot be read, is ignored (and replaced).
/// </summary>
public sealed class AnalysisCache
{
    /// <summary>Changes whenever <see cref="MediaAnalysis"/> or the way it is measured changes.</summary>
    public const int Version = 1;

    private sealed record Stored(int Version, Dictionary<string, MediaAnalysis> Files);

    private readonly Dictionary<string, MediaAnalysis> _files;
    private bool _changed;

    private AnalysisCache(string path, Dictionary<string, MediaAnalysis> files) => (Path, _files) = (path, files);

    public string Path { get; }

    /// <summary>How many files were read from the cache (<see cref="TryGet"/> hits) in this run.</summary>
    public int Hits { get; private set; }

    /// <summary>The per-user default location.</summary>
    public static string DefaultPath
    {
        get
        {
            var root = OperatingSystem.IsWindows()
                ? Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData)
                : Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
                    ? xdg
                    : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            return System.IO.Path.Combine(root, "amv-screening", "preflight-cache.json");
        }
    }

    /// <summary>The cache at <paramref name="path"/>; empty when there is none yet or it cannot be used.</summary>
    public static AnalysisCache Load(string path)
    {
        path = System.IO.Path.GetFullPath(path);
        try
        {
            if (File.Exists(path) && JsonSerializer.Deserialize<Stored>(File.ReadAllBytes(path), PreflightReport.Json) is { Version: Version, Files: { } files })
            {
                return new AnalysisCache(path, files);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            // Only a cache: measured again, and written anew.
        }

        return new AnalysisCache(path, []);
    }

    public bool TryGet(string sha256, out MediaAnalysis analysis)
    {
        var found = _files.TryGetValue(sha256, out analysis!);
        Hits += found ? 1 : 0;
        return found;
    }

    public void Put(string sha256, MediaAnalysis analysis)
    {
        _files[sha256] = analysis;
        _changed = true;
    }

    /// <summary>Writes the cache when it changed (beside, then moved over the old one); the reason when it could not.</summary>
    public string? Save()
    {
        if (!_changed)
        {
            return null;
        }

        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            var temporary = $"{Path}.{Guid.NewGuid():N}.tmp";
            File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(new Stored(Version, _files), PreflightReport.Json));
            File.Move(temporary, Path, overwrite: true);
            _changed = false;
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return e.Message;
        }
    }
}

/// <summary>A file's SHA-256, as the pre-flight report records it and the player compares it.</summary>
public static class FileChecksum
{
    /// <summary>Lower-case hex SHA-256 of the file's bytes.</summary>
    public static async Task<string> Sha256Async(string path, CancellationToken ct = default)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 20, useAsync: true);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
    }
}
