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
/// <param name="VotedAt">When the ballot now held was cast; <paramref name="FirstVotedAt"/>: when the voter first voted there.</param>
/// <param name="JoinedAt">When the voter joined (null: a voter from before joins were recorded).</param>
/// <param name="JoinedVia"><c>screen</c>, <c>poster</c> or <c>card</c>; <paramref name="Poster"/> the poster's label,
/// <paramref name="CardBatch"/> the card batch's label (never a card key).</param>
/// <param name="Flag">The voter's flagged cluster, if any (docs/ballot-integrity.md).</param>
public sealed record BallotExportRow(
    string Kind,
    string Voter,
    int EntryId,
    string Title,
    int? Score,
    DateTimeOffset VotedAt,
    DateTimeOffset FirstVotedAt,
    DateTimeOffset? JoinedAt,
    string? JoinedVia,
    string? Poster,
    string? CardBatch,
    BallotFlag? Flag);

/// <summary>A ballot's flag: its voter's cluster, why (<c>burst</c> or <c>drip</c>, and the signs found), and the
/// coordinator's exclusion that leaves it out of the tally, if one is in force.</summary>
public sealed record BallotFlag(string Cluster, string Reason, IReadOnlyList<string> Signs, int? ExcludedByDecision);

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
            r.Kind, r.Voter, Number(r.EntryId), r.Title, r.Score is { } score ? Number(score) : "", Time(r.VotedAt), Time(r.FirstVotedAt),
            r.JoinedAt is { } joined ? Time(joined) : "", r.JoinedVia ?? "", r.Poster ?? "", r.CardBatch ?? "",
            r.Flag?.Cluster ?? "", r.Flag?.Reason ?? "", string.Join(ListSeparator, r.Flag?.Signs ?? []),
            r.Flag?.ExcludedByDecision is { } decision ? Number(decision) : "",
        ])
        .Prepend(["kind", "voter", "entry_id", "title", "score", "voted_at", "first_voted_at", "joined_at", "joined_via", "poster", "card_batch",
            "flag_cluster", "flag_reason", "flag_signs", "excluded_by_decision"]));

    /// <summary>The coordinator's decisions about flagged clusters, in order.</summary>
    public static byte[] Decisions(IReadOnlyList<AmvScreening.Protocol.FlagDecision> decisions) => CsvFiles.Write(decisions.Select(d => (IEnumerable<string>)
        [
            Number(d.Id), d.Cluster, d.Action, d.Reason, d.Summary, d.Note, d.DecidedBy, Time(d.DecidedAt), Number(d.Voters),
        ])
        .Prepend(["decision", "cluster", "action", "reason", "summary", "note", "decided_by", "decided_at", "voters"]));

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
