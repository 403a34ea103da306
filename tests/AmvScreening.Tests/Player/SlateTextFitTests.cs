using AmvScreening.Slates;

namespace AmvScreening.Tests.Player;

/// <summary>The text-fitting rules slates use for data-max-width / data-max-lines (docs/slates.md).</summary>
[Trait("Kind", "Unit")]
public sealed class SlateTextFitTests
{
    [Fact]
    public void Wide_characters_count_one_em_and_latin_about_half()
    {
        Assert.Equal(5 * 1.03, SlateTextFit.EstimateWidthEm("君の名は。"), 6);
        Assert.InRange(SlateTextFit.EstimateWidthEm("Ignite"), 6 * 0.4, 6 * 0.7);
        Assert.True(SlateTextFit.EstimateWidthEm("WWW") > SlateTextFit.EstimateWidthEm("iii"));
        // An emoji sequence (ZWJ family, skin tone, flag, keycap) is one picture; a combining accent adds nothing.
        Assert.Equal(SlateTextFit.EmojiEm, SlateTextFit.EstimateWidthEm("👩\u200D👩\u200D👧"));
        Assert.Equal(SlateTextFit.EmojiEm, SlateTextFit.EstimateWidthEm("👍🏽"));
        Assert.Equal(SlateTextFit.EmojiEm, SlateTextFit.EstimateWidthEm("🇯🇵"));
        Assert.Equal(SlateTextFit.EmojiEm, SlateTextFit.EstimateWidthEm("1\uFE0F\u20E3"));
        Assert.Equal(2 * SlateTextFit.EmojiEm, SlateTextFit.EstimateWidthEm("👩👩"));
        Assert.Equal(SlateTextFit.EstimateWidthEm("e"), SlateTextFit.EstimateWidthEm("e\u0301"));
        Assert.Equal(SlateTextFit.EstimateWidthEm("e"), SlateTextFit.EstimateWidthEm("é"));
    }

    [Fact]
    public void Text_that_fits_stays_on_one_line_at_full_size()
    {
        var layout = SlateTextFit.Fit("Ignite", 100, 1000, 2, 40);

        Assert.Equal(["Ignite"], layout.Lines);
        Assert.Equal(100, layout.FontSize);
    }

    [Fact]
    public void A_little_too_long_shrinks_before_it_wraps()
    {
        var text = "Drama / Sentiments";
        var width = SlateTextFit.EstimateWidthPx(text, 100) * 0.9;

        var layout = SlateTextFit.Fit(text, 100, width, 2, 40);

        Assert.Single(layout.Lines);
        Assert.InRange(layout.FontSize, 85, 90.01);
    }

    [Fact]
    public void Much_too_long_wraps_into_balanced_lines_then_shrinks()
    {
        const string text = "The Unbearable Lightness of Being a Side Character in Someone Else's Shonen Tournament Arc";

        var layout = SlateTextFit.Fit(text, 120, 1640, 2, 40);

        Assert.Equal(2, layout.Lines.Count);
        Assert.Equal(text, string.Join(" ", layout.Lines));
        Assert.True(layout.FontSize < 120);
        var widths = layout.Lines.Select(line => SlateTextFit.EstimateWidthPx(line, layout.FontSize)).ToList();
        Assert.All(widths, width => Assert.True(width <= 1640.001, $"{width}"));
        Assert.True(Math.Abs(widths[0] - widths[1]) < 0.25 * 1640, "balanced lines");
    }

    [Fact]
    public void The_height_limit_caps_the_size_of_several_lines()
    {
        var layout = SlateTextFit.Fit("one two three four five six seven eight", 200, 800, 3, 20, maxHeight: 300, lineHeight: 1.0);

        Assert.True(layout.Lines.Count * layout.FontSize <= 300.001);
    }

