using AmvScreening.Protocol;

namespace AmvScreening.Slates;

/// <summary>The values of a slate's placeholders (<c>{{name}}</c>), cleaned so that any input makes valid XML.
/// docs/slates.md lists them.</summary>
internal static class SlateFields
{
    /// <summary>Longest value kept; longer user text is cut with an ellipsis (a slate is not a document).</summary>
    public const int MaxLength = 300;

    public static readonly IReadOnlyList<string> Names =
    [
        "contest", "category", "title", "editors", "editorsLabel", "music", "musicArtist", "musicTitle",
        "sources", "sourcesLabel", "contentNote", "joinUrl", "shortUrl", "roomCode", "prize", "message",
    ];

    public static Dictionary<string, string> From(SlateData slate)
    {
        var entry = slate.Entry;
        var editors = Clean(entry?.Editors);
        var sources = Clean(entry?.Sources);
        var artist = Clean(entry?.MusicArtist);
        var song = Clean(entry?.MusicTitle);
        var joinUrl = Clean(slate.Room?.JoinUrl, maxLength: 1000);
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["contest"] = Clean(slate.ContestName),
            ["category"] = Clean(string.IsNullOrWhiteSpace(slate.Category) ? entry?.Category : slate.Category),
            ["title"] = Clean(entry?.Title),
            ["editors"] = Limit(JoinNames(editors)),
            ["editorsLabel"] = editors.Count switch { 0 => "", 1 => "Editor", _ => "Editors" },
            ["music"] = Limit(string.Join(" \u2013 ", new[] { artist, song }.Where(part => part.Length > 0))),
            ["musicArtist"] = artist,
            ["musicTitle"] = song,
            ["sources"] = Limit(string.Join(" / ", sources)),
            ["sourcesLabel"] = sources.Count switch { 0 => "", 1 => "Source", _ => "Sources" },
            ["contentNote"] = Clean(entry?.ContentNote),
            ["joinUrl"] = joinUrl,
            ["shortUrl"] = ShortUrl(joinUrl),
            ["roomCode"] = Clean(slate.Room?.Code),
            ["prize"] = Clean(slate.Prize),
            ["message"] = Clean(slate.Message),
        };
        return values;
    }

    /// <summary>"A", "A & B", "A, B & C".</summary>
    public static string JoinNames(IReadOnlyList<string> names) => names.Count switch
    {
        0 => "",
        1 => names[0],
        _ => string.Join(", ", names.Take(names.Count - 1)) + " & " + names[^1],
    };

    /// <summary>The join URL as people type it: no scheme, no trailing slash.</summary>
    public static string ShortUrl(string url)
    {
        foreach (var scheme in new[] { "https://", "http://" })
        {
            if (url.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                url = url[scheme.Length..];
                break;
            }
        }

        return url.TrimEnd('/');
    }

    private static List<string> Clean(IReadOnlyList<string?>? list) =>
        (list ?? []).Select(item => Clean(item)).Where(item => item.Length > 0).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The text on one line (<see cref="DisplayText.OneLine"/>: no control characters, line breaks or tabs,
    /// nothing XML cannot hold), its length capped.</summary>
    public static string Clean(string? text) => Clean(text, MaxLength);

    public static string Clean(string? text, int maxLength) => Limit(DisplayText.OneLine(text), maxLength);

    private static string Limit(string text, int maxLength = MaxLength)
    {
        if (text.Length <= maxLength)
        {
            return text;
        }

        var cut = maxLength - 1;
        if (char.IsLowSurrogate(text[cut]))
        {
            cut--;
        }

        return text[..cut].TrimEnd() + "\u2026";
    }
}
