using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace AmvScreening.Player.Slates;

/// <summary>
/// Fills SVG slate templates and writes each slate to its own file for libvlc. The templates are the defaults
/// shipped in <c>Slates/Templates/</c> next to the player, each one replaceable by a file of the same name in the
/// coordinator's template folder. Never throws: a missing or broken coordinator template falls back to the default,
/// a broken default to a plain built-in slate, and every fallback is logged. docs/slates.md describes the templates.
/// </summary>
public sealed partial class SvgSlateRenderer : ISlateRenderer
{
    /// <summary>The size every slate is written at.</summary>
    public const int Width = 1920, Height = 1080;

    /// <summary>How many of its own slate files the renderer keeps before deleting the oldest.</summary>
    public const int DefaultKeep = 20;

    internal const string XmlDeclaration = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
    internal static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private readonly TextWriter _log;
    private readonly int _keep;
    private readonly Queue<string> _written = new();
    private readonly HashSet<string> _warned = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _counter;

    /// <param name="templateFolder">The coordinator's templates: a file named like a default (e.g. <c>intro.svg</c>)
    /// replaces it; the others stay the defaults. Null: the defaults only.</param>
    /// <param name="outputFolder">Where slate files are written. Null: <c>amvscreening-slates</c> in the temp folder.</param>
    /// <param name="log">Where warnings go. Null: standard error.</param>
    /// <param name="keep">How many of the last rendered files to keep (libvlc may still be reading a recent one).</param>
    public SvgSlateRenderer(string? templateFolder = null, string? outputFolder = null, TextWriter? log = null, int keep = DefaultKeep)
    {
        TemplateFolder = string.IsNullOrWhiteSpace(templateFolder) ? null : Path.GetFullPath(templateFolder);
        OutputFolder = Path.GetFullPath(string.IsNullOrWhiteSpace(outputFolder)
            ? Path.Combine(Path.GetTempPath(), "amvscreening-slates")
            : outputFolder);
        _log = log ?? Console.Error;
        _keep = Math.Max(2, keep);
        if (TemplateFolder is not null && !Directory.Exists(TemplateFolder))
        {
            Warn($"slate template folder {TemplateFolder} does not exist; using the default templates");
        }

        RemoveStaleFiles();
    }

    /// <summary>The coordinator's template folder, or null.</summary>
    public string? TemplateFolder { get; }

    /// <summary>Where the slate files go.</summary>
    public string OutputFolder { get; }

    /// <summary>The default templates shipped with the player.</summary>
    public static string DefaultTemplateFolder { get; } = Path.Combine(AppContext.BaseDirectory, "Slates", "Templates");

    /// <summary>Where this renderer finds the defaults (tests point it elsewhere to exercise the built-in fallback).</summary>
    internal string DefaultsFolder { get; init; } = DefaultTemplateFolder;

    /// <summary>The template file name of a kind (e.g. <c>category-card.svg</c>); null for <see cref="SlateKind.Black"/>,
    /// which is generated.</summary>
    public static string? TemplateFileName(SlateKind kind) => kind switch
    {
        SlateKind.CategoryCard => "category-card.svg",
        SlateKind.Intro => "intro.svg",
        SlateKind.Outro => "outro.svg",
        SlateKind.Intermission => "intermission.svg",
        SlateKind.End => "end.svg",
        SlateKind.Difficulties => "difficulties.svg",
        SlateKind.Winner => "winner.svg",
        _ => null,
    };

    /// <inheritdoc />
    public string Render(SlateData slate)
    {
        string svg;
        try
        {
            svg = Compose(slate);
        }
        catch (Exception e)
        {
            Warn($"slate {slate?.Kind} could not be composed ({e.Message}); showing black");
            svg = BlackSvg;
        }

        return Write(slate?.Kind ?? SlateKind.Black, svg);
    }

    /// <summary>The slate's SVG text: the coordinator's template, else the default, else the built-in one.</summary>
    internal string Compose(SlateData slate)
    {
        ArgumentNullException.ThrowIfNull(slate);
        var file = TemplateFileName(slate.Kind);
        if (file is null)
        {
            return BlackSvg;
        }

        var values = SlateFields.From(slate);
        if (TemplateFolder is not null)
        {
            var custom = Path.Combine(TemplateFolder, file);
            if (File.Exists(custom))
            {
                if (TryFill(custom, () => File.ReadAllText(custom), values, out var svg))
                {
                    return svg;
                }
            }
        }

        var fallback = Path.Combine(DefaultsFolder, file);
        if (!File.Exists(fallback))
        {
            Warn($"default slate template {fallback} is missing; using the built-in {file}");
        }
        else if (TryFill(fallback, () => File.ReadAllText(fallback), values, out var svg))
        {
            return svg;
        }

        values["heading"] = BuiltInHeading(slate.Kind);
        return TryFill("built-in " + file, () => BuiltInTemplate, values, out var builtIn) ? builtIn : BlackSvg;
    }

