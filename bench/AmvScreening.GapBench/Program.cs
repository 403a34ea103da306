using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using AmvScreening.Bench;
using AmvScreening.Player.Screen;
using AmvScreening.Player.Show;
using AmvScreening.Player.Vlc;
using AmvScreening.Protocol;
using AmvScreening.Slates;
using AmvScreening.Tests.Player.ScreenSupport;
using AmvScreening.Tests.Player.Vlc;

// The black gap between a slate and the video after it, as the room sees it: the player's fullscreen SDL window with
// libvlc drawing into it, on a virtual X server (Xvfb 1280×720), its centre sampled straight from the X server about
// a thousand times a second. For each transition: the time from the last sample showing the slate to the first one
// showing the video. Usage: bench-gap [--transitions N] [--mode ended|replace|both]
var transitionsOption = BenchCommandLine.Count("--transitions", 20, "How many slate → video transitions to measure in each mode");
var modeOption = new Option<string>("--mode")
{
    Description = "ended (the slate's time runs out, then the video starts), replace (the video replaces a slate that is up) or both",
    DefaultValueFactory = _ => "both",
};
modeOption.AcceptOnlyFromAmong("ended", "replace", "both");
var command = new RootCommand(
    "Slate → video gap benchmark: the player's fullscreen window on a virtual X server (Xvfb), libvlc drawing into it; " +
    "prints the black gap between the last slate frame and the first video frame (docs/benchmarks.md).")
{
    transitionsOption, modeOption,
};
command.SetAction(result => MeasureAsync(result.GetValue(transitionsOption), result.GetValue(modeOption)!));
return await BenchCommandLine.RunAsync(command, args);

static async Task<int> MeasureAsync(int transitions, string mode)
{
    var bound = TimeSpan.FromSeconds(30);
    using var xvfb = await XvfbDisplay.StartAsync(1280, 720);
    await xvfb.PaintRootAsync(ScreenLooks.RootColour);
    xvfb.UseInThisProcess();

    var room = new RoomInfo("K7QX", "http://192.168.1.10:5000/v/K7QX");
    var entry = new EntrySummary(11, 2, "Intensity", "全集中 (Total Concentration)", ["Akaza Cuts"], "LiSA", "紅蓮華", ["鬼滅の刃", "Jujutsu Kaisen"], "flashing lights");
    var slates = new SvgSlateRenderer();
    var slate = slates.Render(new SlateData(SlateKind.Intro, "Kumoricon 2024 AMV Contest", entry.Category, entry, room));
    var clip = await TestMedia.ClipAsync(seconds: 1, size: "1280x720");

    using var screen = SdlScreen.Open(new ScreenOptions());
    using var sampler = new CentreSampler(xvfb.Name);
    await using var engine = new VlcEngine(new VlcEngineOptions { Muted = true }.DrawingInto(screen));

    // The slate's centre as it looks on screen: what "the slate is showing" means below.
    var warmUp = engine.PlayAsync(new MediaItem(slate, StillFor: Timeout.InfiniteTimeSpan));
    await sampler.WaitUntilAsync(s => s.Look != Look.Black, bound);
    await Task.Delay(TimeSpan.FromSeconds(1)); // let the still settle: the experiment, not a synchronisation
    sampler.Reference = sampler.Latest();
    engine.Stop();
    await warmUp.WaitAsync(bound);

    var results = new List<(string Mode, double[] Gaps, double[] Latencies, int WithBlack, int Direct)>();
    foreach (var m in mode == "both" ? ["ended", "replace"] : new[] { mode })
    {
        var gaps = new List<double>();
        var latencies = new List<double>();
        var withBlack = 0;
        var direct = 0;
        for (var i = 0; i < transitions; i++)
        {
            if (m == "ended")
            {
                await engine.PlayAsync(new MediaItem(slate, StillFor: TimeSpan.FromSeconds(0.8))).WaitAsync(bound);
            }
            else
            {
                _ = engine.PlayAsync(new MediaItem(slate, StillFor: Timeout.InfiniteTimeSpan));
                await sampler.WaitUntilAsync(s => s.Look == Look.Slate, bound);
                await Task.Delay(TimeSpan.FromSeconds(0.5)); // the slate stays up a while: the experiment
            }

            var started = sampler.Now;
            var video = engine.PlayAsync(new MediaItem(clip));
            var firstVideo = await sampler.WaitUntilAsync(s => s.At >= started && s.Look == Look.Video, bound);
            var result = await video.WaitAsync(bound);
            if (result.End != PlaybackEnd.Ended)
            {
                Console.Error.WriteLine($"transition {i + 1}: the video did not play: {result}");
                return 1;
            }

            var before = sampler.Between(TimeSpan.Zero, firstVideo.At);
            var lastSlate = before.LastOrDefault(s => s.Look == Look.Slate);
            if (lastSlate.At == TimeSpan.Zero)
            {
                Console.Error.WriteLine($"transition {i + 1}: the slate was never seen");
                return 1;
            }

            var between = before.Where(s => s.At > lastSlate.At && s.At < firstVideo.At).ToList();
            withBlack += between.Any(s => s.Look is Look.Black or Look.Desktop) ? 1 : 0;
            direct += between.Count == 0 ? 1 : 0;
            gaps.Add((firstVideo.At - lastSlate.At).TotalMilliseconds);
            latencies.Add((firstVideo.At - started).TotalMilliseconds);
            sampler.Forget(firstVideo.At);
        }

        results.Add((m, [.. gaps], [.. latencies], withBlack, direct));
    }

    Console.WriteLine($"AmvScreening slate → video gap — {Environment.ProcessorCount} cores, Xvfb 1280×720, libvlc into the SDL window, " +
                      $"{transitions} transitions per mode, centre {CentreSampler.Size}×{CentreSampler.Size} px sampled at {sampler.Rate:F0} Hz ({sampler.CaptureMilliseconds:F2} ms per sample)");
    foreach (var (m, gaps, latencies, withBlack, direct) in results)
    {
        Console.WriteLine(m == "ended"
            ? "  ended:   the slate's time runs out (EndReached), then the video is started — what the show does"
            : "  replace: the video is started while the slate is up (skip slate, jump)");
        Console.WriteLine($"    gap (last slate sample → first video sample) ms:  median {Median(gaps):F1}  worst {gaps.Max():F1}");
        Console.WriteLine($"    straight from slate to video (no sample between): {direct} of {gaps.Length}; black or desktop seen in {withBlack} of {gaps.Length}");
        Console.WriteLine($"    video started → first video frame on screen ms:   median {Median(latencies):F1}  worst {latencies.Max():F1}");
        Console.WriteLine($"    gaps: {string.Join(" ", gaps.Select(g => g.ToString("F1", CultureInfo.InvariantCulture)))}");
    }

    engine.Stop();
    return results.Any(r => r.Gaps.Length != transitions) ? 1 : 0;

}

