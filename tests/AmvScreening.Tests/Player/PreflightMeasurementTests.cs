using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using AmvScreening.Player.Preflight;
using AmvScreening.Tests.Player.Vlc;
using AmvScreening.Tests.Support;

namespace AmvScreening.Tests.Player;

/// <summary>Files made by ffmpeg for the measuring part of the pre-flight check: three loudnesses, a file cut short,
/// black and silent heads and tails, an old-codec AVI, an empty and a tiny file. Made once for these tests.</summary>
public sealed class MeasuredMedia : IAsyncLifetime
{
    private static readonly TimeSpan FfmpegBound = TimeSpan.FromSeconds(60);

    public string Folder { get; } = Directory.CreateTempSubdirectory("amv-preflight-measured-").FullName;

    public string this[string name] => Path.Combine(Folder, name);

    public async Task InitializeAsync()
    {
        const string picture = "testsrc2=size=1280x720:rate=25";
        string[] h264 = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac"];
        Task Tone(string name, double gainDb) => FfmpegAsync(
            ["-f", "lavfi", "-i", $"{picture}:d=4", "-f", "lavfi", "-i", "sine=frequency=440:d=4", "-af", $"volume={Invariant(gainDb)}dB", .. h264, this[name]]);

        // 6.5 s whose picture and sound each have a black (silent) part of the given length at the head or the tail.
        Task Joined(string name, double blackSeconds, double silentSeconds, bool atHead)
        {
            string Parts(string content, string quiet, double quietSeconds, string label) =>
                $"{content}:d={Invariant(6.5 - quietSeconds)}[c{label}];{quiet}:d={Invariant(Math.Max(quietSeconds, 0.04))}[q{label}];" +
                (atHead ? $"[q{label}][c{label}]" : $"[c{label}][q{label}]");
            var graph = Parts(picture, "color=black:size=1280x720:rate=25", blackSeconds, "v") + "concat=n=2:v=1:a=0[v];" +
                        Parts("sine=frequency=440", "anullsrc=r=44100:cl=mono", silentSeconds, "a") + "concat=n=2:v=0:a=1[a]";
            return FfmpegAsync(["-filter_complex", graph, "-map", "[v]", "-map", "[a]", .. h264, this[name]]);
        }

        await Tone("normal.mp4", -1.2);
        await Tone("quiet.mp4", -19);
        await Tone("loud.mp4", 12);
        await FfmpegAsync(["-f", "lavfi", "-i", $"{picture}:d=6", "-f", "lavfi", "-i", "sine=frequency=440:d=6", .. h264, "-movflags", "+faststart", this["whole.mp4"]]);
        var whole = await File.ReadAllBytesAsync(this["whole.mp4"]);
        await File.WriteAllBytesAsync(this["cut.mp4"], whole[..(whole.Length * 55 / 100)]);
        await Joined("black-tail.mp4", blackSeconds: 2.5, silentSeconds: 0, atHead: false);
        await Joined("silent-tail.mp4", blackSeconds: 0, silentSeconds: 2.5, atHead: false);
        await Joined("black-and-silent-head.mp4", blackSeconds: 2, silentSeconds: 2, atHead: true);
        await FfmpegAsync(["-f", "lavfi", "-i", $"{picture}:d=3", "-f", "lavfi", "-i", "sine=frequency=440:d=3",
            "-c:v", "msmpeg4v2", "-c:a", "libmp3lame", this["old.avi"]]);
        await File.WriteAllBytesAsync(this["empty.mp4"], []);
        var normal = await File.ReadAllBytesAsync(this["normal.mp4"]);
        await File.WriteAllBytesAsync(this["tiny.mp4"], normal[..4000]);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Folder, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>ffmpeg's own figure for the file, by another filter than the check's: loudnorm's first-pass analysis.</summary>
    public static async Task<(double IntegratedLufs, double TruePeakDbtp)> ReferenceAsync(string file)
    {
        var ffmpeg = ExternalProcess.Require("ffmpeg", "ffmpeg");
        var result = await ExternalProcess.RunAsync(ffmpeg, ["-nostdin", "-hide_banner", "-i", file, "-vn", "-af", "loudnorm=print_format=json", "-f", "null", "-"], FfmpegBound);
        var json = Regex.Match(result.StandardError, @"\{[^{}]*""input_i""[^{}]*\}").Value;
        var figures = JsonDocument.Parse(json).RootElement;
        double Figure(string name) => double.Parse(figures.GetProperty(name).GetString()!, CultureInfo.InvariantCulture);
        return (Figure("input_i"), Figure("input_tp"));
    }

    private static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static async Task FfmpegAsync(string[] arguments)
    {
        var ffmpeg = ExternalProcess.Require("ffmpeg", "ffmpeg");
        var result = await ExternalProcess.RunAsync(ffmpeg, ["-v", "error", "-y", "-nostdin", .. arguments], FfmpegBound);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg {string.Join(' ', arguments)} failed: {result.StandardError}");
        }
    }
}

