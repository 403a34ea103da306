namespace AmvScreening.Protocol;

/// <summary>Names shared by the results API, its pushes and the consoles.</summary>
public static class ResultsContract
{
    /// <summary>What a tie decision or a reveal concerns (<c>tie_decisions.scope</c>, <c>reveals.scope</c>).</summary>
    public static class Scopes
    {
        public const string BestInShow = "best-in-show";
        public const string Awards = "awards";
        public const string CategoryPrefix = "category:";

        /// <summary>One award: revealed on its own (the prizegiving reveals them one by one) and put on the projector
        /// (<see cref="PlayerCommandKind.ShowPrize"/>). <see cref="Awards"/> reveals every award at once, and any given
        /// after.</summary>
        public const string AwardPrefix = "award:";

        public static string Category(int categoryId) => CategoryPrefix + categoryId.ToString(System.Globalization.CultureInfo.InvariantCulture);

        public static string Award(int awardId) => AwardPrefix + awardId.ToString(System.Globalization.CultureInfo.InvariantCulture);

        /// <summary>The category of <c>category:{id}</c>, else null.</summary>
        public static int? CategoryIdOf(string? scope) => IdAfter(CategoryPrefix, scope);

        /// <summary>The award of <c>award:{id}</c>, else null.</summary>
        public static int? AwardIdOf(string? scope) => IdAfter(AwardPrefix, scope);

        private static int? IdAfter(string prefix, string? scope) =>
            scope is not null && scope.StartsWith(prefix, StringComparison.Ordinal)
            && int.TryParse(scope.AsSpan(prefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
            && id > 0 ? id : null;
    }

    /// <summary>The <c>reason</c> of a 409 from the results API, and of <see cref="PrizeOutcome.Blocker"/>.</summary>
    public static class Reasons
    {
        /// <summary>Voting in the category is not closed.</summary>
        public const string CategoryOpen = "category-open";
        /// <summary>Entries tie at the top and the coordinator has not decided between them.</summary>
        public const string TieUndecided = "tie-undecided";
        /// <summary>Nobody has voted for (or picked) any entry.</summary>
        public const string NoVotes = "no-votes";
        /// <summary>The Best In Show winner may not keep its category prize and is not known for sure yet.</summary>
        public const string BestInShowUndecided = "best-in-show-undecided";
        /// <summary>Best In Show comes after every category.</summary>
        public const string CategoriesNotRevealed = "categories-not-revealed";
        /// <summary>The Best In Show ballot is open, or was never closed.</summary>
        public const string BallotOpen = "ballot-open";
        /// <summary>A tie decision for an entry that is not among the tied.</summary>
        public const string NotTied = "not-tied";
        /// <summary>What was asked would change a result already revealed.</summary>
        public const string AlreadyRevealed = "already-revealed";
        /// <summary>Counting a flagged cluster again, when it is not excluded.</summary>
        public const string NotExcluded = "not-excluded";
    }

    /// <summary>Award names the coordinator console offers; any other name is accepted too.</summary>
    public static IReadOnlyList<string> AwardPresets { get; } =
        ["Judges' Choice", "Coordinator's Choice", "Technical Effects", "Honorable Mention"];
}

/// <summary>A judges' or coordinators' award with its finalist.</summary>
/// <param name="RevealedAt">When it was revealed (its own reveal, or every award's), null until then.</param>
public sealed record AwardSummary(int Id, string Name, string? Note, EntrySummary Entry, DateTimeOffset? RevealedAt = null);

/// <summary>A place in a revealed category (docs/prizegiving.md): rank 1 is the winner.</summary>
/// <param name="Mean">Mean score (online and paper), to 2 decimals.</param>
/// <param name="Votes">Votes counted (online and paper).</param>
public sealed record Placing(int Rank, EntrySummary Entry, double Mean, int Votes);

/// <summary>A revealed category prize.</summary>
/// <param name="Placings">Every ranked finalist of the category, by rank (1 = the winner), when the contest's prizegiving
/// shows the placings; null when it shows the winner alone.</param>
public sealed record RevealedCategory(int CategoryId, string Name, EntrySummary Winner, DateTimeOffset RevealedAt,
    IReadOnlyList<Placing>? Placings = null);

/// <summary>The revealed Best In Show.</summary>
public sealed record RevealedWinner(EntrySummary Winner, DateTimeOffset RevealedAt);

/// <summary>The awards revealed so far, each with its own time; <paramref name="RevealedAt"/> is the latest of them.</summary>
public sealed record RevealedAwards(IReadOnlyList<AwardSummary> Awards, DateTimeOffset RevealedAt);

/// <summary>What the audience may know (server → everyone, <see cref="IShowClient.ResultsRevealed"/>; also GET /api/results):
/// only what has been revealed, categories in show order. Nothing about scores.</summary>
public sealed record PublicResults(IReadOnlyList<RevealedCategory> Categories, RevealedWinner? BestInShow, RevealedAwards? Awards)
{
    public static PublicResults None { get; } = new([], null, null);

