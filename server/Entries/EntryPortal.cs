using System.Data;
using AmvScreening.Server.Contest;
using AmvScreening.Server.Data;
using AmvScreening.Server.Infrastructure;
using Dapper;

namespace AmvScreening.Server.Entries;

/// <summary>
/// The public entry portal's data (docs/entries.md, "Entry portal"): the rules as the contest sets them, a new entry
/// (checked by <see cref="EntryRules"/> in the same write transaction that adds it, so two submissions at once cannot
/// both take the last place), the entrant's own entry by its secret, and withdrawing it. Nothing here answers a contact
/// email.
/// </summary>
public sealed class EntryPortal(Db db, TimeProvider clock)
{
    public const string RefusedTitle = "Refused by the contest's rules.";

    /// <summary>The rules page's facts.</summary>
    /// <param name="State">not-open, open or closed, now.</param>
    public sealed record RulesView(
        string Contest,
        int Year,
        string State,
        DateTimeOffset? OpensAt,
        DateTimeOffset? Deadline,
        string TimeZone,
        string? PremieredAfter,
        int MaxPerPerson,
        int MaxPerPersonPerCategory,
        int MaxFileMegabytes,
        int MaxDurationSeconds,
        IReadOnlyList<RulesCategory> Categories);

    public sealed record RulesCategory(int Id, string Name, string Description, int FinalistLimit);

    /// <summary>What a new entry's editor gets, once: the private page's secret and address.</summary>
    public sealed record Submitted(long Id, string Secret, string EntryUrl);

    /// <summary>The entrant's own entry, as their private page shows it.</summary>
    /// <param name="Outcome">Only once the coordinator has published the outcomes; null before.</param>
    /// <param name="AtDeadline">The rule the entry broke at the deadline, if it did.</param>
    public sealed record EntrantView(
        long Id,
        string Title,
        RulesCategory Category,
        IReadOnlyList<string> Editors,
        string MusicArtist,
        string MusicTitle,
        IReadOnlyList<string> Sources,
        string PremieredOn,
        string? ContentNote,
        DateTimeOffset SubmittedAt,
        DateTimeOffset? WithdrawnAt,
        EntrantFile? File,
        FileCheck Check,
        DeadlineBreach? AtDeadline,
        EntrantOutcome? Outcome,
        bool CanReplaceFile,
        bool CanWithdraw);

    public sealed record EntrantFile(string? Name, long? Bytes);

    /// <param name="State">none, queued, running, passed, failed.</param>
    /// <param name="Progress">0 to 1 while running, when the check says.</param>
    /// <param name="Message">The first problem, as the entrant reads it.</param>
    /// <param name="Seconds">How long the file runs, as the check decoded it (once checked).</param>
    /// <param name="LoudnessLufs">Its integrated loudness (EBU R128), when it has sound: the show plays every finalist at
    /// the same loudness, so the entrant learns how much theirs will be turned up or down.</param>
    public sealed record FileCheck(string State, double? Progress, string? Message, double? Seconds = null, double? LoudnessLufs = null);

    public sealed record DeadlineBreach(string Rule, string Message);

    /// <param name="Outcome">pending, finalist, not-selected or disqualified.</param>
    public sealed record EntrantOutcome(string Outcome, string? Reason);

    private const string SelectCategories = $"SELECT {ContestStore.CategoryColumns} FROM categories ORDER BY position";
    private const string SelectPersonsCategories = "SELECT category_id FROM submissions WHERE person = @person AND withdrawn_at IS NULL ORDER BY id";

    private const string InsertSubmission = """
        INSERT INTO submissions (secret_hash, category_id, title, editors, contact_email, person, music_artist, music_title, sources,
                                 premiered_on, content_note, permission_at, submitted_at)
        VALUES (@SecretHash, @CategoryId, @Title, @Editors, @ContactEmail, @Person, @MusicArtist, @MusicTitle, @Sources,
                @PremieredOn, @ContentNote, @Now, @Now)
        RETURNING id
        """;

