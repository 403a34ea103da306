using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace AmvScreening.Slates;

/// <summary>
/// Applies a text box's rules to a filled <c>&lt;text&gt;</c> element: <c>data-max-width</c> (px),
/// <c>data-max-lines</c> (default 1), <c>data-min-font-size</c> (default 40 % of the font size),
/// <c>data-line-height</c> (default 1.15 × the font size), <c>data-max-height</c> (px; k lines need
/// k × size × line height ≤ it) and <c>data-valign</c> (<c>top</c>: the first line's
/// baseline stays at y, the default; <c>middle</c>; <c>bottom</c>: the last line's baseline is at y). The text is
/// replaced by one <c>&lt;tspan&gt;</c> per line, and the chosen font size is set on the text and on each line.
/// </summary>
internal static partial class SlateTextLayout
{
    private static readonly XNamespace Svg = SlateTemplate.Svg;

    /// <summary>Attributes of the template's first tspan that must not be copied to the new lines.</summary>
    private static readonly HashSet<string> PositionAttributes = ["x", "y", "dx", "dy", "id", "rotate", "textLength", "lengthAdjust"];

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    public static void Apply(XElement text)
    {
        var maxWidth = Length((string?)text.Attribute("data-max-width"));
        if (maxWidth is not > 0)
        {
            return;
        }

        var content = Whitespace().Replace(string.Concat(text.DescendantNodes().OfType<XText>().Select(t => t.Value)), " ").Trim();
        var firstSpan = text.Descendants(Svg + "tspan").FirstOrDefault();
        var fontSize = FontSize(firstSpan) ?? FontSize(text) ?? 16;
        var letterSpacing = Property(firstSpan, "letter-spacing") ?? Property(text, "letter-spacing") ?? 0;
        var maxLines = int.TryParse((string?)text.Attribute("data-max-lines"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var lines) ? lines : 1;
        var minSize = Length((string?)text.Attribute("data-min-font-size")) ?? fontSize * 0.4;
        var lineHeight = Length((string?)text.Attribute("data-line-height")) is { } factor and > 0 ? factor : 1.15;
        var x = FirstNumber((string?)text.Attribute("x")) ?? FirstNumber((string?)firstSpan?.Attribute("x")) ?? 0;
        var y = FirstNumber((string?)text.Attribute("y")) ?? FirstNumber((string?)firstSpan?.Attribute("y")) ?? 0;

        var maxHeight = Length((string?)text.Attribute("data-max-height")) ?? double.PositiveInfinity;
        var layout = SlateTextFit.Fit(content, fontSize, maxWidth.Value, maxLines, minSize, letterSpacing, maxHeight, lineHeight);
        var size = Math.Floor(layout.FontSize * 10 + 1e-9) / 10; // rounded down: the lines must stay inside the box
        var step = size * lineHeight;
        var offset = ((string?)text.Attribute("data-valign")) switch
        {
            "middle" => -(layout.Lines.Count - 1) * step / 2,
            "bottom" => -(layout.Lines.Count - 1) * step,
            _ => 0,
        };

        var spanAttributes = firstSpan?.Attributes()
            .Where(a => !a.IsNamespaceDeclaration && a.Name.NamespaceName.Length == 0 && !PositionAttributes.Contains(a.Name.LocalName))
            .Select(a => new XAttribute(a))
            .ToList() ?? [];

        text.RemoveNodes();
        SetFontSize(text, size);
        text.SetAttributeValue("x", SlateTemplate.Number(x));
        text.SetAttributeValue("y", SlateTemplate.Number(y + offset));
        for (var i = 0; i < layout.Lines.Count; i++)
        {
            var span = new XElement(Svg + "tspan", spanAttributes.Select(a => new XAttribute(a)));
            span.SetAttributeValue("x", SlateTemplate.Number(x));
            span.SetAttributeValue("y", SlateTemplate.Number(y + offset + i * step));
            SetFontSize(span, size);
            span.Add(WithDirection(layout.Lines[i]));
            text.Add(span);
        }
    }

    /// <summary>The right-to-left mark, U+200F.</summary>
    public const char RightToLeftMark = '\u200F';

    /// <summary>A line whose first strong character is Hebrew or Arabic ends with a right-to-left mark, so that
    /// librsvg's bidirectional ordering (which starts every line left-to-right) puts its final punctuation at its left
    /// end, where a reader of the line expects it.</summary>
    internal static string WithDirection(string line)
    {
        foreach (var rune in line.EnumerateRunes())
        {
            if (IsRightToLeft(rune.Value))
            {
                return line + RightToLeftMark;
            }

            if (Rune.IsLetter(rune))
            {
                return line;
            }
        }

        return line;
    }

    private static bool IsRightToLeft(int c) =>
        c is >= 0x0590 and <= 0x08FF or >= 0xFB1D and <= 0xFDFF or >= 0xFE70 and <= 0xFEFF or >= 0x10800 and <= 0x10FFF or >= 0x1E800 and <= 0x1EFFF;

    /// <summary>A length in px: a plain number or one ending in px (pt and mm are converted); null otherwise.</summary>
    public static double? Length(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        value = value.Trim();
        var factor = 1.0;
        foreach (var (unit, scale) in new[] { ("px", 1.0), ("pt", 4.0 / 3), ("mm", 96 / 25.4), ("cm", 96 / 2.54), ("in", 96.0) })
        {
            if (value.EndsWith(unit, StringComparison.OrdinalIgnoreCase))
            {
                value = value[..^unit.Length].Trim();
                factor = scale;
                break;
            }
        }

        return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)
            ? number * factor
            : null;
    }

    private static double? FirstNumber(string? list) =>
        list is null ? null : Length(list.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries).FirstOrDefault());

    private static double? FontSize(XElement? element) => Property(element, "font-size");

    /// <summary>A property from the element's style attribute (which wins in CSS) or its presentation attribute.</summary>
    private static double? Property(XElement? element, string name)
    {
        if (element is null)
        {
            return null;
        }

        if (StyleValue((string?)element.Attribute("style"), name) is { } styled && Length(styled) is { } fromStyle)
        {
            return fromStyle;
        }

        return Length((string?)element.Attribute(name));
    }

    private static string? StyleValue(string? style, string name)
    {
        if (style is null)
        {
            return null;
        }

        foreach (var declaration in style.Split(';'))
        {
            var colon = declaration.IndexOf(':');
            if (colon > 0 && declaration[..colon].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return declaration[(colon + 1)..].Trim();
            }
        }

        return null;
    }

    private static void SetFontSize(XElement element, double size)
    {
        var px = SlateTemplate.Number(size);
        element.SetAttributeValue("font-size", px);
        if ((string?)element.Attribute("style") is { } style && StyleValue(style, "font-size") is not null)
        {
            var declarations = style.Split(';', StringSplitOptions.RemoveEmptyEntries)
                .Select(d => d.Split(':', 2)[0].Trim().Equals("font-size", StringComparison.OrdinalIgnoreCase) ? $"font-size:{px}px" : d);
            element.SetAttributeValue("style", string.Join(';', declarations));
        }
    }
}
