using System.Globalization;
using AmvScreening.Protocol;

namespace AmvScreening.Slates;

/// <summary>The values of a slate's placeholders (<c>{{name}}</c>), cleaned so that any input makes valid XML.
/// docs/slates.md lists them.</summary>
internal static class SlateFields
{
    /// <summary>Longest value kept; longer user text is cut with an ellipsis (a slate is not a document).</summary>
    public const int MaxLength = 300;

    /// <summary>How many nominees and places the numbered placeholders reach (<c>{{nominee1Title}}</c> …
    /// <c>{{nominee12Title}}</c>); a template shows as many as it has rows for.</summary>
    public const int MaxRows = 12;

    private static readonly string[] NomineeFields = ["Title", "Editors"];
    private static readonly string[] PlaceFields = ["Rank", "Title", "Editors", "Mean", "Votes", "Bar"];

    public static readonly IReadOnlyList<string> Names =
    [
        "contest", "category", "title", "editors", "editorsLabel", "music", "musicArtist", "musicTitle",
        "sources", "sourcesLabel", "contentNote", "joinUrl", "shortUrl", "roomCode", "prize", "message", "nominees", "placings",
        .. Numbered("nominee", NomineeFields), .. Numbered("place", PlaceFields),
    ];

    private static IEnumerable<string> Numbered(string prefix, string[] fields) =>
        Enumerable.Range(1, MaxRows).SelectMany(i => fields.Select(f => $"{prefix}{i}{f}"));

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
        AddRows(values, slate);
        return values;
    }

    /// <summary>The prizegiving's lists: <c>{{nominees}}</c> (how many), <c>{{nomineeNTitle}}</c>, <c>{{nomineeNEditors}}</c>;
    /// <c>{{placings}}</c> (how many), <c>{{placeNRank}}</c>, <c>{{placeNTitle}}</c>, <c>{{placeNEditors}}</c>,
    /// <c>{{placeNMean}}</c> ("4.62"), <c>{{placeNVotes}}</c> ("37 votes") and <c>{{placeNBar}}</c> (the mean as a share
    /// of the winner's, 0 to 1, for <c>transform="scale({{place2Bar}} 1)"</c>). Rows past the list are empty.</summary>
    private static void AddRows(Dictionary<string, string> values, SlateData slate)
    {
        var nominees = slate.Nominees ?? [];
        var places = slate.Placings ?? [];
        values["nominees"] = nominees.Count > 0 ? nominees.Count.ToString(CultureInfo.InvariantCulture) : "";
        values["placings"] = places.Count > 0 ? places.Count.ToString(CultureInfo.InvariantCulture) : "";
        var top = places.Count > 0 ? places.Max(p => p.Mean) : 0;
        for (var i = 0; i < MaxRows; i++)
        {
            var (nominee, place) = (i < nominees.Count ? nominees[i] : null, i < places.Count ? places[i] : null);
            var n = (i + 1).ToString(CultureInfo.InvariantCulture);
            values[$"nominee{n}Title"] = Clean(nominee?.Title);
            values[$"nominee{n}Editors"] = Limit(JoinNames(Clean(nominee?.Editors)));
            values[$"place{n}Rank"] = place is null ? "" : place.Rank.ToString(CultureInfo.InvariantCulture);
            values[$"place{n}Title"] = Clean(place?.Entry.Title);
            values[$"place{n}Editors"] = Limit(JoinNames(Clean(place?.Entry.Editors)));
            values[$"place{n}Mean"] = place is null || !double.IsFinite(place.Mean) ? "" : place.Mean.ToString("0.00", CultureInfo.InvariantCulture);
            values[$"place{n}Votes"] = place is null ? "" : place.Votes == 1 ? "1 vote" : $"{place.Votes.ToString(CultureInfo.InvariantCulture)} votes";
            values[$"place{n}Bar"] = place is null ? "" : SlateTemplate.Number(top > 0 && double.IsFinite(place.Mean) ? Math.Clamp(place.Mean / top, 0, 1) : 0);
        }
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
