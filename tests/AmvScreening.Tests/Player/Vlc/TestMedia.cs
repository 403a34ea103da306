using System.Collections.Concurrent;
using AmvScreening.Tests.Support;

namespace AmvScreening.Tests.Player.Vlc;

/// <summary>
/// Media files for the libvlc tests, made with ffmpeg (Debian package ffmpeg) into a temporary folder the first time
/// a test asks, then reused for the rest of the run.
/// </summary>
public static class TestMedia
{
    private static readonly TimeSpan FfmpegBound = TimeSpan.FromSeconds(60);
    private static readonly Lazy<string> Folder = new(() =>
    {
        var folder = Directory.CreateTempSubdirectory("amv-vlc-media-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(folder, recursive: true);
        return folder;
    });

    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> Made = new();

    /// <summary>Settings for a server whose media root is this folder, so that it takes these files' absolute paths.</summary>
    public static IDictionary<string, string?> ServerSettings => new Dictionary<string, string?> { ["Amv:MediaRoot"] = Folder.Value };

    /// <summary>A path in the media folder where no file is.</summary>
    public static string Missing => Path.Combine(Folder.Value, "no-such-finalist.mp4");

    /// <summary>An H.264 clip (testsrc2 at 25 fps), with an AAC sine tone when <paramref name="audio"/>.</summary>
    public static Task<string> ClipAsync(int seconds = 2, bool audio = true, string size = "640x360") =>
        MakeAsync($"clip-{seconds}s-{size}{(audio ? "" : "-silent")}.mp4", path => FfmpegAsync(
        [
            "-f", "lavfi", "-i", $"testsrc2=size={size}:rate=25",
            .. audio ? (string[])["-f", "lavfi", "-i", "sine=frequency=440", "-c:a", "aac"] : [],
            "-t", seconds.ToString(), "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", path,
        ]));

    /// <summary>An H.264 clip with a stereo 440 Hz tone at <paramref name="volumeDb"/> from ffmpeg's sine (which
    /// measures about -21.8 LUFS at 0 dB): a quiet, a normal or a loud finalist for the levelling tests.</summary>
    public static Task<string> ToneClipAsync(int seconds, double volumeDb) =>
        MakeAsync(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"tone-{seconds}s-{volumeDb:0.#}dB.mp4"), path => FfmpegAsync(
        [
            "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
            "-af", string.Create(System.Globalization.CultureInfo.InvariantCulture, $"volume={volumeDb:0.#}dB"), "-ac", "2",
            "-t", seconds.ToString(), "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "192k", path,
        ]));

    /// <summary>200 kB of (seeded) random bytes named .mp4: what a truncated or garbled upload looks like.</summary>
    public static Task<string> CorruptAsync() => MakeAsync("corrupt.mp4", path =>
    {
        var bytes = new byte[200_000];
        new Random(20240601).NextBytes(bytes);
        return File.WriteAllBytesAsync(path, bytes);
    });

    /// <summary>A 320×180 PNG still.</summary>
    public static Task<string> PngAsync() => MakeAsync("still.png", path => FfmpegAsync(
        ["-f", "lavfi", "-i", "testsrc2=size=320x180", "-frames:v", "1", path]));

    /// <summary>A tiny SVG slate that starts the way libvlc needs (<c>&lt;?xml version="1.0"?&gt;</c>).</summary>
    public static Task<string> SvgAsync() => MakeAsync("slate.svg", path => File.WriteAllTextAsync(path,
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="320" height="180">
          <rect width="320" height="180" fill="#1d1d3b"/>
          <text x="24" y="100" fill="#ffffff" font-family="DejaVu Sans" font-size="28">Up next: finalist 1</text>
        </svg>
        """));

    /// <summary>A valid SVG without the XML declaration: fine for a browser, not for libvlc's image demuxer.</summary>
    public static Task<string> SvgWithoutDeclarationAsync() => MakeAsync("no-declaration.svg", path => File.WriteAllTextAsync(path,
        """<svg xmlns="http://www.w3.org/2000/svg" width="320" height="180"><rect width="320" height="180"/></svg>"""));

    private static Task<string> MakeAsync(string name, Func<string, Task> make) =>
        Made.GetOrAdd(name, _ => new Lazy<Task<string>>(async () =>
        {
            var path = Path.Combine(Folder.Value, name);
            await make(path);
            return path;
        })).Value;

    /// <summary>Runs ffmpeg (quiet, overwriting) within a bound; throws with its message when it fails.</summary>
    public static async Task FfmpegAsync(string[] arguments)
    {
        var ffmpeg = ExternalProcess.Require("ffmpeg", "ffmpeg");
        var result = await ExternalProcess.RunAsync(ffmpeg, ["-v", "error", "-y", "-nostdin", .. arguments], FfmpegBound);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg {string.Join(' ', arguments)} failed: {result.StandardError}");
        }
    }
}