    private const string SelectEntrant = """
        SELECT s.id AS Id, s.title AS Title, s.category_id AS CategoryId, c.name AS CategoryName, c.description AS CategoryDescription,
               c.finalist_limit AS FinalistLimit, s.editors AS Editors, s.music_artist AS MusicArtist, s.music_title AS MusicTitle,
               s.sources AS Sources, s.premiered_on AS PremieredOn, s.content_note AS ContentNote, s.submitted_at AS SubmittedAt,
               s.withdrawn_at AS WithdrawnAt, s.file_path AS FilePath, s.file_name AS FileName, s.file_bytes AS FileBytes,
               s.check_state AS CheckState, s.check_progress AS CheckProgress, s.check_message AS CheckMessage,
               json_extract(s.check_report, '$.durationSeconds') AS CheckSeconds,
               json_extract(s.check_report, '$.loudness.integratedLufs') AS CheckLufs,
               s.deadline_rule AS DeadlineRule, s.deadline_problem AS DeadlineProblem, s.outcome AS Outcome,
               s.outcome_reason AS OutcomeReason, s.promoted_entry_id AS PromotedEntryId,
               (SELECT outcomes_published_at FROM contest WHERE id = 1) AS OutcomesPublishedAt
        FROM submissions s JOIN categories c ON c.id = s.category_id
        WHERE s.secret_hash = @hash
        """;

    public async Task<RulesView> GetRulesAsync(CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var contest = await ContestStore.GetDetailsAsync(connection, tx);
        var categories = (await connection.QueryAsync<Category>(SelectCategories, transaction: tx))
            .Select(c => new RulesCategory(c.Id, c.Name, c.Description, c.FinalistLimit));
        var e = contest.Entries;
        var now = clock.GetUtcNow();
        var state = EntryRules.CheckWindow(e, now)?.Rule switch
        {
            EntryRules.Rules.NotOpen => "not-open",
            EntryRules.Rules.DeadlinePassed => "closed",
            _ => "open",
        };
        return new RulesView(contest.Name, contest.Year, state, e.OpensAtInstant?.ToUniversalTime(), e.DeadlineInstant?.ToUniversalTime(), e.TimeZone,
            e.PremieredAfter, e.MaxPerPerson, e.MaxPerPersonPerCategory, contest.Limits.MaxFileMegabytes, contest.Limits.MaxDurationSeconds, [.. categories]);
    }

    /// <summary>Adds an entry: its fields checked (a 400 naming each field), then the contest's rules (a refusal naming
    /// the rule and the field), in one write transaction with the insert.</summary>
    public async Task<Outcome<Submitted>> SubmitAsync(EntryRules.SubmissionForm form, CancellationToken ct = default)
    {
        if (ContestValidator.ByField(error => EntryRules.CheckForm(form, error)) is { } errors)
        {
            return Outcome<Submitted>.Invalid(errors);
        }

        var person = EntryRules.Person(form.ContactEmail)!;
        var record = form.ToRecord();
        await using var connection = await db.OpenAsync(ct);
        // A write transaction from the first read: the counts the limits see cannot change before the insert.
        await using var tx = await connection.BeginTransactionAsync(ct);
        var settings = (await ContestStore.GetDetailsAsync(connection, tx)).Entries;
        if (!await ContestStore.CategoryExistsAsync(connection, tx, form.CategoryId))
        {
            return Outcome<Submitted>.Invalid("categoryId", "There is no category with that id.");
        }

        var before = new EntryRules.PersonsEntries([.. await connection.QueryAsync<int>(SelectPersonsCategories, new { person }, tx)]);
        var now = clock.GetUtcNow();
        if (EntryRules.CheckSubmission(form, settings, before, now) is { } breach)
        {
            return Refused(breach);
        }

        var secret = EntrySecrets.New();
        var id = await connection.ExecuteScalarAsync<long>(InsertSubmission, new
        {
            SecretHash = EntrySecrets.Hash(secret),
            form.CategoryId,
            record.Title,
            record.Editors,
            ContactEmail = form.ContactEmail.Trim(),
            Person = person,
            record.MusicArtist,
            record.MusicTitle,
            record.Sources,
            PremieredOn = form.PremieredOn.Trim(),
            record.ContentNote,
            Now = now,
        }, tx);
        await tx.CommitAsync(ct);
        return new Submitted(id, secret, EntryPages.EntryPagePath(secret));
    }

    /// <summary>The entrant's entry by its page's secret, or null (a secret that is not one is not looked up).</summary>
    public async Task<EntrantView?> GetAsync(string secret, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var tx = connection.BeginTransaction(deferred: true);
        return await GetAsync(connection, tx, secret);
    }

