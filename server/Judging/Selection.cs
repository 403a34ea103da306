using System.Data;
using AmvScreening.Server.Contest;
using AmvScreening.Server.Data;
using AmvScreening.Server.Infrastructure;
using AmvScreening.Server.LiveShow;
using AmvScreening.Server.Voting;
using Dapper;
using Microsoft.Extensions.Options;

namespace AmvScreening.Server.Judging;

/// <summary>
/// The coordinator's selection (docs/entries.md, "Selection"): per category, the entries ranked by the judges' mean
/// score with the spread and how many judges scored; each entry marked finalist (up to the category's limit, in an
/// order), not selected, or disqualified with a reason; the finalists promoted to the show in one action; the outcomes
/// published to the entrants.
/// </summary>
public sealed class Selection(Db db, TimeProvider clock, VotingState voting, ShowService show, IOptions<AmvOptions> options)
{
    public const int MaxReason = 500;

    public static class Outcomes
    {
        public const string Pending = "pending";
        public const string Finalist = "finalist";
        public const string NotSelected = "not-selected";
        public const string Disqualified = "disqualified";
        public static readonly IReadOnlyList<string> All = [Pending, Finalist, NotSelected, Disqualified];
    }

    public static class Reasons
    {
        public const string FinalistLimit = "finalist-limit";
        public const string VotesRecorded = "votes-recorded";
        public const string NoFinalists = "no-finalists";
        public const string NotJudgeable = "not-judgeable";
        public const string HasAwards = "has-awards";
    }

    private const string AnyVotes = """
        SELECT EXISTS (SELECT 1 FROM votes) OR EXISTS (SELECT 1 FROM paper_counts) OR EXISTS (SELECT 1 FROM best_in_show_picks)
        """;

    private const string SelectEntries = $"""
        SELECT s.id AS Id, s.category_id AS CategoryId, s.title AS Title, s.editors AS Editors, s.music_artist AS MusicArtist,
               s.music_title AS MusicTitle, s.repeat_of AS RepeatOf, s.repeat_cleared AS RepeatCleared, s.outcome AS Outcome,
               s.outcome_reason AS Reason, s.finalist_position AS FinalistPosition, s.promoted_entry_id AS PromotedEntryId,
               {JudgingPanel.Judgeable} AS Judgeable
        FROM submissions s
        WHERE ({JudgingPanel.Judgeable}) OR s.outcome = 'finalist'
        """;

    private const string SelectScores = """
        SELECT js.submission_id AS SubmissionId, j.name AS Judge, js.score AS Score, js.note AS Note, js.rule_flag AS RuleFlag
        FROM judge_scores js JOIN judges j ON j.id = js.judge_id
        ORDER BY j.name
        """;

    public sealed record Overview(
        JudgingSettings Scale, bool ShowHasVotes, DateTimeOffset? OutcomesPublishedAt, IReadOnlyList<CategorySelection> Categories);

    public sealed record CategorySelection(int Id, string Name, int FinalistLimit, int Judges, IReadOnlyList<Ranked> Entries);

    /// <summary>An entry in its category's ranking. <see cref="Mean"/>, <see cref="Lowest"/>, <see cref="Highest"/> and
    /// <see cref="Spread"/> (highest − lowest) are null until a judge scores it.</summary>
    public sealed record Ranked(
        int Id, int Rank, string Title, IReadOnlyList<string> Editors, string MusicArtist, string MusicTitle,
        double? Mean, int? Lowest, int? Highest, int? Spread, int Scored, IReadOnlyList<JudgeVerdict> Verdicts,
        string Outcome, string? Reason, int? FinalistPosition, int? PromotedEntryId, bool Judgeable, string? RepeatOf);

    public sealed record JudgeVerdict(string Judge, int? Score, string? Note, string? RuleFlag);

    public sealed record OutcomeRequest(string Outcome, string? Reason = null);

    public sealed record Promoted(int Finalists, IReadOnlyList<int> EntryIds);

