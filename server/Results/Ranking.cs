using AmvScreening.Protocol;
using AmvScreening.Server.Contest;
using static AmvScreening.Protocol.ResultsContract;

namespace AmvScreening.Server.Results;

/// <summary>
/// The contest's ranking rules, without I/O. Per category, each finalist not disqualified ranks by its mean score over
/// the online votes and paper ballots together, rounded to 2 decimals (what the console shows), then by its number of
/// votes; equal on both, entries share a rank (1, 1, 3). A tie at the top is never broken here: it is reported, and the
/// coordinator's recorded decision applies only while the decided entry is still among the tied. Best In Show goes to
/// the most picks on the ballot, or to the best mean of all finalists (<c>top-score</c>), under the same tie rule.
/// When the Best In Show winner may not keep its category prize, that prize goes to the best of the others, and is
/// not final until Best In Show is settled.
/// </summary>
public static class Ranking
{
    /// <summary>What an entry ranks by: a value (its rounded mean, or its picks), then its number of votes.</summary>
    public readonly record struct Standing(decimal Value, int Count) : IComparable<Standing>
    {
        public int CompareTo(Standing other) => Value != other.Value ? Value.CompareTo(other.Value) : Count.CompareTo(other.Count);
    }

    /// <summary>An entry's place in a ranking.</summary>
    public sealed record Placed(int EntryId, Standing Standing, int Rank);

    /// <summary>A finalist's votes: score → count online and on paper, and its Best In Show picks.</summary>
    public sealed record Finalist(
        int EntryId, int CategoryId, bool Disqualified, IReadOnlyDictionary<int, int> Online, IReadOnlyDictionary<int, int> Paper, int Picks)
    {
        public IReadOnlyDictionary<int, int> Combined { get; } = Merge(Online, Paper);
    }

    /// <param name="BestInShowMethod"><see cref="VotingSettings.Ballot"/> or <see cref="VotingSettings.TopScore"/>.</param>
    /// <param name="BestInShowVotingClosed">Nothing more can change Best In Show's votes: the ballot is closed (ballot
    /// method), or every category is (top-score).</param>
    public sealed record Rules(string BestInShowMethod, bool BestInShowKeepsCategoryPrize, bool BestInShowVotingClosed);

    public sealed record CategoryResult(IReadOnlyList<Placed> Ranking, PrizeOutcome Prize);

    public sealed record Result(IReadOnlyDictionary<int, CategoryResult> Categories, IReadOnlyList<Placed> BestInShowRanking, PrizeOutcome BestInShow);

    /// <summary>Ranks every category and Best In Show. <paramref name="finalists"/> in show order (the order among
    /// equals); <paramref name="decisions"/>: scope → the entry the coordinator chose in that scope's tie.</summary>
    public static Result Compute(IReadOnlyList<Finalist> finalists, Rules rules, IReadOnlyDictionary<string, int> decisions)
    {
        var running = finalists.Where(f => !f.Disqualified).ToList();
        var byTopScore = rules.BestInShowMethod == VotingSettings.TopScore;
        var bestInShowRanking = Rank(running.Select(f => (f.EntryId, byTopScore ? ByScore(f.Combined) : ByPicks(f.Picks))));
        var bestInShow = Decide(bestInShowRanking, DecisionIn(decisions, Scopes.BestInShow));
        var categories = running.GroupBy(f => f.CategoryId).ToDictionary(g => g.Key, g =>
        {
            var ranking = Rank(g.Select(f => (f.EntryId, ByScore(f.Combined))));
            return new CategoryResult(ranking, CategoryPrize(ranking, DecisionIn(decisions, Scopes.Category(g.Key)), rules, bestInShow));
        });
        return new Result(categories, bestInShowRanking, bestInShow);
    }

    /// <summary>The mean score, rounded to the 2 decimals shown; null without votes.</summary>
    public static decimal? Mean(IReadOnlyDictionary<int, int> counts)
    {
        var count = counts.Values.Sum();
        return count == 0 ? null : Math.Round((decimal)counts.Sum(c => (long)c.Key * c.Value) / count, 2, MidpointRounding.AwayFromZero);
    }

