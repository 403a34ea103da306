using System.Globalization;
using System.Text;
using System.Xml.Linq;
using AmvScreening.Protocol;
using AmvScreening.Slates;
using AmvScreening.Tests.Support;

namespace AmvScreening.Tests.Player;

/// <summary>The SVG slates: filled templates, escaping, text fitting, the template override, and the QR code read
/// back from a real rendering (rsvg-convert + zbarimg).</summary>
public sealed class SlateRendererTests : IDisposable
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private const string JoinUrl = "https://amv.example.org/v/K7QX";
    private const string ContestName = "Kumoricon 2024 AMV Contest";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "amv-slate-tests-" + Guid.NewGuid().ToString("N"));
    private readonly LogLines _log = new();

    public SlateRendererTests() => Directory.CreateDirectory(_folder);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    internal static EntrySummary Entry(
        string title = "Ignite", string? contentNote = null, IReadOnlyList<string>? editors = null, IReadOnlyList<string>? sources = null) =>
        new(7, 2, "Intensity", title, editors ?? ["Ren"], "Ado", "Usseewa", sources ?? ["Chainsaw Man"], contentNote);

    internal static readonly RoomInfo Room = new("K7QX", JoinUrl);

    private SvgSlateRenderer Renderer(string? templates = null, int keep = SvgSlateRenderer.DefaultKeep) =>
        new(templates, Path.Combine(_folder, "out"), _log.CreateLogger("slates"), keep);

    private static XDocument Parse(string path)
    {
        var text = File.ReadAllText(path, Encoding.UTF8);
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", text, StringComparison.Ordinal);
        return XDocument.Parse(text);
    }

    private static XElement ById(XDocument document, string id) =>
        document.Descendants().SingleOrDefault(e => (string?)e.Attribute("id") == id)
        ?? throw new Xunit.Sdk.XunitException($"no element with id=\"{id}\" in the slate");

    /// <summary>The text's lines as laid out: its tspans, or its own text when it has none.</summary>
    private static List<string> Lines(XElement text)
    {
        var spans = text.Elements(Svg + "tspan").ToList();
        return spans.Count > 0 ? spans.Select(s => s.Value).ToList() : [text.Value];
    }

    private static double FontSize(XElement text) => double.Parse((string)text.Attribute("font-size")!, CultureInfo.InvariantCulture);

    public static TheoryData<SlateKind> AllKinds() => new(Enum.GetValues<SlateKind>());

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void Every_kind_writes_a_1920x1080_svg_that_starts_with_the_xml_declaration(SlateKind kind)
    {
        var path = Renderer().Render(new SlateData(kind, ContestName, "Intensity", Entry(), Room, "Best In Show", "Back in ten minutes"));

        Assert.True(Path.IsPathFullyQualified(path));
        Assert.EndsWith(".svg", path, StringComparison.Ordinal);
        var document = Parse(path);
        Assert.Equal(Svg + "svg", document.Root!.Name);
        Assert.Equal("1920", (string?)document.Root.Attribute("width"));
        Assert.Equal("1080", (string?)document.Root.Attribute("height"));
        Assert.DoesNotContain("{{", File.ReadAllText(path), StringComparison.Ordinal);
        Assert.Equal("", _log.ToString());
    }

    [Fact]
    public void User_text_is_escaped_and_round_trips_through_an_xml_parser()
    {
        const string title = "Tom & Jerry <3 \"quoted\" 'apostrophes' ]]> 🎉✨";
        var entry = Entry(title, contentNote: "Strobe <b>& flashes</b>", editors: ["A&B <Studio>"]);

        var path = Renderer().Render(new SlateData(SlateKind.Intro, "Con & <Co>", Entry: entry));

        var raw = File.ReadAllText(path, Encoding.UTF8);
        Assert.Contains("Tom &amp; Jerry &lt;3", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("<Studio>", raw, StringComparison.Ordinal);
        var document = Parse(path);
        Assert.Equal(title, string.Join(" ", Lines(ById(document, "title"))));
        Assert.Equal("Strobe <b>& flashes</b>", ById(document, "contentNote").Value);
        Assert.Equal("A&B <Studio>", ById(document, "editors").Value);
        Assert.Equal("CON & <CO>", ById(document, "contest").Value);
    }

    [Fact]
    public void Japanese_text_is_written_as_is()
    {
        var entry = Entry("君の名は。― 星の降る夜に", editors: ["ユキ", "Kaze Studio"], sources: ["君の名は。", "天気の子"]) with
        {
            MusicArtist = "RADWIMPS", MusicTitle = "スパークル", Category = "ドラマ",
        };

        var document = Parse(Renderer().Render(new SlateData(SlateKind.Intro, ContestName, Entry: entry)));

        Assert.Equal("君の名は。― 星の降る夜に", string.Concat(Lines(ById(document, "title"))));
        Assert.Equal("ユキ & Kaze Studio", ById(document, "editors").Value);
        Assert.Equal("RADWIMPS \u2013 スパークル", ById(document, "music").Value);
        Assert.Equal("君の名は。 / 天気の子", ById(document, "sources").Value);
        Assert.Equal("ドラマ", ById(document, "category").Value);
    }

    [Theory]
    [InlineData(SlateKind.Intro)]
    [InlineData(SlateKind.Outro)]
    [InlineData(SlateKind.Winner)]
    public void A_long_title_gets_a_smaller_font_or_more_lines_and_stays_inside_its_box(SlateKind kind)
    {
        const string longTitle = "The Unbearable Lightness of Being a Side Character in Someone Else's Shōnen Tournament Arc";
        var renderer = Renderer();

        var shortTitle = ById(Parse(renderer.Render(new SlateData(kind, ContestName, Entry: Entry("Ignite"), Room: Room))), "title");
        var longOne = ById(Parse(renderer.Render(new SlateData(kind, ContestName, Entry: Entry(longTitle), Room: Room))), "title");

        Assert.Single(Lines(shortTitle));
        Assert.True(Lines(longOne).Count > 1, "the long title wraps");
        Assert.True(FontSize(longOne) < FontSize(shortTitle), $"the long title is smaller ({FontSize(longOne)} vs {FontSize(shortTitle)})");
        Assert.Equal(longTitle, string.Join(" ", Lines(longOne)));
        foreach (var title in new[] { shortTitle, longOne })
        {
            AssertInsideBox(title);
        }
    }

    [Fact]
    public void Every_fitted_text_of_every_slate_stays_inside_its_box_even_with_huge_input()
    {
        var huge = string.Concat(Enumerable.Repeat("Supercalifragilistic 超電磁砲 ", 40));
        var entry = Entry(huge, contentNote: huge, editors: Enumerable.Repeat("Somebody Longname", 30).ToList(), sources: [huge]) with
        {
            MusicArtist = huge, MusicTitle = huge, Category = huge,
        };
        var renderer = Renderer();
        foreach (var kind in Enum.GetValues<SlateKind>())
        {
            var document = Parse(renderer.Render(new SlateData(kind, huge, huge, entry, new RoomInfo("K7QX", JoinUrl), huge, huge)));
            foreach (var text in document.Descendants(Svg + "text").Where(t => t.Attribute("data-max-width") is not null))
            {
                AssertInsideBox(text);
            }
        }
    }

    private static void AssertInsideBox(XElement text)
    {
        var maxWidth = double.Parse((string)text.Attribute("data-max-width")!, CultureInfo.InvariantCulture);
        var maxLines = int.Parse((string?)text.Attribute("data-max-lines") ?? "1", CultureInfo.InvariantCulture);
        var letterSpacing = double.Parse((string?)text.Attribute("letter-spacing") ?? "0", CultureInfo.InvariantCulture);
        var lines = Lines(text);
        Assert.InRange(lines.Count, 1, maxLines);
        foreach (var line in lines)
        {
            var width = SlateTextFit.EstimateWidthPx(line, FontSize(text), letterSpacing);
            Assert.True(width <= maxWidth + 0.5, $"'{line}' is {width:0} px wide in a {maxWidth} px box ({text.Attribute("id")})");
        }

        if (text.Attribute("data-max-height") is { } maxHeight)
        {
            var lineHeight = double.Parse((string?)text.Attribute("data-line-height") ?? "1.15", CultureInfo.InvariantCulture);
            Assert.True(lines.Count * FontSize(text) * lineHeight <= double.Parse(maxHeight.Value, CultureInfo.InvariantCulture) + 0.5);
        }
    }

    [Fact]
    public void The_content_note_is_shown_only_when_there_is_one()
    {
        var renderer = Renderer();

        var without = Parse(renderer.Render(new SlateData(SlateKind.Intro, ContestName, Entry: Entry(contentNote: null))));
        var blank = Parse(renderer.Render(new SlateData(SlateKind.Intro, ContestName, Entry: Entry(contentNote: "  \n "))));
        var with = Parse(renderer.Render(new SlateData(SlateKind.Intro, ContestName, Entry: Entry(contentNote: "Flashing lights"))));

        foreach (var document in new[] { without, blank })
        {
            Assert.DoesNotContain(document.Descendants(), e => (string?)e.Attribute("data-if") == "contentNote");
            Assert.DoesNotContain("CONTENT NOTE", document.Root!.Value, StringComparison.Ordinal);
        }

        Assert.Contains("CONTENT NOTE", with.Root!.Value, StringComparison.Ordinal);
        Assert.Equal("Flashing lights", ById(with, "contentNote").Value);
    }

    [Fact]
    public void An_outro_without_a_room_has_no_qr_code_and_no_url()
    {
        var document = Parse(Renderer().Render(new SlateData(SlateKind.Outro, ContestName, Entry: Entry())));

        Assert.DoesNotContain(document.Descendants(), e => (string?)e.Attribute("id") is "qr" or "shortUrl" or "roomCode");
        Assert.Contains("Vote now", document.Root!.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void A_coordinator_template_overrides_its_default_and_the_others_fall_back()
    {
        var templates = Directory.CreateDirectory(Path.Combine(_folder, "templates")).FullName;
        File.WriteAllText(Path.Combine(templates, "intro.svg"), """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" width="1920" height="1080" viewBox="0 0 1920 1080">
              <title>Our own intro</title>
              <text id="title" x="100" y="500" font-size="90">Next: {{title}} by {{editors}}</text>
            </svg>
            """);
        var renderer = Renderer(templates);

        var intro = Parse(renderer.Render(new SlateData(SlateKind.Intro, ContestName, Entry: Entry())));
        var outro = Parse(renderer.Render(new SlateData(SlateKind.Outro, ContestName, Entry: Entry(), Room: Room)));

        Assert.Equal("Our own intro", intro.Root!.Element(Svg + "title")!.Value);
        Assert.Equal("Next: Ignite by Ren", ById(intro, "title").Value);
        Assert.Equal("Outro slate", outro.Root!.Element(Svg + "title")!.Value);
        Assert.Equal("", _log.ToString());
    }

    [Theory]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\"><text>{{title}}")]
    [InlineData("<html><body>not a slate</body></html>")]
    [InlineData("")]
    [InlineData("<?xml version=\"1.0\"?><!DOCTYPE svg [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">]><svg xmlns=\"http://www.w3.org/2000/svg\"><text>&d;&d;&d;</text></svg>")]
    public void A_broken_coordinator_template_falls_back_to_the_default_with_a_warning(string content)
    {
        var templates = Directory.CreateDirectory(Path.Combine(_folder, "templates")).FullName;
        File.WriteAllText(Path.Combine(templates, "outro.svg"), content);

        var path = Renderer(templates).Render(new SlateData(SlateKind.Outro, ContestName, Entry: Entry(), Room: Room));

        Assert.Equal("Outro slate", Parse(path).Root!.Element(Svg + "title")!.Value);
        Assert.Contains("outro.svg", _log.ToString(), StringComparison.Ordinal);
        Assert.Contains("falling back", _log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_defaults_fall_back_to_a_built_in_slate_that_still_carries_the_qr_code()
    {
        var renderer = new SvgSlateRenderer(null, Path.Combine(_folder, "out"), _log.CreateLogger("slates"))
        {
            DefaultsFolder = Path.Combine(_folder, "no-such-folder"),
        };

        var document = Parse(renderer.Render(new SlateData(SlateKind.Outro, ContestName, Entry: Entry(), Room: Room)));

        Assert.Contains("Vote now", document.Root!.Value, StringComparison.Ordinal);
        Assert.Contains("Ignite", document.Root.Value, StringComparison.Ordinal);
        Assert.Equal("g", ById(document, "qr").Name.LocalName);
        Assert.Contains("missing", _log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Template_rules_inkscape_style_text_data_if_negation_and_unknown_placeholders()
    {
        var templates = Directory.CreateDirectory(Path.Combine(_folder, "templates")).FullName;
        File.WriteAllText(Path.Combine(templates, "winner.svg"), """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd"
                 width="508mm" height="285.75mm" viewBox="0 0 1920 1080">
              <text xml:space="preserve" id="title" x="960" y="500" style="font-size:120px;line-height:1.25;text-anchor:middle"
                    data-max-width="800" data-max-lines="2" data-valign="bottom"><tspan sodipodi:role="line" id="tspan1" x="960" y="500"
                    style="font-weight:bold;font-size:120px;fill:#ffffff">{{title}}</tspan></text>
              <text id="prize" x="0" y="100" data-if="prize">{{ prize }}</text>
              <text id="noMessage" x="0" y="200" data-if="!message">No message</text>
              <text id="both" x="0" y="300" data-if="prize message">Both</text>
              <text id="typo" x="0" y="400">[{{tittle}}]</text>
            </svg>
            """);

        var document = Parse(Renderer(templates).Render(new SlateData(SlateKind.Winner, ContestName,
            Entry: Entry("A Title Long Enough To Need Two Lines Here"), Prize: "Best In Show")));

        Assert.Equal("1920", (string?)document.Root!.Attribute("width"));
        Assert.Equal("0 0 1920 1080", (string?)document.Root.Attribute("viewBox"));
        var title = ById(document, "title");
        var spans = title.Elements(Svg + "tspan").ToList();
        Assert.Equal(2, spans.Count);
        Assert.All(spans, span => Assert.Contains("font-weight:bold", (string?)span.Attribute("style"), StringComparison.Ordinal));
        Assert.All(spans, span => Assert.Equal("960", (string?)span.Attribute("x")));
        Assert.Equal("500", (string?)spans[^1].Attribute("y"));
        Assert.Contains($"font-size:{title.Attribute("font-size")!.Value}px", (string?)spans[0].Attribute("style"), StringComparison.Ordinal);
        AssertInsideBox(title);
        Assert.Equal("Best In Show", ById(document, "prize").Value);
        Assert.Equal("No message", ById(document, "noMessage").Value);
        Assert.DoesNotContain(document.Descendants(), e => (string?)e.Attribute("id") == "both");
        Assert.Equal("[]", ById(document, "typo").Value);
        Assert.Contains("{{tittle}}", _log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_input_never_crashes_and_makes_valid_xml()
    {
        var nasty = "a\u0001b\u0000c\uD800d\uDFFFe\uFFFF\u001Bf\ttab\r\nnewline \u200D\uFE0F " + new string('x', 5000);
        var entry = new EntrySummary(1, 1, null!, nasty, [nasty, "", "   "], null!, nasty, null!, nasty);
        var renderer = Renderer();
        foreach (var kind in Enum.GetValues<SlateKind>())
        {
            Parse(renderer.Render(new SlateData(kind, nasty, nasty, entry, new RoomInfo(nasty, nasty), nasty, nasty)));
            Parse(renderer.Render(new SlateData(kind, null!)));
            Parse(renderer.Render(new SlateData(kind, "")));
        }

        Parse(renderer.Render(null!));
    }

    [Fact]
    public void Each_render_gets_its_own_file_and_only_the_last_ones_are_kept()
    {
        var renderer = Renderer(keep: 5);
        var paths = Enumerable.Range(0, 12)
            .Select(i => renderer.Render(new SlateData(SlateKind.Intro, ContestName, Entry: Entry($"Entry {i}"))))
            .ToList();

        Assert.Equal(paths.Count, paths.Distinct().Count());
        Assert.All(paths.TakeLast(5), path => Assert.True(File.Exists(path), path));
        Assert.All(paths.Take(7), path => Assert.False(File.Exists(path), path));
        Assert.Equal(5, Directory.GetFiles(renderer.OutputFolder).Length);
    }

    [Fact]
    public async Task The_outro_qr_code_decodes_to_the_join_url()
    {
        var path = Renderer().Render(new SlateData(SlateKind.Outro, ContestName, Entry: Entry("君の名は。"), Room: Room));

        var png = await SlateImages.RenderPngAsync(path, Path.Combine(_folder, "outro.png"), width: 1920);
        Assert.Equal(JoinUrl, await SlateImages.DecodeQrAsync(png));
    }

    [Theory]
    [InlineData(SlateKind.Intermission)]
    [InlineData(SlateKind.End)]
    public async Task The_small_qr_codes_on_the_intermission_and_end_cards_decode_too(SlateKind kind)
    {
        var longUrl = "https://screening.kumoricon.example.org/v/K7QX2ABC";
        var path = Renderer().Render(new SlateData(kind, ContestName, Room: new RoomInfo("K7QX2ABC", longUrl)));

        // At half size: the small code must not be so dense that it needs every pixel of the projector.
        var png = await SlateImages.RenderPngAsync(path, Path.Combine(_folder, $"{kind}.png"), width: 960);
        Assert.Equal(longUrl, await SlateImages.DecodeQrAsync(png));
    }

    /// <summary>librsvg orders right-to-left text itself; the layout ends a Hebrew line with a right-to-left mark so
    /// that its final punctuation stands at its left end. The title, drawn as the slate has it, must be exactly the
    /// picture of its characters reversed and drawn strictly left to right, and differ from its characters drawn in
    /// stored order (the control).</summary>
    [Theory]
    [InlineData("שלום עולם!")]
    [InlineData("הסיפור של חברים.")]
    public async Task A_hebrew_title_is_drawn_right_to_left_with_its_final_punctuation_at_its_left_end(string title)
    {
        var slate = Parse(Renderer().Render(new SlateData(SlateKind.Intro, ContestName, Entry: Entry(title))));
        var line = ById(slate, "title").Elements(Svg + "tspan").Single();
        Assert.Equal(title + "\u200F", line.Value);

        async Task<string> Draw(string name, string text, bool strictlyLeftToRight)
        {
            var span = new XElement(line);
            span.Value = text;
            if (strictlyLeftToRight)
            {
                span.SetAttributeValue("unicode-bidi", "bidi-override");
                span.SetAttributeValue("direction", "ltr");
            }

            var svg = new XElement(Svg + "svg", new XAttribute("width", 1920), new XAttribute("height", 1080),
                new XAttribute("font-family", (string)slate.Root!.Attribute("font-family")!),
                new XElement(Svg + "rect", new XAttribute("width", 1920), new XAttribute("height", 1080), new XAttribute("fill", "#000")),
                new XElement(Svg + "text", ById(slate, "title").Attributes(), span));
            var path = Path.Combine(_folder, name + ".svg");
            File.WriteAllText(path, svg.ToString());
            return await SlateImages.RenderPngAsync(path, Path.Combine(_folder, name + ".png"), width: 1920);
        }

        var drawn = await Draw("as-shown", line.Value, strictlyLeftToRight: false);
        var reversed = await Draw("reversed", new string(title.Reverse().ToArray()), strictlyLeftToRight: true);
        var stored = await Draw("stored-order", title, strictlyLeftToRight: true);

        Assert.Equal(0, await SlateImages.DifferingPixelsAsync(drawn, reversed));
        var control = await SlateImages.DifferingPixelsAsync(drawn, stored);
        Assert.True(control > 1000, $"the control differs in {control} pixels only");
    }

    /// <summary>The pictures in docs/slates/: every default slate with realistic data, a Japanese and a very long
    /// English title among them. librsvg must render each one; with AMV_WRITE_SLATE_PICTURES=1 they are also
    /// written to docs/slates/ (960×540).</summary>
    [Fact]
    public async Task Every_default_slate_renders_with_librsvg()
    {
        var write = Environment.GetEnvironmentVariable("AMV_WRITE_SLATE_PICTURES") == "1";
        var target = write ? Directory.CreateDirectory(RepoPaths.Of("docs", "slates")).FullName : _folder;
        var renderer = Renderer();
        foreach (var (name, slate) in SlateSamples.All)
        {
            var png = await SlateImages.RenderPngAsync(renderer.Render(slate), Path.Combine(target, name + ".png"), width: 960);
            Assert.True(new FileInfo(png).Length > 10_000, $"{png} looks empty");
        }

        Assert.Equal("", _log.ToString());
    }
}

/// <summary>Realistic slates: a Japanese title, a very long English one, a short one.</summary>
internal static class SlateSamples
{
    private const string Contest = "Kumoricon 2024 AMV Contest";
    private static readonly RoomInfo Room = new("K7QX", "https://amv.kumoricon.org/v/K7QX");

    private static readonly EntrySummary Japanese = new(1, 3, "Drama / Sentiments", "君の名は。― 星の降る夜に", ["ユキ", "Kaze Studio"],
        "RADWIMPS", "スパークル", ["君の名は。", "天気の子"], "Flashing lights");

    private static readonly EntrySummary Long = new(2, 1, "Upbeat / Fun",
        "The Unbearable Lightness of Being a Side Character in Someone Else's Shōnen Tournament Arc",
        ["NightOwl AMVs", "Mirai", "PixelPusher"], "Two Steps From Hell", "Heart of Courage",
        ["Haikyu!!", "My Hero Academia", "Jujutsu Kaisen", "Mob Psycho 100"], null);

    private static readonly EntrySummary Short = new(3, 2, "Intensity", "Ignite", ["Ren"], "Ado", "Usseewa", ["Chainsaw Man"], null);

    private static readonly EntrySummary Arabic = new(4, 3, "Drama / Sentiments", "שיר של אור", ["مرام", "נועה"], "Artist", "Song", ["Anime"], null);
    private static readonly EntrySummary Emoji = new(5, 3, "Drama / Sentiments", "Chasing Stars 🌟 Together", ["Pixel 🎬"], "YOASOBI", "Idol", ["Oshi no Ko"], null);
    private static readonly EntrySummary Plain = new(6, 3, "Drama / Sentiments", "Quiet Rain", ["Sora"], "Aimer", "Ref:rain", ["Koi wa Ameagari no You ni"], null);

    public static IReadOnlyList<(string Name, SlateData Slate)> All { get; } =
    [
        ("category-card", new SlateData(SlateKind.CategoryCard, Contest, "Drama / Sentiments")),
        ("intro", new SlateData(SlateKind.Intro, Contest, Entry: Japanese)),
        ("intro-long-title", new SlateData(SlateKind.Intro, Contest, Entry: Long)),
        ("intro-short-title", new SlateData(SlateKind.Intro, Contest, Entry: Short)),
        ("outro", new SlateData(SlateKind.Outro, Contest, Entry: Japanese, Room: Room)),
        ("outro-long-title", new SlateData(SlateKind.Outro, Contest, Entry: Long, Room: Room)),
        ("intermission", new SlateData(SlateKind.Intermission, Contest, Room: Room, Message: "Back in 10 minutes — grab some water and keep voting!")),
        ("end", new SlateData(SlateKind.End, Contest, Room: Room, Message: "Winners are announced before Closing Ceremonies")),
        ("difficulties", new SlateData(SlateKind.Difficulties, Contest, Entry: Long)),
        ("winner", new SlateData(SlateKind.Winner, Contest, Entry: Japanese, Prize: "Best In Show")),
        ("winner-long-title", new SlateData(SlateKind.Winner, Contest, Entry: Long, Prize: "Judges' Choice")),
        // The prizegiving (docs/prizegiving.md), made as the player and the console's preview make them.
        ("prizegiving-nominees", PrizegivingSlates.Nominees(Contest, "Drama / Sentiments", [Japanese, Long, Short, Arabic, Emoji, Plain])),
        ("prizegiving-winner", PrizegivingSlates.Prize(Contest, Revealed(placings: false), "category:3")!),
        ("prizegiving-placings", PrizegivingSlates.Prize(Contest, Revealed(placings: true), "category:3")!),
        ("prizegiving-best-in-show", PrizegivingSlates.Prize(Contest, Revealed(placings: false), "best-in-show")!),
        ("prizegiving-award", PrizegivingSlates.Prize(Contest, Revealed(placings: false), "award:7")!),
    ];

    /// <summary>Drama revealed (its placings when asked), Best In Show and one award.</summary>
    private static PublicResults Revealed(bool placings)
    {
        var at = DateTimeOffset.Parse("2024-09-01T20:00:00Z", CultureInfo.InvariantCulture);
        IReadOnlyList<Placing>? places = placings
            ? [new(1, Japanese, 4.62, 212), new(2, Long, 4.41, 198), new(3, Plain, 4.41, 187), new(4, Emoji, 3.95, 201), new(5, Arabic, 3.10, 176), new(6, Short, 2.48, 150)]
            : null;
        return new PublicResults(
            [new RevealedCategory(3, "Drama / Sentiments", Japanese, at, places)],
            new RevealedWinner(Long, at),
            new RevealedAwards([new AwardSummary(7, "Technical Effects", "For the rain that falls upward", Short)], at));
    }
}

/// <summary>Turns slates into pictures with the Debian tools the show machine has.</summary>
internal static class SlateImages
{
    public static async Task<string> RenderPngAsync(string svg, string png, int width)
    {
        var rsvg = ExternalProcess.Require("rsvg-convert", "librsvg2-bin");
        var result = await ExternalProcess.RunAsync(rsvg, ["-w", width.ToString(CultureInfo.InvariantCulture), "-o", png, svg], TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0 && File.Exists(png), $"rsvg-convert failed on {svg}: {result.StandardError}");
        return png;
    }

    /// <summary>How many pixels differ between two pictures of the same size (ImageMagick's compare).</summary>
    public static async Task<long> DifferingPixelsAsync(string a, string b)
    {
        var compare = ExternalProcess.Require("compare", "imagemagick");
        var result = await ExternalProcess.RunAsync(compare, ["-metric", "AE", a, b, "null:"], TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode is 0 or 1, $"compare failed: {result.StandardError}");
        return long.Parse(result.StandardError.Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }

    public static async Task<string> DecodeQrAsync(string png)
    {
        var zbarimg = ExternalProcess.Require("zbarimg", "zbar-tools");
        var result = await ExternalProcess.RunAsync(zbarimg, ["--raw", "-q", png], TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0, $"zbarimg found no QR code in {png} (exit {result.ExitCode}): {result.StandardError}");
        return result.StandardOutput.Trim();
    }
}