    /// <summary>What <paramref name="entryId"/> is revealed to have won (a category's name, "Best In Show", an award's
    /// name), the most recently revealed first; empty when nothing it won has been revealed. This is the rule for what a
    /// winner slate may show: the server refuses a <see cref="PlayerCommandKind.ShowWinner"/> for anything else, and the
    /// player ignores one.</summary>
    public IReadOnlyList<string> PrizesOf(int entryId) =>
        Categories.Where(c => c.Winner.Id == entryId).Select(c => (c.Name, c.RevealedAt))
            .Concat(BestInShow is { } best && best.Winner.Id == entryId ? [("Best In Show", best.RevealedAt)] : [])
            .Concat(Awards is { } awards ? awards.Awards.Where(a => a.Entry.Id == entryId).Select(a => (a.Name, RevealedAt: a.RevealedAt ?? awards.RevealedAt)) : [])
            .OrderByDescending(p => p.RevealedAt)
            .Select(p => p.Name)
            .ToList();

    /// <summary>The winner a prizegiving slate of <paramref name="scope"/> announces, when it is revealed: a category's
    /// (<c>category:{id}</c>), Best In Show's (<c>best-in-show</c>), an award's (<c>award:{id}</c>); else null. This is
    /// the rule for what a prize slate may show: the server refuses a <see cref="PlayerCommandKind.ShowPrize"/> and a
    /// report of anything else, and the player ignores one.</summary>
    public EntrySummary? WinnerOf(string? scope) =>
        ResultsContract.Scopes.CategoryIdOf(scope) is { } categoryId ? Categories.FirstOrDefault(c => c.CategoryId == categoryId)?.Winner
        : scope == ResultsContract.Scopes.BestInShow ? BestInShow?.Winner
        : ResultsContract.Scopes.AwardIdOf(scope) is { } awardId ? Awards?.Awards.FirstOrDefault(a => a.Id == awardId)?.Entry
        : null;

