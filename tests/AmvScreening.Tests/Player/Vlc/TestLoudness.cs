using System.Globalization;
using System.Text.RegularExpressions;
using AmvScreening.Protocol;
using AmvScreening.Tests.Support;

namespace AmvScreening.Tests.Player.Vlc;

/// <summary>Loudness as ffmpeg's <c>ebur128</c> filter (the EBU R128 reference) measures it, and where a recording
/// has sound: what the levelling tests compare the player's output with.</summary>
public static partial class TestLoudness
{
    private static readonly TimeSpan FfmpegBound = TimeSpan.FromSeconds(60);

    /// <summary>Integrated loudness, loudness range and true peak of <paramref name="path"/>'s sound, or of the span
    /// <paramref name="from"/>…<paramref name="to"/> seconds.</summary>
    public static async Task<LoudnessMeasurement> MeasureAsync(string path, double? from = null, double? to = null)
    {
        var trim = from is { } a && to is { } b ? string.Create(CultureInfo.InvariantCulture, $"atrim={a:0.###}:{b:0.###},") : "";
        var output = await FfmpegAsync(["-i", path, "-vn", "-af", $"{trim}ebur128=peak=true", "-f", "null", "-"]);
        var summary = output[output.LastIndexOf("Summary:", StringComparison.Ordinal)..];
        return new LoudnessMeasurement(Number(summary, "I:"), Number(summary, "LRA:"), Number(summary, "Peak:"));
    }

    /// <summary>The spans (seconds) of <paramref name="wav"/> that have sound (above -60 dBFS), at least
    /// <paramref name="minSeconds"/> long, in order.</summary>
    public static async Task<List<(double Start, double End)>> SoundedSpansAsync(string wav, double minSeconds)
    {
        var output = await FfmpegAsync(["-i", wav, "-af", "silencedetect=noise=-60dB:duration=0.3", "-f", "null", "-"]);
        var starts = SilenceStart().Matches(output).Select(m => Parse(m.Groups[1].Value)).ToList();
        var ends = SilenceEnd().Matches(output).Select(m => Parse(m.Groups[1].Value)).ToList();
        var duration = Parse(Duration().Match(output).Groups[1].Value.Split(':') is [var h, var m, var s] ? $"{int.Parse(h) * 3600 + int.Parse(m) * 60 + Parse(s)}" : "0");
        // Sound runs from each silence's end (or the start) to the next silence's start (or the end).
        var soundStarts = new[] { 0.0 }.Concat(ends).ToList();
        var soundEnds = starts.Concat([duration]).ToList();
        if (starts.Count > 0 && starts[0] < 0.01)
        {
            soundStarts.RemoveAt(0);
            soundEnds.RemoveAt(0);
        }

        return [.. soundStarts.Zip(soundEnds).Where(span => span.Second - span.First >= minSeconds)];
    }

    private static async Task<string> FfmpegAsync(string[] arguments)
    {
        var ffmpeg = ExternalProcess.Require("ffmpeg", "ffmpeg");
        var result = await ExternalProcess.RunAsync(ffmpeg, ["-hide_banner", "-nostdin", .. arguments], FfmpegBound);
        Assert.True(result.ExitCode == 0, $"ffmpeg {string.Join(' ', arguments)} failed: {result.StandardError}");
        return result.StandardError;
    }

    private static double Number(string summary, string label)
    {
        var match = Regex.Match(summary, $@"{Regex.Escape(label)}\s+(-?[0-9.]+|-inf)");
        Assert.True(match.Success, $"ffmpeg's ebur128 summary has no {label}: {summary}");
        return match.Groups[1].Value == "-inf" ? -200 : Parse(match.Groups[1].Value);
    }

    private static double Parse(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"silence_start: (-?[0-9.]+)")]
    private static partial Regex SilenceStart();

    [GeneratedRegex(@"silence_end: ([0-9.]+)")]
    private static partial Regex SilenceEnd();

    [GeneratedRegex(@"Duration: ([0-9:.]+)")]
    private static partial Regex Duration();
}
