using System.Globalization;
using System.Text;
using AmvScreening.Protocol;

namespace AmvScreening.Slates;

/// <summary>
/// Fits a line of user text into a box without measuring real glyphs: an estimate of each character's advance in
/// em, then balanced line breaks and a font size picked from the available width. Deterministic and cheap; errs a
/// little on the wide side so what librsvg lays out stays inside the box.
/// </summary>
internal static class SlateTextFit
{
    /// <summary>Advances of the printable ASCII characters (space to '~'), in em: measured with librsvg on Noto Sans CJK
    /// JP Bold (the widest weight the slates use) and rounded up by 3 %.</summary>
    private static readonly double[] Ascii =
    [
        0.24, 0.39, 0.60, 0.61, 0.61, 1.00, 0.77, 0.34, 0.39, 0.39, 0.53, 0.61, 0.34, 0.39, 0.34, 0.40,
        0.61, 0.61, 0.61, 0.61, 0.61, 0.61, 0.61, 0.61, 0.61, 0.61, 0.34, 0.34, 0.61, 0.61, 0.61, 0.53,
        1.04, 0.66, 0.71, 0.64, 0.74, 0.64, 0.61, 0.74, 0.78, 0.34, 0.55, 0.71, 0.60, 0.88, 0.78, 0.80,
        0.69, 0.80, 0.71, 0.63, 0.65, 0.78, 0.65, 0.95, 0.65, 0.60, 0.62, 0.39, 0.40, 0.39, 0.61, 0.59,
        0.65, 0.61, 0.67, 0.52, 0.67, 0.60, 0.39, 0.62, 0.66, 0.32, 0.32, 0.63, 0.33, 1.00, 0.67, 0.65,
        0.67, 0.67, 0.45, 0.51, 0.42, 0.66, 0.60, 0.89, 0.58, 0.60, 0.53, 0.39, 0.31, 0.39, 0.61,
    ];

    /// <summary>An emoji picture (Noto Color Emoji, found by fontconfig's fallback) is 1.246 em wide.</summary>
    public const double EmojiEm = 1.28;

    /// <summary>
    /// Estimated advance of a character, in em, never narrower than what librsvg draws with the slates' fonts (Noto
    /// Sans CJK JP, DejaVu Sans for Hebrew and Arabic, Noto Color Emoji), bold or regular: printable ASCII from a
    /// measured table; East-Asian wide characters 1.03; emoji <see cref="EmojiEm"/>; accented Latin letters as their
    /// base letter; Greek and Cyrillic 0.86; Hebrew 0.8; Arabic 0.9 (isolated forms are the widest); a few common
    /// punctuation marks measured; anything else 1.0. Joiners, variation selectors and combining marks count 0.
    /// </summary>
    public static double AdvanceEm(Rune rune)
    {
        var c = rune.Value;
        if (DisplayText.IsZeroWidth(rune))
        {
            return 0;
        }

        if (c is >= 0x20 and <= 0x7E)
        {
            return Ascii[c - 0x20];
        }

        if (DisplayText.IsEmoji(c))
        {
            return EmojiEm;
        }

        if (DisplayText.IsWide(c))
        {
            return 1.03;
        }

        switch (c)
        {
            case 0x00A0:
                return Ascii[0];
            case 0x2026:
                return 1.14;
            case 0x2014 or 0x2015:
                return 0.86;
            case 0x2013 or 0x2010 or 0x2011:
                return 0.56;
            case 0x2018 or 0x2019 or 0x201A:
                return 0.34;
            case 0x201C or 0x201D or 0x201E or 0x00AB or 0x00BB:
                return 0.6;
            case 0x00B7 or 0x2022:
                return 0.61;
        }

        if (c is >= 0x00C0 and <= 0x024F or >= 0x1E00 and <= 0x1EFF)
        {
            var decomposed = rune.ToString().Normalize(NormalizationForm.FormD);
            return decomposed[0] is >= ' ' and <= '~' ? Ascii[decomposed[0] - 0x20] : Rune.IsUpper(rune) ? 1.0 : 0.8;
        }

        return c switch
        {
            >= 0x0370 and <= 0x052F => 0.86,
            >= 0x0590 and <= 0x05FF or >= 0xFB1D and <= 0xFB4F => 0.8,
            >= 0x0600 and <= 0x06FF or >= 0x0750 and <= 0x077F or >= 0xFB50 and <= 0xFDFF or >= 0xFE70 and <= 0xFEFF => 0.9,
            _ => 1.0,
        };
    }

