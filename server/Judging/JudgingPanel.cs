using System.Text.Json.Serialization;
using AmvScreening.Server.Contest;
using AmvScreening.Server.Data;
using AmvScreening.Server.Infrastructure;
using Dapper;

namespace AmvScreening.Server.Judging;

/// <summary>
/// What a judge sees and does (docs/entries.md, "Judges"): the entries of the categories assigned to them — those with
/// a file that passed its check and not withdrawn — and their own score, note and rule flag for each. Nothing else:
/// no contact email, no other judge's score, no file name, and no editor when judging is blind. An entry outside the
/// judge's categories is answered as if it did not exist.
/// </summary>
public sealed class JudgingPanel(Db db, TimeProvider clock)
{
    public const int MaxNote = 2000;

    /// <summary>Which submissions are entries to judge (of <c>submissions s</c>): the one definition, for the panel, the
    /// videos and the selection.</summary>
    public const string Judgeable = "s.withdrawn_at IS NULL AND s.check_state = 'passed' AND s.file_path IS NOT NULL";

    /// <summary>The submissions a judge may see (of <c>submissions s</c>, with @judgeId). While judging is blind, an
    /// entry reaches the judges once its copy without the file's tags is made (<see cref="Entries.Checks.ProxyMaker"/>).</summary>
    private const string VisibleTo = $"""
        {Judgeable} AND s.category_id IN (SELECT category_id FROM judge_categories WHERE judge_id = @judgeId)
          AND (s.proxy_path IS NOT NULL OR (SELECT blind_judging FROM contest WHERE id = 1) = 0)
        """;

    private const string SelectEntries = $"""
        SELECT s.id AS Id, s.category_id AS CategoryId, s.title AS Title, s.editors AS Editors, s.music_artist AS MusicArtist,
               s.music_title AS MusicTitle, s.sources AS Sources, s.premiered_on AS PremieredOn, s.content_note AS ContentNote,
               js.score AS Score, js.note AS Note, js.rule_flag AS RuleFlag
        FROM submissions s
        JOIN categories c ON c.id = s.category_id
        LEFT JOIN judge_scores js ON js.submission_id = s.id AND js.judge_id = @judgeId
        WHERE {VisibleTo}
        ORDER BY c.position, s.id
        """;

    /// <summary>The panel: the scale, whether judging is blind, the rules a flag can name, and the judge's categories
    /// with their entries.</summary>
    public sealed record Panel(
        string JudgeName, JudgingSettings Scale, IReadOnlyList<JudgingRules.Rule> Rules, IReadOnlyList<PanelCategory> Categories);

    public sealed record PanelCategory(int Id, string Name, string Description, IReadOnlyList<PanelEntry> Entries);

    /// <summary>An entry as a judge sees it; <see cref="Editors"/> is left out of the answer when judging is blind.</summary>
    public sealed record PanelEntry(
        int Id,
        string Title,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Editors,
        string MusicArtist,
        string MusicTitle,
        IReadOnlyList<string> Sources,
        string PremieredOn,
        string? ContentNote,
        string Video,
        MyScore? Mine);

    /// <summary>A judge's own verdict on an entry: a score on the scale (or none yet), a note, the rule it may break.</summary>
    public sealed record MyScore(int? Score, string? Note, string? RuleFlag);

    public async Task<Panel> GetAsync(int judgeId, string judgeName, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var details = await ContestStore.GetDetailsAsync(connection, tx);
        var blind = details.Judging.Blind;
        var categories = await connection.QueryAsync<(long Id, string Name, string Description)>(
            """
            SELECT c.id, c.name, c.description FROM categories c JOIN judge_categories jc ON jc.category_id = c.id
            WHERE jc.judge_id = @judgeId ORDER BY c.position
            """, new { judgeId }, tx);
        var rows = (await connection.QueryAsync<EntryRow>(SelectEntries, new { judgeId }, tx)).ToLookup(r => r.CategoryId);
        return new Panel(
            judgeName,
            details.Judging,
            JudgingRules.All,
            [.. categories.Select(c => new PanelCategory((int)c.Id, c.Name, c.Description, [.. rows[(int)c.Id].Select(r => r.ToEntry(blind))]))]);
    }

