using System.Text;

namespace AmvScreening.Protocol;

/// <summary>
/// How user text (titles, editors, music, sources, names) is shown on one line anywhere: on the slates, the booth
/// terminal, the pre-flight table. One rule, so that a title with a line break, a tab or a stray control character
/// looks the same everywhere and can never move a terminal's cursor or turn text around.
/// </summary>
public static class DisplayText
{
    /// <summary>
    /// <paramref name="text"/> as one line: line breaks, tabs and every other control character (C0, DEL, C1), the
    /// line and paragraph separators and any other Unicode space become a plain space; the bidirectional embedding,
    /// override and isolate controls (U+202A–U+202E, U+2066–U+2069) are removed, so a name cannot reverse the text
    /// after it (the renderer's own bidirectional algorithm still orders Arabic and Hebrew); lone surrogates and the
    /// non-characters U+FFFE and U+FFFF are removed; runs of spaces collapse into one and the ends are trimmed.
    /// Null becomes "". Joiners, variation selectors and combining marks stay (emoji sequences and accents need them).
    /// </summary>
    public static string OneLine(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                Append(c, text[i + 1]);
                i++;
                continue;
            }

            if (char.IsSurrogate(c) || c is '\uFFFE' or '\uFFFF' || IsBidiControl(c))
            {
                continue;
            }

            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            Append(c);
        }

        return builder.ToString();

        void Append(char first, char second = '\0')
        {
            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(first);
            if (second != '\0')
            {
                builder.Append(second);
            }
        }
    }

    /// <summary>The explicit bidirectional formatting characters: embeddings and overrides (LRE, RLE, PDF, LRO, RLO)
    /// and isolates (LRI, RLI, FSI, PDI). The marks LRM, RLM and ALM stay: they only nudge neutral characters.</summary>
    public static bool IsBidiControl(char c) => c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069';

    /// <summary>East-Asian wide or fullwidth characters (CJK ideographs, kana, hangul, fullwidth forms) and emoji: two
    /// columns in a terminal, about one em or more on a slate.</summary>
    public static bool IsWide(int c) =>
        c is >= 0x1100 and <= 0x115F
            or >= 0x2E80 and <= 0x303E
            or >= 0x3041 and <= 0x33FF
            or >= 0x3400 and <= 0x4DBF
            or >= 0x4E00 and <= 0x9FFF
            or >= 0xA000 and <= 0xA4CF
            or >= 0xAC00 and <= 0xD7A3
            or >= 0xF900 and <= 0xFAFF
            or >= 0xFE30 and <= 0xFE4F
            or >= 0xFF00 and <= 0xFF60
            or >= 0xFFE0 and <= 0xFFE6
            || IsEmoji(c)
            || c is >= 0x20000 and <= 0x3FFFD;

    /// <summary>Characters drawn as emoji pictures (the emoji blocks, dingbats and miscellaneous symbols).</summary>
    public static bool IsEmoji(int c) => c is >= 0x1F000 and <= 0x1FAFF or >= 0x2600 and <= 0x27BF or 0x2B50 or 0x2B55 or 0x231A or 0x231B;

    /// <summary>Characters that take no room of their own: joiners, variation selectors, combining marks.</summary>
    public static bool IsZeroWidth(Rune rune) =>
        rune.Value is 0x200B or 0x200C or 0x200D or 0x200E or 0x200F or 0x2060 or 0xFEFF
            or >= 0xFE00 and <= 0xFE0F
            or >= 0xE0100 and <= 0xE01EF
            or >= 0xE0020 and <= 0xE007F
            || Rune.GetUnicodeCategory(rune) is System.Globalization.UnicodeCategory.NonSpacingMark or System.Globalization.UnicodeCategory.EnclosingMark;

    /// <summary>How many terminal columns <paramref name="text"/> takes (wide characters two, zero-width ones none).</summary>
    public static int Columns(string text) => text.EnumerateRunes().Sum(Columns);

    private static int Columns(Rune rune) => IsZeroWidth(rune) ? 0 : IsWide(rune.Value) ? 2 : 1;

    /// <summary><paramref name="line"/> cut to at most <paramref name="columns"/> terminal columns, ending with "…" when
    /// cut, so that a long title never wraps onto the next line of a panel or table.</summary>
    public static string CutToColumns(string line, int columns)
    {
        var used = 0;
        var fits = 0; // how much of the line fits with a column left for the "…"
        foreach (var rune in line.EnumerateRunes())
        {
            used += Columns(rune);
            if (used > columns)
            {
                return columns < 1 ? "" : line[..fits] + "…";
            }

            if (used <= columns - 1)
            {
                fits += rune.Utf16SequenceLength;
            }
        }

        return line;
    }
}
