using System.Globalization;
using AmvScreening.Server.Infrastructure;
using CsvHelper;
using CsvHelper.Configuration;

namespace AmvScreening.Server.Contest.Import;

/// <summary>The CSV finalists file (docs/import-formats.md): UTF-8, a header row, RFC 4180 quoting, one finalist per
/// row. A row is named by the line it starts on (the header is row 1), as a spreadsheet numbers it.</summary>
internal static class ContestCsv
{
    /// <summary>The columns, in the order export writes them: the JSON finalist fields in snake_case, without
    /// "disqualified" (the console sets that, not a spreadsheet).</summary>
    public static readonly IReadOnlyList<string> Columns =
        ["category", "order", "title", "editors", "music_artist", "music_title", "sources", "file", "content_note"];

    /// <summary>The only column a file may leave out.</summary>
    private const string OptionalColumn = "content_note";

    /// <summary>Between the names in the editors and sources cells. Not ';' nor ',': anime titles contain both
    /// ("Steins;Gate").</summary>
    public const char ListSeparator = '|';

    /// <summary>The file's finalists (its categories are the stored ones), or null when the header is not right.</summary>
    public static ContestFile? Read(string text, ImportIssues issues)
    {
        var malformed = false;
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            IgnoreBlankLines = false, // blank lines are skipped below, so that line numbers stay right
            BadDataFound = _ => malformed = true,
        };
        using var parser = new CsvParser(new StringReader(text.TrimStart(ContestFile.ByteOrderMark)), config);
        if (!parser.Read())
        {
            issues.Error("row 1", $"The file is empty: expected the header row {string.Join(",", Columns)}.");
            return null;
        }

        if (ReadHeader(parser.Record!, issues) is not { } header)
        {
            return null;
        }

        var rows = new List<FileRow<FinalistRecord>>();
        while (true)
        {
            var line = parser.RawRow + 1; // RawRow is the line the previous record ended on
            malformed = false;
            if (!parser.Read())
            {
                break;
            }

            var where = $"row {line}";
            var record = parser.Record!;
            if (malformed)
            {
                issues.Error(where, $"Malformed CSV at line {line}: a stray quote (\") in a field, or a quoted field that is never closed. " +
                    "A field that holds quotes, commas or line breaks must be in double quotes, with each quote inside it doubled.");
            }
            else if (record.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }
            else if (record.Length != header.Count)
            {
                issues.Error(where, $"Expected {header.Count} fields, as in the header; found {record.Length}.");
            }
            else
            {
                string Cell(string column) => header.TryGetValue(column, out var i) ? CsvFiles.Unescape(record[i].Trim()) : "";
                rows.Add(new FileRow<FinalistRecord>(
                    new FinalistRecord(
                        Cell("category"),
                        int.TryParse(Cell("order"), NumberStyles.None, CultureInfo.InvariantCulture, out var order) ? order : null,
                        Cell("title"),
                        List(Cell("editors")),
                        Cell("music_artist"),
                        Cell("music_title"),
                        List(Cell("sources")),
                        NullIfEmpty(Cell("file")),
                        NullIfEmpty(Cell("content_note"))),
                    where,
                    ContestFileFormat.Csv));
            }
        }

        return new ContestFile(null, [], rows, []);
    }

    /// <summary>The finalists as a CSV file (<see cref="CsvFiles"/>: formula-safe cells, which <see cref="Read"/> takes back).</summary>
    public static byte[] Write(IEnumerable<FinalistRecord> finalists) => CsvFiles.Write(finalists
        .Select(f => (IEnumerable<string?>)
        [
            f.Category, f.Order?.ToString(CultureInfo.InvariantCulture), f.Title, Join(f.Editors), f.MusicArtist, f.MusicTitle,
            Join(f.Sources), f.File, f.ContentNote,
        ])
        .Prepend(Columns));

    /// <summary>Column name → index; null (with the errors reported) when a column is missing, unknown or twice.</summary>
    private static Dictionary<string, int>? ReadHeader(string[] names, ImportIssues issues)
    {
        var header = new Dictionary<string, int>();
        var valid = true;
        foreach (var (name, i) in names.Select((n, i) => (n.Trim().ToLowerInvariant(), i)))
        {
            if (!Columns.Contains(name))
            {
                issues.Error($"row 1: {name}", $"Unknown column '{name}'. The columns are: {string.Join(", ", Columns)}.");
                valid = false;
            }
            else if (!header.TryAdd(name, i))
            {
                issues.Error($"row 1: {name}", $"The column '{name}' appears twice.");
                valid = false;
            }
        }

        foreach (var missing in Columns.Where(c => c != OptionalColumn && !header.ContainsKey(c)))
        {
            issues.Error($"row 1: {missing}", $"Missing column '{missing}'. The columns are: {string.Join(", ", Columns)} ({OptionalColumn} may be left out).");
            valid = false;
        }

        return valid ? header : null;
    }

    private static IReadOnlyList<string> List(string cell) =>
        cell.Split(ListSeparator, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static string Join(IEnumerable<string> names) => string.Join($" {ListSeparator} ", names);

    private static string? NullIfEmpty(string cell) => cell.Length > 0 ? cell : null;
}