    /// <summary>The summary of an entry these results name (a revealed winner or award), or null.</summary>
    public EntrySummary? FindEntry(int entryId) =>
        Categories.Select(c => c.Winner)
            .Concat(BestInShow is { } best ? [best.Winner] : [])
            .Concat(Awards?.Awards.Select(a => a.Entry) ?? [])
            .FirstOrDefault(e => e.Id == entryId);
}

/// <summary>Who wins a prize as the votes stand now.</summary>
/// <param name="WinnerId">The winner, or null while entries tie undecided or nobody voted.</param>
/// <param name="Tied">The entries tied at the top (empty when there is no tie), decided or not.</param>
/// <param name="DecidedEntryId">The coordinator's decision, when it breaks the tie now.</param>
/// <param name="Blocker">Why revealing the prize is refused now (a <see cref="ResultsContract.Reasons"/> value), or null.</param>
public sealed record PrizeOutcome(int? WinnerId, IReadOnlyList<int> Tied, int? DecidedEntryId, string? Blocker);

/// <summary>One finalist's votes in its category, for the coordinators.</summary>
/// <param name="Online">Score → number of phone votes, every score of the scale.</param>
/// <param name="Paper">Score → number of paper ballots, every score of the scale.</param>
/// <param name="Combined">Online and paper added.</param>
/// <param name="Count">Votes counted (online and paper).</param>
/// <param name="Mean">Mean score to 2 decimals (what ranks), null without votes.</param>
/// <param name="Rank">Standard competition rank (1, 1, 3) in the category.</param>
/// <param name="Flagged">Of its phone votes counted, how many come from voters in a flagged cluster
/// (docs/ballot-integrity.md).</param>
/// <param name="Excluded">Phone votes the coordinator excluded with their cluster: not in <paramref name="Online"/>,
/// the count or the mean.</param>
public sealed record TallyRow(
    int EntryId,
    string Title,
    IReadOnlyList<string> Editors,
    IReadOnlyDictionary<int, int> Online,
    IReadOnlyDictionary<int, int> Paper,
    IReadOnlyDictionary<int, int> Combined,
    int Count,
    decimal? Mean,
    int Rank,
    int Flagged,
    int Excluded);

/// <summary>A category's tally: voting status, ranking (best first; disqualified entries are not ranked), prize.</summary>
/// <param name="Voters">Turnout: phones with at least one vote counted in the category (paper ballots are not voters).</param>
/// <param name="WinnerWithoutFlagged">Who would win without the flagged votes still counted (null: a tie or no votes).</param>
/// <param name="FlagsChangeWinner">Whether leaving out the flagged votes changes the winner (or the tie at the top).</param>
public sealed record CategoryTally(
    int CategoryId,
    string Name,
    CategoryVotingStatus Status,
    IReadOnlyList<TallyRow> Rows,
    PrizeOutcome Outcome,
    string? DecisionNote,
    DateTimeOffset? RevealedAt,
    int? WinnerWithoutFlagged,
    bool FlagsChangeWinner,
    int Voters);

/// <summary>A finalist in the Best In Show race: its picks on the ballot and its mean over all its votes.</summary>
/// <param name="Rank">Rank by the contest's method (picks, or mean then count).</param>
/// <param name="Flagged">Of its picks counted, how many come from voters in a flagged cluster.</param>
/// <param name="Excluded">Picks excluded with their cluster (not in <paramref name="Picks"/>).</param>
public sealed record BestInShowRow(
    int EntryId, string Title, int CategoryId, string Category, int Picks, decimal? Mean, int Count, int Rank, int Flagged, int Excluded);

/// <summary>Best In Show: method (<c>ballot</c> or <c>top-score</c>), whether its winner keeps its category prize, the
/// ballot's status, the ranking by that method, the prize.</summary>
public sealed record BestInShowTally(
    string Method,
    bool KeepsCategoryPrize,
    BallotStatus Ballot,
    IReadOnlyList<BestInShowRow> Rows,
    PrizeOutcome Outcome,
    string? DecisionNote,
    DateTimeOffset? RevealedAt,
    int? WinnerWithoutFlagged,
    bool FlagsChangeWinner);

/// <summary>The awards given (each with when it was revealed), the names the console offers.</summary>
/// <param name="RevealedAt">When every award was revealed at once (<see cref="ResultsContract.Scopes.Awards"/>): from then
/// on an award given is public at once. Null otherwise.</param>
public sealed record AwardsTally(IReadOnlyList<string> Presets, IReadOnlyList<AwardSummary> Awards, DateTimeOffset? RevealedAt);

/// <summary>Everything the coordinators see of the results (server → coordinators, <see cref="IShowClient.TallyChanged"/>;
/// also GET /api/tallies). Never sent to voters or the booth.</summary>
/// <param name="Flags">The clusters of voters flagged as stuffing, and those the coordinator excluded (docs/ballot-integrity.md).</param>
public sealed record Tally(
    int ScoreMin, int ScoreMax, IReadOnlyList<CategoryTally> Categories, BestInShowTally BestInShow, AwardsTally Awards, IReadOnlyList<FlagCluster> Flags);

/// <summary>The room's turnout, for the booth (server → booth and coordinators, <see cref="IShowClient.TurnoutChanged"/>;
/// also GET /api/turnout): how many votes each finalist has and how many phones voted in each category. Never a score,
/// a mean, a rank or a Best In Show pick: nothing that tells who is winning.</summary>
public sealed record Turnout(IReadOnlyList<CategoryTurnout> Categories);

/// <summary>One category's turnout: phones that voted in it, and the votes counted per finalist (phone and paper).</summary>
public sealed record CategoryTurnout(int CategoryId, int Voters, IReadOnlyList<EntryTurnout> Entries);

/// <summary>Votes counted for one finalist (phone and paper); listed by entry id, never in rank order.</summary>
public sealed record EntryTurnout(int EntryId, int Votes);

/// <summary>A cluster of voters whose ballots look scripted: one network, the very same ballots, signs of a program
/// (docs/ballot-integrity.md).</summary>
/// <param name="Id">Stable while its network and ballots stay the same: what exclude and include name.</param>
/// <param name="Reason"><c>burst</c> (its voters joined within two minutes) or <c>drip</c> (over a longer time).</param>
/// <param name="Signs">The signs of a program found, each with how many of its voters show it.</param>
/// <param name="Summary">The reason in words: the ballots, how many voters, over how long, the signs.</param>
/// <param name="Voters">Its voters: flagged now, or the ones excluded when it is excluded and no longer flagged.</param>
/// <param name="Entries">The entries its ballots are for.</param>
/// <param name="Flagged">Whether the rules flag it now (an excluded cluster stays listed so that it can be counted again).</param>
/// <param name="Excluded">Whether its voters' ballots are left out of the tally.</param>
/// <param name="Locked">Whether a result its ballots count in is revealed already: no more decisions about it.</param>
/// <param name="Decision">The latest decision about it, if any.</param>
public sealed record FlagCluster(
    string Id,
    string Reason,
    IReadOnlyList<FlagSign> Signs,
    string Summary,
    int Voters,
    IReadOnlyList<int> Entries,
    DateTimeOffset FirstJoinedAt,
    DateTimeOffset LastJoinedAt,
    bool Flagged,
    bool Excluded,
    bool Locked,
    FlagDecision? Decision);

/// <summary>A sign of a program (<c>instant</c>, <c>same-sequence</c>, <c>lockstep</c>, <c>no-live</c>) and how many of
/// the cluster's voters show it.</summary>
public sealed record FlagSign(string Name, int Voters);

/// <summary>A coordinator's decision about a flagged cluster: <c>exclude</c> its voters' ballots, or <c>include</c> them again.</summary>
/// <param name="Voters">The voters it excluded (0 for include).</param>
public sealed record FlagDecision(int Id, string Cluster, string Action, string Reason, string Summary, string Note, string DecidedBy,
    DateTimeOffset DecidedAt, int Voters);
