using AmvScreening.Protocol;
using AmvScreening.Server.Contest;
using AmvScreening.Server.Data;
using AmvScreening.Server.Infrastructure;
using AmvScreening.Server.Integrity;
using AmvScreening.Server.LiveShow;
using AmvScreening.Server.Voting;
using Dapper;
using static AmvScreening.Protocol.ResultsContract;

namespace AmvScreening.Server.Results;

/// <summary>An entry's paper ballots: score → count, every score of the scale.</summary>
public sealed record PaperCounts(int EntryId, IReadOnlyDictionary<int, int> Counts);

/// <summary>The tally for the coordinators and what of it is public, computed together from the same reads.</summary>
public sealed record Standings(Tally Tally, PublicResults Public);

/// <summary>
/// Results: the tally computed from SQL aggregates of the votes, paper ballots, picks, tie decisions and reveals, ranked
/// by <see cref="Ranking"/>; and the coordinator's actions on them. Each reveal is recorded, then pushed to everyone.
/// Actions hold one gate, so a reveal never passes its checks against a state another action is changing.
/// </summary>
public sealed class ResultsService(
    Db db, ContestStore contest, VotingState voting, VoterTokens tokens, IntegrityService integrity, Broadcaster broadcaster,
    TimeProvider clock)
{
    // Ballots counted, and those excluded with a flagged cluster (docs/ballot-integrity.md).
    private const string SelectAggregates = """
        SELECT entry_id, score, COUNT(*) FROM counted_votes WHERE voter NOT IN (SELECT voter FROM excluded_voters) GROUP BY entry_id, score;
        SELECT entry_id, score, COUNT(*) FROM counted_votes WHERE voter IN (SELECT voter FROM excluded_voters) GROUP BY entry_id, score;
        SELECT entry_id, COUNT(*) FROM counted_picks WHERE voter NOT IN (SELECT voter FROM excluded_voters) GROUP BY entry_id;
        SELECT entry_id, COUNT(*) FROM counted_picks WHERE voter IN (SELECT voter FROM excluded_voters) GROUP BY entry_id;
        SELECT entry_id, score, count FROM paper_counts WHERE count > 0;
        SELECT scope AS Scope, entry_id AS EntryId, note AS Note FROM tie_decisions;
        SELECT scope AS Scope, revealed_at AS RevealedAt FROM reveals;
        SELECT e.category_id, COUNT(DISTINCT v.voter) FROM counted_votes v JOIN entries e ON e.id = v.entry_id
        WHERE v.voter NOT IN (SELECT voter FROM excluded_voters) GROUP BY e.category_id;
        """;

    private const string SelectRevealed = "SELECT EXISTS (SELECT 1 FROM reveals WHERE scope = @scope)";

    // An award's reveal only while the award is there (one taken back meanwhile is not revealed: schema script 10).
    private const string InsertReveal = """
        INSERT INTO reveals (scope, revealed_at) SELECT @scope, @now
        WHERE @awardId IS NULL OR EXISTS (SELECT 1 FROM awards WHERE id = @awardId)
        ON CONFLICT (scope) DO NOTHING
        """;

    private const string UpsertDecision = """
        INSERT INTO tie_decisions (scope, entry_id, decided_at, note) VALUES (@scope, @entryId, @now, @note)
        ON CONFLICT (scope) DO UPDATE SET entry_id = excluded.entry_id, decided_at = excluded.decided_at, note = excluded.note
        """;

    private const string DeletePaper = "DELETE FROM paper_counts WHERE entry_id = @entryId";
    private const string InsertPaper = "INSERT INTO paper_counts (entry_id, score, count) VALUES (@EntryId, @Score, @Count)";
    private const string InsertAward = "INSERT INTO awards (name, entry_id, note) VALUES (@name, @entryId, @note) RETURNING id";
    private const string DeleteAward = "DELETE FROM awards WHERE id = @id";

    // Each ballot with how its voter joined: the screen code, a poster (its label) or a ballot card (its batch's label).
    private const string SelectBallots = """
        WITH joined AS (
            SELECT r.voter, r.joined_at, r.via, p.label AS poster, b.label AS batch
            FROM voters r
            LEFT JOIN poster_codes p ON p.id = r.poster_id
            LEFT JOIN ballot_cards c ON c.id = r.card_id
            LEFT JOIN card_batches b ON b.id = c.batch_id
        )
        SELECT 'score' AS Kind, v.voter AS Voter, v.entry_id AS EntryId, e.title AS Title, v.score AS Score, v.voted_at AS At,
               coalesce(v.first_at, v.voted_at) AS FirstAt, j.joined_at AS JoinedAt, j.via AS Via, j.poster AS Poster, j.batch AS CardBatch
        FROM votes v JOIN entries e ON e.id = v.entry_id LEFT JOIN joined j ON j.voter = v.voter
        UNION ALL
        SELECT 'best-in-show', p.voter, p.entry_id, e.title, NULL, p.picked_at, coalesce(p.first_at, p.picked_at), j.joined_at, j.via, j.poster, j.batch
        FROM best_in_show_picks p JOIN entries e ON e.id = p.entry_id LEFT JOIN joined j ON j.voter = p.voter
        ORDER BY At, Kind, EntryId
        """;

    private const string SelectRevealedScopes = "SELECT scope FROM reveals";

    private static readonly IReadOnlyDictionary<int, int> NoCounts = new Dictionary<int, int>();

    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Raised after each of this service's changes (decisions, paper counts, awards, reveals).</summary>
    public event Action? Changed;

    private long _version;
    private CachedPublic? _public;

    private sealed record CachedPublic(long Version, PublicResults Results);

    private void OnChanged()
    {
        Interlocked.Increment(ref _version);
        Changed?.Invoke();
    }

    /// <summary>Which ballots count changed outside the vote path (a batch of ballot cards was revoked).</summary>
    public void NotifyBallotsChanged() => OnChanged();

    public Task<Standings> GetAsync(CancellationToken ct = default) => GetAsync(TimeSpan.Zero, ct);

    /// <summary>The standings; the flags among them may be up to <paramref name="flagsLag"/> old while votes keep
    /// coming (judging reads every ballot: the tally pushes take that lag), the counts are always exact.</summary>
    public Task<Standings> GetAsync(TimeSpan flagsLag, CancellationToken ct = default) => GetAsync(flagsLag, null, ct);

    /// <summary>What would be public once <paramref name="scope"/> is revealed too (nothing is recorded): the reveal
    /// console's private preview of a winner slate (docs/prizegiving.md). Coordinators only.</summary>
    public async Task<PublicResults> PreviewRevealAsync(string scope, CancellationToken ct = default) =>
        (await GetAsync(TimeSpan.Zero, scope, ct)).Public;

    private async Task<Standings> GetAsync(TimeSpan flagsLag, string? assumeRevealed, CancellationToken ct)
    {
        var view = await contest.GetAsync(ct);
        var flags = await integrity.AssessAsync(flagsLag, ct);
        await using var connection = await db.OpenAsync(ct);
        await using var grid = await connection.QueryMultipleAsync(SelectAggregates);
        var counted = Distributions(await grid.ReadAsync<(long EntryId, long Score, long Count)>());
        var excludedScores = Distributions(await grid.ReadAsync<(long EntryId, long Score, long Count)>());
        var picks = (await grid.ReadAsync<(long EntryId, long Count)>()).ToDictionary(p => (int)p.EntryId, p => (int)p.Count);
        var excludedPicks = (await grid.ReadAsync<(long EntryId, long Count)>()).ToDictionary(p => (int)p.EntryId, p => (int)p.Count);
        var paper = Distributions(await grid.ReadAsync<(long EntryId, long Score, long Count)>());
        var decisions = (await grid.ReadAsync<DecisionRow>()).ToDictionary(d => d.Scope);
        var reveals = (await grid.ReadAsync<RevealRow>()).ToDictionary(r => r.Scope, r => r.RevealedAt);
        if (assumeRevealed is not null)
        {
            reveals.TryAdd(assumeRevealed, clock.GetUtcNow());
        }

        var voters = (await grid.ReadAsync<(long CategoryId, long Voters)>()).ToDictionary(v => (int)v.CategoryId, v => (int)v.Voters);
        return Build(view, voting.Snapshot(), new BallotCounts(counted, picks), new BallotCounts(excludedScores, excludedPicks), paper, decisions,
            reveals, flags, voters);
    }

    /// <summary>What is public (GET /api/results, asked by every phone after each reconnect): kept until the next
    /// change of results or of the contest, instead of tallying every vote per request.</summary>
    public async Task<PublicResults> GetPublicAsync(CancellationToken ct = default)
    {
        var version = Volatile.Read(ref _version);
        if (Volatile.Read(ref _public) is { } cached && cached.Version == version)
        {
            return cached.Results;
        }

        var results = (await GetAsync(integrity.PushLag, ct)).Public;
        Volatile.Write(ref _public, new CachedPublic(version, results));
        return results;
    }

    /// <summary>Whether <paramref name="scope"/> (a category, Best In Show, the awards) has been revealed.</summary>
    public async Task<bool> IsRevealedAsync(string scope, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<bool>(SelectRevealed, new { scope });
    }

    /// <summary>Whether the entry won something already revealed (<see cref="PublicResults.PrizesOf"/>): only then may a
    /// winner slate show it.</summary>
    public async Task<bool> IsRevealedWinnerAsync(int entryId, CancellationToken ct = default) =>
        (await GetPublicAsync(ct)).PrizesOf(entryId).Count > 0;

    /// <summary>Reveals a prize (<see cref="Scopes"/>) if nothing blocks it; revealing again changes nothing but pushes again.</summary>
    public async Task<Outcome<PublicResults>> RevealAsync(string scope, CancellationToken ct = default)
    {
        Standings standings;
        await _gate.WaitAsync(ct);
        try
        {
            standings = await GetAsync(ct);
            if (PrizeIn(standings.Tally, scope) is not { } prize)
            {
                return Outcome<PublicResults>.NotFound;
            }

            if (prize.RevealedAt is null)
            {
                if (prize.Outcome.Blocker is { } reason)
                {
                    return Refused(reason);
                }

                await using (var connection = await db.OpenAsync(ct))
                {
                    await connection.ExecuteAsync(InsertReveal, new { scope, now = clock.GetUtcNow(), awardId = Scopes.AwardIdOf(scope) });
                }

                standings = await GetAsync(ct);
            }

            // Queued while the gate is held: two reveals reach the phones in the order they were made.
            broadcaster.ResultsRevealed(standings.Public);
        }
        finally
        {
            _gate.Release();
        }

        OnChanged();
        return standings.Public;
    }

    /// <summary>Records the coordinator's choice among the entries tied at the top of a prize not yet revealed.</summary>
    public async Task<Outcome<PrizeOutcome>> DecideTieAsync(string scope, int entryId, string? note, CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (PrizeIn((await GetAsync(ct)).Tally, scope) is not { } prize)
            {
                return Outcome<PrizeOutcome>.NotFound;
            }

            if (prize.RevealedAt is not null || !prize.Outcome.Tied.Contains(entryId))
            {
                return Refused(prize.RevealedAt is not null ? Reasons.AlreadyRevealed : Reasons.NotTied);
            }

            await using (var connection = await db.OpenAsync(ct))
            {
                await connection.ExecuteAsync(UpsertDecision, new { scope, entryId, now = clock.GetUtcNow(), note });
            }

            OnChanged();
            return PrizeIn((await GetAsync(ct)).Tally, scope)!.Outcome;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Replaces an entry's paper ballot counts (score → count), unless its category is revealed.</summary>
    public async Task<Outcome<PaperCounts>> SetPaperCountsAsync(
        int entryId, IReadOnlyDictionary<int, int> counts, CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (await contest.GetEntrySummaryAsync(entryId, ct) is not { } entry)
            {
                return Outcome<PaperCounts>.NotFound;
            }

            if (PrizeIn((await GetAsync(ct)).Tally, Scopes.Category(entry.CategoryId))?.RevealedAt is not null)
            {
                return Refused(Reasons.AlreadyRevealed);
            }

            await using var connection = await db.OpenAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            await connection.ExecuteAsync(DeletePaper, new { entryId }, tx);
            await connection.ExecuteAsync(
                InsertPaper, counts.Where(c => c.Value > 0).Select(c => new { EntryId = entryId, Score = c.Key, Count = c.Value }), tx);
            await tx.CommitAsync(ct);
            OnChanged();
            return new PaperCounts(entryId, Scaled(counts, voting.ScoreMin, voting.ScoreMax));
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<Outcome<AwardSummary>> AddAwardAsync(string name, int entryId, string? note, CancellationToken ct = default)
    {
        if (await contest.GetEntrySummaryAsync(entryId, ct) is not { } entry)
        {
            return Outcome<AwardSummary>.NotFound;
        }

        int id;
        await using (var connection = await db.OpenAsync(ct))
        {
            id = await connection.ExecuteScalarAsync<int>(InsertAward, new { name, entryId, note });
        }

        await AwardsChangedAsync(false, ct);
        return (await GetAsync(ct)).Tally.Awards.Awards.FirstOrDefault(a => a.Id == id) ?? new AwardSummary(id, name, note, entry);
    }

    public async Task<bool> RemoveAwardAsync(int id, CancellationToken ct = default)
    {
        var wasPublic = (await GetAsync(ct)).Tally.Awards.Awards.Any(a => a.Id == id && a.RevealedAt is not null);
        await using (var connection = await db.OpenAsync(ct))
        {
            // Its own reveal goes with it (schema script 10's trigger).
            if (await connection.ExecuteAsync(DeleteAward, new { id }) == 0)
            {
                return false;
            }
        }

        await AwardsChangedAsync(wasPublic, ct);
        return true;
    }

    /// <summary>Every ranked entry with its numbers, categories in show order, best first.</summary>
    public async Task<IReadOnlyList<ResultsExportRow>> ExportAsync(CancellationToken ct = default)
    {
        var tally = (await GetAsync(ct)).Tally;
        var picks = tally.BestInShow.Rows.ToDictionary(r => r.EntryId, r => r.Picks);
        var awards = tally.Awards.Awards.ToLookup(a => a.Entry.Id, a => a.Name);
        return tally.Categories.SelectMany(c => c.Rows.Select(r => new ResultsExportRow(
            r.EntryId, c.Name, r.Title, r.Editors, r.Mean, r.Count, r.Online, r.Paper, r.Rank, awards[r.EntryId].ToList(),
            picks.GetValueOrDefault(r.EntryId)))).ToList();
    }

    /// <summary>Every vote and Best In Show pick, voters by pseudonym only, with how each voter joined and its flag.</summary>
    public async Task<IReadOnlyList<BallotExportRow>> ExportBallotsAsync(CancellationToken ct = default)
    {
        var judged = await integrity.AssessAsync(ct);
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<BallotRow>(SelectBallots);
        return rows.Select(r =>
        {
            var excluded = judged.ExclusionOf.GetValueOrDefault(r.Voter);
            var flag = judged.ClusterOf.TryGetValue(r.Voter, out var cluster)
                ? new BallotFlag(cluster.Id, cluster.Shape, FlagRules.Signs.All.Where(cluster.Signs.ContainsKey).ToList(), excluded?.Id)
                : excluded is not null ? new BallotFlag(excluded.Cluster, excluded.Reason, [], excluded.Id) : null;
            return new BallotExportRow(
                r.Kind, tokens.Pseudonym(r.Voter), r.EntryId, r.Title, r.Score, r.At, r.FirstAt, r.JoinedAt, r.Via, r.Poster, r.CardBatch, flag);
        }).ToList();
    }

    /// <summary>Excludes a flagged cluster's voters from the tally, or (<paramref name="exclude"/> false) counts them
    /// again, with the coordinator's note; refused once a result their ballots count in is revealed.</summary>
    public async Task<Outcome<FlagCluster>> DecideFlagAsync(string cluster, bool exclude, string note, string decidedBy, CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var judged = await integrity.AssessAsync(ct);
            var view = await contest.GetAsync(ct);
            var entries = view.Summaries();
            var flagged = judged.Clusters.FirstOrDefault(c => c.Id == cluster);
            var latest = judged.Latest.GetValueOrDefault(cluster);
            var isExcluded = latest?.Decision.Action == IntegrityService.Exclude;
            if (flagged is null && !isExcluded)
            {
                return Outcome<FlagCluster>.NotFound;
            }

            if (!exclude && !isExcluded)
            {
                return Refused(Reasons.NotExcluded);
            }

            // Excluding again (more voters joined the cluster since) takes out the voters excluded before too.
            var voters = (isExcluded ? latest!.Voters : []).Union(exclude ? flagged?.Voters ?? [] : []).ToList();
            await using (var connection = await db.OpenAsync(ct))
            {
                var revealed = (await connection.QueryAsync<string>(SelectRevealedScopes)).ToHashSet();
                if (IntegrityService.ScopesOf(voters.SelectMany(v => judged.BallotsOf[v]), entries).Overlaps(revealed))
                {
                    return Refused(Reasons.AlreadyRevealed);
                }
            }

            var (reason, summary) = flagged is not null
                ? (flagged.Shape, IntegrityService.Summarize(flagged, entries, view.Contest.Voting.ScoreMax))
                : (latest!.Decision.Reason, latest.Decision.Summary);
            await integrity.RecordAsync(
                cluster, exclude ? IntegrityService.Exclude : IntegrityService.Include, reason, summary, note, decidedBy, exclude ? voters : [], ct);
            OnChanged();
            return (await GetAsync(ct)).Tally.Flags.First(c => c.Id == cluster);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Awards show in the tally; a change to the revealed ones is public at once.</summary>
    private async Task AwardsChangedAsync(bool wasPublic, CancellationToken ct)
    {
        OnChanged();
        var standings = await GetAsync(ct);
        if (wasPublic || standings.Public.Awards is not null)
        {
            broadcaster.ResultsRevealed(standings.Public);
        }
    }

    private sealed record Prize(PrizeOutcome Outcome, DateTimeOffset? RevealedAt);

    /// <summary>The prize a scope names, or null when it names nothing (an unknown category, a malformed scope).</summary>
    private static Prize? PrizeIn(Tally tally, string scope)
    {
        if (scope == Scopes.BestInShow)
        {
            return new Prize(tally.BestInShow.Outcome, tally.BestInShow.RevealedAt);
        }

        if (scope == Scopes.Awards)
        {
            return new Prize(new PrizeOutcome(null, [], null, null), tally.Awards.RevealedAt);
        }

        if (Scopes.AwardIdOf(scope) is { } awardId)
        {
            return tally.Awards.Awards.FirstOrDefault(a => a.Id == awardId) is { } award
                ? new Prize(new PrizeOutcome(null, [], null, null), award.RevealedAt)
                : null;
        }

        return tally.Categories.FirstOrDefault(c => Scopes.Category(c.CategoryId) == scope) is { } category
            ? new Prize(category.Outcome, category.RevealedAt)
            : null;
    }

    private static Standings Build(
        ContestView view,
        VotingSnapshot voting,
        BallotCounts counted,
        BallotCounts excluded,
        IReadOnlyDictionary<int, IReadOnlyDictionary<int, int>> paper,
        IReadOnlyDictionary<string, DecisionRow> decisions,
        IReadOnlyDictionary<string, DateTimeOffset> reveals,
        Assessment ballots,
        IReadOnlyDictionary<int, int> voters)
    {
        var settings = view.Contest.Voting;
        IReadOnlyDictionary<int, int> Scale(IReadOnlyDictionary<int, int> counts) => Scaled(counts, settings.ScoreMin, settings.ScoreMax);
        var entries = view.Summaries();
        var status = voting.Categories.ToDictionary(c => c.CategoryId, c => c.Status);
        var flagged = ballots.Flagged;
        var finalists = view.Entries.Select(e => new Ranking.Finalist(
            e.Id, e.CategoryId, e.Disqualified, counted.Scores.GetValueOrDefault(e.Id, NoCounts), paper.GetValueOrDefault(e.Id, NoCounts),
            counted.Picks.GetValueOrDefault(e.Id))).ToDictionary(f => f.EntryId);
        // The same finalists without the flagged ballots still counted: who would win then.
        var unflagged = finalists.Values.Select(f => new Ranking.Finalist(
            f.EntryId, f.CategoryId, f.Disqualified, Ranking.Subtract(f.Online, flagged.Scores.GetValueOrDefault(f.EntryId, NoCounts)), f.Paper,
            Math.Max(0, f.Picks - flagged.Picks.GetValueOrDefault(f.EntryId)))).ToList();
        var competing = finalists.Values.Where(f => !f.Disqualified).Select(f => f.CategoryId).ToHashSet();

        var byTopScore = settings.BestInShowMethod == VotingSettings.TopScore;
        var rules = new Ranking.Rules(
            settings.BestInShowMethod,
            settings.BestInShowKeepsCategoryPrize,
            byTopScore ? competing.All(id => status.GetValueOrDefault(id) == CategoryVotingStatus.Closed) : voting.BestInShow == BallotStatus.Closed);
        var decided = decisions.ToDictionary(d => d.Key, d => d.Value.EntryId);
        var result = Ranking.Compute(finalists.Values.ToList(), rules, decided);
        var withoutFlagged = Ranking.Compute(unflagged, rules, decided);

        var categories = view.Categories.Select(c =>
        {
            var scope = Scopes.Category(c.Id);
            var categoryStatus = status.GetValueOrDefault(c.Id);
            var ranked = result.Categories.GetValueOrDefault(c.Id) ?? new Ranking.CategoryResult([], Ranking.Decide([], null));
            var rows = ranked.Ranking.Select(p =>
            {
                var (f, e) = (finalists[p.EntryId], entries[p.EntryId]);
                return new TallyRow(
                    e.Id, e.Title, e.Editors, Scale(f.Online), Scale(f.Paper), Scale(f.Combined),
                    p.Standing.Count, Ranking.Mean(f.Combined), p.Rank, flagged.ScoresOf(e.Id), excluded.ScoresOf(e.Id));
            }).ToList();
            var outcome = categoryStatus == CategoryVotingStatus.Closed ? ranked.Prize : ranked.Prize with { Blocker = Reasons.CategoryOpen };
            var without = withoutFlagged.Categories.GetValueOrDefault(c.Id)?.Prize ?? ranked.Prize;
            return new CategoryTally(
                c.Id, c.Name, categoryStatus, rows, outcome, decisions.GetValueOrDefault(scope)?.Note, Revealed(reveals, scope),
                without.WinnerId, rows.Any(r => r.Flagged > 0) && !Ranking.SameWinner(ranked.Prize, without), voters.GetValueOrDefault(c.Id));
        }).ToList();

        var bestInShowBlocker = categories.Any(c => c.Rows.Count > 0 && c.RevealedAt is null) ? Reasons.CategoriesNotRevealed
            : !byTopScore && voting.BestInShow != BallotStatus.Closed ? Reasons.BallotOpen
            : result.BestInShow.Blocker;
        var bestInShow = new BestInShowTally(
            settings.BestInShowMethod,
            settings.BestInShowKeepsCategoryPrize,
            voting.BestInShow,
            result.BestInShowRanking.Select(p =>
            {
                var (f, e) = (finalists[p.EntryId], entries[p.EntryId]);
                return new BestInShowRow(
                    e.Id, e.Title, e.CategoryId, e.Category, f.Picks, Ranking.Mean(f.Combined), f.Combined.Values.Sum(), p.Rank,
                    byTopScore ? flagged.ScoresOf(e.Id) : flagged.Picks.GetValueOrDefault(e.Id),
                    byTopScore ? excluded.ScoresOf(e.Id) : excluded.Picks.GetValueOrDefault(e.Id));
            }).ToList(),
            result.BestInShow with { Blocker = bestInShowBlocker },
            decisions.GetValueOrDefault(Scopes.BestInShow)?.Note,
            Revealed(reveals, Scopes.BestInShow),
            withoutFlagged.BestInShow.WinnerId,
            !Ranking.SameWinner(result.BestInShow, withoutFlagged.BestInShow));

        var allAwards = Revealed(reveals, Scopes.Awards);
        var awards = new AwardsTally(
            AwardPresets,
            view.Awards.Select(a => new AwardSummary(a.Id, a.Name, a.Note, entries[a.EntryId], Revealed(reveals, Scopes.Award(a.Id)) ?? allAwards)).ToList(),
            allAwards);

        var flags = IntegrityService.Describe(ballots, entries, settings.ScoreMax, scope => reveals.ContainsKey(scope));
        var tally = new Tally(settings.ScoreMin, settings.ScoreMax, categories, bestInShow, awards, flags);
        // A Best In Show winner that gives up its category prize has left the category's race: it is not among the
        // category's placings (its mean above the category winner's would give Best In Show away before its reveal).
        var leftOut = settings.BestInShowKeepsCategoryPrize ? null : result.BestInShow.WinnerId;
        return new Standings(tally, Public(tally, entries, view.Contest.Prizegiving == PrizegivingModes.Placings, leftOut));
    }

    /// <summary>What the booth may see of a tally: votes per finalist and voters per category, nothing that ranks (the
    /// tally's rows are in rank order, so the finalists are put in id order).</summary>
    public static Turnout TurnoutOf(Tally tally) => new(tally.Categories
        .Select(c => new CategoryTurnout(
            c.CategoryId, c.Voters, c.Rows.Select(r => new EntryTurnout(r.EntryId, r.Count)).OrderBy(e => e.EntryId).ToList()))
        .ToList());

    private static PublicResults Public(Tally tally, IReadOnlyDictionary<int, EntrySummary> entries, bool placings, int? leftOut) => new(
        tally.Categories
            .Where(c => c.RevealedAt is not null && c.Outcome.WinnerId is not null)
            .Select(c => new RevealedCategory(c.CategoryId, c.Name, entries[c.Outcome.WinnerId!.Value], c.RevealedAt!.Value,
                placings ? PlacingsOf(c, entries, leftOut) : null))
            .ToList(),
        tally.BestInShow is { RevealedAt: { } at, Outcome.WinnerId: { } winner } ? new RevealedWinner(entries[winner], at) : null,
        tally.Awards.Awards.Where(a => a.RevealedAt is not null).ToList() is { Count: > 0 } revealed
            ? new RevealedAwards(revealed, revealed.Max(a => a.RevealedAt!.Value)) : null);

    /// <summary>A revealed category's finalists with votes, the winner first as rank 1, then the others in the tally's
    /// order, ranked among themselves (entries that tie share a rank).</summary>
    private static List<Placing> PlacingsOf(CategoryTally category, IReadOnlyDictionary<int, EntrySummary> entries, int? leftOut)
    {
        var winner = category.Outcome.WinnerId;
        var rows = category.Rows.Where(r => r.Mean is not null && (r.EntryId == winner || r.EntryId != leftOut))
            .OrderBy(r => r.EntryId == winner ? 0 : 1).ToList();
        var placings = new List<Placing>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var rank = i >= 2 && rows[i].Rank == rows[i - 1].Rank ? placings[^1].Rank : i + 1;
            placings.Add(new Placing(rank, entries[rows[i].EntryId], (double)rows[i].Mean!.Value, rows[i].Count));
        }

        return placings;
    }

    private static DateTimeOffset? Revealed(IReadOnlyDictionary<string, DateTimeOffset> reveals, string scope) =>
        reveals.TryGetValue(scope, out var at) ? at : null;

    /// <summary>Score → count for every score of the scale, none left out.</summary>
    private static IReadOnlyDictionary<int, int> Scaled(IReadOnlyDictionary<int, int> counts, int min, int max) =>
        Enumerable.Range(min, max - min + 1).ToDictionary(score => score, score => counts.GetValueOrDefault(score));

    private static IReadOnlyDictionary<int, IReadOnlyDictionary<int, int>> Distributions(IEnumerable<(long EntryId, long Score, long Count)> rows) =>
        rows.GroupBy(r => (int)r.EntryId).ToDictionary(
            g => g.Key, IReadOnlyDictionary<int, int> (g) => g.ToDictionary(r => (int)r.Score, r => (int)r.Count));

    /// <summary>A 409 with the <c>reason</c>, explained.</summary>
    private static Refusal Refused(string reason) => Refusal.Conflict(reason, reason switch
    {
        Reasons.CategoryOpen => "Voting in this category is not closed yet.",
        Reasons.TieUndecided => "Entries are tied at the top: decide the tie first (POST /api/results/ties).",
        Reasons.NoVotes => "Nobody has voted here.",
        Reasons.BestInShowUndecided =>
            "The Best In Show winner gives up its category prize, so this category waits until Best In Show is settled (its votes closed, any tie decided).",
        Reasons.CategoriesNotRevealed => "Reveal every category first.",
        Reasons.BallotOpen => "Close the Best In Show ballot first.",
        Reasons.NotTied => "That entry is not among the entries tied at the top.",
        Reasons.AlreadyRevealed => "This result has been revealed already.",
        Reasons.NotExcluded => "This cluster is not excluded.",
        _ => reason,
    });

    private sealed class DecisionRow
    {
        public string Scope { get; init; } = "";
        public int EntryId { get; init; }
        public string? Note { get; init; }
    }

    private sealed class RevealRow
    {
        public string Scope { get; init; } = "";
        public DateTimeOffset RevealedAt { get; init; }
    }

    private sealed class BallotRow
    {
        public string Kind { get; init; } = "";
        public string Voter { get; init; } = "";
        public int EntryId { get; init; }
        public string Title { get; init; } = "";
        public int? Score { get; init; }
        public DateTimeOffset At { get; init; }
        public DateTimeOffset FirstAt { get; init; }
        public DateTimeOffset? JoinedAt { get; init; }
        public string? Via { get; init; }
        public string? Poster { get; init; }
        public string? CardBatch { get; init; }
    }
}