    /// <summary>Records a judge's score, note and rule flag for an entry they may see (all three empty: forgets it).
    /// The score must be a whole number on the contest's judging scale.</summary>
    public async Task<Outcome<MyScore>> ScoreAsync(int judgeId, int submissionId, MyScore verdict, CancellationToken ct = default)
    {
        var note = string.IsNullOrWhiteSpace(verdict.Note) ? null : verdict.Note.Trim();
        var flag = string.IsNullOrWhiteSpace(verdict.RuleFlag) ? null : verdict.RuleFlag.Trim();
        if (note is { Length: > MaxNote })
        {
            return Outcome<MyScore>.Invalid("note", $"At most {MaxNote} characters.");
        }

        if (flag is not null && !JudgingRules.IsKnown(flag))
        {
            return Outcome<MyScore>.Invalid("ruleFlag",
                $"Unknown rule '{flag}'. Name one of: {string.Join(", ", JudgingRules.All.Select(r => r.Id))}; or leave it out.");
        }

        await using var connection = await db.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var scale = (await ContestStore.GetDetailsAsync(connection, tx)).Judging;
        if (verdict.Score is { } score && (score < scale.Min || score > scale.Max))
        {
            return Outcome<MyScore>.Invalid("score", $"A whole number from {scale.Min} to {scale.Max} (the contest's judging scale); or null for no score yet.");
        }

        if (!await connection.ExecuteScalarAsync<bool>(
                $"SELECT EXISTS (SELECT 1 FROM submissions s WHERE s.id = @submissionId AND {VisibleTo})", new { submissionId, judgeId }, tx))
        {
            return Outcome<MyScore>.NotFound;
        }

        var saved = new MyScore(verdict.Score, note, flag);
        if (saved is { Score: null, Note: null, RuleFlag: null })
        {
            await connection.ExecuteAsync("DELETE FROM judge_scores WHERE judge_id = @judgeId AND submission_id = @submissionId", new { judgeId, submissionId }, tx);
        }
        else
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO judge_scores (judge_id, submission_id, score, note, rule_flag, updated_at)
                VALUES (@judgeId, @submissionId, @Score, @Note, @RuleFlag, @now)
                ON CONFLICT (judge_id, submission_id) DO UPDATE SET score = excluded.score, note = excluded.note,
                    rule_flag = excluded.rule_flag, updated_at = excluded.updated_at
                """,
                new { judgeId, submissionId, saved.Score, saved.Note, saved.RuleFlag, now = clock.GetUtcNow() }, tx);
        }

        await tx.CommitAsync(ct);
        return saved;
    }

    /// <summary>The file a judge (<paramref name="judgeId"/>) or a coordinator (null) may play for an entry: the
    /// web-playable proxy when there is one, the original otherwise; full path inside the data folder, or null.</summary>
    public async Task<string?> VideoFileAsync(int submissionId, int? judgeId, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        var relative = await connection.ExecuteScalarAsync<string?>(
            judgeId is null
                ? "SELECT coalesce(s.proxy_path, s.file_path) FROM submissions s WHERE s.id = @submissionId"
                : $"SELECT coalesce(s.proxy_path, s.file_path) FROM submissions s WHERE s.id = @submissionId AND {VisibleTo}",
            new { submissionId, judgeId });
        return relative is null ? null : DataFiles.Resolve(db, relative);
    }

    private sealed class EntryRow
    {
        public int Id { get; init; }
        public int CategoryId { get; init; }
        public string Title { get; init; } = "";
        public IReadOnlyList<string> Editors { get; init; } = [];
        public string MusicArtist { get; init; } = "";
        public string MusicTitle { get; init; } = "";
        public IReadOnlyList<string> Sources { get; init; } = [];
        public string PremieredOn { get; init; } = "";
        public string? ContentNote { get; init; }
        public int? Score { get; init; }
        public string? Note { get; init; }
        public string? RuleFlag { get; init; }

        public PanelEntry ToEntry(bool blind) => new(
            Id, Title, blind ? null : Editors, MusicArtist, MusicTitle, Sources, PremieredOn, ContentNote, JudgingEndpoints.VideoPath(Id),
            Score is null && Note is null && RuleFlag is null ? null : new MyScore(Score, Note, RuleFlag));
    }
}

/// <summary>The rules a judge can flag an entry for breaking (the reference contest's rules: docs/entries.md).</summary>
public static class JudgingRules
{
    public sealed record Rule(string Id, string Label);

    public static IReadOnlyList<Rule> All { get; } =
    [
        new("profanity", "Profanity"),
        new("nudity", "Nudity or sexual content"),
        new("source-subtitles", "Subtitles from the source"),
        new("tv-logos", "TV station logos or watermarks"),
        new("credits-or-bumpers", "Credits or bumpers in the video"),
        new("premiered-before", "Premiered before the allowed date"),
        new("previous-finalist", "A finalist of an earlier contest"),
        new("length-or-quality", "Over the length, or the file is faulty"),
        new("other", "Another rule (say which in the note)"),
    ];

    public static bool IsKnown(string id) => All.Any(r => r.Id == id);

    public static string LabelOf(string id) => All.FirstOrDefault(r => r.Id == id)?.Label ?? id;
}

/// <summary>Files the database names relative to the data folder (the folder of the SQLite file).</summary>
public static class DataFiles
{
    /// <summary>The full path of a file the database names, or null when it would lead out of the data folder.</summary>
    public static string? Resolve(Db db, string relative)
    {
        var root = Path.GetDirectoryName(db.Path)!;
        var full = Path.GetFullPath(Path.Combine(root, relative));
        return full.StartsWith(Path.TrimEndingDirectorySeparator(root) + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? full : null;
    }
}
