using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using AmvScreening.Protocol;

namespace AmvScreening.Protocol.Media;

/// <summary>What ffprobe and one ffmpeg decode pass learnt of a file (docs/preflight.md): the container and codecs,
/// how long it really decodes against what it declares, black and silent stretches at its head and tail, and its
/// loudness. Depends only on the file's bytes, so it is cached by their SHA-256 (<see cref="AnalysisCache"/>).</summary>
/// <param name="Container">ffprobe's format name (<c>mov,mp4,m4a,3gp,3g2,mj2</c>, <c>avi</c>, <c>matroska,webm</c>).</param>
/// <param name="DeclaredSeconds">The duration the container declares.</param>
/// <param name="DecodedSeconds">How far decoding the whole file got: less than declared when the file is cut short.</param>
/// <param name="Loudness">Null without audio, or when the audio is digital silence (no true peak to measure).</param>
/// <param name="DecodeError">The first decoding error ffmpeg met, if any (damaged data).</param>
public sealed record MediaAnalysis(
    string? Container,
    string? VideoCodec,
    string? VideoProfile,
    string? PixelFormat,
    string? AudioCodec,
    int? Width,
    int? Height,
    double? FrameRate,
    double? DeclaredSeconds,
    double? DecodedSeconds,
    LoudnessMeasurement? Loudness,
    double BlackHeadSeconds,
    double BlackTailSeconds,
    double SilentHeadSeconds,
    double SilentTailSeconds,
    string? DecodeError)
{
    /// <summary>Decoding stopped well before the declared duration (more than half a second and 0.5 % of it): the file
    /// is cut short, a half-copied file or an interrupted download or upload.</summary>
    public bool StopsShort() => DeclaredSeconds is { } declared && declared - (DecodedSeconds ?? 0) > Math.Max(0.5, declared * 0.005);

    /// <summary>The sound is silent from start to end (an empty audio track) although the file has one.</summary>
    public bool SilentThroughout(bool hasAudio) => hasAudio && DecodedSeconds is > 0 and var length && SilentHeadSeconds >= length - 0.3;
}

/// <summary>Measures a file; <paramref name="progress"/> gets the fraction decoded so far (0 to 1).</summary>
public interface IMediaAnalyzer
{
    Task<MediaAnalysis> AnalyzeAsync(string file, IProgress<double>? progress = null, CancellationToken ct = default);
}

/// <summary>The analysis could not be made (ffmpeg missing, or it refused the file).</summary>
public sealed class MediaAnalysisException(string message) : Exception(message);

/// <summary>
/// <see cref="IMediaAnalyzer"/> with Debian's <c>ffprobe</c> (streams and container, as JSON) and one <c>ffmpeg</c>
/// decode pass of the whole file through <c>blackdetect</c> (picture), <c>ebur128=peak=true</c> and
/// <c>silencedetect</c> (sound) into the null muxer, reading the filters' log lines and ffmpeg's <c>-progress</c>.
/// </summary>
public sealed partial class FfmpegAnalyzer : IMediaAnalyzer
{
    /// <summary>Black: blackdetect's defaults (pixels below 10 % luminance, 98 % of the picture), for at least 0.1 s.</summary>
    public const string BlackFilter = "blackdetect=d=0.1:pix_th=0.10";

    /// <summary>Silent: below -60 dBFS for at least 0.1 s (room tone and soft fades are louder).</summary>
    public const string SilenceFilter = "silencedetect=noise=-60dB:d=0.1";

    /// <summary>A stretch that ends this close to the end of the decoded file is its tail.</summary>
    private const double TailSlack = 0.25;

    private readonly string _ffmpeg;
    private readonly string _ffprobe;

    private FfmpegAnalyzer(string ffmpeg, string ffprobe) => (_ffmpeg, _ffprobe) = (ffmpeg, ffprobe);

