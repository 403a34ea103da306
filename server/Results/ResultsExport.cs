using System.Globalization;
using System.Text;
using CsvHelper;

namespace AmvScreening.Server.Results;

/// <summary>One ranked finalist in the results export.</summary>
/// <param name="Online">Score → phone votes. <paramref name="Paper"/>: score → paper ballots.</param>
/// <param name="Awards">Names of the judges' awards it received.</param>
public sealed record ResultsExportRow(
    int EntryId,
    string Category,
    string Title,
    IReadOnlyList<string> Editors,
    decimal? Mean,
    int Count,
    IReadOnlyDictionary<int, int> Online,
    IReadOnlyDictionary<int, int> Paper,
    int Rank,
    IReadOnlyList<string> Awards,
    int BestInShowPicks);

/// <summary>One vote (<c>kind</c> "score") or Best In Show pick (<c>kind</c> "best-in-show", no score) for audit.</summary>
/// <param name="Voter">The voter's pseudonym: never the token nor the voter id.</param>
public sealed record BallotExportRow(string Kind, string Voter, int EntryId, string Title, int? Score, DateTimeOffset VotedAt);

/// <summary>The exports as CSV (RFC 4180 quoting, UTF-8 with a byte order mark so spreadsheets read titles in any script).</summary>
public static class ResultsCsv
{
    public const string ContentType = "text/csv; charset=utf-8";

    /// <summary>Lists (editors, awards) join with this inside one field.</summary>
    public const string ListSeparator = "; ";

    public static byte[] Results(IReadOnlyList<ResultsExportRow> rows, int scoreMin, int scoreMax)
    {
        var scale = Enumerable.Range(scoreMin, scoreMax - scoreMin + 1).ToList();
        return Write(
            ["entry_id", "category", "title", "editors", "mean", "count", .. scale.Select(s => $"online_{s}"), .. scale.Select(s => $"paper_{s}"),
                "rank", "awards", "best_in_show_picks"],
            rows.Select(r => (IEnumerable<string>)
            [
                Number(r.EntryId), r.Category, r.Title, string.Join(ListSeparator, r.Editors), r.Mean?.ToString("0.00", CultureInfo.InvariantCulture) ?? "",
                Number(r.Count), .. scale.Select(s => Number(r.Online.GetValueOrDefault(s))), .. scale.Select(s => Number(r.Paper.GetValueOrDefault(s))),
                Number(r.Rank), string.Join(ListSeparator, r.Awards), Number(r.BestInShowPicks),
            ]));
    }

    public static byte[] Ballots(IReadOnlyList<BallotExportRow> rows) => Write(
        ["kind", "voter", "entry_id", "title", "score", "voted_at"],
        rows.Select(r => (IEnumerable<string>)
        [
            r.Kind, r.Voter, Number(r.EntryId), r.Title, r.Score is { } score ? Number(score) : "",
            r.VotedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        ]));

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static byte[] Write(IEnumerable<string> header, IEnumerable<IEnumerable<string>> rows)
    {
        using var stream = new MemoryStream();
        using (var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true)))
        using (var csv = new CsvWriter(writer, CultureInfo.InvariantCulture))
        {
            foreach (var row in rows.Prepend(header))
            {
                foreach (var field in row)
                {
                    csv.WriteField(field);
                }

                csv.NextRecord();
            }
        }

        return stream.ToArray();
    }
}