    /// <summary>Withdraws the entrant's entry (again: nothing changes); refused once it has been promoted to the show.</summary>
    public async Task<Outcome<EntrantView>> WithdrawAsync(string secret, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (await GetAsync(connection, tx, secret) is not { } entry)
        {
            return Outcome<EntrantView>.NotFound;
        }

        if (!entry.CanWithdraw && entry.WithdrawnAt is null)
        {
            return Refusal.Conflict("promoted", "This entry is a finalist in the show already: ask the contest's coordinators to take it out.");
        }

        await connection.ExecuteAsync("UPDATE submissions SET withdrawn_at = coalesce(withdrawn_at, @now) WHERE id = @Id",
            new { now = clock.GetUtcNow(), entry.Id }, tx);
        var withdrawn = (await GetAsync(connection, tx, secret))!;
        await tx.CommitAsync(ct);
        return withdrawn;
    }

    /// <summary>A rule broken, as the API answers it: the form's content (the permission, the premiere date) a 400, the
    /// contest's state and limits a 409; the rule as <c>reason</c>, the field in <c>errors</c>.</summary>
    public static Refusal Refused(EntryRules.Breach breach) => new(
        breach.Rule is EntryRules.Rules.Permission or EntryRules.Rules.PremiereDate ? StatusCodes.Status400BadRequest : StatusCodes.Status409Conflict,
        RefusedTitle, breach.Message, breach.Rule, breach.Field);

    private async Task<EntrantView?> GetAsync(IDbConnection connection, IDbTransaction tx, string secret)
    {
        if (!EntrySecrets.IsWellFormed(secret))
        {
            return null;
        }

        var row = await connection.QuerySingleOrDefaultAsync<EntrantRow>(SelectEntrant, new { hash = EntrySecrets.Hash(secret) }, tx);
        if (row is null)
        {
            return null;
        }

        var settings = (await ContestStore.GetDetailsAsync(connection, tx)).Entries;
        var open = row.WithdrawnAt is null && row.PromotedEntryId is null;
        return new EntrantView(
            row.Id, row.Title, new RulesCategory(row.CategoryId, row.CategoryName, row.CategoryDescription, row.FinalistLimit),
            row.Editors, row.MusicArtist, row.MusicTitle, row.Sources, row.PremieredOn, row.ContentNote, row.SubmittedAt, row.WithdrawnAt,
            row.FilePath is null ? null : new EntrantFile(row.FileName, row.FileBytes),
            new FileCheck(row.CheckState, row.CheckProgress, row.CheckMessage, row.CheckSeconds, row.CheckLufs),
            row.DeadlineRule is { } rule ? new DeadlineBreach(rule, row.DeadlineProblem ?? "") : null,
            row.OutcomesPublishedAt is null ? null : new EntrantOutcome(row.Outcome, row.OutcomeReason),
            open && !EntryRules.DeadlinePassed(settings, clock.GetUtcNow()),
            open);
    }

    private sealed class EntrantRow
    {
        public long Id { get; init; }
        public string Title { get; init; } = "";
        public int CategoryId { get; init; }
        public string CategoryName { get; init; } = "";
        public string CategoryDescription { get; init; } = "";
        public int FinalistLimit { get; init; }
        public IReadOnlyList<string> Editors { get; init; } = [];
        public string MusicArtist { get; init; } = "";
        public string MusicTitle { get; init; } = "";
        public IReadOnlyList<string> Sources { get; init; } = [];
        public string PremieredOn { get; init; } = "";
        public string? ContentNote { get; init; }
        public DateTimeOffset SubmittedAt { get; init; }
        public DateTimeOffset? WithdrawnAt { get; init; }
        public string? FilePath { get; init; }
        public string? FileName { get; init; }
        public long? FileBytes { get; init; }
        public string CheckState { get; init; } = "none";
        public double? CheckProgress { get; init; }
        public string? CheckMessage { get; init; }
        public double? CheckSeconds { get; init; }
        public double? CheckLufs { get; init; }
        public string? DeadlineRule { get; init; }
        public string? DeadlineProblem { get; init; }
        public string Outcome { get; init; } = "pending";
        public string? OutcomeReason { get; init; }
        public long? PromotedEntryId { get; init; }
        public string? OutcomesPublishedAt { get; init; }
    }
}
