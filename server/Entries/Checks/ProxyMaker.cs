using AmvScreening.Protocol.Media;

namespace AmvScreening.Server.Entries.Checks;

/// <summary>
/// The judges' copy of an entry. One browsers cannot play as it is (AVI, Matroska, ProRes, HEVC, 10-bit …) is made
/// web-playable: an MP4 of H.264 (8-bit 4:2:0, at most <see cref="CheckOptions.ProxyHeight"/> lines) and AAC stereo.
/// While judging is blind every entry gets one, a browser-playable file by copying its streams (seconds, no loss).
/// Either way it holds the first video and audio stream alone, without the file's tags, chapters, subtitles or
/// attachments (an editor's name in the file's "artist" tag must not reach a blind judge), with its index at the front
/// so a browser starts playing before it has the whole file. Written beside the entry's file as
/// <c>entries/{id}/proxy-{first 16 of the SHA-256}.mp4</c>, through a temporary file, so a half-made proxy is never
/// served; older proxies of the entry are deleted.
/// </summary>
public static class ProxyMaker
{
    /// <summary>The proxy's path relative to the data folder.</summary>
    public static string PathFor(long submissionId, string? sha256) =>
        Path.Combine("entries", submissionId.ToString(System.Globalization.CultureInfo.InvariantCulture), $"proxy-{(sha256 is { Length: >= 16 } s ? s[..16] : "file")}.mp4");

    /// <summary>Makes the proxy of <paramref name="source"/> at <paramref name="target"/>, encoding it again when
    /// <paramref name="transcode"/> (else copying its streams); null when done, else ffmpeg's reason.</summary>
    public static async Task<string?> MakeAsync(string ffmpeg, string source, string target, int height, bool transcode, CancellationToken ct)
    {
        var folder = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(folder);
        var part = target + ".part";
        string[] codecs = transcode
            ? ["-vf", $"scale=-2:'min({height},ih)',format=yuv420p", "-c:v", "libx264", "-preset", "veryfast", "-crf", "23",
                "-c:a", "aac", "-b:a", "160k", "-ac", "2"]
            : ["-c", "copy"];
        var run = await FfmpegAnalyzer.RunAsync(ffmpeg,
        [
            "-nostdin", "-hide_banner", "-nostats", "-y", "-i", source, "-map", "0:v:0", "-map", "0:a:0?", .. codecs,
            "-map_metadata", "-1", "-map_chapters", "-1", "-movflags", "+faststart", "-f", "mp4", part,
        ], null, ct);
        if (run.ExitCode != 0)
        {
            File.Delete(part);
            return $"ffmpeg could not make it: {FfmpegAnalyzer.LastLine(run.Error)}";
        }

        File.Move(part, target, overwrite: true);
        foreach (var older in Directory.EnumerateFiles(folder, "proxy-*.mp4").Where(f => f != target))
        {
            File.Delete(older);
        }

        return null;
    }
}