    public static IReadOnlyDictionary<int, int> Merge(IReadOnlyDictionary<int, int> a, IReadOnlyDictionary<int, int> b) =>
        a.Keys.Union(b.Keys).Order().ToDictionary(score => score, score => a.GetValueOrDefault(score) + b.GetValueOrDefault(score));

    /// <summary><paramref name="a"/> less <paramref name="b"/>, score by score.</summary>
    public static IReadOnlyDictionary<int, int> Subtract(IReadOnlyDictionary<int, int> a, IReadOnlyDictionary<int, int> b) =>
        b.Count == 0 ? a : a.Where(c => c.Value - b.GetValueOrDefault(c.Key) > 0).ToDictionary(c => c.Key, c => c.Value - b.GetValueOrDefault(c.Key));

    /// <summary>Whether two outcomes name the same winner, or the same entries tied undecided.</summary>
    public static bool SameWinner(PrizeOutcome a, PrizeOutcome b) => a.WinnerId == b.WinnerId && a.Tied.SequenceEqual(b.Tied);

    public static Standing ByScore(IReadOnlyDictionary<int, int> counts) => new(Mean(counts) ?? 0, counts.Values.Sum());

    /// <summary>Picks are both the value and the count: equal picks tie, no picks is no votes.</summary>
    public static Standing ByPicks(int picks) => new(picks, picks);

    /// <summary>Best first, standard competition ranks; equals keep the order they came in.</summary>
    public static IReadOnlyList<Placed> Rank(IEnumerable<(int EntryId, Standing Standing)> contenders)
    {
        var placed = new List<Placed>();
        foreach (var (entryId, standing) in contenders.OrderByDescending(c => c.Standing))
        {
            var rank = placed.Count > 0 && placed[^1].Standing == standing ? placed[^1].Rank : placed.Count + 1;
            placed.Add(new Placed(entryId, standing, rank));
        }

        return placed;
    }

    /// <summary>The winner of <paramref name="ranking"/> leaving out <paramref name="excluded"/>: the single best, or
    /// among entries tied at the top the <paramref name="decision"/> if it is one of them.</summary>
    public static PrizeOutcome Decide(IReadOnlyList<Placed> ranking, int? decision, int? excluded = null)
    {
        var candidates = ranking.Where(p => p.EntryId != excluded).ToList();
        if (candidates.Count == 0 || candidates[0].Standing.Count == 0)
        {
            return new PrizeOutcome(null, [], null, Reasons.NoVotes);
        }

        var top = candidates.TakeWhile(p => p.Standing == candidates[0].Standing).Select(p => p.EntryId).ToList();
        return top.Count == 1 ? new PrizeOutcome(top[0], [], null, null)
            : decision is { } chosen && top.Contains(chosen) ? new PrizeOutcome(chosen, top, chosen, null)
            : new PrizeOutcome(null, top, null, Reasons.TieUndecided);
    }

    /// <summary>A category's prize under the contest's double-win policy.</summary>
    public static PrizeOutcome CategoryPrize(IReadOnlyList<Placed> ranking, int? decision, Rules rules, PrizeOutcome bestInShow)
    {
        if (rules.BestInShowKeepsCategoryPrize)
        {
            return Decide(ranking, decision);
        }

        var prize = Decide(ranking, decision, excluded: bestInShow.WinnerId);
        var bestInShowSettled = rules.BestInShowVotingClosed && bestInShow.Blocker != Reasons.TieUndecided;
        return bestInShowSettled || prize.Blocker is not null ? prize : prize with { Blocker = Reasons.BestInShowUndecided };
    }

    private static int? DecisionIn(IReadOnlyDictionary<string, int> decisions, string scope) =>
        decisions.TryGetValue(scope, out var entryId) ? entryId : null;
}
