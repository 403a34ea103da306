using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using AmvScreening.Audience.Processes;
using AmvScreening.Protocol;

namespace AmvScreening.Audience.Demo;

/// <summary>
/// Short test clips standing in for the sample contest's videos (the sample names its files; no videos are shipped):
/// for each finalist whose file would be in the media folder and is not there, ffmpeg makes one, each with its own
/// colour and tone. A clip is written under another name and renamed when complete, so that an interrupted run leaves
/// no half clip to play.
/// </summary>
public static class SampleClips
{
    /// <summary>Makes the missing clips of <paramref name="show"/>'s finalists; returns how many it made.</summary>
    public static async Task<int> MakeAsync(PlayerShow show, string media, TimeSpan length, CancellationToken ct)
    {
        var root = Path.GetFullPath(media) + Path.DirectorySeparatorChar;
        var made = 0;
        var paths = show.Categories.SelectMany(c => c.Entries).Select(e => e.VideoPath is { } file ? Path.GetFullPath(file, root) : null).ToList();
        for (var i = 1; i <= paths.Count; i++)
        {
            if (paths[i - 1] is not { } path || !path.StartsWith(root, StringComparison.Ordinal) || File.Exists(path))
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
            ffmpeg.Kill();
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
