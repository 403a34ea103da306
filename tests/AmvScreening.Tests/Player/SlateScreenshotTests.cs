using System.Globalization;
using System.Xml.Linq;
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

/// <summary>A 1920×1080 virtual X server, so that a screenshot's pixels are the slate's own (no scaling).</summary>
public sealed class FullHdXvfbFixture() : XvfbFixtureOf(SlateTemplate.Width, SlateTemplate.Height);

/// <summary>
/// The slates as the projector shows them (the fullscreen window, libvlc drawing the SVG through librsvg, on a
/// 1920×1080 X server), for the titles that went wrong before: emoji, 150 characters, Japanese, Hebrew and Arabic.
/// Each slate is shown twice, as rendered and with every text removed; the difference is the ink of the text. No ink
/// may lie in the 140 px side margins or the outer 80 px at the top and bottom (docs/slates.md), no glyph may be
/// drawn as a missing-glyph box (found by its shape; a title of unassigned code points proves the finder sees them),
/// and the title's lines break only between words.
/// </summary>
[Collection(LibVlcCollection.Name)]
public sealed class SlateScreenshotTests(FullHdXvfbFixture xvfb, ITestOutputHelper output) : IClassFixture<FullHdXvfbFixture>, IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private static readonly XNamespace Svg = SlateTemplate.Svg;
    private const string ContestName = "Kumoricon 2024 AMV Contest";
    private const int SideMargin = 140, TopBottomMargin = 80;
    private static readonly RoomInfo Room = new("K7QX", "https://amv.kumoricon.org/v/K7QX");

    /// <summary>150 characters of ordinary words, with a long one near the end of a line.</summary>
    private const string LongTitle =
        "Shrinking, Really: The Unbearable Lightness of Being a Side Character in Someone Else's Tournament Arc, Told Through Supercalifragilistic Montage Edit";

    private static readonly Dictionary<string, EntrySummary> Entries = new()
    {
        ["emoji"] = SlateRendererTests.Entry("Fire & Ice 🔥❄️ Best Friends 👩‍👩‍👧 Forever 🇯🇵 Round 1️⃣ ✨", editors: ["Ren 😎", "Mirai 🌸"]),
        ["long"] = SlateRendererTests.Entry(LongTitle, editors: ["NightOwl AMVs", "Mirai", "PixelPusher"]),
        ["cjk"] = SlateRendererTests.Entry("君の名は。回国田口囲 ― 星の降る夜に、とある科学の超電磁砲と進撃の巨人と鬼滅の刃の物語", editors: ["ユキ", "風スタジオ"]),
        ["rtl"] = SlateRendererTests.Entry("שלום עולם: הסיפור של חברים", editors: ["محمد الأحمد", "נועה כהן"], sources: ["ناروتو"]),
    };

    public static TheoryData<string> Titles => new(Entries.Keys);

    private readonly string _folder = Directory.CreateTempSubdirectory("amv-slate-shots-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [MemberData(nameof(Titles))]
    public async Task IntroAndOutro_OnTheProjector_DrawEveryGlyph_InsideTheSafeMargin_WithoutBreakingAWord(string name)
    {
        var entry = Entries[name];
        Assert.Equal(150, LongTitle.Length);
        var slates = new SvgSlateRenderer(outputFolder: Path.Combine(_folder, "out"));
        using var projector = await Projector.OpenAsync(xvfb.Display);
        foreach (var kind in new[] { SlateKind.Intro, SlateKind.Outro })
        {
            var label = $"{kind.ToString().ToLowerInvariant()}-{name}";
            var slate = slates.Render(new SlateData(kind, ContestName, entry.Category, entry, Room));
            var ink = await InkAsync(projector, slate, label);

            var outside = ink.FirstOutside(SideMargin, TopBottomMargin);
            Assert.True(outside is null, $"{label}: text drawn at {outside} — outside the safe area ({SideMargin} px at the sides, {TopBottomMargin} px at the top and bottom)");
            var boxes = MissingGlyphBoxes.Find(ink);
            Assert.True(boxes.Count == 0, $"{label}: {boxes.Count} missing-glyph box(es), the first at {boxes.FirstOrDefault()}");

            var title = XDocument.Load(slate).Descendants(Svg + "text").Single(t => (string?)t.Attribute("id") == "title");
            var lines = title.Elements(Svg + "tspan").Select(s => s.Value.TrimEnd(SlateTextLayout.RightToLeftMark)).ToList();
            var size = double.Parse((string)title.Attribute("font-size")!, CultureInfo.InvariantCulture);
            var maxWidth = double.Parse((string)title.Attribute("data-max-width")!, CultureInfo.InvariantCulture);
            output.WriteLine($"{label}: {size} px, [{string.Join(" | ", lines)}]");
            SlateLineBreakTests.AssertBreaksAllowed(DisplayText.OneLine(entry.Title), new SlateTextFit.Layout(lines, size), maxWidth, label);
            Assert.DoesNotContain("…", string.Concat(lines), StringComparison.Ordinal); // every title here fits whole
        }
    }

    [Fact]
    public async Task MissingGlyphBoxes_AreFound_WhenAFontLacksTheCharacters()
    {
        // The control: code points no font has (a private-use one, two unassigned ones) are drawn as boxes holding
        // their hex code; the finder must see every one, and none in Japanese characters that are boxes themselves.
        var slates = new SvgSlateRenderer(outputFolder: Path.Combine(_folder, "out"));
        using var projector = await Projector.OpenAsync(xvfb.Display);

        var tofu = await InkAsync(projector, slates.Render(new SlateData(SlateKind.Intro, ContestName,
            Entry: SlateRendererTests.Entry("Tofu \U0010FFFD\U0010FFFD \u0378\u0378 \uE000"))), "intro-tofu");
        var kanji = await InkAsync(projector, slates.Render(new SlateData(SlateKind.Intro, ContestName,
            Entry: SlateRendererTests.Entry("回国田口囲 日目四 円 凹凸"))), "intro-boxlike-kanji");

        Assert.Equal(5, MissingGlyphBoxes.Find(tofu).Count);
        Assert.Empty(MissingGlyphBoxes.Find(kanji));
    }

    [Fact]
    public async Task EndCard_OnTheProjector_CarriesAQrCodeOfTheRoomsPage_WhereTheResultsAppear()
    {
        var slates = new SvgSlateRenderer(outputFolder: Path.Combine(_folder, "out"));
        using var projector = await Projector.OpenAsync(xvfb.Display);
        var screenshot = Path.Combine(_folder, "player-end.png");

        await projector.ShowAsync(slates.Render(new SlateData(SlateKind.End, ContestName, Room: Room)));
        await xvfb.Display.ScreenshotAsync(screenshot);

        var zbarimg = ExternalProcess.Require("zbarimg", "zbar-tools");
        var decoded = await ExternalProcess.RunAsync(zbarimg, ["--raw", "-q", screenshot], Bound);
        Keep(screenshot);
        Assert.True(decoded.ExitCode == 0, $"zbarimg found no QR code on the end card ({decoded.ExitCode}): {decoded.StandardError}");
        Assert.Equal(Room.JoinUrl, decoded.StandardOutput.Trim());
    }

    /// <summary>Shows the slate and the same slate without its texts; the pixels that differ are the texts' ink.</summary>
    private async Task<Ink> InkAsync(Projector projector, string slate, string label)
    {
        var document = XDocument.Load(slate);
        document.Descendants(Svg + "text").Remove();
        var textless = Path.Combine(_folder, label + "-textless.svg");
        File.WriteAllText(textless, SlateTemplate.XmlDeclaration + "\n" + document.Root);

        var with = await projector.ShowAsync(slate);
        var screenshot = Path.Combine(_folder, $"player-{label}.png");
        await xvfb.Display.ScreenshotAsync(screenshot);
        Keep(screenshot);
        var without = await projector.ShowAsync(textless);
        return Ink.Between(with, without, SlateTemplate.Width, SlateTemplate.Height);
    }

    /// <summary>AMV_SCREENSHOTS=docs/slates keeps the screenshots.</summary>
    private static void Keep(string screenshot)
    {
        if (Environment.GetEnvironmentVariable("AMV_SCREENSHOTS") is { Length: > 0 } keep)
        {
            var target = Path.IsPathRooted(keep) ? keep : RepoPaths.Of(keep);
            Directory.CreateDirectory(target);
            File.Copy(screenshot, Path.Combine(target, Path.GetFileName(screenshot)), overwrite: true);
        }
    }

    /// <summary>The fullscreen window with libvlc drawing into it, and the screen read straight from the X server.</summary>
    private sealed class Projector : IDisposable
    {
        private readonly SdlScreen _screen;
        private readonly VlcEngine _engine;
        private readonly ScreenSampler _sampler;
        private readonly X11Capture _capture;
        private Task<PlaybackResult>? _showing;

        private Projector(SdlScreen screen, XvfbDisplay display)
        {
            _screen = screen;
            _sampler = new ScreenSampler(display.Name);
            _capture = new X11Capture(display.Name);
            _engine = new VlcEngine(new VlcEngineOptions { Muted = true }.DrawingInto(screen));
        }

        public static async Task<Projector> OpenAsync(XvfbDisplay display)
        {
            var projector = new Projector(SdlScreen.Open(new ScreenOptions()), display);
            await projector._sampler.WaitForAsync(Look.Black, Bound);
            return projector;
        }

        /// <summary>Clears the screen, shows the slate until the next one, and returns the screen's pixels once it is up.</summary>
        public async Task<uint[]> ShowAsync(string slate)
        {
            _engine.Stop();
            if (_showing is not null)
            {
                await _showing.WaitAsync(Bound);
            }

            _screen.Clear();
            await _sampler.WaitForAsync(Look.Black, Bound);
            _showing = _engine.PlayAsync(new MediaItem(slate, StillFor: Timeout.InfiniteTimeSpan));
            await _sampler.WaitForAsync(Look.Slate, Bound);
            Assert.False(_showing.IsCompleted, $"the slate {slate} ended: {(_showing.IsCompleted ? _showing.Result : null)}");
            return _capture.Region(0, 0, _capture.Width, _capture.Height);
        }

        public void Dispose()
        {
            _engine.Stop();
            _engine.DisposeAsync().AsTask().Wait(Bound);
            _sampler.Dispose();
            _capture.Dispose();
            _screen.Dispose();
        }
    }
}