    public async Task<Overview> GetAsync(CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var details = await ContestStore.GetDetailsAsync(connection, tx);
        var categories = await connection.QueryAsync<(long Id, string Name, long Limit, long Judges)>(
            """
            SELECT c.id, c.name, c.finalist_limit,
                   (SELECT count(*) FROM judge_categories jc JOIN judges j ON j.id = jc.judge_id WHERE jc.category_id = c.id AND j.disabled_at IS NULL)
            FROM categories c ORDER BY c.position
            """, transaction: tx);
        var entries = (await connection.QueryAsync<EntryRow>(SelectEntries, transaction: tx)).ToLookup(e => e.CategoryId);
        var verdicts = (await connection.QueryAsync<VerdictRow>(SelectScores, transaction: tx)).ToLookup(v => v.SubmissionId);
        var published = await connection.ExecuteScalarAsync<string?>("SELECT outcomes_published_at FROM contest", transaction: tx);
        var hasVotes = await connection.ExecuteScalarAsync<bool>(AnyVotes, transaction: tx);
        return new Overview(details.Judging, hasVotes, published is null ? null : DateTimeOffset.Parse(published, System.Globalization.CultureInfo.InvariantCulture),
            [.. categories.Select(c => new CategorySelection((int)c.Id, c.Name, (int)c.Limit, (int)c.Judges, Rank(entries[(int)c.Id], verdicts)))]);
    }

    /// <summary>Best mean first; entries nobody scored last; then more judges' scores first, then the earlier entry.</summary>
    private static List<Ranked> Rank(IEnumerable<EntryRow> entries, ILookup<int, VerdictRow> verdicts) =>
        [.. entries
            .Select(e =>
            {
                var mine = verdicts[e.Id].ToList();
                var scores = mine.Where(v => v.Score is not null).Select(v => v.Score!.Value).ToList();
                return (Entry: e, Verdicts: mine, Scores: scores);
            })
            .OrderByDescending(x => x.Scores.Count > 0)
            .ThenByDescending(x => x.Scores.Count > 0 ? x.Scores.Average() : 0)
            .ThenByDescending(x => x.Scores.Count)
            .ThenBy(x => x.Entry.Id)
            .Select((x, i) => new Ranked(
                x.Entry.Id, i + 1, x.Entry.Title, x.Entry.Editors, x.Entry.MusicArtist, x.Entry.MusicTitle,
                x.Scores.Count > 0 ? Math.Round(x.Scores.Average(), 2) : null,
                x.Scores.Count > 0 ? x.Scores.Min() : null,
                x.Scores.Count > 0 ? x.Scores.Max() : null,
                x.Scores.Count > 0 ? x.Scores.Max() - x.Scores.Min() : null,
                x.Scores.Count,
                [.. x.Verdicts.Select(v => new JudgeVerdict(v.Judge, v.Score, v.Note, v.RuleFlag))],
                x.Entry.Outcome, x.Entry.Reason, x.Entry.FinalistPosition, x.Entry.PromotedEntryId, x.Entry.Judgeable,
                x.Entry.RepeatCleared ? null : x.Entry.RepeatOf))];