    /// <summary>The analyzer, or why it cannot run (ffmpeg or ffprobe not on PATH).</summary>
    public static FfmpegAnalyzer Create()
    {
        string Find(string program) => (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(dir => new[] { Path.Combine(dir, program), Path.Combine(dir, program + ".exe") })
            .FirstOrDefault(File.Exists)
            ?? throw new MediaAnalysisException($"'{program}' is not installed: the pre-flight check measures every file with it (Debian package ffmpeg; ./amv preflight installs it).");
        return new FfmpegAnalyzer(Find("ffmpeg"), Find("ffprobe"));
    }

    public async Task<MediaAnalysis> AnalyzeAsync(string file, IProgress<double>? progress = null, CancellationToken ct = default)
    {
        var probe = await RunAsync(_ffprobe, ["-v", "error", "-show_format", "-show_streams", "-of", "json", file], null, ct);
        if (probe.ExitCode != 0)
        {
            throw new MediaAnalysisException($"ffprobe cannot read it: {FirstLine(probe.Error)}");
        }

        var streams = Streams.Parse(probe.Output);
        var filters = new List<string>();
        var maps = new List<string>();
        if (streams.Video is not null)
        {
            filters.Add($"[0:v:0]{BlackFilter}[v]");
            maps.AddRange(["-map", "[v]"]);
        }

        if (streams.Audio is not null)
        {
            // framelog=verbose keeps ebur128's ten lines a second out of the log; its summary still comes.
            filters.Add($"[0:a:0]ebur128=peak=true:framelog=verbose,{SilenceFilter}[a]");
            maps.AddRange(["-map", "[a]"]);
        }

        if (filters.Count == 0)
        {
            return streams.ToAnalysis(null, null, 0, 0, 0, 0, null);
        }

        var declared = streams.DeclaredSeconds;
        var decoded = 0.0;
        var pass = await RunAsync(
            _ffmpeg,
            ["-nostdin", "-hide_banner", "-nostats", "-progress", "pipe:1", "-i", file, "-filter_complex", string.Join(';', filters), .. maps, "-f", "null", "-"],
            line =>
            {
                if (ProgressSeconds(line) is { } seconds)
                {
                    decoded = seconds;
                    if (declared is > 0 and var total)
                    {
                        progress?.Report(Math.Clamp(decoded / total, 0, 1));
                    }
                }
            },
            ct);
        if (pass.ExitCode != 0)
        {
            throw new MediaAnalysisException($"ffmpeg cannot decode it: {LastLine(pass.Error)}");
        }

        return Parse(streams, pass.Error, decoded);
    }

    /// <summary>The analysis from ffmpeg's log (stderr) and how far it decoded.</summary>
    private static MediaAnalysis Parse(Streams streams, string log, double decoded)
    {
        double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);
        var lines = log.Split('\n');

        // Black and silent stretches: (start, end). blackdetect and silencedetect report one still running at the end.
        var black = BlackLine().Matches(log).Select(m => (Start: Number(m.Groups[1].Value), End: Number(m.Groups[2].Value))).ToList();
        var silent = new List<(double Start, double End)>();
        double? silenceStart = null;
        foreach (var line in lines)
        {
            if (SilenceStart().Match(line) is { Success: true } start)
            {
                silenceStart = Number(start.Groups[1].Value);
            }
            else if (SilenceEnd().Match(line) is { Success: true } end && silenceStart is { } s)
            {
                silent.Add((s, Number(end.Groups[1].Value)));
                silenceStart = null;
            }
        }

        if (silenceStart is { } open)
        {
            silent.Add((open, decoded));
        }

        double Head(List<(double Start, double End)> stretches) =>
            stretches.FirstOrDefault(s => s.Start <= 0.05) is { End: > 0 } first ? Math.Round(first.End - Math.Max(first.Start, 0), 2) : 0;

        // A stretch still running at the end: silencedetect ends it where the sound ends; blackdetect at the start of
        // the last black frame, which lasts one frame more.
        double Tail(List<(double Start, double End)> stretches, double lastFrame) =>
            stretches.LastOrDefault(s => s.End >= decoded - TailSlack - lastFrame) is { End: > 0 } last ? Math.Round(last.End + lastFrame - last.Start, 2) : 0;

        return streams.ToAnalysis(
            decoded > 0 ? Math.Round(decoded, 3) : null,
            Summary(log),
            Head(black),
            Tail(black, streams.FrameRate is > 0 and var fps ? 1 / fps : 0),
            Head(silent),
            Tail(silent, 0),
            lines.FirstOrDefault(l => l.StartsWith("Error while decoding", StringComparison.Ordinal))?.Trim());
    }

