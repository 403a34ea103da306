using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AmvScreening.Audience.Processes;
using CsvHelper;

namespace AmvScreening.Audience.Demo;

/// <summary>
/// Short test clips standing in for the sample contest's videos (the sample names its files; no videos are shipped):
/// for each file the contest file names that the media folder lacks, ffmpeg makes one, each with its own colour and
/// tone, before the server first starts (so that its import finds them). A clip is written under another name and
/// renamed when complete, so that an interrupted run leaves no half clip to play.
/// </summary>
public static class SampleClips
{
    /// <summary>The video files a contest file (.json, or .csv as ./amv serve --import takes them) names, in its order.
    /// A file that cannot be read names none here: the server's import says what is wrong with it.</summary>
    public static IReadOnlyList<string> NamedIn(string contestFile)
    {
        try
        {
            return Read(contestFile);
        }
        catch (Exception e) when (e is JsonException or CsvHelperException)
        {
            return [];
        }
    }

    private static IReadOnlyList<string> Read(string contestFile)
    {
        if (Path.GetExtension(contestFile).Equals(".csv", StringComparison.OrdinalIgnoreCase))
        {
            using var reader = new StreamReader(contestFile);
            using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
            csv.Read();
            csv.ReadHeader();
            List<string> files = [];
            while (csv.Read())
            {
                if (csv.GetField("file") is { Length: > 0 } file)
                {
                    files.Add(file);
                }
            }

            return files;
        }

        using var document = JsonDocument.Parse(File.ReadAllText(contestFile));
        return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("finalists", out var finalists) && finalists.ValueKind == JsonValueKind.Array
            ? [.. finalists.EnumerateArray()
                .Select(f => f.ValueKind == JsonValueKind.Object && f.TryGetProperty("file", out var file) && file.ValueKind == JsonValueKind.String ? file.GetString() : null)
                .OfType<string>().Where(file => file.Length > 0)]
            : [];
    }

    /// <summary>Makes the clips of <paramref name="files"/> (relative to <paramref name="media"/>) that are missing;
    /// returns how many it made. A file outside the media folder is left alone.</summary>
    public static async Task<int> MakeAsync(IReadOnlyList<string> files, string media, TimeSpan length, CancellationToken ct)
    {
        var root = Path.GetFullPath(media) + Path.DirectorySeparatorChar;
        var made = 0;
        for (var i = 1; i <= files.Count; i++)
        {
            var path = Path.GetFullPath(files[i - 1], root);
            if (!path.StartsWith(root, StringComparison.Ordinal) || File.Exists(path))
            {
                continue;
            }

            var folder = Directory.CreateDirectory(Path.GetDirectoryName(path)!).FullName;
            var partial = Path.Combine(folder, $".making.{Path.GetFileName(path)}");
            await FfmpegAsync(partial, path, i, length, ct);
            File.Move(partial, path);
            made++;
        }

        return made;
    }

    private static async Task FfmpegAsync(string path, string clip, int number, TimeSpan length, CancellationToken ct)
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true };
        foreach (var argument in (string[])
                 [
                     "-nostdin", "-y", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=25",
                     "-f", "lavfi", "-i", $"sine=frequency={220 + 40 * number}", "-t", length.TotalSeconds.ToString(CultureInfo.InvariantCulture),
                     "-vf", $"hue=h={number * 37 % 360}", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", path,
                 ])
        {
            start.ArgumentList.Add(argument);
        }

        using var ffmpeg = Start(start);
        var errors = ffmpeg.StandardError.ReadToEndAsync(ct);
        try
        {
            await ffmpeg.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            // Ended and waited for, so that it writes no more into the half clip and is not left behind.
            ffmpeg.Kill();
            await ffmpeg.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
            File.Delete(path);
            throw;
        }

        if (ffmpeg.ExitCode != 0)
        {
            File.Delete(path);
            throw new AmvFailure($"ffmpeg could not make {Repository.Show(clip)}: {(await errors).Trim()}");
        }
    }

    private static Process Start(ProcessStartInfo start)
    {
        try
        {
            return Process.Start(start)!;
        }
        catch (Win32Exception)
        {
            throw new AmvFailure("ffmpeg is needed to make the sample clips: install it (Debian/Ubuntu package ffmpeg).");
        }
    }
}