/// <summary>Where a slate's texts put ink: the pixels of a screenshot that differ clearly from the same slate without
/// its texts.</summary>
public sealed class Ink
{
    private readonly bool[] _ink;

    private Ink(bool[] ink, int width, int height) => (_ink, Width, Height) = (ink, width, height);

    public int Width { get; }

    public int Height { get; }

    public bool this[int x, int y] => x >= 0 && y >= 0 && x < Width && y < Height && _ink[y * Width + x];

    public static Ink Between(uint[] with, uint[] without, int width, int height)
    {
        Assert.Equal(width * height, with.Length);
        var ink = new bool[with.Length];
        for (var i = 0; i < ink.Length; i++)
        {
            uint a = with[i], b = without[i];
            var difference = Math.Max(Math.Abs((int)(a >> 16 & 0xFF) - (int)(b >> 16 & 0xFF)),
                Math.Max(Math.Abs((int)(a >> 8 & 0xFF) - (int)(b >> 8 & 0xFF)), Math.Abs((int)(a & 0xFF) - (int)(b & 0xFF))));
            ink[i] = difference > 64;
        }

        return new Ink(ink, width, height);
    }

    /// <summary>The first inked pixel (x, y) closer than the margins to an edge, or null.</summary>
    public (int X, int Y)? FirstOutside(int side, int topBottom)
    {
        for (var y = 0; y < Height; y++)
        {
            for (var x = 0; x < Width; x++)
            {
                if (this[x, y] && (x < side || x >= Width - side || y < topBottom || y >= Height - topBottom))
                {
                    return (x, y);
                }
            }
        }

        return null;
    }
}