/// <summary>
/// The pre-flight check's decode pass on real files with the real ffmpeg and libvlc: loudness agrees with ffmpeg's own
/// figure, a file cut short is an error, black and silent heads and tails are warnings naming their length, codecs
/// are named, empty and tiny files say so, and a second run reads the measurements from the cache.
/// </summary>
[Collection(LibVlcCollection.Name)]
public sealed class PreflightMeasurementTests(MeasuredMedia media) : IClassFixture<MeasuredMedia>, IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);

    private readonly string _out = Directory.CreateTempSubdirectory("amv-preflight-measured-out-").FullName;
    private StringWriter _output = new();
    private readonly StringWriter _error = new();

    public void Dispose() => Directory.Delete(_out, recursive: true);

    private string Cache => Path.Combine(_out, "cache.json");

    /// <summary>Checks the files (by name in the media folder) as one contest's finalists; the report.</summary>
    private async Task<JsonElement> CheckAsync(string[] files, double? targetLufs = null, int expectedExit = -1, string? folder = null)
    {
        var contest = Path.Combine(_out, "contest.json");
        await File.WriteAllTextAsync(contest, JsonSerializer.Serialize(new
        {
            contest = targetLufs is { } t
                ? (object)new { name = "Measured", limits = new { maxFileMegabytes = 330, maxDurationSeconds = 60, loudnessTargetLufs = t } }
                : new { name = "Measured", limits = new { maxFileMegabytes = 330, maxDurationSeconds = 60 } },
            categories = new[] { "Intensity" },
            finalists = files.Select((f, i) => PreflightMedia.Finalist("Intensity", i + 1, f, f)).ToArray(),
        }));
        var json = Path.Combine(_out, "report.json");
        _output = new StringWriter();
        var exit = await PreflightCommand.RunAsync(["--contest", contest, "--media", folder ?? media.Folder, "--json", json, "--cache", Cache], _output, _error)
            .WaitAsync(Bound);
        if (expectedExit >= 0)
        {
            Assert.Equal(expectedExit, exit);
        }

        return JsonDocument.Parse(await File.ReadAllTextAsync(json)).RootElement;
    }

    private static JsonElement Entry(JsonElement report, string title) =>
        report.GetProperty("entries").EnumerateArray().Single(e => e.GetProperty("title").GetString() == title);

    private static string[] Messages(JsonElement entry) =>
        entry.GetProperty("issues").EnumerateArray().Select(i => $"{i.GetProperty("severity").GetString()}: {i.GetProperty("message").GetString()}").ToArray();

    [Fact]
    public async Task QuietLoudAndNormalClips_MeasureWithinHalfALu_OfFfmpegsOwnFigure_AndFarOnesAreWarnings()
    {
        var report = await CheckAsync(["quiet.mp4", "normal.mp4", "loud.mp4"], expectedExit: PreflightExitCodes.Ok);

        foreach (var (title, near) in new[] { ("quiet.mp4", -40.0), ("normal.mp4", -23.0), ("loud.mp4", -10.0) })
        {
            var entry = Entry(report, title);
            var loudness = entry.GetProperty("loudness");
            var measured = loudness.GetProperty("integratedLufs").GetDouble();
            var reference = await MeasuredMedia.ReferenceAsync(media[title]);
            Assert.True(Math.Abs(measured - reference.IntegratedLufs) <= 0.5, $"{title}: measured {measured} LUFS, ffmpeg's loudnorm says {reference.IntegratedLufs}");
            Assert.InRange(measured, near - 2, near + 2);
            Assert.InRange(loudness.GetProperty("rangeLu").GetDouble(), 0, 3);
            var peak = loudness.GetProperty("truePeakDbtp").GetDouble();
            Assert.True(Math.Abs(peak - reference.TruePeakDbtp) <= 0.5, $"{title}: true peak {peak} dBTP, ffmpeg's loudnorm says {reference.TruePeakDbtp}");
        }

        Assert.Equal("ok", Entry(report, "normal.mp4").GetProperty("status").GetString());
        Assert.Matches(@"^warning: Its loudness is -4\d\.\d LUFS, 1\d\.\d LU quieter than the contest's target of -23 LUFS: the player levels it at playback",
            Assert.Single(Messages(Entry(report, "quiet.mp4"))));
        Assert.Matches(@"^warning: Its loudness is -\d+\.\d LUFS, 1\d\.\d LU louder than the contest's target of -23 LUFS",
            Assert.Single(Messages(Entry(report, "loud.mp4"))));
        Assert.Matches(@"1  Intensity 1\s+quiet\.mp4\s+warning .* -4\d\.\d LUFS", _output.ToString());
    }

    [Fact]
    public async Task TheContestsOwnTarget_IsTheOneEntriesAreComparedWith()
    {
        var report = await CheckAsync(["normal.mp4", "loud.mp4"], targetLufs: -14);

        Assert.Equal(-14, report.GetProperty("limits").GetProperty("loudnessTargetLufs").GetDouble());
        Assert.Matches(@"LU quieter than the contest's target of -14 LUFS", Assert.Single(Messages(Entry(report, "normal.mp4"))));
        Assert.Equal("ok", Entry(report, "loud.mp4").GetProperty("status").GetString());
        Assert.Contains("loudness target -14.0 LUFS", _output.ToString());
    }

    [Fact]
    public async Task AFileCutTo55Percent_IsAnError_NamingHowFarItPlays()
    {
        var report = await CheckAsync(["cut.mp4", "whole.mp4"], expectedExit: PreflightExitCodes.WouldFail);

        var cut = Entry(report, "cut.mp4");
        Assert.Equal("error", cut.GetProperty("status").GetString());
        Assert.Matches(@"^error: It stops after 0:0[2-4]\.\d of the 0:06\.0 it declares: the file is cut short", Assert.Single(Messages(cut)));
        Assert.InRange(cut.GetProperty("decodedSeconds").GetDouble(), 2, 4.5);
        Assert.Equal(6, cut.GetProperty("durationSeconds").GetDouble(), precision: 1);

        var whole = Entry(report, "whole.mp4");
        Assert.Equal("ok", whole.GetProperty("status").GetString());
        Assert.InRange(whole.GetProperty("decodedSeconds").GetDouble(), 5.9, 6.2);
    }

    [Fact]
    public async Task BlackOrSilentHeadsAndTails_AreWarnings_NamingTheirLength()
    {
        var report = await CheckAsync(["black-tail.mp4", "silent-tail.mp4", "black-and-silent-head.mp4", "normal.mp4"], expectedExit: PreflightExitCodes.Ok);

        var blackTail = Entry(report, "black-tail.mp4");
        Assert.Equal(["warning: The last 2.5 s are black (no picture): trim it, or check the export."], Messages(blackTail));
        Assert.Equal((0, 0, 0), (blackTail.GetProperty("blackHeadSeconds").GetDouble(), blackTail.GetProperty("silentHeadSeconds").GetDouble(),
            blackTail.GetProperty("silentTailSeconds").GetDouble()));
        Assert.Equal(2.5, blackTail.GetProperty("blackTailSeconds").GetDouble(), precision: 1);

        Assert.Equal(["warning: The last 2.5 s are silent: trim it, or check the export."], Messages(Entry(report, "silent-tail.mp4")));
        Assert.Equal(
            ["warning: The first 2.0 s are black (no picture): trim it, or check the export.", "warning: The first 2.0 s are silent: trim it, or check the export."],
            Messages(Entry(report, "black-and-silent-head.mp4")));
        var normal = Entry(report, "normal.mp4");
        Assert.Equal("ok", normal.GetProperty("status").GetString());
        Assert.Equal(0, normal.GetProperty("blackTailSeconds").GetDouble());
    }

    [Fact]
    public async Task TheReport_NamesCodecsAndContainer_AndRecordsTheFilesChecksum()
    {
        var report = await CheckAsync(["old.avi", "normal.mp4"]);

        var old = Entry(report, "old.avi");
        Assert.Equal(("avi", "msmpeg4v2", "mp3"),
            (old.GetProperty("container").GetString(), old.GetProperty("videoCodec").GetString(), old.GetProperty("audioCodec").GetString()));
        Assert.Equal("yuv420p", old.GetProperty("pixelFormat").GetString());
        Assert.Matches(@"\[1/2\] Intensity 1 · old\.avi — ok: 0:03\.0, 1280×720, 25 fps, msmpeg4v2, -2\d\.\d LUFS", _output.ToString());

        var normal = Entry(report, "normal.mp4");
        Assert.Equal(("mov,mp4,m4a,3gp,3g2,mj2", "h264", "aac", "yuv420p"), (normal.GetProperty("container").GetString(),
            normal.GetProperty("videoCodec").GetString(), normal.GetProperty("audioCodec").GetString(), normal.GetProperty("pixelFormat").GetString()));
        Assert.False(string.IsNullOrEmpty(normal.GetProperty("videoProfile").GetString()));
        var bytes = await File.ReadAllBytesAsync(media["normal.mp4"]);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), normal.GetProperty("sha256").GetString());
        Assert.Equal(bytes.Length, normal.GetProperty("sizeBytes").GetInt64());
    }

    [Fact]
    public async Task EmptyAndTinyFiles_AreErrors_WithTheirExactSize()
    {
        var report = await CheckAsync(["empty.mp4", "tiny.mp4"], expectedExit: PreflightExitCodes.WouldFail);

        Assert.Equal(["error: Empty file (0 bytes): the export or the copy did not finish. Copy it again."], Messages(Entry(report, "empty.mp4")));
        Assert.StartsWith("error: Cannot be played (the file is only 4,000 bytes): libvlc ", Assert.Single(Messages(Entry(report, "tiny.mp4"))));
        var output = _output.ToString();
        Assert.Contains("(0 bytes)", output);
        Assert.Matches(@"2  Intensity 2\s+tiny\.mp4\s+ERROR .*4,000 bytes", output);
    }

    [Fact]
    public async Task ASecondRun_OnUnchangedFiles_ReadsTheCache_AndAChangedFileIsMeasuredAgain()
    {
        string[] files = ["normal.mp4", "quiet.mp4", "old.avi"];
        var first = await CheckAsync(files);
        Assert.Contains($"Measured 3 file(s), 0 from the cache ({Cache}).", _output.ToString());
        Assert.True(File.Exists(Cache));

        var second = await CheckAsync(files);
        Assert.Contains($"Measured 0 file(s), 3 from the cache ({Cache}).", _output.ToString());
        foreach (var file in files)
        {
            Assert.Equal(Entry(first, file).GetProperty("loudness").GetRawText(), Entry(second, file).GetProperty("loudness").GetRawText());
            Assert.Equal(Entry(first, file).GetProperty("issues").GetRawText(), Entry(second, file).GetProperty("issues").GetRawText());
        }

        // The cache is by content, not by name: the same name with other bytes is measured again, and a cache that
        // cannot be read is only measured anew.
        var folder = Directory.CreateTempSubdirectory("amv-preflight-changed-").FullName;
        try
        {
            File.Copy(media["normal.mp4"], Path.Combine(folder, "finalist.mp4"));
            await CheckAsync(["finalist.mp4"], folder: folder);
            Assert.Contains("Measured 0 file(s), 1 from the cache", _output.ToString());

            File.Copy(media["loud.mp4"], Path.Combine(folder, "finalist.mp4"), overwrite: true);
            var changed = await CheckAsync(["finalist.mp4"], folder: folder);
            Assert.Contains("Measured 1 file(s), 0 from the cache", _output.ToString());
            Assert.NotEqual(Entry(first, "normal.mp4").GetProperty("sha256").GetString(), Entry(changed, "finalist.mp4").GetProperty("sha256").GetString());

            await File.WriteAllTextAsync(Cache, "{ not json");
            await CheckAsync(["finalist.mp4"], folder: folder);
            Assert.Contains("Measured 1 file(s), 0 from the cache", _output.ToString());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