    /// <summary>East-Asian wide or fullwidth characters and emoji (<see cref="DisplayText.IsWide"/>): lines may break
    /// around them.</summary>
    public static bool IsWide(int c) => DisplayText.IsWide(c);

    private static bool IsZeroWidth(Rune rune) => DisplayText.IsZeroWidth(rune);

    /// <summary>Estimated width of <paramref name="text"/> in em (letter spacing not included). An emoji sequence (a
    /// ZWJ family, a skin tone, a flag, a keycap) is one picture.</summary>
    public static double EstimateWidthEm(string text)
    {
        double em = 0;
        var elements = StringInfo.GetTextElementEnumerator(text);
        while (elements.MoveNext())
        {
            var element = (string)elements.Current;
            if (IsEmojiSequence(element))
            {
                em += EmojiEm;
                continue;
            }

            foreach (var rune in element.EnumerateRunes())
            {
                em += AdvanceEm(rune);
            }
        }

        return em;
    }

    /// <summary>A text element drawn as one emoji picture: it holds an emoji, or asks for emoji presentation (U+FE0F,
    /// a keycap U+20E3).</summary>
    private static bool IsEmojiSequence(string element)
    {
        foreach (var rune in element.EnumerateRunes())
        {
            if (DisplayText.IsEmoji(rune.Value) || rune.Value is 0xFE0F or 0x20E3)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Estimated width in px at <paramref name="fontSize"/> with <paramref name="letterSpacing"/> px after
    /// every character.</summary>
    public static double EstimateWidthPx(string text, double fontSize, double letterSpacing = 0) =>
        EstimateWidthEm(text) * fontSize + letterSpacing * CountVisible(text);

    private static int CountVisible(string text)
    {
        var n = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (!IsZeroWidth(rune))
            {
                n++;
            }
        }

        return n;
    }

    /// <summary>The lines and font size chosen for a text box.</summary>
    public sealed record Layout(IReadOnlyList<string> Lines, double FontSize);

    /// <summary>A text shrinks down to this share of its font size before it wraps onto one more line.</summary>
    public const double ShrinkBeforeWrapping = 0.85;

    /// <summary>
    /// Lays <paramref name="text"/> out in at most <paramref name="maxLines"/> lines no wider than
    /// <paramref name="maxWidth"/> px. For 1, 2 … maxLines lines (balanced: the widest line as narrow as possible)
    /// the largest size that fits is computed, capped at <paramref name="fontSize"/>; the fewest lines whose size is
    /// at least <see cref="ShrinkBeforeWrapping"/> of the full size win, else the line count allowing the largest
    /// size, down to <paramref name="minSize"/>. Words are never broken for a larger size: below the minimum, the text
    /// is set at the minimum size, lines filled word by word, a word wider than a whole line cut with a hyphen
    /// (<see cref="BreakHyphen"/>, the last resort), and the last line cut after a whole word with an ellipsis. Lines
    /// break after spaces, after '/', '-' and dashes, and around East-Asian wide characters and emoji (not before
    /// closing punctuation such as 。、」). With <paramref name="maxHeight"/>, k lines also need
    /// k × size × <paramref name="lineHeight"/> ≤ maxHeight.
    /// </summary>
    public static Layout Fit(
        string text, double fontSize, double maxWidth, int maxLines, double minSize,
        double letterSpacing = 0, double maxHeight = double.PositiveInfinity, double lineHeight = 1.15)
    {
        text = text.Trim();
        maxLines = Math.Clamp(maxLines, 1, 8);
        minSize = Math.Clamp(minSize, 1, fontSize);
        lineHeight = lineHeight > 0 ? lineHeight : 1.15;
        if (!(maxHeight > 0))
        {
            maxHeight = double.PositiveInfinity;
        }
        if (text.Length == 0 || maxWidth <= 0)
        {
            return new Layout([text], fontSize);
        }

        var best = FitSegments(Segment(text, byCharacter: false), fontSize, maxWidth, maxLines);
        if (best.FontSize >= minSize)
        {
            return best;
        }

        // Words stay whole; only a word wider than a whole line even at the minimum size is cut, with a hyphen. What
        // still does not fit is cut with an ellipsis.
        var linesAtMinimum = (int)Math.Clamp(Math.Floor(maxHeight / (minSize * lineHeight) + 1e-9), 1, maxLines);
        var pieces = Segment(text, byCharacter: false)
            .SelectMany(segment => EstimateWidthPx(segment.Trim(), minSize, letterSpacing) > maxWidth ? Hyphenate(segment, minSize, maxWidth, letterSpacing) : [segment])
            .ToList();
        return Truncate(pieces, minSize, maxWidth, linesAtMinimum, letterSpacing);

        Layout FitSegments(IReadOnlyList<string> segments, double size, double width, int lines)
        {
            Layout? bestLayout = null;
            for (var k = 1; k <= Math.Min(lines, segments.Count); k++)
            {
                var (split, allowed) = Balance(segments, k, width, letterSpacing);
                var candidate = new Layout(split, Math.Min(size, Math.Min(allowed, maxHeight / (k * lineHeight))));
                if (candidate.FontSize >= size * ShrinkBeforeWrapping)
                {
                    return candidate;
                }

                if (bestLayout is null || candidate.FontSize > bestLayout.FontSize + 0.01)
                {
                    bestLayout = candidate;
                }
            }

            return bestLayout ?? new Layout([text], size);
        }
    }

    /// <summary>Splits the segments into exactly <paramref name="k"/> lines so that the smallest allowed font size
    /// of any line is as large as possible (dynamic programming over break points; ties keep the earliest break).</summary>
    private static (IReadOnlyList<string> Lines, double AllowedSize) Balance(IReadOnlyList<string> segments, int k, double maxWidth, double letterSpacing)
    {
        var n = segments.Count;
        // Prefix sums of width (em) and visible characters; a line drops the trailing spaces of its last segment.
        var em = new double[n + 1];
        var count = new int[n + 1];
        var trailingEm = new double[n];
        var trailingCount = new int[n];
        for (var i = 0; i < n; i++)
        {
            em[i + 1] = em[i] + EstimateWidthEm(segments[i]);
            count[i + 1] = count[i] + CountVisible(segments[i]);
            var trimmed = segments[i].TrimEnd();
            trailingEm[i] = EstimateWidthEm(segments[i][trimmed.Length..]);
            trailingCount[i] = segments[i].Length - trimmed.Length;
        }

        double Allowed(int i, int j)
        {
            var lineEm = em[j] - em[i] - trailingEm[j - 1];
            var visible = count[j] - count[i] - trailingCount[j - 1];
            return lineEm <= 0 ? double.MaxValue : Math.Max(0, (maxWidth - letterSpacing * visible) / lineEm);
        }

        // best[l, j]: the best smallest size splitting segments 0..j-1 into l lines; from[l, j]: where the last starts.
        var best = new double[k + 1, n + 1];
        var from = new int[k + 1, n + 1];
        for (var l = 0; l <= k; l++)
        {
            for (var j = 0; j <= n; j++)
            {
                best[l, j] = double.NegativeInfinity;
            }
        }

        best[0, 0] = double.MaxValue;
        for (var l = 1; l <= k; l++)
        {
            for (var j = l; j <= n; j++)
            {
                for (var i = l - 1; i < j; i++)
                {
                    if (double.IsNegativeInfinity(best[l - 1, i]))
                    {
                        continue;
                    }

                    var value = Math.Min(best[l - 1, i], Allowed(i, j));
                    if (value > best[l, j] + 1e-9)
                    {
                        best[l, j] = value;
                        from[l, j] = i;
                    }
                }
            }
        }

        var lines = new List<string>();
        for (int l = k, j = n; l > 0; l--)
        {
            var i = from[l, j];
            lines.Add(string.Concat(segments.Skip(i).Take(j - i)).Trim());
            j = i;
        }

        lines.Reverse();
        return (lines, best[k, n]);
    }

    /// <summary>At the minimum size: fills lines greedily and ends the last one with an ellipsis.</summary>
    private static Layout Truncate(IReadOnlyList<string> segments, double size, double maxWidth, int maxLines, double letterSpacing)
    {
        var lines = new List<string>();
        var current = new StringBuilder();
        var index = 0;
        while (index < segments.Count && lines.Count < maxLines)
        {
            var candidate = (current + segments[index]).Trim();
            if (EstimateWidthPx(candidate, size, letterSpacing) <= maxWidth || current.ToString().Trim().Length == 0)
            {
                current.Append(segments[index]);
                index++;
                continue;
            }

            lines.Add(current.ToString().Trim());
            current.Clear();
        }

        if (lines.Count < maxLines && current.Length > 0)
        {
            lines.Add(current.ToString().Trim());
        }

        if (index < segments.Count && lines.Count > 0)
        {
            // Whole words go first; a line of one word loses characters.
            var last = lines[^1];
            while (last.Length > 0 && EstimateWidthPx(last.TrimEnd() + "…", size, letterSpacing) > maxWidth)
            {
                var space = last.TrimEnd().LastIndexOf(' ');
                last = space > 0 ? last[..space] : RemoveLastTextElement(last);
            }

            lines[^1] = last.TrimEnd() + "…";
        }

        return new Layout(lines, size);
    }

    /// <summary>The hyphen put where a word too long for any line is cut (U+2010).</summary>
    public const string BreakHyphen = "\u2010";

    /// <summary>A word wider than the box cut into pieces that fit, each but the last ending with
    /// <see cref="BreakHyphen"/>; never inside a text element (an accent or an emoji sequence stays whole).</summary>
    private static IEnumerable<string> Hyphenate(string word, double size, double maxWidth, double letterSpacing)
    {
        var piece = new StringBuilder();
        foreach (var element in Segment(word, byCharacter: true))
        {
            if (piece.Length > 0 && element != " " && EstimateWidthPx(piece + element + BreakHyphen, size, letterSpacing) > maxWidth)
            {
                yield return piece + BreakHyphen;
                piece.Clear();
            }

            piece.Append(element);
        }

        if (piece.Length > 0)
        {
            yield return piece.ToString();
        }
    }

    private static string RemoveLastTextElement(string text)
    {
        var starts = StringInfo.ParseCombiningCharacters(text);
        return starts.Length == 0 ? "" : text[..starts[^1]];
    }

    /// <summary>Cuts text into pieces that may start a new line: words (with their trailing space), each wide
    /// character on its own, and after '/' or '-'. With <paramref name="byCharacter"/>, every text element.</summary>
    internal static IReadOnlyList<string> Segment(string text, bool byCharacter)
    {
        var segments = new List<string>();
        var current = new StringBuilder();
        var enumerator = StringInfo.GetTextElementEnumerator(text);
        while (enumerator.MoveNext())
        {
            var element = (string)enumerator.Current;
            var wide = Rune.TryGetRuneAt(element, 0, out var rune) && IsWide(rune.Value);
            if (byCharacter)
            {
                segments.Add(element);
                continue;
            }

            if (wide && !IsClosingPunctuation(rune.Value))
            {
                Flush();
                current.Append(element);
                if (!IsOpeningPunctuation(rune.Value))
                {
                    Flush();
                }

                continue;
            }

            if (wide)
            {
                // Closing punctuation (、。」) stays with what precedes it.
                if (current.Length == 0 && segments.Count > 0)
                {
                    segments[^1] += element;
                }
                else
                {
                    current.Append(element);
                    Flush();
                }

                continue;
            }

            if (element == " " && current.Length == 0 && segments.Count > 0)
            {
                segments[^1] += element;
                continue;
            }

            current.Append(element);
            if (element is " " or "/" or "-" or "\u2013" or "\u2014")
            {
                Flush();
            }
        }

        Flush();
        return segments;

        void Flush()
        {
            if (current.Length > 0)
            {
                segments.Add(current.ToString());
                current.Clear();
            }
        }
    }

    private static bool IsClosingPunctuation(int c) => c is 0x3001 or 0x3002 or 0x300D or 0x300F or 0x3011 or 0xFF09 or 0xFF0C or 0xFF0E or 0xFF01 or 0xFF1F or 0x30FC or 0x3005;

    private static bool IsOpeningPunctuation(int c) => c is 0x300C or 0x300E or 0x3010 or 0xFF08;
}