/// <summary>
/// Finds Pango's missing-glyph boxes in ink: a thin rectangular frame (its stroke at most 7 % of its height, unlike
/// any bold or regular CJK character shaped like a box, whose strokes are far thicker) with the hex digits of the code
/// point inside, apart from the frame.
/// </summary>
public static class MissingGlyphBoxes
{
    public static IReadOnlyList<(int X, int Y)> Find(Ink ink)
    {
        var seen = new bool[ink.Width * ink.Height];
        var found = new List<(int, int)>();
        for (var y = 0; y < ink.Height; y++)
        {
            for (var x = 0; x < ink.Width; x++)
            {
                if (ink[x, y] && !seen[y * ink.Width + x])
                {
                    var component = Component(ink, seen, x, y);
                    if (IsBox(ink, component))
                    {
                        found.Add((x, y));
                    }
                }
            }
        }

        return found;
    }

    private static HashSet<int> Component(Ink ink, bool[] seen, int x0, int y0)
    {
        var pixels = new HashSet<int>();
        var queue = new Queue<(int X, int Y)>([(x0, y0)]);
        seen[y0 * ink.Width + x0] = true;
        while (queue.TryDequeue(out var p))
        {
            pixels.Add(p.Y * ink.Width + p.X);
            foreach (var (dx, dy) in new[] { (1, 0), (-1, 0), (0, 1), (0, -1) })
            {
                int x = p.X + dx, y = p.Y + dy;
                if (ink[x, y] && !seen[y * ink.Width + x])
                {
                    seen[y * ink.Width + x] = true;
                    queue.Enqueue((x, y));
                }
            }
        }

        return pixels;
    }

