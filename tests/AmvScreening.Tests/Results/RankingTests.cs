using AmvScreening.Protocol;
using AmvScreening.Server.Contest;
using AmvScreening.Server.Results;
using AmvScreening.Tests.Support;
using static AmvScreening.Protocol.ResultsContract;
using static AmvScreening.Server.Results.Ranking;

namespace AmvScreening.Tests.Results;

[Trait("Kind", "Unit")]
public sealed class RankingTests
{
    private static readonly Rules BallotKeeps = new(VotingSettings.Ballot, BestInShowKeepsCategoryPrize: true, BestInShowVotingClosed: true);
    private static readonly Dictionary<string, int> NoDecisions = [];

    /// <summary>Score → count of the scores given, e.g. Votes(5, 5, 4) = { 5: 2, 4: 1 }.</summary>
    private static IReadOnlyDictionary<int, int> Votes(params int[] scores) => scores.CountBy(s => s).ToDictionary();

    private static Finalist Entry(int id, int category, IReadOnlyDictionary<int, int> online, IReadOnlyDictionary<int, int>? paper = null,
        int picks = 0, bool disqualified = false) =>
        new(id, category, disqualified, online, paper ?? Votes(), picks);

    private static PrizeOutcome CategoryOne(Result result) => result.Categories[1].Prize;

    [Fact]
    public void Mean_MergesOnlineAndPaperVotes_AndRoundsToTwoDecimals()
    {
        var entry = Entry(1, 1, Votes(5, 4), paper: Votes(4));
        Assert.Equal(new Dictionary<int, int> { [4] = 2, [5] = 1 }, entry.Combined);
        Assert.Equal(4.33m, Mean(entry.Combined));
        Assert.Equal(new Standing(4.33m, 3), ByScore(entry.Combined));
        Assert.Null(Mean(Votes()));
        Assert.Equal(4.67m, Mean(Votes(5, 5, 4))); // 4.666… rounds up
    }

    [Fact]
    public void Rank_OrdersByMeanThenVoteCount_WithStandardCompetitionRanks()
    {
        var ranking = Rank([(1, new(4.5m, 2)), (2, new(4.5m, 4)), (3, new(4.5m, 2)), (4, new(3m, 9)), (5, new(0, 0))]);
        Assert.Equal([2, 1, 3, 4, 5], ranking.Select(p => p.EntryId));
        Assert.Equal([1, 2, 2, 4, 5], ranking.Select(p => p.Rank));
    }

    [Fact]
    public void MeansEqualToTwoDecimals_WithEqualCounts_AreATieThatIsReported()
    {
        // 999/300 = 3.3300 and 1000/300 = 3.3333: the same to the precision shown.
        var a = new Dictionary<int, int> { [3] = 201, [4] = 99 };
        var b = new Dictionary<int, int> { [3] = 200, [4] = 100 };
        var result = Compute([Entry(1, 1, a), Entry(2, 1, b), Entry(3, 1, Votes(3))], BallotKeeps, NoDecisions);

        PrizeAssert.Equal(new PrizeOutcome(null, [1, 2], null, Reasons.TieUndecided), CategoryOne(result));
        Assert.Equal([1, 1, 3], result.Categories[1].Ranking.Select(p => p.Rank));
    }

    [Fact]
    public void EqualMeans_WithDifferentCounts_AreNoTie_MoreVotesRankFirst()
    {
        var result = Compute([Entry(1, 1, Votes(5, 4)), Entry(2, 1, Votes(5, 4, 5, 4))], BallotKeeps, NoDecisions);
        PrizeAssert.Equal(new PrizeOutcome(2, [], null, null), CategoryOne(result));
    }

    [Fact]
    public void NoVotesAtAll_IsNoWinner_NotATie()
    {
        var result = Compute([Entry(1, 1, Votes()), Entry(2, 1, Votes())], BallotKeeps, NoDecisions);
        PrizeAssert.Equal(new PrizeOutcome(null, [], null, Reasons.NoVotes), CategoryOne(result));
    }

    [Fact]
    public void ATieDecision_AppliesOnlyWhileTheDecidedEntryIsStillAmongTheTied()
    {
        var decided = new Dictionary<string, int> { [Scopes.Category(1)] = 2 };
        var tied = Compute([Entry(1, 1, Votes(5, 4)), Entry(2, 1, Votes(4, 5)), Entry(3, 1, Votes(3))], BallotKeeps, decided);
        PrizeAssert.Equal(new PrizeOutcome(2, [1, 2], 2, null), CategoryOne(tied));

        // A late paper ballot breaks the tie for entry 1: the decision no longer applies.
        var broken = Compute([Entry(1, 1, Votes(5, 4), paper: Votes(5)), Entry(2, 1, Votes(4, 5)), Entry(3, 1, Votes(3))], BallotKeeps, decided);
        PrizeAssert.Equal(new PrizeOutcome(1, [], null, null), CategoryOne(broken));

        // A new tie without entry 2 needs a new decision.
        var other = Compute([Entry(1, 1, Votes(5, 4)), Entry(2, 1, Votes(3)), Entry(3, 1, Votes(4, 5))], BallotKeeps, decided);
        PrizeAssert.Equal(new PrizeOutcome(null, [1, 3], null, Reasons.TieUndecided), CategoryOne(other));
    }