static double Median(double[] values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}

/// <summary>One sample of the screen's centre.</summary>
internal readonly record struct CentreSample(TimeSpan At, Look Look);

/// <summary>Samples the centre of the screen on a thread of its own, about once a millisecond.</summary>
internal sealed class CentreSampler : IDisposable
{
    public const int Size = 32;

    private readonly X11Capture _capture;
    private readonly Thread _thread;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<CentreSample> _samples = [];
    private uint[] _latest = [];
    private long _count;
    private volatile bool _stopping;

    public CentreSampler(string display)
    {
        _capture = new X11Capture(display);
        _thread = new Thread(Run) { IsBackground = true, Name = "centre sampler", Priority = ThreadPriority.AboveNormal };
        _thread.Start();
    }

    /// <summary>The slate's centre pixels; until set, nothing is classified as the slate.</summary>
    public uint[]? Reference { get; set; }

    public TimeSpan Now => _clock.Elapsed;

    /// <summary>Samples per second so far.</summary>
    public double Rate => Interlocked.Read(ref _count) / _clock.Elapsed.TotalSeconds;

    public uint[] Latest()
    {
        lock (_samples)
        {
            return _latest;
        }
    }

    public List<CentreSample> Between(TimeSpan from, TimeSpan to)
    {
        lock (_samples)
        {
            return _samples.Where(s => s.At >= from && s.At <= to).ToList();
        }
    }

    /// <summary>Drops the samples before <paramref name="until"/> (keeps the list short).</summary>
    public void Forget(TimeSpan until)
    {
        lock (_samples)
        {
            _samples.RemoveAll(s => s.At < until);
        }
    }

    public async Task<CentreSample> WaitUntilAsync(Func<CentreSample, bool> condition, TimeSpan bound)
    {
        var deadline = _clock.Elapsed + bound;
        while (_clock.Elapsed < deadline)
        {
            lock (_samples)
            {
                foreach (var sample in _samples)
                {
                    if (condition(sample))
                    {
                        return sample;
                    }
                }
            }

            await Task.Delay(5);
        }

        throw new TimeoutException($"The screen's centre did not change as expected within {bound.TotalSeconds} s.");
    }

    public void Dispose()
    {
        _stopping = true;
        _thread.Join(TimeSpan.FromSeconds(5));
        _capture.Dispose();
    }

    /// <summary>How long one sample takes to read from the X server, on average.</summary>
    public double CaptureMilliseconds => _captureTime.TotalMilliseconds / Math.Max(1, Interlocked.Read(ref _count));

    private TimeSpan _captureTime;

    private void Run()
    {
        // About one sample a millisecond: a sample, then a sleep (≥ 1 ms on Linux) unless the sample itself was late.
        // No busy waiting: it would take the processor from libvlc and the X server, which are what is measured.
        var (x, y) = (_capture.Width / 2 - Size / 2, _capture.Height / 2 - Size / 2);
        var period = TimeSpan.FromMilliseconds(1);
        var next = _clock.Elapsed;
        while (!_stopping)
        {
            if (_clock.Elapsed < next)
            {
                Thread.Sleep(1);
            }

            next = _clock.Elapsed + period;
            var at = _clock.Elapsed;
            var pixels = _capture.Region(x, y, Size, Size);
            _captureTime += _clock.Elapsed - at;
            var look = Classify(pixels);
            lock (_samples)
            {
                _samples.Add(new CentreSample(at, look));
                _latest = pixels;
            }

            Interlocked.Increment(ref _count);
        }
    }

    private Look Classify(uint[] pixels)
    {
        var look = ScreenLooks.Classify(pixels);
        if (look is Look.Black or Look.Video or Look.Desktop || Reference is not { } reference)
        {
            return look;
        }

        // The slate is a still: the same pixels every frame (a little tolerance for scaling and colour conversion).
        long difference = 0;
        for (var i = 0; i < pixels.Length; i++)
        {
            for (var shift = 0; shift <= 16; shift += 8)
            {
                difference += Math.Abs((int)((pixels[i] >> shift) & 0xFF) - (int)((reference[i] >> shift) & 0xFF));
            }
        }

        return difference <= pixels.Length * 3 * 6 ? Look.Slate : Look.Other;
    }
}
