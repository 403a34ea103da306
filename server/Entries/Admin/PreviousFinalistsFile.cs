using System.Globalization;
using System.Text.Json;
using AmvScreening.Server.Infrastructure;
using CsvHelper;
using CsvHelper.Configuration;

namespace AmvScreening.Server.Entries.Admin;

/// <summary>
/// The coordinator's list of earlier contests' finalists (docs/entries.md), as CSV (a header row <c>title,editors,year</c>;
/// several editors separated by <c>|</c>; the year may be left empty or the column left out) or as JSON (an array of
/// <c>{ "title", "editors": [..], "year" }</c>). Every problem is named by its place: <c>line 4: title</c> in a CSV file,
/// <c>[3].editors</c> in JSON. Nothing is imported while any problem remains.
/// </summary>
public static class PreviousFinalistsFile
{
    public static readonly IReadOnlyList<string> Columns = ["title", "editors", "year"];

    /// <summary>More than this is not a contest's history.</summary>
    public const int MaxFinalists = 20_000;

    private const int MaxText = 300;

    /// <summary>The finalists, or the errors by place.</summary>
    public static (IReadOnlyList<PreviousFinalist> Finalists, IReadOnlyDictionary<string, string[]> Errors) Read(string text, bool json) =>
        json ? ReadJson(text) : ReadCsv(text);

    private static (IReadOnlyList<PreviousFinalist>, IReadOnlyDictionary<string, string[]>) ReadCsv(string text)
    {
        var errors = new Errors();
        var finalists = new List<PreviousFinalist>();
        var malformed = false;
        var config = new CsvConfiguration(CultureInfo.InvariantCulture) { IgnoreBlankLines = false, BadDataFound = _ => malformed = true };
        using var parser = new CsvParser(new StringReader(text.TrimStart('\uFEFF')), config);
        if (!parser.Read())
        {
            errors.Add("line 1", $"The file is empty: expected the header row {string.Join(",", Columns)}.");
            return ([], errors.ByPlace);
        }

        var header = parser.Record!.Select(h => h.Trim().ToLowerInvariant() switch { "editor" => "editors", var h2 => h2 }).ToList();
        foreach (var unknown in header.Where(h => !Columns.Contains(h)).Distinct())
        {
            errors.Add($"line 1: {unknown}", $"Unknown column '{unknown}'. The columns are: {string.Join(", ", Columns)} (year may be left out).");
        }

        foreach (var missing in Columns.Where(c => c != "year" && !header.Contains(c)))
        {
            errors.Add($"line 1: {missing}", $"Missing column '{missing}'. The columns are: {string.Join(", ", Columns)} (year may be left out).");
        }

        if (errors.Any)
        {
            return ([], errors.ByPlace);
        }

        while (true)
        {
            var line = parser.RawRow + 1;
            malformed = false;
            if (!parser.Read())
            {
                break;
            }

            var record = parser.Record!;
            var where = $"line {line}";
            if (malformed)
            {
                errors.Add(where, "Malformed CSV: a stray quote (\") in a field, or a quoted field that is never closed.");
                continue;
            }

            if (record.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            if (record.Length != header.Count)
            {
                errors.Add(where, $"Expected {header.Count} fields, as in the header; found {record.Length}.");
                continue;
            }

            string Cell(string column) => header.IndexOf(column) is >= 0 and var i ? CsvFiles.Unescape(record[i].Trim()) : "";
            int? year = null;
            if (Cell("year") is { Length: > 0 } y)
            {
                year = int.TryParse(y, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1;
            }

            Add(errors, finalists, $"{where}: ", Cell("title"), Cell("editors").Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries), year, y: Cell("year"));
        }

        return (finalists, errors.ByPlace);
    }

    private static (IReadOnlyList<PreviousFinalist>, IReadOnlyDictionary<string, string[]>) ReadJson(string text)
    {
        var errors = new Errors();
        var finalists = new List<PreviousFinalist>();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text.TrimStart('\uFEFF'));
        }
        catch (JsonException e)
        {
            errors.Add("body", JsonBodyErrors.Malformed(e));
            return ([], errors.ByPlace);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                errors.Add("body", "Expected an array of previous finalists: [{ \"title\": \"…\", \"editors\": [\"…\"], \"year\": 2023 }].");
                return ([], errors.ByPlace);
            }