    private bool TryFill(string name, Func<string> read, Dictionary<string, string> values, out string svg)
    {
        try
        {
            var document = Load(read());
            Fill(document, values, name);
            svg = Serialize(document);
            return true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Whatever a template does wrong (unreadable, not XML, not SVG, something the rules trip on), the show
            // goes on with the next template in line.
            Warn($"slate template {name} is unusable ({e.Message}); falling back to the default");
            svg = "";
            return false;
        }
    }

    // --- Loading and writing ------------------------------------------------------------------------------------

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

    private string Write(SlateKind kind, string svg)
    {
        foreach (var folder in new[] { OutputFolder, Path.Combine(Path.GetTempPath(), "amvscreening-slates-fallback") })
        {
            try
            {
                Directory.CreateDirectory(folder);
                var name = string.Create(CultureInfo.InvariantCulture,
                    $"slate-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Interlocked.Increment(ref _counter):D5}-{kind.ToString().ToLowerInvariant()}-{Guid.NewGuid().ToString("N")[..8]}.svg");
                var path = Path.Combine(folder, name);
                var temporary = path + ".tmp";
                File.WriteAllText(temporary, svg, new UTF8Encoding(false));
                File.Move(temporary, path);
                Remember(path);
                return path;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Warn($"could not write a slate in {folder} ({e.Message})");
            }
        }

        // Nothing could be written: the engine will report the item as failed and the show moves on.
        return Path.Combine(OutputFolder, "unwritable.svg");
    }

    private void Remember(string path)
    {
        lock (_gate)
        {
            _written.Enqueue(path);
            while (_written.Count > _keep)
            {
                TryDelete(_written.Dequeue());
            }
        }
    }