    [Fact]
    public void Japanese_without_spaces_breaks_between_characters_but_not_before_closing_punctuation()
    {
        const string text = "とある科学の超電磁砲と進撃の巨人と鬼滅の刃。そして呪術廻戦";

        var layout = SlateTextFit.Fit(text, 100, 1000, 2, 60);

        Assert.Equal(2, layout.Lines.Count);
        Assert.Equal(text, string.Concat(layout.Lines));
        Assert.DoesNotContain(layout.Lines, line => line.StartsWith('。'));
        Assert.All(layout.Lines, line => Assert.True(SlateTextFit.EstimateWidthPx(line, layout.FontSize) <= 1000.001));
    }

    [Fact]
    public void A_word_too_long_for_a_line_shrinks_rather_than_breaks()
    {
        var layout = SlateTextFit.Fit("Shrinking, Really Supercalifragilisticexpialidocious", 76, 900, 3, 36);

        Assert.Equal(["Shrinking, Really", "Supercalifragilisticexpialidocious"], layout.Lines);
        Assert.InRange(layout.FontSize, 36, 76);
    }

    [Fact]
    public void A_word_too_long_even_at_the_minimum_size_is_cut_with_a_hyphen_as_the_last_resort()
    {
        var url = "https://" + new string('a', 120) + ".example.org";

        var layout = SlateTextFit.Fit(url, 50, 1000, 3, 30);

        Assert.All(layout.Lines, line => Assert.True(SlateTextFit.EstimateWidthPx(line, layout.FontSize) <= 1000.001, line));
        Assert.Equal(30, layout.FontSize);
        Assert.Equal("https://", layout.Lines[0]);
        Assert.EndsWith(SlateTextFit.BreakHyphen, layout.Lines[1], StringComparison.Ordinal);
        Assert.EndsWith("…", layout.Lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void Text_too_long_even_at_the_minimum_size_ends_with_an_ellipsis_on_whole_words()
    {
        var text = string.Join(" ", Enumerable.Range(1, 200).Select(i => $"word{i}"));

        var layout = SlateTextFit.Fit(text, 100, 1000, 2, 40);

        Assert.Equal(40, layout.FontSize);
        Assert.Equal(2, layout.Lines.Count);
        Assert.EndsWith("…", layout.Lines[^1], StringComparison.Ordinal);
        Assert.StartsWith("word1 word2", layout.Lines[0], StringComparison.Ordinal);
        Assert.All(layout.Lines, line => Assert.True(SlateTextFit.EstimateWidthPx(line, 40) <= 1000.001, line));
        Assert.All(layout.Lines[0].Split(' '), word => Assert.Matches(@"^word\d+$", word));
    }

    [Fact]
    public void Letter_spacing_counts_towards_the_width()
    {
        var plain = SlateTextFit.Fit("CATEGORY NAME", 40, 400, 1, 10);
        var spaced = SlateTextFit.Fit("CATEGORY NAME", 40, 400, 1, 10, letterSpacing: 8);

        Assert.True(spaced.FontSize < plain.FontSize);
        Assert.True(SlateTextFit.EstimateWidthPx("CATEGORY NAME", spaced.FontSize, 8) <= 400.001);
    }
}

/// <summary>Generated titles of every kind through the fitting: lines break only where a reader allows it.</summary>
[Trait("Kind", "Unit")]
public sealed class SlateLineBreakTests
{
    private static readonly string[] Words =
    [
        "Shrinking,", "Really", "the", "a", "of", "Side", "Character", "Tournament", "Arc", "Spider-Man", "AC/DC", "2024",
        "Supercalifragilisticexpialidocious", "Pneumonoultramicroscopicsilicovolcanoconiosis", "Ōkami", "naïve", "Æon",
        "🔥", "🔥🔥", "👩‍👩‍👧", "🇯🇵", "❤️", "1️⃣", "Fire🔥", "君の名は。", "進撃の巨人", "「鬼滅の刃」", "とある科学の超電磁砲", "한국어",
        "שלום", "עולם", "مرحبا", "بالعالم", "Привет", "мир", "Ωμέγα", "—", "–", "…", "(live)", "“quoted”", "WWWWWWWWWWWW", "iiiiiiiiiiii",
    ];

    [Fact]
    public void Thousands_of_generated_titles_break_only_between_words_or_where_cjk_allows()
    {
        var random = new Random(12);
        for (var n = 0; n < 3000; n++)
        {
            var title = Generate(random);
            var fontSize = random.Next(30, 140);
            var maxWidth = random.Next(200, 1700);
            var maxLines = random.Next(1, 5);
            var minSize = Math.Round(fontSize * (0.3 + random.NextDouble() * 0.5), 1);
            var layout = SlateTextFit.Fit(title, fontSize, maxWidth, maxLines, minSize);

            var context = $"'{title}' in {maxWidth} px, {maxLines} lines, {fontSize}→{minSize}: [{string.Join(" | ", layout.Lines)}] at {layout.FontSize:0.0}";
            Assert.InRange(layout.Lines.Count, 1, maxLines);
            Assert.True(layout.FontSize >= minSize - 1e-9 && layout.FontSize <= fontSize + 1e-9, context);
            Assert.All(layout.Lines, line => Assert.True(SlateTextFit.EstimateWidthPx(line, layout.FontSize) <= maxWidth + 1e-6, context));
            AssertBreaksAllowed(title, layout, maxWidth, context);
        }
    }

    /// <summary>The lines, read in order, are the title: each boundary is at a space, after a hyphen, slash or dash in
    /// the title, or next to a CJK character or emoji (never before closing punctuation); a word is cut (with
    /// <see cref="SlateTextFit.BreakHyphen"/>) only at the minimum size when it is wider than the whole box; only the
    /// last line may end with "…".</summary>
    internal static void AssertBreaksAllowed(string title, SlateTextFit.Layout layout, double maxWidth, string context)
    {
        var at = 0;
        for (var i = 0; i < layout.Lines.Count; i++)
        {
            var line = layout.Lines[i];
            var last = i == layout.Lines.Count - 1;
            if (last && line.EndsWith('…') && title[at..] != line)
            {
                Assert.True(title.AsSpan(at).StartsWith(line[..^1].TrimEnd()), $"line {i} is not the title's next text: {context}");
                return;
            }

            var hyphenated = line.EndsWith(SlateTextFit.BreakHyphen, StringComparison.Ordinal);
            var text = hyphenated ? line[..^SlateTextFit.BreakHyphen.Length] : line;
            Assert.True(title.AsSpan(at).StartsWith(text), $"line {i} '{line}' is not the title's next text: {context}");
            at += text.Length;
            if (last)
            {
                Assert.Equal(title.Length, at);
                return;
            }

            if (hyphenated)
            {
                var start = title.LastIndexOf(' ', Math.Max(0, at - 1)) + 1;
                var end = title.IndexOf(' ', at) is var space and >= 0 ? space : title.Length;
                var word = title[start..end];
                Assert.True(SlateTextFit.EstimateWidthPx(word, layout.FontSize) > maxWidth, $"'{word}' was cut though it fits a line: {context}");
                continue;
            }

            if (title[at] == ' ')
            {
                at++;
                continue;
            }

            var before = title[..at].EnumerateRunes().Last();
            var after = title[at..].EnumerateRunes().First();
            var allowed = title[at - 1] is '-' or '/' or '–' or '—'
                || SlateTextFit.IsWide(before.Value) || SlateTextFit.IsWide(after.Value) && !"、。」』】）：，．！？ー々".Contains(after.ToString());
            Assert.True(allowed, $"line {i} breaks inside a word, between '{before}' and '{after}': {context}");
        }
    }

    private static string Generate(Random random)
    {
        var count = random.Next(1, 25);
        var words = Enumerable.Range(0, count).Select(_ => random.Next(4) == 0
            ? new string(Enumerable.Range(0, random.Next(1, 30)).Select(_ => (char)random.Next('a', 'z' + 1)).ToArray())
            : Words[random.Next(Words.Length)]);
        return string.Join(" ", words);
    }
}