            var index = 0;
            foreach (var item in document.RootElement.EnumerateArray())
            {
                var where = $"[{index++}]";
                if (item.ValueKind != JsonValueKind.Object)
                {
                    errors.Add(where, "Expected an object with title, editors and year.");
                    continue;
                }

                foreach (var property in item.EnumerateObject().Where(p => !Columns.Contains(p.Name)))
                {
                    errors.Add($"{where}.{property.Name}", $"Unknown field '{property.Name}'. The fields are: {string.Join(", ", Columns)}.");
                }

                var title = item.TryGetProperty("title", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()!.Trim() : null;
                string[]? editors = item.TryGetProperty("editors", out var e) && e.ValueKind == JsonValueKind.Array
                    && e.EnumerateArray().All(x => x.ValueKind == JsonValueKind.String)
                    ? [.. e.EnumerateArray().Select(x => x.GetString()!.Trim()).Where(x => x.Length > 0)]
                    : null;
                int? year = null;
                var yearText = "";
                if (item.TryGetProperty("year", out var y) && y.ValueKind != JsonValueKind.Null)
                {
                    yearText = y.ToString();
                    year = y.ValueKind == JsonValueKind.Number && y.TryGetInt32(out var n) ? n : -1;
                }

                if (title is null)
                {
                    errors.Add($"{where}.title", "Required: the title, as text.");
                }

                if (editors is null)
                {
                    errors.Add($"{where}.editors", "Required: the editors, as an array of names.");
                }

                if (title is not null && editors is not null)
                {
                    Add(errors, finalists, $"{where}.", title, editors, year, yearText);
                }
            }
        }

        return (finalists, errors.ByPlace);
    }

    /// <summary>Checks one finalist's fields (<paramref name="prefix"/> + field names the place) and adds it when right.</summary>
    private static void Add(Errors errors, List<PreviousFinalist> finalists, string prefix, string title, string[] editors, int? year, string y)
    {
        var ok = true;
        void Error(string field, string message)
        {
            errors.Add(prefix + field, message);
            ok = false;
        }

        if (title.Length == 0)
        {
            Error("title", "Required: the title.");
        }
        else if (title.Length > MaxText)
        {
            Error("title", $"At most {MaxText} characters.");
        }

        if (editors.Length == 0)
        {
            Error("editors", "Required: at least one editor (several separated by |).");
        }
        else if (editors.Any(e => e.Length > MaxText))
        {
            Error("editors", $"An editor's name has at most {MaxText} characters.");
        }

        if (year is not (null or (>= 1980 and <= 2200)))
        {
            Error("year", $"'{y}' is not a year (1980 to 2200), or leave it empty.");
        }

        if (ok)
        {
            if (finalists.Count >= MaxFinalists)
            {
                errors.Add("body", $"At most {MaxFinalists} previous finalists.");
                return;
            }

            finalists.Add(new PreviousFinalist { Title = title, Editors = editors, Year = year });
        }
    }

    /// <summary>The problems by place, at most a hundred (a wrong file gives one per line).</summary>
    private sealed class Errors
    {
        private readonly Dictionary<string, string[]> _byPlace = [];

        public IReadOnlyDictionary<string, string[]> ByPlace => _byPlace;

        public bool Any => _byPlace.Count > 0;

        public void Add(string place, string message)
        {
            if (_byPlace.Count < 100)
            {
                _byPlace.TryAdd(place, [message]);
            }
        }
    }
}
