using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace AmvScreening.Slates;

/// <summary>
/// The slate templates' language (docs/slates.md): an SVG file whose <c>{{name}}</c> placeholders, <c>data-if</c>
/// conditions, <c>data-case="upper"</c> texts, <c>data-max-width</c> text boxes (fitted by
/// <see cref="SlateTextLayout"/>) and <c>id="qr"</c> box (<see cref="SlateQrPlacement"/>) are filled from a slate's
/// values. Knows nothing of files or of which template is used: it reads SVG text, fills it, writes SVG text.
/// </summary>
internal static partial class SlateTemplate
{
    /// <summary>The size every filled template is set to.</summary>
    public const int Width = 1920, Height = 1080;

    /// <summary>The declaration every filled template starts with: libvlc shows an SVG only after exactly this start.</summary>
    public const string XmlDeclaration = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";

    public static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [GeneratedRegex(@"\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}")]
    private static partial Regex PlaceholderPattern();

    /// <summary>The template <paramref name="text"/> filled with <paramref name="values"/>, as SVG text.</summary>
    /// <param name="problem">Told what the template gets wrong without making it unusable (an unknown placeholder, a QR
    /// box without a size); the slate is made anyway.</param>
    /// <exception cref="Exception">The template is unusable: not XML (<see cref="XmlException"/>), not SVG
    /// (<see cref="InvalidDataException"/>), or something in it the rules trip on.</exception>
    public static string Fill(string text, IReadOnlyDictionary<string, string> values, Action<string> problem)
    {
        var document = Load(text);
        Fill(document.Root!, values, problem);
        return Serialize(document);
    }

    /// <summary>A number as SVG attributes hold it (invariant, at most 3 decimals).</summary>
    public static string Number(double value) => Math.Round(value, 3).ToString(CultureInfo.InvariantCulture);

    internal static XDocument Load(string text)
    {
        var settings = new XmlReaderSettings
        {
            // Internal entities (old Illustrator exports use them) are expanded, within a bound; nothing external
            // is ever fetched.
            DtdProcessing = DtdProcessing.Parse,
            XmlResolver = null,
            MaxCharactersFromEntities = 4096,
            IgnoreProcessingInstructions = true,
        };
        using var reader = XmlReader.Create(new StringReader(text), settings);
        var document = XDocument.Load(reader, LoadOptions.PreserveWhitespace);
        if (document.Root is not { } root || root.Name != Svg + "svg")
        {
            throw new InvalidDataException("the root element is not <svg> in the SVG namespace");
        }

        return document;
    }

    internal static string Serialize(XDocument document)
    {
        var builder = new StringBuilder(XmlDeclaration).Append('\n');
        var settings = new XmlWriterSettings { OmitXmlDeclaration = true, Indent = false, NewLineHandling = NewLineHandling.None };
        using (var writer = XmlWriter.Create(new StringWriter(builder, CultureInfo.InvariantCulture), settings))
        {
            document.Root!.Save(writer);
        }

        return builder.Append('\n').ToString();
    }

    private static void Fill(XElement root, IReadOnlyDictionary<string, string> values, Action<string> problem)
    {
        NormaliseSize(root);

        // 1. data-if: drop what depends on an empty value.
        foreach (var element in root.Descendants().Where(e => e.Attribute("data-if") is not null).ToList())
        {
            if (!Condition((string)element.Attribute("data-if")!, values, problem))
            {
                element.Remove();
            }
        }

        // 2. Placeholders in text and attribute values (escaping is the XML writer's job).
        foreach (var text in root.DescendantNodes().OfType<XText>().ToList())
        {
            text.Value = Substitute(text.Value, values, problem);
        }

        foreach (var attribute in root.DescendantsAndSelf().SelectMany(e => e.Attributes()).ToList())
        {
            if (attribute.Value.Contains("{{", StringComparison.Ordinal))
            {
                attribute.Value = Substitute(attribute.Value, values, problem);
            }
        }

        // 3. data-case="upper".
        foreach (var element in root.DescendantsAndSelf().Where(e => (string?)e.Attribute("data-case") == "upper").ToList())
        {
            foreach (var text in element.DescendantNodes().OfType<XText>())
            {
                text.Value = text.Value.ToUpperInvariant();
            }
        }

        // 4. data-max-width: fit text into its box.
        foreach (var text in root.Descendants(Svg + "text").Where(e => e.Attribute("data-max-width") is not null).ToList())
        {
            SlateTextLayout.Apply(text);
        }

        // 5. The QR code.
        SlateQrPlacement.Place(root, values.GetValueOrDefault("joinUrl") ?? "", problem);
    }

    /// <summary>The root becomes 1920×1080 px; a template without a viewBox gets one from its own width and height,
    /// so a template drawn at another size scales instead of being cropped.</summary>
    private static void NormaliseSize(XElement root)
    {
        if (root.Attribute("viewBox") is null
            && SlateTextLayout.Length((string?)root.Attribute("width")) is { } w and > 0
            && SlateTextLayout.Length((string?)root.Attribute("height")) is { } h and > 0)
        {
            root.SetAttributeValue("viewBox", $"0 0 {Number(w)} {Number(h)}");
        }

        root.SetAttributeValue("width", Width.ToString(CultureInfo.InvariantCulture));
        root.SetAttributeValue("height", Height.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary><c>data-if="a"</c>: kept when {{a}} is not empty; <c>"!a"</c>: kept when it is empty; several names
    /// separated by spaces must all hold.</summary>
    private static bool Condition(string expression, IReadOnlyDictionary<string, string> values, Action<string> problem)
    {
        foreach (var term in expression.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var negated = term.StartsWith('!');
            var name = negated ? term[1..] : term;
            if (!values.TryGetValue(name, out var value))
            {
                problem($"data-if names an unknown placeholder '{name}'");
                value = "";
            }

            if (string.IsNullOrWhiteSpace(value) != negated)
            {
                return false;
            }
        }

        return true;
    }

    private static string Substitute(string text, IReadOnlyDictionary<string, string> values, Action<string> problem) =>
        PlaceholderPattern().Replace(text, match =>
        {
            var name = match.Groups[1].Value;
            if (values.TryGetValue(name, out var value))
            {
                return value;
            }

            problem($"unknown placeholder {{{{{name}}}}} left empty");
            return "";
        });
}
