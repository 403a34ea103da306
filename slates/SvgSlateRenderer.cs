using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AmvScreening.Slates;

/// <summary>
/// Makes each slate: picks its template (the coordinator's, else the default shipped in <c>Slates/Templates/</c> next
/// to the player, else a plain built-in one), fills it in the template language (<see cref="SlateTemplate"/>, with
/// the QR code placed by <see cref="SlateQrPlacement"/>) and writes it to a file for libvlc
/// (<see cref="SlateFileCache"/>). Never throws: a missing or broken coordinator template falls back to the default, a
/// broken default to the built-in slate, and every fallback is logged once as a warning. docs/slates.md describes the
/// templates.
/// </summary>
public sealed class SvgSlateRenderer : ISlateRenderer
{
    /// <summary>How many of its own slate files the renderer keeps before deleting the oldest.</summary>
    public const int DefaultKeep = 20;

    private readonly ILogger _logger;
    private readonly SlateFileCache _files;
    private readonly HashSet<string> _warned = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <param name="templateFolder">The coordinator's templates: a file named like a default (e.g. <c>intro.svg</c>)
    /// replaces it; the others stay the defaults. Null: the defaults only.</param>
    /// <param name="outputFolder">Where slate files are written. Null: <c>amvscreening-slates</c> in the temp folder.</param>
    /// <param name="logger">Where the warnings go (each one once). Null: nowhere.</param>
    /// <param name="keep">How many of the last rendered files to keep (libvlc may still be reading a recent one).</param>
    public SvgSlateRenderer(string? templateFolder = null, string? outputFolder = null, ILogger? logger = null, int keep = DefaultKeep)
    {
        _logger = logger ?? NullLogger.Instance;
        TemplateFolder = string.IsNullOrWhiteSpace(templateFolder) ? null : Path.GetFullPath(templateFolder);
        if (TemplateFolder is not null && !Directory.Exists(TemplateFolder))
        {
            Warn($"slate template folder {TemplateFolder} does not exist; using the default templates");
        }

        _files = new SlateFileCache(
            string.IsNullOrWhiteSpace(outputFolder) ? Path.Combine(Path.GetTempPath(), "amvscreening-slates") : outputFolder,
            keep,
            Warn);
    }

    /// <summary>The coordinator's template folder, or null.</summary>
    public string? TemplateFolder { get; }

    /// <summary>Where the slate files go.</summary>
    public string OutputFolder => _files.Folder;

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
        SlateKind.Nominees => "nominees.svg",
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

        return _files.Write(slate?.Kind ?? SlateKind.Black, svg);
    }

    /// <summary>The slate's SVG text: the coordinator's template, else the default, else the built-in one (what
    /// <see cref="Render"/> writes; the reveal console's preview serves it as it is).</summary>
    public string Compose(SlateData slate)
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
            if (File.Exists(custom) && TryFill(custom, () => File.ReadAllText(custom), values, out var svg))
            {
                return svg;
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
            svg = SlateTemplate.Fill(read(), values, problem => Warn($"slate template {name}: {problem}"));
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

    /// <summary>Logs <paramref name="message"/> as a warning the first time it comes.</summary>
    private void Warn(string message)
    {
        lock (_gate)
        {
            if (!_warned.Add(message))
            {
                return;
            }
        }

        _logger.LogWarning("{Problem}", message);
    }

    // --- Built-in fallbacks -------------------------------------------------------------------------------------

    internal const string BlackSvg = SlateTemplate.XmlDeclaration + "\n"
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
        SlateKind.Nominees => "The nominees",
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
