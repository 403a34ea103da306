using System.Net.Http.Json;
using AmvScreening.Player.Screen;
using AmvScreening.Player.Show;
using AmvScreening.Player.Vlc;
using AmvScreening.Protocol;
using AmvScreening.Slates;
using AmvScreening.Tests.Player.ScreenSupport;
using AmvScreening.Tests.Player.Vlc;
using AmvScreening.Tests.Support;
using Xunit.Abstractions;

namespace AmvScreening.Tests.Player;

/// <summary>A virtual X server (Xvfb) of the given size for the screen tests, its desktop painted magenta; DISPLAY
/// points at it for native code in this process while the tests run.</summary>
public abstract class XvfbFixtureOf(int width, int height) : IAsyncLifetime
{
    public XvfbDisplay Display { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Display = await XvfbDisplay.StartAsync(width, height);
        await Display.PaintRootAsync(ScreenLooks.RootColour);
        Display.UseInThisProcess();
    }

    public Task DisposeAsync()
    {
        Display.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>A 1280×720 X server: the projector window's tests.</summary>
public sealed class XvfbFixture() : XvfbFixtureOf(1280, 720);

/// <summary>
/// The projector window (<see cref="SdlScreen"/>) on a real X server (Xvfb) with libvlc drawing into it, watched the
/// way a person in the room would see it: the screen is sampled continuously straight from the X server, and the
/// desktop behind the window is painted magenta, so a single frame of it showing between items is caught.
/// </summary>
[Collection(LibVlcCollection.Name)]
public sealed class ScreenTests(XvfbFixture xvfb, ITestOutputHelper output) : IClassFixture<XvfbFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private const string ContestName = "Kumoricon 2024 AMV Contest";

    private static readonly EntrySummary First = new(
        11, 2, "Intensity", "全集中 (Total Concentration)", ["Akaza Cuts"], "LiSA", "紅蓮華", ["鬼滅の刃", "Jujutsu Kaisen"], "flashing lights");

    private static readonly EntrySummary Second = new(
        12, 2, "Intensity", "El Psy Kongroo", ["Okabe's Lab Assistant"], "Starset", "My Demons", ["Steins;Gate", "Steins;Gate 0"], null);

    [Fact]
    public async Task SlatesAndVideos_InTheFullscreenWindow_NeverUncoverTheDesktop()
    {
        var slates = new SvgSlateRenderer();
        var room = new RoomInfo("K7QX", "http://192.168.1.10:5000/v/K7QX");
        var clip = new MediaItem(await TestMedia.ClipAsync(seconds: 2, size: "1280x720"));
        MediaItem Slate(SlateKind kind, EntrySummary entry) =>
            new(slates.Render(new SlateData(kind, ContestName, entry.Category, entry, room)), StillFor: TimeSpan.FromSeconds(1.5));

        using var screen = SdlScreen.Open(new ScreenOptions());
        using var sampler = new ScreenSampler(xvfb.Display.Name);
        await sampler.WaitForAsync(Look.Black, Bound);
        var shown = new List<(string Phase, PlaybackResult Result)>();
        await using (var engine = new VlcEngine(new VlcEngineOptions { Muted = true }.DrawingInto(screen)))
        {
            foreach (var (phase, item) in new[]
                     {
                         ("intro 1", Slate(SlateKind.Intro, First)), ("video 1", clip), ("outro 1", Slate(SlateKind.Outro, First)),
                         ("video 2", clip), ("intro 2", Slate(SlateKind.Intro, Second)),
                     })
            {
                sampler.Phase = phase;
                shown.Add((phase, await engine.PlayAsync(item).WaitAsync(Bound)));
            }

            sampler.Phase = "engine disposed";
        }

        // libvlc leaves its last picture in the window; the screen takes it off.
        sampler.Phase = "cleared";
        screen.Clear();
        await sampler.WaitForAsync(Look.Black, Bound);
        var samples = sampler.Samples.SkipWhile(s => s.Look != Look.Black).ToList();
        Report(samples);

        Assert.All(shown, s => Assert.True(s.Result.End == PlaybackEnd.Ended, $"{s.Phase}: {s.Result}"));
        var desktop = samples.Where(s => s.Look == Look.Desktop).ToList();
        Assert.True(desktop.Count == 0,
            $"The desktop showed in {desktop.Count} of {samples.Count} samples, first at {desktop.FirstOrDefault().At.TotalMilliseconds:0} ms during '{desktop.FirstOrDefault().Phase}'.");
        foreach (var phase in new[] { "intro 1", "outro 1", "intro 2" })
        {
            Assert.Contains(samples, s => s.Phase == phase && s.Look == Look.Slate);
        }

        foreach (var phase in new[] { "video 1", "video 2" })
        {
            Assert.Contains(samples, s => s.Phase == phase && s.Look == Look.Video);
        }
    }

    [Fact]
    public async Task OutroSlate_OnTheProjector_CarriesAQrCodeOfTheJoinUrl_WithTheCurrentRoomCode()
    {
        using var server = new AmvServer(new Dictionary<string, string?> { ["Amv:PublicBaseUrl"] = "http://192.168.1.10:5000" });
        using var coordinator = await server.CreateStaffClientAsync();
        var room = (await coordinator.GetFromJsonAsync<RoomInfo>("/api/room"))!;
        var slates = new SvgSlateRenderer();
        var folder = Directory.CreateTempSubdirectory("amv-screen-").FullName;
        try
        {
            using var screen = SdlScreen.Open(new ScreenOptions());
            using var sampler = new ScreenSampler(xvfb.Display.Name);
            await using var engine = new VlcEngine(new VlcEngineOptions { Muted = true }.DrawingInto(screen));

            var intro = Path.Combine(folder, "player-intro.png");
            await ShowAsync(screen, engine, sampler, slates.Render(new SlateData(SlateKind.Intro, ContestName, First.Category, First, room)), intro);
            var outro = Path.Combine(folder, "player-outro.png");
            await ShowAsync(screen, engine, sampler, slates.Render(new SlateData(SlateKind.Outro, ContestName, First.Category, First, room)), outro);
            engine.Stop();

            var zbarimg = ExternalProcess.Require("zbarimg", "zbar-tools");
            var decoded = await ExternalProcess.RunAsync(zbarimg, ["--raw", "-q", outro], Bound);
            Keep(intro, outro);
            Assert.True(decoded.ExitCode == 0, $"zbarimg found no QR code in {outro} ({decoded.ExitCode}): {decoded.StandardError}");
            Assert.Equal(room.JoinUrl, decoded.StandardOutput.Trim());
            Assert.EndsWith("/v/" + room.Code, room.JoinUrl);

        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task WithoutTheScreen_LibvlcsOwnWindows_UncoverTheDesktop()
    {
        // The control experiment: what the projector shows when libvlc opens a window of its own for each item. The
        // sampler must see the desktop here, or the test above proves nothing.
        var slates = new SvgSlateRenderer();
        var slate = new MediaItem(slates.Render(new SlateData(SlateKind.Intro, ContestName, First.Category, First)), StillFor: TimeSpan.FromSeconds(1));
        var clip = new MediaItem(await TestMedia.ClipAsync(seconds: 2, size: "1280x720"));

        using var sampler = new ScreenSampler(xvfb.Display.Name);
        await sampler.WaitForAsync(Look.Desktop, Bound);
        await using (var engine = new VlcEngine(new VlcEngineOptions { Muted = true }))
        {
            foreach (var (phase, item) in new[] { ("slate", slate), ("video", clip), ("slate again", slate) })
            {
                sampler.Phase = phase;
                await engine.PlayAsync(item).WaitAsync(Bound);
            }
        }

        var samples = sampler.Samples;
        Report(samples);
        Assert.Contains(samples, s => s.Phase == "video" && s.Look == Look.Video);
        Assert.Contains(samples, s => s.Phase != "start" && s.Look == Look.Desktop);
    }

    [Fact]
    public async Task Keys_PressedInTheWindow_ArriveAsChars()
    {
        using var screen = SdlScreen.Open(new ScreenOptions());
        var keys = new List<char>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        screen.KeyPressed += key =>
        {
            lock (keys)
            {
                keys.Add(key);
            }

            if (key == '.')
            {
                done.TrySetResult();
            }
        };

        // Typed through the X server (XTEST), as a keyboard would: the window has the focus under the pointer.
        var xdotool = XvfbDisplay.Find("xdotool", "xdotool");
        var typed = await ExternalProcess.RunAsync(xdotool, ["mousemove", "640", "360", "key", "--delay", "20",
            "n", "space", "b", "shift+j", "Escape", "Return", "Right", "ctrl+q", "KP_3", "period"], Bound,
            environment: new Dictionary<string, string?> { ["DISPLAY"] = xvfb.Display.Name });
        Assert.True(typed.ExitCode == 0, typed.StandardError);
        await done.Task.WaitAsync(Bound);

        lock (keys)
        {
            Assert.Equal(['n', ' ', 'b', 'J', ScreenKeys.Escape, ScreenKeys.Enter, ScreenKeys.Right, '3', '.'], keys);
        }
    }

    [Fact]
    public async Task AKeyHandlerThatThrows_IsLoggedInThePlayersLog_AndTheNextKeyStillArrives()
    {
        var log = new LogLines();
        using var screen = SdlScreen.Open(new ScreenOptions(), log.CreateLogger("screen"));
        var next = new TaskCompletionSource<char>(TaskCreationOptions.RunContinuationsAsynchronously);
        screen.KeyPressed += key =>
        {
            if (key == 'x')
            {
                throw new InvalidOperationException("a broken handler");
            }

            next.TrySetResult(key);
        };

        var typed = await ExternalProcess.RunAsync(XvfbDisplay.Find("xdotool", "xdotool"), ["mousemove", "640", "360", "key", "--delay", "20", "x", "n"], Bound,
            environment: new Dictionary<string, string?> { ["DISPLAY"] = xvfb.Display.Name });
        Assert.True(typed.ExitCode == 0, typed.StandardError);

        Assert.Equal('n', await next.Task.WaitAsync(Bound));
        Assert.StartsWith("ERROR Screen: a KeyPressed handler failed", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispose_FromAKeyHandler_ClosesTheWindow()
    {
        var screen = SdlScreen.Open(new ScreenOptions());
        using var sampler = new ScreenSampler(xvfb.Display.Name);
        await sampler.WaitForAsync(Look.Black, Bound);
        screen.KeyPressed += key => screen.Dispose();

        var typed = await ExternalProcess.RunAsync(XvfbDisplay.Find("xdotool", "xdotool"), ["mousemove", "640", "360", "key", "q"], Bound,
            environment: new Dictionary<string, string?> { ["DISPLAY"] = xvfb.Display.Name });
        Assert.True(typed.ExitCode == 0, typed.StandardError);

        await sampler.WaitForAsync(Look.Desktop, Bound);
        screen.Dispose(); // from here: waits until SDL is shut down
        using var next = SdlScreen.Open();
        Assert.NotNull(next.XWindow);
    }

    [Fact]
    public async Task ClosingTheWindow_AsksToQuit_AndLeavesTheWindowUp()
    {
        using var screen = SdlScreen.Open(new ScreenOptions());
        var quit = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        screen.QuitRequested += () => quit.TrySetResult();
        using var x11 = new X11Capture(xvfb.Display.Name);

        x11.RequestClose(screen.XWindow!.Value);
        await quit.Task.WaitAsync(Bound);

        Assert.Equal(Look.Black, ScreenLooks.Classify(x11.Grid(64, 36)));
    }

    [Fact]
    public void Windowed_IsA1280x720WindowWithoutCursor_Black_OnTheDesktop()
    {
        using var screen = SdlScreen.Open(new ScreenOptions { Windowed = true, WindowWidth = 800, WindowHeight = 450 });
        using var x11 = new X11Capture(xvfb.Display.Name);

        Assert.Equal((800, 450), (screen.Bounds.Width, screen.Bounds.Height));
        Assert.True(screen.Windowed);
        Assert.Equal("x11", screen.VideoDriver);
        var (x, y) = (screen.Bounds.X, screen.Bounds.Y);
        Assert.All(x11.Region(x + 10, y + 10, 780, 430), p => Assert.Equal(0u, p));
        Assert.Equal(ScreenLooks.Root, x11.Region(2, 2, 1, 1)[0]);
        Assert.Equal(1280, new ScreenOptions().WindowWidth);
        Assert.Equal(720, new ScreenOptions().WindowHeight);
    }

    [Fact]
    public void Fullscreen_CoversTheWholeDisplay_AndGivesLibvlcItsWindow()
    {
        using var screen = SdlScreen.Open(new ScreenOptions { Display = 0 });
        using var x11 = new X11Capture(xvfb.Display.Name);

        Assert.Equal(new ScreenBounds(0, 0, 1280, 720), screen.Bounds);
        Assert.Equal(Look.Black, ScreenLooks.Classify(x11.Grid(64, 36)));
        var options = new VlcEngineOptions { Muted = true, Headless = true }.DrawingInto(screen);
        Assert.Equal(screen.XWindow, options.XWindow);
        Assert.False(options.Headless);
        Assert.True(options.Muted);
        Assert.Null(options.Hwnd);
    }

    [Fact]
    public void Open_OnADisplayThatIsNotThere_NamesTheOnesThatAre()
    {
        var e = Assert.Throws<ScreenException>(() => SdlScreen.Open(new ScreenOptions { Display = 2 }));

        Assert.Contains("There is no display 2", e.Message);
        Assert.Contains("1 display(s): 0: ", e.Message);
        Assert.Contains("1280×720 at 0,0", e.Message);
        Assert.Contains("--display", e.Message);
    }

    [Fact]
    public void Open_WithoutDisplay_SaysToSetDisplayOrUseHeadless()
    {
        XvfbDisplay.SetNativeDisplay(null);
        try
        {
            var e = Assert.Throws<ScreenException>(() => SdlScreen.Open());

            Assert.Contains("DISPLAY is not set", e.Message);
            Assert.Contains("--headless", e.Message);
        }
        finally
        {
            xvfb.Display.UseInThisProcess();
        }

        using var screen = SdlScreen.Open(); // and the next one opens
        Assert.NotNull(screen.XWindow);
    }

    [Fact]
    public void Open_TwiceAtOnce_IsRefused_AndDisposeMayBeRepeated()
    {
        var screen = SdlScreen.Open();
        Assert.Throws<InvalidOperationException>(() => SdlScreen.Open());

        screen.Dispose();
        screen.Dispose();
        using var again = SdlScreen.Open();
        Assert.NotNull(again.XWindow);
    }

    /// <summary>AMV_SCREENSHOTS=docs/screenshots keeps the screenshots (docs/player-screen.md shows them).</summary>
    private static void Keep(params string[] screenshots)
    {
        if (Environment.GetEnvironmentVariable("AMV_SCREENSHOTS") is { Length: > 0 } keep)
        {
            var target = Path.IsPathRooted(keep) ? keep : RepoPaths.Of(keep);
            Directory.CreateDirectory(target);
            foreach (var screenshot in screenshots)
            {
                File.Copy(screenshot, Path.Combine(target, Path.GetFileName(screenshot)), overwrite: true);
            }
        }
    }

    /// <summary>Clears the screen, puts a slate up until stopped, waits until it is on screen, and takes a screenshot.</summary>
    private async Task ShowAsync(SdlScreen screen, VlcEngine engine, ScreenSampler sampler, string slate, string screenshot)
    {
        sampler.Phase = "stopped";
        engine.Stop();
        screen.Clear();
        await sampler.WaitForAsync(Look.Black, Bound);
        sampler.Phase = Path.GetFileName(screenshot);
        var showing = engine.PlayAsync(new MediaItem(slate, StillFor: Timeout.InfiniteTimeSpan));
        await sampler.WaitForAsync(Look.Slate, Bound);
        await xvfb.Display.ScreenshotAsync(screenshot);
        Assert.False(showing.IsCompleted, $"the slate ended: {(showing.IsCompleted ? showing.Result : null)}");
    }

    private void Report(IReadOnlyList<ScreenSample> samples)
    {
        var duration = samples.Count > 1 ? samples[^1].At - samples[0].At : TimeSpan.Zero;
        output.WriteLine($"{samples.Count} samples in {duration.TotalSeconds:0.0} s ({samples.Count / Math.Max(duration.TotalSeconds, 0.001):0} per second)");
        foreach (var group in samples.GroupBy(s => s.Phase))
        {
            output.WriteLine($"  {group.Key}: {string.Join(", ", group.GroupBy(s => s.Look).Select(g => $"{g.Key} {g.Count()}"))}");
        }
    }
}

/// <summary>How SDL's keys become the chars <see cref="SdlScreen.KeyPressed"/> reports (no display needed).</summary>
[Trait("Kind", "Unit")]
public sealed class ScreenKeyTests
{
    private const int Keys = 1 << 30; // SDLK_SCANCODE_MASK
    private const ushort Shift = 0x0001, Caps = 0x2000, Ctrl = 0x0040, Alt = 0x0100, Gui = 0x0400;

    [Theory]
    [InlineData('n', 0, 'n')]
    [InlineData('n', Shift, 'N')]
    [InlineData('n', Caps, 'N')]
    [InlineData('n', Shift | Caps, 'n')]
    [InlineData(' ', 0, ' ')]
    [InlineData('7', Shift, '7')]
    [InlineData('\r', 0, ScreenKeys.Enter)]
    [InlineData(27, 0, ScreenKeys.Escape)]
    [InlineData(8, 0, ScreenKeys.Backspace)]
    [InlineData(Keys | 79, 0, ScreenKeys.Right)]
    [InlineData(Keys | 80, 0, ScreenKeys.Left)]
    [InlineData(Keys | 81, 0, ScreenKeys.Down)]
    [InlineData(Keys | 82, 0, ScreenKeys.Up)]
    [InlineData(Keys | 88, 0, ScreenKeys.Enter)]
    [InlineData(Keys | 89, 0, '1')]
    [InlineData(Keys | 97, 0, '9')]
    [InlineData(Keys | 98, 0, '0')]
    public void Key_BecomesItsChar(int sym, ushort mod, char expected) => Assert.Equal(expected, SdlScreen.KeyToChar(sym, mod));

    [Theory]
    [InlineData('q', Ctrl)]
    [InlineData('q', Alt)]
    [InlineData('q', Gui)]
    [InlineData(Keys | 58, 0)] // F1
    [InlineData(Keys | 57, 0)] // caps lock itself
    public void Key_WithoutAChar_OrWithAModifier_IsIgnored(int sym, ushort mod) => Assert.Null(SdlScreen.KeyToChar(sym, mod));
}
