using System.Globalization;
using System.Text;

namespace AmvScreening.Player.Slates;

/// <summary>
/// Fits a line of user text into a box without measuring real glyphs: an estimate of each character's advance in
/// em, then balanced line breaks and a font size picked from the available width. Deterministic and cheap; errs a
/// little on the wide side so what librsvg lays out stays inside the box.
/// </summary>
internal static class SlateTextFit
{
    /// <summary>Estimated advance of a character, in em, calibrated on Noto Sans CJK JP Bold (a few per cent wide of
    /// it; regular weights and DejaVu Sans come out narrower): East-Asian wide, emoji, em dash and ellipsis 1.0;
    /// m, w, M, W, @, % 0.9; other capitals and &amp; 0.68; narrow letters and punctuation (i j l f t . , ; : ' ! | ( ) ·)
    /// 0.33; a space 0.25; anything else 0.6. Zero-width joiners, variation selectors and combining marks count 0.</summary>
    public static double AdvanceEm(Rune rune)
    {
        var c = rune.Value;
        if (IsZeroWidth(rune))
        {
            return 0;
        }

        if (IsWide(c) || c is 0x2014 or 0x2015 or 0x2026 or 0x203B)
        {
            return 1.0;
        }

        if (c is ' ' or '\u00A0')
        {
            return 0.25;
        }

        if (c is 'i' or 'j' or 'l' or 'f' or 't' or '.' or ',' or ';' or ':' or '\'' or '!' or '|' or '(' or ')' or '[' or ']' or '"' or '`' or '\u00B7')
        {
            return 0.33;
        }

        if (c is 'm' or 'w' or 'M' or 'W' or '@' or '%')
        {
            return 0.9;
        }

        if (Rune.IsUpper(rune) || c == '&')
        {
            return 0.68;
        }

        return 0.6;
    }

    /// <summary>East-Asian wide or fullwidth characters (CJK, kana, hangul, fullwidth forms) and emoji.</summary>
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
            or >= 0x1F000 and <= 0x1FAFF
            or >= 0x20000 and <= 0x3FFFD;

    private static bool IsZeroWidth(Rune rune) =>
        rune.Value is 0x200B or 0x200C or 0x200D or 0x2060 or 0xFEFF
            or >= 0xFE00 and <= 0xFE0F
            or >= 0xE0100 and <= 0xE01EF
            || Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark;

    /// <summary>Estimated width of <paramref name="text"/> in em (letter spacing not included).</summary>
    public static double EstimateWidthEm(string text)
    {
        double em = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            em += AdvanceEm(rune);
        }

        return em;
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
    /// size, down to <paramref name="minSize"/>. Below that, words may break anywhere; below that again, the text is
    /// set at the minimum size and the last line cut with an ellipsis. Lines break after spaces, after '/' and '-',
    /// and around East-Asian wide characters. With <paramref name="maxHeight"/>, k lines also need
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

        var byCharacter = FitSegments(Segment(text, byCharacter: true), fontSize, maxWidth, maxLines);
        if (byCharacter.FontSize >= minSize)
        {
            return byCharacter;
        }

        var linesAtMinimum = (int)Math.Clamp(Math.Floor(maxHeight / (minSize * lineHeight) + 1e-9), 1, maxLines);
        // Words stay whole where they can; only a word wider than a whole line is cut into characters.
        var pieces = Segment(text, byCharacter: false)
            .SelectMany(segment => EstimateWidthPx(segment.Trim(), minSize, letterSpacing) > maxWidth ? Segment(segment, byCharacter: true) : [segment])
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
            var last = lines[^1];
            while (last.Length > 0 && EstimateWidthPx(last.TrimEnd() + "…", size, letterSpacing) > maxWidth)
            {
                last = RemoveLastTextElement(last);
            }

            lines[^1] = last.TrimEnd() + "…";
        }

        return new Layout(lines, size);
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
