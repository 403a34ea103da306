using System.Globalization;
using AmvScreening.Protocol;
using AmvScreening.Protocol.Media;

namespace AmvScreening.Server.Entries.Checks;

/// <summary>The contest's limits an entry's file is checked against (contest.max_file_megabytes, max_duration_seconds).</summary>
public sealed record EntryLimits
{
    public required int MaxFileMegabytes { get; init; }
    public required int MaxDurationSeconds { get; init; }

    /// <summary>Megabytes of 1,048,576 bytes, as the show's pre-flight and file managers count them.</summary>
    public long MaxFileBytes => MaxFileMegabytes * 1024L * 1024L;
}

/// <summary>One rule an entry's file breaks: a short code for programs and the sentence the entrant reads.</summary>
public sealed record EntryProblem(string Rule, string Message);

/// <summary>What the check found: passed (no problem), the problems in the order the entrant should fix them, the
/// loudness measured (reported, never a failure), and whether browsers play the file as it is.</summary>
public sealed record EntryVerdict(bool Passed, IReadOnlyList<EntryProblem> Problems, LoudnessMeasurement? Loudness, bool BrowserPlayable)
{
    /// <summary>The first problem, as the entrant reads it; null when the file passed.</summary>
    public string? Message => Problems.Count > 0 ? Problems[0].Message : null;
}

/// <summary>
/// The entry rules applied to the show's own pre-flight measurement of a file (<see cref="MediaAnalysis"/>, the same
/// ffprobe and ffmpeg pass as <c>amv preflight</c>, with its cut-short and silent-track rules): the file decodes, to its
/// end, has a picture and sound, is within the contest's duration and size. Pure: the tests give it analyses.
/// </summary>
public static class FileRules
{
    private const string Fix = "upload a corrected file before the deadline";

    /// <param name="analysis">Null when the file could not be measured at all (<paramref name="unreadable"/> says why).</param>
    public static EntryVerdict Judge(MediaAnalysis? analysis, string? unreadable, long fileBytes, EntryLimits limits)
    {
        var problems = new List<EntryProblem>();
        if (analysis is null)
        {
            problems.Add(new("undecodable", $"This file cannot be played: it is not a video file we can read ({unreadable ?? "unknown format"}). Export it again as MP4 and {Fix}."));
            return new EntryVerdict(false, problems, null, false);
        }

        var hasVideo = analysis.VideoCodec is not null;
        var hasAudio = analysis.AudioCodec is not null;
        if (!hasVideo)
        {
            problems.Add(new("no-video", $"This file has no video track (sound only?): {Fix}."));
        }

        if (!hasAudio)
        {
            problems.Add(new("no-audio", $"This file has no audio track: a silent AMV is almost always a broken export. Check it and {Fix}."));
        }

        if (analysis.StopsShort())
        {
            problems.Add(new("cut-short",
                $"This file stops after {Clock(analysis.DecodedSeconds ?? 0)} of the {Clock(analysis.DeclaredSeconds ?? 0)} it declares: it is not decodable to the end " +
                $"(an interrupted export or upload?). {Capital(Fix)}."));
        }
        else if (analysis.DecodeError is { } damaged && (analysis.DecodedSeconds ?? 0) <= 0)
        {
            problems.Add(new("undecodable", $"This file cannot be decoded ({damaged}). Export it again and {Fix}."));
        }

        if (Seconds(analysis) is { } seconds && seconds > limits.MaxDurationSeconds)
        {
            var length = Math.Floor(seconds) > limits.MaxDurationSeconds ? Clock(seconds) : Clock(seconds, tenths: true);
            problems.Add(new("too-long", $"{length} is over the {Clock(limits.MaxDurationSeconds)} limit: upload a shorter cut before the deadline."));
        }

        if (fileBytes > limits.MaxFileBytes)
        {
            problems.Add(new("too-large", string.Create(CultureInfo.InvariantCulture,
                $"{fileBytes / 1048576.0:0.0} MB is over the {limits.MaxFileMegabytes} MB limit: upload a smaller export before the deadline.")));
        }

        if (hasAudio && analysis.SilentThroughout(hasAudio))
        {
            problems.Add(new("silent", $"The sound of this file is silent from start to end (an empty audio track). Check the export and {Fix}."));
        }

        return new EntryVerdict(problems.Count == 0, problems, analysis.Loudness, BrowserPlays(analysis));
    }

    /// <summary>How long the file runs: as decoded, else as declared.</summary>
    public static double? Seconds(MediaAnalysis analysis) => analysis.DecodedSeconds is > 0 and var decoded ? decoded : analysis.DeclaredSeconds;

    /// <summary>Every current browser plays it as it is: an MP4 of 8-bit 4:2:0 H.264 with AAC or MP3 sound (or none).
    /// Anything else (AVI, Matroska, MOV's ProRes, HEVC, 10-bit) gets a proxy for the judges.</summary>
    public static bool BrowserPlays(MediaAnalysis analysis) =>
        analysis.Container?.Split(',').Contains("mp4") == true
        && analysis is { VideoCodec: "h264", PixelFormat: "yuv420p" or "yuvj420p" }
        && analysis.AudioCodec is null or "aac" or "mp3";

    /// <summary>m:ss, as entrants read durations ("5:42"); with <paramref name="tenths"/> "5:30.4" (a file just over a
    /// limit of whole seconds).</summary>
    public static string Clock(double seconds, bool tenths = false)
    {
        var inTenths = (long)Math.Floor(Math.Round(seconds * 10, 6)); // 330.4 s is 3304 tenths, not 3303.9999
        var whole = inTenths / 10;
        var text = string.Create(CultureInfo.InvariantCulture, $"{whole / 60}:{whole % 60:00}");
        return tenths ? text + string.Create(CultureInfo.InvariantCulture, $".{inTenths % 10}") : text;
    }

    private static string Capital(string text) => char.ToUpperInvariant(text[0]) + text[1..];
}