    /// <summary>Marks an entry: a finalist (last in its category's finalists, refused past the category's limit), not
    /// selected, disqualified (a reason required) or pending again. The remaining finalists keep their order.</summary>
    public async Task<Outcome<bool>> SetOutcomeAsync(int submissionId, OutcomeRequest request, CancellationToken ct = default)
    {
        var reason = string.IsNullOrWhiteSpace(request.Reason) ? null : request.Reason.Trim();
        if (!Outcomes.All.Contains(request.Outcome))
        {
            return Outcome<bool>.Invalid("outcome", $"One of: {string.Join(", ", Outcomes.All)}.");
        }

        if (reason is { Length: > MaxReason })
        {
            return Outcome<bool>.Invalid("reason", $"At most {MaxReason} characters.");
        }

        if (request.Outcome == Outcomes.Disqualified && reason is null)
        {
            return Outcome<bool>.Invalid("reason", "Say why it is disqualified (the entrant reads it once outcomes are published).");
        }

        await using var connection = await db.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var entry = await connection.QuerySingleOrDefaultAsync<(long CategoryId, string Outcome, bool Judgeable)>(
            $"SELECT s.category_id, s.outcome, {JudgingPanel.Judgeable} FROM submissions s WHERE s.id = @submissionId", new { submissionId }, tx);
        if (entry == default)
        {
            return Outcome<bool>.NotFound;
        }

        if (request.Outcome == Outcomes.Finalist && entry.Outcome != Outcomes.Finalist)
        {
            if (!entry.Judgeable)
            {
                return Refusal.Conflict(Reasons.NotJudgeable,
                    "Only an entry with a file that passed its check, not withdrawn, can be a finalist.", "outcome");
            }

            var (limit, finalists) = await connection.QuerySingleAsync<(long Limit, long Finalists)>(
                "SELECT finalist_limit, (SELECT count(*) FROM submissions WHERE category_id = c.id AND outcome = 'finalist') FROM categories c WHERE c.id = @CategoryId",
                new { entry.CategoryId }, tx);
            if (finalists >= limit)
            {
                return Refusal.Conflict(Reasons.FinalistLimit,
                    $"This category has its {limit} finalists already (its finalist limit): mark one of them otherwise first.", "outcome");
            }
        }

        await connection.ExecuteAsync(
            """
            UPDATE submissions SET outcome = @Outcome, outcome_reason = @reason,
                finalist_position = CASE WHEN @Outcome <> 'finalist' THEN NULL
                                         WHEN outcome = 'finalist' THEN finalist_position
                                         ELSE (SELECT coalesce(max(finalist_position), 0) + 1 FROM submissions
                                               WHERE category_id = @CategoryId AND outcome = 'finalist') END
            WHERE id = @submissionId
            """,
            new { request.Outcome, reason, entry.CategoryId, submissionId }, tx);
        await Renumber(connection, tx, (int)entry.CategoryId);
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>Puts a category's finalists in their running order (every finalist of the category once).</summary>
    public async Task<Outcome<bool>> OrderAsync(int categoryId, IReadOnlyList<int> submissionIds, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (!await ContestStore.CategoryExistsAsync(connection, tx, categoryId))
        {
            return Outcome<bool>.NotFound;
        }

        var finalists = (await connection.QueryAsync<long>(
            "SELECT id FROM submissions WHERE category_id = @categoryId AND outcome = 'finalist'", new { categoryId }, tx)).Select(i => (int)i).ToHashSet();
        if (submissionIds.Count != finalists.Count || !submissionIds.ToHashSet().SetEquals(finalists))
        {
            return Outcome<bool>.Invalid("submissionIds", "List every finalist of the category exactly once, in the running order.");
        }

        await connection.ExecuteAsync(
            "UPDATE submissions SET finalist_position = @position WHERE id = @id",
            submissionIds.Select((id, i) => new { id, position = i + 1 }), tx);
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>Makes the finalists the show's finalists, in one transaction: the contest's finalists are replaced by
    /// the selected ones, category by category in their running order, each pointing at its file (linked into the
    /// media folder when the data folder is not inside it, <see cref="ShowFiles"/>). Refused while the show has votes,
    /// paper ballots or Best In Show picks, or awards (they would be lost), when no entry is a finalist, or when a finalist's file
    /// no longer passes its check.</summary>
    public async Task<Outcome<Promoted>> PromoteAsync(CancellationToken ct = default)
    {
        List<FinalistRow> finalists;
        await using (var connection = await db.OpenAsync(ct))
        {
            if (await Blocked(connection, null) is { } refusal)
            {
                return refusal;
            }

            finalists = await Finalists(connection, null);
            if (finalists.Count == 0)
            {
                return Refusal.Conflict(Reasons.NoFinalists, "No entry is marked as a finalist yet.");
            }

            if (finalists.FirstOrDefault(f => !f.Judgeable) is { } stale)
            {
                return Refusal.Conflict(Reasons.NotJudgeable,
                    $"The finalist '{stale.Title}' has been withdrawn or its file no longer passes its check: mark it otherwise first.");
            }
        }

        // The files first (linking again is harmless); then the finalists, in one transaction.
        var paths = new Dictionary<int, string>();
        foreach (var f in finalists)
        {
            if (DataFiles.Resolve(db, f.FilePath!) is not { } file || !File.Exists(file))
            {
                return Refusal.Conflict(Reasons.NotJudgeable, $"The file of '{f.Title}' is missing from the data folder.");
            }

            paths[f.Id] = ShowFiles.Place(file, options.Value.MediaRootPath, f.Id);
        }

        var ids = new List<int>();
        await using (var connection = await db.OpenAsync(ct))
        {
            await using var tx = await connection.BeginTransactionAsync(ct);
            if (await Blocked(connection, tx) is { } refusal)
            {
                return refusal;
            }

            if ((await Finalists(connection, tx)).Select(f => f.Id).ToHashSet() is var now && !now.SetEquals(paths.Keys))
            {
                return Refusal.Conflict(Reasons.NoFinalists, "The finalists changed while promoting: promote again.");
            }

            await connection.ExecuteAsync("UPDATE submissions SET promoted_entry_id = NULL; DELETE FROM entries;", transaction: tx);
            foreach (var f in finalists)
            {
                var id = await connection.ExecuteScalarAsync<int>(
                    """
                    INSERT INTO entries (category_id, position, title, editors, music_artist, music_title, sources, video_path, content_note)
                    VALUES (@CategoryId, @Position, @Title, @Editors, @MusicArtist, @MusicTitle, @Sources, @path, @ContentNote)
                    RETURNING id
                    """,
                    new { f.CategoryId, Position = f.FinalistPosition, f.Title, f.Editors, f.MusicArtist, f.MusicTitle, f.Sources, path = paths[f.Id], f.ContentNote },
                    tx);
                await connection.ExecuteAsync("UPDATE submissions SET promoted_entry_id = @id WHERE id = @Id", new { id, f.Id }, tx);
                ids.Add(id);
            }

            await tx.CommitAsync(ct);
        }

        await voting.LoadAsync(ct);
        await show.LoadAsync(ct);
        return new Promoted(ids.Count, ids);
    }

    /// <summary>Publishes the outcomes to the entrants (their entry pages show them from now on), or takes them back.</summary>
    public async Task<DateTimeOffset?> PublishAsync(bool publish, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        DateTimeOffset? at = publish ? clock.GetUtcNow() : null;
        await connection.ExecuteAsync("UPDATE contest SET outcomes_published_at = @at", new { at });
        return at;
    }

    /// <summary>Every judge's score, note and flag, category by category: the judges' scores CSV.</summary>
    public async Task<byte[]> ScoresCsvAsync(CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<ScoreCsvRow>(
            """
            SELECT c.name AS Category, s.id AS EntryId, s.title AS Title, s.editors AS Editors, j.name AS Judge, js.score AS Score,
                   js.note AS Note, js.rule_flag AS RuleFlag, js.updated_at AS UpdatedAt
            FROM judge_scores js JOIN judges j ON j.id = js.judge_id JOIN submissions s ON s.id = js.submission_id
            JOIN categories c ON c.id = s.category_id
            ORDER BY c.position, s.id, j.name
            """);
        string[] header = ["category", "entry_id", "title", "editors", "judge", "score", "note", "rule_flag", "updated_at"];
        return CsvFiles.Write(rows.Select(r => (IEnumerable<string?>)
            [r.Category, r.EntryId.ToString(System.Globalization.CultureInfo.InvariantCulture), r.Title, string.Join(" | ", r.Editors), r.Judge,
             r.Score?.ToString(System.Globalization.CultureInfo.InvariantCulture), r.Note, r.RuleFlag, r.UpdatedAt])
            .Prepend(header));
    }

    private static async Task<Refusal?> Blocked(IDbConnection connection, IDbTransaction? tx) =>
        await connection.ExecuteScalarAsync<bool>(AnyVotes, transaction: tx)
            ? Refusal.Conflict(Reasons.VotesRecorded,
                "The show has votes, paper ballots or Best In Show picks already: promoting would replace the finalists they were cast for.")
            : await connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM awards)", transaction: tx)
                ? Refusal.Conflict(Reasons.HasAwards,
                    "Awards are given to the show's current finalists: take them back on the Live show page first, or they would be lost.")
                : null;

    private static async Task<List<FinalistRow>> Finalists(IDbConnection connection, IDbTransaction? tx) =>
        (await connection.QueryAsync<FinalistRow>(
            $"""
            SELECT s.id AS Id, s.category_id AS CategoryId, s.finalist_position AS FinalistPosition, s.title AS Title, s.editors AS Editors,
                   s.music_artist AS MusicArtist, s.music_title AS MusicTitle, s.sources AS Sources, s.content_note AS ContentNote,
                   s.file_path AS FilePath, {JudgingPanel.Judgeable} AS Judgeable
            FROM submissions s JOIN categories c ON c.id = s.category_id
            WHERE s.outcome = 'finalist'
            ORDER BY c.position, s.finalist_position
            """, transaction: tx)).AsList();

    /// <summary>A category's finalists numbered 1, 2, 3… in their order.</summary>
    private static async Task Renumber(IDbConnection connection, IDbTransaction tx, int categoryId)
    {
        var order = await connection.QueryAsync<long>(
            "SELECT id FROM submissions WHERE category_id = @categoryId AND outcome = 'finalist' ORDER BY finalist_position, id", new { categoryId }, tx);
        await connection.ExecuteAsync(
            "UPDATE submissions SET finalist_position = @position WHERE id = @id", order.Select((id, i) => new { id, position = i + 1 }), tx);
    }

    private sealed class EntryRow
    {
        public int Id { get; init; }
        public int CategoryId { get; init; }
        public string Title { get; init; } = "";
        public IReadOnlyList<string> Editors { get; init; } = [];
        public string MusicArtist { get; init; } = "";
        public string MusicTitle { get; init; } = "";
        public string? RepeatOf { get; init; }
        public bool RepeatCleared { get; init; }
        public string Outcome { get; init; } = "";
        public string? Reason { get; init; }
        public int? FinalistPosition { get; init; }
        public int? PromotedEntryId { get; init; }
        public bool Judgeable { get; init; }
    }

    private sealed class VerdictRow
    {
        public int SubmissionId { get; init; }
        public string Judge { get; init; } = "";
        public int? Score { get; init; }
        public string? Note { get; init; }
        public string? RuleFlag { get; init; }
    }

    private sealed class FinalistRow
    {
        public int Id { get; init; }
        public int CategoryId { get; init; }
        public int FinalistPosition { get; init; }
        public string Title { get; init; } = "";
        public IReadOnlyList<string> Editors { get; init; } = [];
        public string MusicArtist { get; init; } = "";
        public string MusicTitle { get; init; } = "";
        public IReadOnlyList<string> Sources { get; init; } = [];
        public string? ContentNote { get; init; }
        public string? FilePath { get; init; }
        public bool Judgeable { get; init; }
    }

    private sealed class ScoreCsvRow
    {
        public string Category { get; init; } = "";
        public int EntryId { get; init; }
        public string Title { get; init; } = "";
        public IReadOnlyList<string> Editors { get; init; } = [];
        public string Judge { get; init; } = "";
        public int? Score { get; init; }
        public string? Note { get; init; }
        public string? RuleFlag { get; init; }
        public string UpdatedAt { get; init; } = "";
    }
}