    /// <summary>Slate files left by earlier runs (a day old or more) are removed; recent ones may belong to another
    /// player on the same machine.</summary>
    private void RemoveStaleFiles()
    {
        try
        {
            if (!Directory.Exists(OutputFolder))
            {
                return;
            }

            var limit = DateTime.UtcNow.AddDays(-1);
            foreach (var file in Directory.EnumerateFiles(OutputFolder, "slate-*"))
            {
                if (File.GetLastWriteTimeUtc(file) < limit)
                {
                    TryDelete(file);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Warn($"could not clean old slates in {OutputFolder} ({e.Message})");
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Still open somewhere (Windows): it goes with the next stale-file sweep.
        }
    }

    private void Warn(string message)
    {
        lock (_gate)
        {
            if (!_warned.Add(message))
            {
                return;
            }
        }

        try
        {
            _log.WriteLine($"warning: {message}");
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // Logging must not take the show down.
        }
    }

    // --- Filling ------------------------------------------------------------------------------------------------

    [GeneratedRegex(@"\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}")]
    private static partial Regex PlaceholderPattern();

    private void Fill(XDocument document, Dictionary<string, string> values, string templateName)
    {
        var root = document.Root!;
        NormaliseSize(root);

        // 1. data-if: drop what depends on an empty value.
        foreach (var element in root.Descendants().Where(e => e.Attribute("data-if") is not null).ToList())
        {
            if (!Condition((string)element.Attribute("data-if")!, values, templateName))
            {
                element.Remove();
            }
        }

        // 2. Placeholders in text and attribute values (escaping is the XML writer's job).
        foreach (var text in root.DescendantNodes().OfType<XText>().ToList())
        {
            text.Value = Substitute(text.Value, values, templateName);
        }

        foreach (var attribute in root.DescendantsAndSelf().SelectMany(e => e.Attributes()).ToList())
        {
            if (attribute.Value.Contains("{{", StringComparison.Ordinal))
            {
                attribute.Value = Substitute(attribute.Value, values, templateName);
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
        foreach (var box in root.Descendants().Where(e => (string?)e.Attribute("id") == "qr").ToList())
        {
            PlaceQr(box, values.GetValueOrDefault("joinUrl") ?? "", templateName);
        }
    }

    /// <summary>The root becomes 1920×1080 px; a template without a viewBox gets one from its own width and height,
    /// so a template drawn at another size scales instead of being cropped.</summary>
    private static void NormaliseSize(XElement root)
    {
        if (root.Attribute("viewBox") is null
            && SlateTextLayout.Length((string?)root.Attribute("width")) is { } w and > 0
            && SlateTextLayout.Length((string?)root.Attribute("height")) is { } h and > 0)
        {
            root.SetAttributeValue("viewBox", $"0 0 {SlateQrCode.Number(w)} {SlateQrCode.Number(h)}");
        }

        root.SetAttributeValue("width", Width.ToString(CultureInfo.InvariantCulture));
        root.SetAttributeValue("height", Height.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary><c>data-if="a"</c>: kept when {{a}} is not empty; <c>"!a"</c>: kept when it is empty; several names
    /// separated by spaces must all hold.</summary>
    private bool Condition(string expression, Dictionary<string, string> values, string templateName)
    {
        foreach (var term in expression.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var negated = term.StartsWith('!');
            var name = negated ? term[1..] : term;
            if (!values.TryGetValue(name, out var value))
            {
                Warn($"slate template {templateName}: data-if names an unknown placeholder '{name}'");
                value = "";
            }

            if (string.IsNullOrWhiteSpace(value) != negated)
            {
                return false;
            }
        }

        return true;
    }

    private string Substitute(string text, Dictionary<string, string> values, string templateName) =>
        PlaceholderPattern().Replace(text, match =>
        {
            var name = match.Groups[1].Value;
            if (values.TryGetValue(name, out var value))
            {
                return value;
            }

            Warn($"slate template {templateName}: unknown placeholder {{{{{name}}}}} left empty");
            return "";
        });

    private void PlaceQr(XElement box, string joinUrl, string templateName)
    {
        if (joinUrl.Length == 0)
        {
            box.Remove();
            return;
        }

        var x = SlateTextLayout.Length((string?)box.Attribute("x")) ?? 0;
        var y = SlateTextLayout.Length((string?)box.Attribute("y")) ?? 0;
        var width = SlateTextLayout.Length((string?)box.Attribute("width"));
        var height = SlateTextLayout.Length((string?)box.Attribute("height"));
        if (width is not > 0 || height is not > 0)
        {
            Warn($"slate template {templateName}: the element with id=\"qr\" needs a width and a height; no QR drawn");
            box.Remove();
            return;
        }

        var rx = SlateTextLayout.Length((string?)box.Attribute("rx")) ?? 0;
        var qr = SlateQrCode.Build(Svg, joinUrl, x, y, width.Value, height.Value, Math.Min(rx, Math.Min(width.Value, height.Value) / 10));
        if (box.Attribute("transform") is { } transform)
        {
            qr.SetAttributeValue("transform", transform.Value);
        }

        box.ReplaceWith(qr);
    }

    // --- Built-in fallbacks -------------------------------------------------------------------------------------

    internal const string BlackSvg = XmlDeclaration + "\n"
        + "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1920\" height=\"1080\" viewBox=\"0 0 1920 1080\">"
        + "<rect width=\"1920\" height=\"1080\" fill=\"#000000\"/></svg>\n";

    private static string BuiltInHeading(SlateKind kind) => kind switch
    {
        SlateKind.CategoryCard => "",
        SlateKind.Intro => "",
        SlateKind.Outro => "Vote now",
        SlateKind.Intermission => "Intermission",
        SlateKind.End => "Thank you for watching",
        SlateKind.Difficulties => "Technical difficulties \u2013 please stand by",
        SlateKind.Winner => "",
        _ => "",
    };

    /// <summary>Used only when a default template is missing from the installation or broken: plain but complete.</summary>
    private const string BuiltInTemplate = """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="1920" height="1080" viewBox="0 0 1920 1080"
             font-family="'Noto Sans CJK JP', 'DejaVu Sans', sans-serif">
          <rect width="1920" height="1080" fill="#0b0d14"/>
          <text x="140" y="150" font-size="34" fill="#9aa1b5" data-max-width="1640">{{contest}}</text>
          <text x="140" y="300" font-size="56" font-weight="bold" fill="#ffb23e" data-max-width="1640" data-if="heading">{{heading}}</text>
          <text x="140" y="390" font-size="48" font-weight="bold" fill="#ffb23e" data-max-width="1640" data-if="prize">{{prize}}</text>
          <text x="140" y="460" font-size="44" fill="#c8ccd8" data-max-width="1640" data-if="category">{{category}}</text>
          <text x="140" y="580" font-size="100" font-weight="bold" fill="#ffffff" data-max-width="1000" data-max-lines="2" data-if="title">{{title}}</text>
          <text x="140" y="790" font-size="44" fill="#e6e8ef" data-max-width="1000" data-if="editors">{{editors}}</text>
          <text x="140" y="860" font-size="38" fill="#c8ccd8" data-max-width="1000" data-if="music">{{music}}</text>
          <text x="140" y="930" font-size="38" fill="#ffb23e" data-max-width="1000" data-if="message">{{message}}</text>
          <rect id="qr" x="1260" y="330" width="520" height="520" rx="12"/>
          <text x="1520" y="930" font-size="40" fill="#ffffff" text-anchor="middle" data-max-width="620" data-if="shortUrl">{{shortUrl}}</text>
        </svg>
        """;
}