    [Fact]
    public void DisqualifiedEntries_AreNotRanked_AndWinNothing()
    {
        var result = Compute(
            [Entry(1, 1, Votes(5, 5, 5), picks: 9, disqualified: true), Entry(2, 1, Votes(4), picks: 1), Entry(3, 1, Votes(3))],
            BallotKeeps,
            NoDecisions);

        Assert.Equal([2, 3], result.Categories[1].Ranking.Select(p => p.EntryId));
        Assert.Equal(2, CategoryOne(result).WinnerId);
        Assert.DoesNotContain(result.BestInShowRanking, p => p.EntryId == 1);
        Assert.Equal(2, result.BestInShow.WinnerId);
    }

    [Fact]
    public void PaperBallots_CanChangeTheWinner()
    {
        var onlineOnly = Compute([Entry(1, 1, Votes(5, 4)), Entry(2, 1, Votes(4))], BallotKeeps, NoDecisions);
        var withPaper = Compute([Entry(1, 1, Votes(5, 4)), Entry(2, 1, Votes(4), paper: Votes(5, 5, 5))], BallotKeeps, NoDecisions);

        Assert.Equal(1, CategoryOne(onlineOnly).WinnerId);
        Assert.Equal(2, CategoryOne(withPaper).WinnerId); // (4 + 15) / 4 = 4.75 > 4.50
    }

    [Fact]
    public void BestInShowByBallot_GoesToTheMostPicks_WhateverTheScores()
    {
        var result = Compute([Entry(1, 1, Votes(5, 5), picks: 1), Entry(2, 2, Votes(3), picks: 4), Entry(3, 2, Votes(4), picks: 2)], BallotKeeps, NoDecisions);
        Assert.Equal(2, result.BestInShow.WinnerId);
        Assert.Equal([2, 3, 1], result.BestInShowRanking.Select(p => p.EntryId));
    }

    [Fact]
    public void BestInShowByBallot_TiedOnPicks_WaitsForTheCoordinator_ThenTheirDecisionWins()
    {
        Finalist[] finalists = [Entry(1, 1, Votes(5), picks: 3), Entry(2, 2, Votes(3), picks: 3), Entry(3, 2, Votes(4), picks: 1)];
        PrizeAssert.Equal(new PrizeOutcome(null, [1, 2], null, Reasons.TieUndecided), Compute(finalists, BallotKeeps, NoDecisions).BestInShow);

        var decided = Compute(finalists, BallotKeeps, new Dictionary<string, int> { [Scopes.BestInShow] = 2 });
        PrizeAssert.Equal(new PrizeOutcome(2, [1, 2], 2, null), decided.BestInShow);
    }

    [Fact]
    public void BestInShowByTopScore_GoesToTheBestMeanAcrossAllCategories_PicksIgnored()
    {
        var rules = BallotKeeps with { BestInShowMethod = VotingSettings.TopScore };
        var result = Compute([Entry(1, 1, Votes(5, 4), picks: 9), Entry(2, 2, Votes(5, 5)), Entry(3, 2, Votes(4))], rules, NoDecisions);
        Assert.Equal(2, result.BestInShow.WinnerId);
        Assert.Equal([2, 1, 3], result.BestInShowRanking.Select(p => p.EntryId));
    }

    [Fact]
    public void WhenBestInShowKeepsItsCategoryPrize_OneEntryWinsBoth()
    {
        var result = Compute([Entry(1, 1, Votes(5, 5), picks: 3), Entry(2, 1, Votes(4), picks: 1)], BallotKeeps, NoDecisions);
        Assert.Equal(1, result.BestInShow.WinnerId);
        PrizeAssert.Equal(new PrizeOutcome(1, [], null, null), CategoryOne(result));
    }

    [Fact]
    public void WhenBestInShowGivesUpItsCategoryPrize_TheBestOfTheOthersWinsTheCategory()
    {
        var rules = BallotKeeps with { BestInShowKeepsCategoryPrize = false };
        var result = Compute([Entry(1, 1, Votes(5, 5), picks: 3), Entry(2, 1, Votes(4), picks: 1), Entry(3, 2, Votes(5))], rules, NoDecisions);

        Assert.Equal(1, result.BestInShow.WinnerId);
        PrizeAssert.Equal(new PrizeOutcome(2, [], null, null), CategoryOne(result));
        Assert.Equal(3, result.Categories[2].Prize.WinnerId); // a category without the Best In Show winner is untouched
        Assert.Equal([1, 2], result.Categories[1].Ranking.Select(p => p.Rank)); // the ranking itself still shows entry 1 first
    }

    [Fact]
    public void WhenBestInShowGivesUpItsCategoryPrize_CategoriesWaitUntilBestInShowIsSettled()
    {
        var rules = new Rules(VotingSettings.Ballot, BestInShowKeepsCategoryPrize: false, BestInShowVotingClosed: false);
        Finalist[] finalists = [Entry(1, 1, Votes(5, 5), picks: 3), Entry(2, 1, Votes(4), picks: 3)];

        // Ballot still open: the provisional winner is shown, but it is not final.
        var open = Compute([Entry(1, 1, Votes(5, 5), picks: 3), Entry(2, 1, Votes(4), picks: 1)], rules, NoDecisions);
        PrizeAssert.Equal(new PrizeOutcome(2, [], null, Reasons.BestInShowUndecided), CategoryOne(open));

        // Ballot closed but Best In Show tied: still not final.
        var tied = Compute(finalists, rules with { BestInShowVotingClosed = true }, NoDecisions);
        Assert.Equal(Reasons.BestInShowUndecided, CategoryOne(tied).Blocker);

        // The coordinator decides Best In Show for entry 2: entry 1 takes the category.
        var decided = Compute(finalists, rules with { BestInShowVotingClosed = true }, new Dictionary<string, int> { [Scopes.BestInShow] = 2 });
        PrizeAssert.Equal(new PrizeOutcome(1, [], null, null), CategoryOne(decided));
    }
}