    /// <summary>ebur128's summary (the last one: ffmpeg may configure the graph twice, and the first reports
    /// nothing). Null without one, or when the true peak is -inf (digital silence).</summary>
    private static LoudnessMeasurement? Summary(string log)
    {
        var at = log.LastIndexOf("Summary:", StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var summary = log[at..];
        double? Read(Regex pattern) =>
            pattern.Match(summary) is { Success: true } m && double.TryParse(m.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
                && double.IsFinite(v) ? v : null;
        return Read(IntegratedLine()) is { } i && Read(RangeLine()) is { } lra && Read(PeakLine()) is { } tp
            && new LoudnessMeasurement(i, lra, tp) is var m && Loudness.IsPlausible(m)
            ? m
            : null;
    }

    /// <summary>The path of ffmpeg, for other passes over a file (the entries' web-playable proxy).</summary>
    public string Ffmpeg => _ffmpeg;

    /// <summary>How far ffmpeg got, from one line of its <c>-progress pipe:1</c> output (<c>out_time_us=…</c>); null
    /// for other lines.</summary>
    public static double? ProgressSeconds(string line) =>
        line.StartsWith("out_time_us=", StringComparison.Ordinal)
        && long.TryParse(line.AsSpan("out_time_us=".Length), CultureInfo.InvariantCulture, out var us) && us > 0 ? us / 1e6 : null;

    private static string FirstLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "(no message)";

    public static string LastLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "(no message)";

    /// <summary>Runs ffmpeg or ffprobe to its end, handing each line of its standard output to <paramref name="onLine"/>;
    /// cancelling kills it.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string program, string[] arguments, Action<string>? onLine, CancellationToken ct)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new MediaAnalysisException($"Could not start {program}.");
        process.StandardInput.Close();
        var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
        var output = new System.Text.StringBuilder();
        try
        {
            while (await process.StandardOutput.ReadLineAsync(ct) is { } line)
            {
                output.AppendLine(line);
                onLine?.Invoke(line);
            }

            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            // Gone before the caller records why: a stopped check leaves no ffmpeg behind.
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            throw;
        }

        return (process.ExitCode, output.ToString(), await error);
    }

    [GeneratedRegex(@"black_start:\s*(-?[\d.]+)\s+black_end:\s*(-?[\d.]+)")]
    private static partial Regex BlackLine();

    [GeneratedRegex(@"silence_start:\s*(-?[\d.]+)")]
    private static partial Regex SilenceStart();

    [GeneratedRegex(@"silence_end:\s*(-?[\d.]+)")]
    private static partial Regex SilenceEnd();

    [GeneratedRegex(@"\bI:\s+(-?[\d.]+|-inf)\s+LUFS")]
    private static partial Regex IntegratedLine();

    [GeneratedRegex(@"\bLRA:\s+(-?[\d.]+)\s+LU\b")]
    private static partial Regex RangeLine();

    [GeneratedRegex(@"\bPeak:\s+(-?[\d.]+|-inf)\s+dBFS")]
    private static partial Regex PeakLine();

    /// <summary>What ffprobe says of the container and the first video and audio streams.</summary>
    private sealed record Streams(string? Container, double? DeclaredSeconds, JsonElement? Video, JsonElement? Audio)
    {
        public double? FrameRate => Video is { } v ? Rate(Text(v, "avg_frame_rate")) ?? Rate(Text(v, "r_frame_rate")) : null;

        public static Streams Parse(string json)
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement.Clone();
            var streams = root.TryGetProperty("streams", out var s) && s.ValueKind == JsonValueKind.Array ? s.EnumerateArray().ToList() : [];
            JsonElement? First(string type) => streams.Where(x => Text(x, "codec_type") == type
                && !(x.TryGetProperty("disposition", out var d) && d.TryGetProperty("attached_pic", out var pic) && pic.ValueKind == JsonValueKind.Number && pic.GetInt32() == 1))
                .Select(x => (JsonElement?)x).FirstOrDefault();
            var format = root.TryGetProperty("format", out var f) ? f : default;
            return new Streams(
                format.ValueKind == JsonValueKind.Object ? Text(format, "format_name") : null,
                format.ValueKind == JsonValueKind.Object && double.TryParse(Text(format, "duration"), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null,
                First("video"),
                First("audio"));
        }

        public MediaAnalysis ToAnalysis(
            double? decoded, LoudnessMeasurement? loudness, double blackHead, double blackTail, double silentHead, double silentTail, string? decodeError) => new(
            Container,
            Video is { } v ? Text(v, "codec_name") : null,
            Video is { } vp ? Text(vp, "profile") : null,
            Video is { } vf ? Text(vf, "pix_fmt") : null,
            Audio is { } a ? Text(a, "codec_name") : null,
            Video is { } w && w.TryGetProperty("width", out var width) && width.TryGetInt32(out var wi) ? wi : null,
            Video is { } h && h.TryGetProperty("height", out var height) && height.TryGetInt32(out var hi) ? hi : null,
            FrameRate is { } fps ? Math.Round(fps, 3) : null,
            DeclaredSeconds is { } declared ? Math.Round(declared, 3) : null,
            decoded,
            loudness,
            blackHead,
            blackTail,
            silentHead,
            silentTail,
            decodeError);

        private static string? Text(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

        private static double? Rate(string? fraction) =>
            fraction?.Split('/') is [var n, var d] && double.TryParse(n, CultureInfo.InvariantCulture, out var num)
                && double.TryParse(d, CultureInfo.InvariantCulture, out var den) && num > 0 && den > 0 ? num / den : null;
    }
}
