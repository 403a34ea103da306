using System.Globalization;
using AmvScreening.Server.Infrastructure;

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

/// <summary>The exports as CSV (<see cref="CsvFiles"/>: formula-safe cells, UTF-8 with a byte order mark).</summary>
public static class ResultsCsv
{
    /// <summary>Lists (editors, awards) join with this inside one field.</summary>
    public const string ListSeparator = "; ";

    public static byte[] Results(IReadOnlyList<ResultsExportRow> rows, int scoreMin, int scoreMax)
    {
        var scale = Enumerable.Range(scoreMin, scoreMax - scoreMin + 1).ToList();
        return CsvFiles.Write(rows.Select(r => (IEnumerable<string>)
            [
                Number(r.EntryId), r.Category, r.Title, string.Join(ListSeparator, r.Editors), r.Mean?.ToString("0.00", CultureInfo.InvariantCulture) ?? "",
                Number(r.Count), .. scale.Select(s => Number(r.Online.GetValueOrDefault(s))), .. scale.Select(s => Number(r.Paper.GetValueOrDefault(s))),
                Number(r.Rank), string.Join(ListSeparator, r.Awards), Number(r.BestInShowPicks),
            ])
            .Prepend(["entry_id", "category", "title", "editors", "mean", "count", .. scale.Select(s => $"online_{s}"), .. scale.Select(s => $"paper_{s}"),
                "rank", "awards", "best_in_show_picks"]));
    }

    public static byte[] Ballots(IReadOnlyList<BallotExportRow> rows) => CsvFiles.Write(rows.Select(r => (IEnumerable<string>)
        [
            r.Kind, r.Voter, Number(r.EntryId), r.Title, r.Score is { } score ? Number(score) : "",
            r.VotedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        ])
        .Prepend(["kind", "voter", "entry_id", "title", "score", "voted_at"]));

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
