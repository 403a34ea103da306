using System.Text;
using AmvScreening.Protocol;

namespace AmvScreening.Tests.Protocol;

/// <summary>User text on one line (<see cref="DisplayText.OneLine"/>), the rule the slates, the booth terminal and the
/// pre-flight table share.</summary>
[Trait("Kind", "Unit")]
public sealed class DisplayTextTests
{
    [Theory]
    [InlineData("Line one\nline two", "Line one line two")]
    [InlineData("Tab\tseparated\r\n\r\ntitle", "Tab separated title")]
    [InlineData("  padded  \u00A0", "padded")]
    [InlineData("bell\u0007 and escape\u001B[2J here", "bell and escape [2J here")]
    [InlineData("C1\u0085next\u009Bline", "C1 next line")]
    [InlineData("\u202Eevil\u202C name \u2066isolated\u2069", "evil name isolated")]
    [InlineData("para\u2029graph\u2028line", "para graph line")]
    [InlineData("👩\u200D👩\u200D👧 ❤\uFE0F e\u0301 שלום\u200F", "👩\u200D👩\u200D👧 ❤\uFE0F e\u0301 שלום\u200F")]
    [InlineData(null, "")]
    public void Text_becomes_one_line_with_single_spaces(string? text, string expected) => Assert.Equal(expected, DisplayText.OneLine(text));

    [Fact]
    public void Lone_surrogates_and_non_characters_are_removed() =>
        Assert.Equal("lone surrogate", DisplayText.OneLine("lone \uD800 surrogate \uDC00\uFFFF"));

    [Fact]
    public void Generated_text_never_keeps_a_control_character_a_bidi_override_or_a_double_space()
    {
        var random = new Random(5);
        var alphabet = Enumerable.Range(0, 0x40).Concat(Enumerable.Range(0x7F, 0x22)).Select(c => (char)c)
            .Concat("\u2028\u2029\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u00A0 \uD800\uDC00\uFFFEab君🔥".ToCharArray()).ToArray();
        for (var n = 0; n < 5000; n++)
        {
            var text = new string(Enumerable.Range(0, random.Next(0, 40)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());

            var line = DisplayText.OneLine(text);

            Assert.DoesNotContain(line, c => char.IsControl(c) || DisplayText.IsBidiControl(c) || c is '\u2028' or '\u2029' or '\uFFFE');
            Assert.DoesNotContain("  ", line, StringComparison.Ordinal);
            Assert.Equal(line.Trim(), line);
            Assert.Equal(line, DisplayText.OneLine(line));
            Assert.True(Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(line)) == line, "no broken surrogate pairs");
        }
    }

    [Theory]
    [InlineData("short", 10, "short")]
    [InlineData("exactly 10", 10, "exactly 10")]
    [InlineData("eleven char", 10, "eleven ch…")]
    [InlineData("君の名は。星の降る夜に", 10, "君の名は…")]
    [InlineData("🔥🔥🔥🔥🔥🔥", 7, "🔥🔥🔥…")]
    public void Lines_are_cut_to_terminal_columns_counting_wide_characters_twice(string line, int columns, string expected)
    {
        Assert.Equal(expected, DisplayText.CutToColumns(line, columns));
        Assert.True(DisplayText.Columns(DisplayText.CutToColumns(line, columns)) <= columns);
    }
}
