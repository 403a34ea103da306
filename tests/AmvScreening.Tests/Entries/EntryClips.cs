using System.Globalization;
using AmvScreening.Tests.Player.Vlc;
using AmvScreening.Tests.Support;

namespace AmvScreening.Tests.Entries;

/// <summary>What editors upload, made by ffmpeg once for these tests: a good MP4, one too long for a 5-second limit,
/// one without sound, one that is only sound, one cut short (the first 55 % of its bytes), 200 kB of noise named .mp4,
/// one whose sound track is silent, an old-codec AVI browsers cannot play, and a longer 1080p file for the restart and
/// timeout tests.</summary>
public sealed class EntryClips : IAsyncLifetime
{
    private static readonly TimeSpan FfmpegBound = TimeSpan.FromSeconds(120);

    public string Folder { get; } = Directory.CreateTempSubdirectory("amv-entry-clips-").FullName;

    public string this[string name] => Path.Combine(Folder, name);

    public async Task InitializeAsync()
    {
        const string picture = "testsrc2=size=640x360:rate=25";
        string[] h264 = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"];
        Task Clip(string name, double seconds, bool video = true, string? audio = "sine=frequency=440", string[]? codecs = null) => TestMedia.FfmpegAsync(
        [
            .. video ? (string[])["-f", "lavfi", "-i", $"{picture}:d={Invariant(seconds)}"] : [],
            .. audio is not null ? (string[])["-f", "lavfi", "-i", $"{audio}:d={Invariant(seconds)}"] : [],
            .. codecs ?? [.. video ? h264 : [], .. audio is not null ? (string[])["-c:a", "aac"] : []],
            "-movflags", "+faststart", this[name],
        ]);

        await Clip("good.mp4", 3);
        await Clip("long.mp4", 7);
        await Clip("no-audio.mp4", 3, audio: null);
        await Clip("no-video.m4a", 3, video: false);
        await Clip("silent.mp4", 3, audio: "anullsrc=r=44100:cl=stereo");
        await Clip("whole.mp4", 6);
        var whole = await File.ReadAllBytesAsync(this["whole.mp4"]);
        await File.WriteAllBytesAsync(this["cut.mp4"], whole[..(whole.Length * 55 / 100)]);
        var noise = new byte[200_000];
        new Random(20261130).NextBytes(noise);
        await File.WriteAllBytesAsync(this["noise.mp4"], noise);
        await TestMedia.FfmpegAsync(["-f", "lavfi", "-i", $"{picture}:d=3", "-f", "lavfi", "-i", "sine=frequency=440:d=3",
            "-c:v", "msmpeg4v2", "-c:a", "libmp3lame", this["old.avi"]]);
        await TestMedia.FfmpegAsync(["-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=25:d=40", "-f", "lavfi", "-i", "sine=frequency=440:d=40",
            .. h264, "-c:a", "aac", this["long-1080p.mp4"]]);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Folder, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>ffprobe's codec names of the file's first video and audio streams and its container.</summary>
    public static async Task<string> ProbeAsync(string file)
    {
        var ffprobe = ExternalProcess.Require("ffprobe", "ffmpeg");
        var result = await ExternalProcess.RunAsync(ffprobe,
            ["-v", "error", "-show_entries", "format=format_name:stream=codec_type,codec_name,pix_fmt,height", "-of", "compact", file], FfmpegBound);
        return result.StandardOutput;
    }

    private static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);
}
