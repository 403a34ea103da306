using System.Globalization;
using System.Text;
using AmvScreening.Player.Show;
using AmvScreening.Protocol;
using AmvScreening.Protocol.Media;

namespace AmvScreening.Player.Preflight;

/// <summary>
/// Checks every finalist's file before the show, the way the player will meet it on the day: it is there and not
/// empty, within the contest's size and duration limits, libvlc opens and parses it (<see cref="IMediaEngine.ProbeAsync"/>),
/// it has a picture and sound; then one decode pass of the whole file (<see cref="IMediaAnalyzer"/>, cached by the
/// file's SHA-256 in <see cref="AnalysisCache"/>) finds a file cut short, black or silent stretches at its head and
/// tail, and measures its loudness (docs/preflight.md).
/// </summary>
/// <remarks>
/// Errors (would fail on the day, or break the contest's rules): no video path, file missing, empty or unreadable,
/// larger than the limit, libvlc cannot open it, longer than the limit, no video track, no audio track (a silent AMV is
/// almost always a broken export), decoding stops well before the declared duration (cut short), sound silent from
/// start to end. Warnings (plays, but look at it): duration unknown, below 720p or above 4K, not 16:9 or 4:3, a frame
/// rate that is not one of the usual ones (23.976, 24, 25, 29.97, 30, 48, 50, 59.94, 60), resolution or frame rate
/// unknown, damaged data met while decoding, more than <see cref="LongestQuietEdgeSeconds"/> of black or silence at
/// the head or tail, integrated loudness more than <see cref="LoudnessToleranceLu"/> LU from the contest's target, or
/// the file could not be measured.
/// </remarks>
public sealed class PreflightChecker(
    IMediaEngine engine,
    PreflightLimits limits,
    string mediaFolder,
    TextWriter? progress = null,
    IMediaAnalyzer? analyzer = null,
    AnalysisCache? cache = null,
    bool progressBar = false)
{
    /// <summary>Black picture or silence at the head or tail longer than this is a warning.</summary>
    public const double LongestQuietEdgeSeconds = 1.0;

    /// <summary>An integrated loudness further than this from the target is a warning (the player levels it anyway).</summary>
    public const double LoudnessToleranceLu = 6.0;

    private static readonly double[] UsualFrameRates = [24000 / 1001.0, 24, 25, 30000 / 1001.0, 30, 48, 50, 60000 / 1001.0, 60];
    private static readonly (double Ratio, string Name)[] UsualShapes = [(16 / 9.0, "16:9"), (4 / 3.0, "4:3")];

    /// <summary>How many files were decoded and measured in this run (the others came from the cache).</summary>
    public int Measured { get; private set; }

    public string MediaFolder { get; } = Path.GetFullPath(mediaFolder);

    /// <summary>Checks <paramref name="items"/> in order, writing a line per file to the progress writer.</summary>
    public async Task<PreflightReport> CheckAsync(string contestName, IReadOnlyList<PreflightItem> items, CancellationToken ct = default)
    {
        var entries = new List<PreflightEntry>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            var counter = $"[{i + 1}/{items.Count}]";
            var bar = progressBar && progress is not null ? new ProgressBar(progress, $"{counter} {DisplayText.OneLine(items[i].Title)}") : null;
            var entry = await CheckAsync(items[i], bar, ct);
            bar?.Clear();
            entries.Add(entry);
            progress?.WriteLine($"{counter} {Describe(entry)}");
        }

        var summary = new PreflightSummary(
            entries.Count,
            entries.Count(e => e.Status == PreflightStatus.Ok),
            entries.Count(e => e.Status == PreflightStatus.Warning),
            entries.Count(e => e.Status == PreflightStatus.Error));
        return new PreflightReport(contestName, DateTimeOffset.UtcNow, Environment.MachineName, MediaFolder, limits, summary, entries);
    }

    /// <summary>Where a finalist's video path points: relative paths are relative to the media folder.</summary>
    public string Resolve(string videoPath) => Path.GetFullPath(Path.IsPathRooted(videoPath) ? videoPath : Path.Combine(MediaFolder, videoPath));

    /// <summary>One finalist; <paramref name="measuring"/> gets the fraction of the file decoded so far.</summary>
    public async Task<PreflightEntry> CheckAsync(PreflightItem item, IProgress<double>? measuring = null, CancellationToken ct = default)
    {
        var issues = new List<PreflightIssue>();
        var entry = new PreflightEntry(item.EntryId, item.Category, item.Order, item.Title, item.VideoPath, null, PreflightStatus.Ok, issues);
        if (string.IsNullOrWhiteSpace(item.VideoPath))
        {
            Error("No video file is set for this finalist (the contest file's \"file\" is empty).");
            return Done();
        }

        var file = Resolve(item.VideoPath);
        entry = entry with { File = file };
        long size;
        try
        {
            var info = new FileInfo(file);
            if (!info.Exists)
            {
                Error(Directory.Exists(file) ? $"Not a file but a folder: {file}" : $"File not found: {file}");
                return Done();
            }

            size = info.Length;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Error($"Cannot read {file}: {e.Message}");
            return Done();
        }

        entry = entry with { SizeBytes = size };
        if (size == 0)
        {
            Error("Empty file (0 bytes): the export or the copy did not finish. Copy it again.");
            return Done();
        }

        if (size > limits.MaxFileBytes)
        {
            Error($"The file is {Size(size)}; the contest's limit is {limits.MaxFileMegabytes} MB.");
        }

        try
        {
            entry = entry with { Sha256 = await FileChecksum.Sha256Async(file, ct) };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Error($"Cannot read {file}: {e.Message}");
            return Done();
        }

        var probe = await engine.ProbeAsync(file, ct);
        if (probe.Error is { } problem)
        {
            Error(size < PreflightLimits.BytesPerMegabyte / 10 ? $"Cannot be played (the file is only {Size(size)}): {problem}" : $"Cannot be played: {problem}");
            return Done();
        }

        var analysis = await AnalyzeAsync(file, entry.Sha256!, measuring, ct);
        entry = entry with
        {
            DurationSeconds = probe.Duration?.TotalSeconds is { } s ? Math.Round(s, 3) : analysis?.DeclaredSeconds,
            HasVideo = probe.HasVideo,
            HasAudio = probe.HasAudio,
            Width = probe.Width ?? analysis?.Width,
            Height = probe.Height ?? analysis?.Height,
            FrameRate = probe.FrameRate is { } f ? Math.Round(f, 3) : analysis?.FrameRate,
            Container = analysis?.Container,
            VideoCodec = analysis?.VideoCodec,
            VideoProfile = analysis?.VideoProfile,
            PixelFormat = analysis?.PixelFormat,
            AudioCodec = analysis?.AudioCodec,
            DecodedSeconds = analysis?.DecodedSeconds,
            Loudness = analysis?.Loudness,
            BlackHeadSeconds = analysis?.BlackHeadSeconds,
            BlackTailSeconds = analysis?.BlackTailSeconds,
            SilentHeadSeconds = analysis?.SilentHeadSeconds,
            SilentTailSeconds = analysis?.SilentTailSeconds,
        };

        if (entry.DurationSeconds is not { } seconds)
        {
            Warning("libvlc could not tell how long it is: play it through once before the show.");
        }
        else if (seconds > limits.MaxDurationSeconds)
        {
            Error($"It runs {Length(TimeSpan.FromSeconds(seconds))}; the contest's limit is {Length(TimeSpan.FromSeconds(limits.MaxDurationSeconds))}.");
        }

        if (!probe.HasVideo)
        {
            Error("It has no video track (audio only?).");
        }
        else
        {
            CheckPicture(entry.Width, entry.Height, entry.FrameRate);
        }

        if (!probe.HasAudio)
        {
            Error("It has no audio track: a silent AMV is almost always a broken export. Check it with the editor.");
        }

        if (analysis is not null)
        {
            CheckDecoded(analysis, entry.HasAudio == true);
        }

        return Done();

        PreflightEntry Done() => entry with
        {
            Status = issues.Count == 0 ? PreflightStatus.Ok : issues.Max(i => i.Severity),
            Issues = issues,
        };

        void Error(string message) => issues.Add(new PreflightIssue(PreflightStatus.Error, message));

        void Warning(string message) => issues.Add(new PreflightIssue(PreflightStatus.Warning, message));

        async Task<MediaAnalysis?> AnalyzeAsync(string path, string sha256, IProgress<double>? fraction, CancellationToken token)
        {
            if (analyzer is null)
            {
                return null;
            }

            if (cache?.TryGet(sha256, out var cached) == true)
            {
                return cached;
            }

            try
            {
                var measured = await analyzer.AnalyzeAsync(path, fraction, token);
                Measured++;
                cache?.Put(sha256, measured);
                return measured;
            }
            catch (MediaAnalysisException e)
            {
                Warning($"Could not be measured (cut short? loudness, black and silence unknown): {e.Message}");
                return null;
            }
        }

        void CheckDecoded(MediaAnalysis a, bool hasAudio)
        {
            if (a.StopsShort() && a is { DeclaredSeconds: { } declared, DecodedSeconds: var decoded })
            {
                Error($"It stops after {Length(TimeSpan.FromSeconds(decoded ?? 0))} of the {Length(TimeSpan.FromSeconds(declared))} it declares: " +
                      "the file is cut short (a half-copied file or an interrupted download?). Copy it again.");
            }
            else if (a.DecodeError is { } damaged)
            {
                Warning($"Damaged data met while decoding it ({damaged}): watch it through before the show.");
            }

            var silentThroughout = a.SilentThroughout(hasAudio);
            if (silentThroughout)
            {
                Error("Its sound is silent from start to end (an empty audio track): a broken export? Check it with the editor.");
            }

            Edge(a.BlackHeadSeconds, "The first", "black (no picture)");
            Edge(a.BlackTailSeconds, "The last", "black (no picture)");
            if (!silentThroughout)
            {
                Edge(a.SilentHeadSeconds, "The first", "silent");
                Edge(a.SilentTailSeconds, "The last", "silent");
            }

            if (a.Loudness is { IntegratedLufs: var lufs } && !silentThroughout && Math.Abs(lufs - limits.LoudnessTargetLufs) > LoudnessToleranceLu)
            {
                var away = Math.Abs(lufs - limits.LoudnessTargetLufs);
                Warning(string.Create(CultureInfo.InvariantCulture,
                    $"Its loudness is {lufs:0.0} LUFS, {away:0.0} LU {(lufs < limits.LoudnessTargetLufs ? "quieter" : "louder")} than the contest's target " +
                    $"of {limits.LoudnessTargetLufs:0.#} LUFS: the player levels it at playback, but check the sound is as the editor meant it."));
            }

            void Edge(double seconds, string which, string what)
            {
                if (seconds > LongestQuietEdgeSeconds)
                {
                    Warning(string.Create(CultureInfo.InvariantCulture, $"{which} {seconds:0.0} s are {what}: trim it, or check the export."));
                }
            }
        }

        void CheckPicture(int? width, int? height, double? frameRate)
        {
            if (width is not { } w || height is not { } h)
            {
                Warning("libvlc could not tell the picture's size.");
            }
            else
            {
                if (h < 720)
                {
                    Warning($"{w}×{h} is below 720p: it will look soft on the projector.");
                }
                else if (w > 3840 || h > 2160)
                {
                    Warning($"{w}×{h} is larger than 4K: this machine may drop frames decoding it.");
                }

                var ratio = (double)w / h;
                if (!UsualShapes.Any(s => Math.Abs(ratio / s.Ratio - 1) <= 0.03))
                {
                    Warning($"{w}×{h} is neither 16:9 nor 4:3: it will be shown with black bars.");
                }
            }

            if (frameRate is not { } fps)
            {
                Warning("libvlc could not tell the frame rate (variable frame rate export?).");
            }
            else if (!UsualFrameRates.Any(usual => Math.Abs(usual - fps) < 0.01))
            {
                Warning($"{Fps(fps)} fps is an unusual frame rate (variable frame rate export?): watch it for stutter.");
            }
        }
    }

    /// <summary>"Intensity 1 · Title — ok: 4:58.2, 1920×1080, 23.976 fps, h264, -23.4 LUFS, 312.4 MB" or its problems.</summary>
    public static string Describe(PreflightEntry entry)
    {
        var name = $"{DisplayText.OneLine(entry.Category)} {entry.Order} · {DisplayText.OneLine(entry.Title)}";
        var facts = string.Join(", ", new[]
        {
            entry.DurationSeconds is { } d ? Length(TimeSpan.FromSeconds(d)) : null,
            entry is { Width: { } w, Height: { } h } ? $"{w}×{h}" : null,
            entry.FrameRate is { } f ? $"{Fps(f)} fps" : null,
            Codec(entry),
            entry.Loudness is { } l ? Lufs(l.IntegratedLufs) : null,
            entry.SizeBytes is { } s ? Size(s) : null,
        }.Where(x => x is not null));
        return entry.Status switch
        {
            PreflightStatus.Ok => $"{name} — ok: {facts}",
            _ => $"{name} — {(entry.Status == PreflightStatus.Error ? "ERROR" : "warning")}: {string.Join(" ", entry.Issues.Select(i => i.Message))}" +
                 (facts.Length > 0 ? $" ({facts})" : ""),
        };
    }

    /// <summary>"h264 High" (the video codec and its profile), or null when not measured.</summary>
    public static string? Codec(PreflightEntry entry) => entry.VideoCodec is { } codec ? entry.VideoProfile is { } profile ? $"{codec} {profile}" : codec : null;

    /// <summary>"-23.4 LUFS"</summary>
    public static string Lufs(double lufs) => string.Create(CultureInfo.InvariantCulture, $"{lufs:0.0} LUFS");

    /// <summary>m:ss.f</summary>
    public static string Length(TimeSpan t) =>
        string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalMinutes}:{t.Seconds:00}.{t.Milliseconds / 100}");

    /// <summary>"312.4 MB"; below 0.1 MB, the exact count of bytes ("53,555 bytes"), since "0.0 MB" hides an empty or
    /// truncated file.</summary>
    public static string Size(long bytes) => bytes < PreflightLimits.BytesPerMegabyte / 10
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes:N0} {(bytes == 1 ? "byte" : "bytes")}")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)PreflightLimits.BytesPerMegabyte:0.0} MB");

    public static string Fps(double fps) => fps.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>A bar redrawn in place on a terminal while a file is decoded: "[3/21] Title  [#######.....]  58 %".</summary>
    private sealed class ProgressBar(TextWriter output, string label) : IProgress<double>
    {
        private const int Cells = 30;
        private int _shown = -1;

        public void Report(double value)
        {
            var percent = (int)(Math.Clamp(value, 0, 1) * 100);
            if (percent == _shown)
            {
                return;
            }

            _shown = percent;
            var filled = percent * Cells / 100;
            var room = Math.Max(10, Columns() - Cells - 12);
            var text = DisplayText.CutToColumns(label, room);
            output.Write($"\r{text}  [{new string('#', filled)}{new string('.', Cells - filled)}] {percent,3} %");
            output.Flush();
        }

        public void Clear()
        {
            if (_shown >= 0)
            {
                output.Write($"\r{new string(' ', Math.Max(0, Columns() - 1))}\r");
            }
        }

        private static int Columns()
        {
            try
            {
                return Console.WindowWidth > 20 ? Console.WindowWidth : 80;
            }
            catch (IOException)
            {
                return 80;
            }
        }
    }
}
