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
}