    private static bool IsBox(Ink ink, HashSet<int> component)
    {
        int left = int.MaxValue, top = int.MaxValue, right = 0, bottom = 0;
        foreach (var p in component)
        {
            int x = p % ink.Width, y = p / ink.Width;
            (left, right, top, bottom) = (Math.Min(left, x), Math.Max(right, x), Math.Min(top, y), Math.Max(bottom, y));
        }

        int w = right - left + 1, h = bottom - top + 1;
        if (w < 10 || h < 14)
        {
            return false;
        }

        bool In(int x, int y) => component.Contains(y * ink.Width + x);

        // Each side a solid, thin stroke: along the middle half of each side, the run of frame pixels from the edge.
        var runs = new List<int>();
        for (var y = top + h / 4; y < bottom - h / 4; y++)
        {
            runs.Add(Run(x => In(left + x, y), w));
            runs.Add(Run(x => In(right - x, y), w));
        }

        for (var x = left + w / 4; x < right - w / 4; x++)
        {
            runs.Add(Run(y => In(x, top + y), h));
            runs.Add(Run(y => In(x, bottom - y), h));
        }

        if (runs.Count == 0 || runs.Any(r => r == 0))
        {
            return false;
        }

        runs.Sort();
        var thickness = runs[runs.Count / 2];
        if (thickness > Math.Max(2, 0.07 * h))
        {
            return false;
        }

        // Something inside, apart from the frame: the digits.
        var inset = thickness + 2;
        var inside = 0;
        for (var y = top + inset; y <= bottom - inset; y++)
        {
            for (var x = left + inset; x <= right - inset; x++)
            {
                if (ink[x, y] && !In(x, y))
                {
                    inside++;
                }
            }
        }

        return inside >= 0.03 * (w - 2 * inset) * (h - 2 * inset);
    }

    private static int Run(Func<int, bool> inked, int limit)
    {
        var n = 0;
        while (n < limit && inked(n))
        {
            n++;
        }

        return n;
    }
}
