using System.Globalization;
using AmvScreening.Player.Show;

namespace AmvScreening.Player.Preflight;

/// <summary>
/// Checks every finalist's file before the show, the way the player will meet it on the day: it is there, within the
/// contest's size and duration limits, libvlc opens and parses it (<see cref="IMediaEngine.ProbeAsync"/>), and it has
/// a picture and sound. Resolution and frame rate are recorded; unusual ones are warnings.
/// </summary>
/// <remarks>
/// Errors (would fail on the day, or break the contest's rules): no video path, file missing or unreadable, larger
/// than the limit, libvlc cannot open it, longer than the limit, no video track, no audio track (a silent AMV is
/// almost always a broken export). Warnings (plays, but look at it): duration unknown, below 720p or above 4K, not
/// 16:9 or 4:3, a frame rate that is not one of the usual ones (23.976, 24, 25, 29.97, 30, 48, 50, 59.94, 60), or
/// resolution or frame rate unknown.
/// </remarks>
public sealed class PreflightChecker(IMediaEngine engine, PreflightLimits limits, string mediaFolder, TextWriter? progress = null)
{
    private static readonly double[] UsualFrameRates = [24000 / 1001.0, 24, 25, 30000 / 1001.0, 30, 48, 50, 60000 / 1001.0, 60];
    private static readonly (double Ratio, string Name)[] UsualShapes = [(16 / 9.0, "16:9"), (4 / 3.0, "4:3")];

    public string MediaFolder { get; } = Path.GetFullPath(mediaFolder);

    /// <summary>Checks <paramref name="items"/> in order, writing a line per file to the progress writer.</summary>
    public async Task<PreflightReport> CheckAsync(string contestName, IReadOnlyList<PreflightItem> items, CancellationToken ct = default)
    {
        var entries = new List<PreflightEntry>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            var entry = await CheckAsync(items[i], ct);
            entries.Add(entry);
            progress?.WriteLine($"[{i + 1}/{items.Count}] {Describe(entry)}");
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

    /// <summary>One finalist.</summary>
    public async Task<PreflightEntry> CheckAsync(PreflightItem item, CancellationToken ct = default)
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
        if (size > limits.MaxFileBytes)
        {
            Error($"The file is {Megabytes(size)}; the contest's limit is {limits.MaxFileMegabytes} MB.");
        }

        var probe = await engine.ProbeAsync(file, ct);
        if (probe.Error is { } problem)
        {
            Error($"Cannot be played: {problem}");
            return Done();
        }

        entry = entry with
        {
            DurationSeconds = probe.Duration?.TotalSeconds is { } s ? Math.Round(s, 3) : null,
            HasVideo = probe.HasVideo,
            HasAudio = probe.HasAudio,
            Width = probe.Width,
            Height = probe.Height,
            FrameRate = probe.FrameRate is { } f ? Math.Round(f, 3) : null,
        };

        if (probe.Duration is not { } duration)
        {
            Warning("libvlc could not tell how long it is: play it through once before the show.");
        }
        else if (duration.TotalSeconds > limits.MaxDurationSeconds)
        {
            Error($"It runs {Length(duration)}; the contest's limit is {Length(TimeSpan.FromSeconds(limits.MaxDurationSeconds))}.");
        }

        if (!probe.HasVideo)
        {
            Error("It has no video track (audio only?).");
        }
        else
        {
            CheckPicture(probe.Width, probe.Height, probe.FrameRate);
        }

        if (!probe.HasAudio)
        {
            Error("It has no audio track: a silent AMV is almost always a broken export. Check it with the editor.");
        }

        return Done();

        PreflightEntry Done() => entry with
        {
            Status = issues.Count == 0 ? PreflightStatus.Ok : issues.Max(i => i.Severity),
            Issues = issues,
        };

        void Error(string message) => issues.Add(new PreflightIssue(PreflightStatus.Error, message));

        void Warning(string message) => issues.Add(new PreflightIssue(PreflightStatus.Warning, message));

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

    /// <summary>"Intensity 1 · Title — ok: 4:58.2, 1920×1080, 23.976 fps, 312.4 MB" or the first problem.</summary>
    public static string Describe(PreflightEntry entry)
    {
        var name = $"{entry.Category} {entry.Order} · {entry.Title}";
        var facts = string.Join(", ", new[]
        {
            entry.DurationSeconds is { } d ? Length(TimeSpan.FromSeconds(d)) : null,
            entry is { Width: { } w, Height: { } h } ? $"{w}×{h}" : null,
            entry.FrameRate is { } f ? $"{Fps(f)} fps" : null,
            entry.SizeBytes is { } s ? Megabytes(s) : null,
        }.Where(x => x is not null));
        return entry.Status switch
        {
            PreflightStatus.Ok => $"{name} — ok: {facts}",
            _ => $"{name} — {(entry.Status == PreflightStatus.Error ? "ERROR" : "warning")}: {string.Join(" ", entry.Issues.Select(i => i.Message))}" +
                 (facts.Length > 0 ? $" ({facts})" : ""),
        };
    }

    /// <summary>m:ss.f</summary>
    public static string Length(TimeSpan t) =>
        string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalMinutes}:{t.Seconds:00}.{t.Milliseconds / 100}");

    public static string Megabytes(long bytes) =>
        string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)PreflightLimits.BytesPerMegabyte:0.0} MB");

    public static string Fps(double fps) => fps.ToString("0.###", CultureInfo.InvariantCulture);
}
