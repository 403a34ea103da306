using AmvScreening.Protocol;
using AmvScreening.Server.Contest;
using AmvScreening.Server.Contest.Import;
using AmvScreening.Server.Infrastructure;
using AmvScreening.Server.Data;
using AmvScreening.Server.Show;
using AmvScreening.Server.Voting;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace AmvScreening.Server.Consoles.Api;

/// <summary>What an edit came to: done (with its value), invalid (errors by field), refused (a 409 with a reason and
/// the field at fault), or about something that does not exist.</summary>
public sealed record EditOutcome<T>(T? Value, IReadOnlyDictionary<string, string[]>? Errors = null, string? Refusal = null,
    string? RefusalField = null, string? Detail = null, bool Missing = false)
{
    public static EditOutcome<T> NotFound { get; } = new(default, Missing: true);

    public static EditOutcome<T> Invalid(string field, string message) => new(default, new Dictionary<string, string[]> { [field] = [message] });

    public static EditOutcome<T> Refused(string reason, string field, string detail) => new(default, Refusal: reason, RefusalField: field, Detail: detail);

    public static implicit operator EditOutcome<T>(T value) => new(value);
}

/// <summary>The coordinator's edits of a contest already set up: details and voting rules, categories, finalists.
/// The same rules as an import (docs/import-formats.md), and one more: nothing that would delete or reinterpret
/// recorded votes (a finalist with ballots is not deleted nor moved, the scale does not change once anyone voted,
/// a revealed result does not change). Each edit is one transaction; the voting state and show reload after it.</summary>
public sealed class ContestEditor(Db db, VotingState voting, ShowService show, IOptions<AmvOptions> options)
{

    /// <summary>Refusal reasons (409 <c>reason</c>).</summary>
    public static class Reasons
    {
        public const string VotesRecorded = "votes-recorded";
        public const string AlreadyRevealed = "already-revealed";
        public const string HasFinalists = "has-finalists";
        public const string HasAwards = "has-awards";
    }

    private const string AnyScores = "SELECT EXISTS (SELECT 1 FROM votes) OR EXISTS (SELECT 1 FROM paper_counts)";
    private const string AnyBallots = "SELECT EXISTS (SELECT 1 FROM votes) OR EXISTS (SELECT 1 FROM best_in_show_picks)";
    private const string AnyReveal = "SELECT EXISTS (SELECT 1 FROM reveals)";
    private const string EntryHasBallots = """
        SELECT EXISTS (SELECT 1 FROM votes WHERE entry_id = @id) OR EXISTS (SELECT 1 FROM paper_counts WHERE entry_id = @id)
            OR EXISTS (SELECT 1 FROM best_in_show_picks WHERE entry_id = @id)
        """;
    private const string EntryShown = "SELECT EXISTS (SELECT 1 FROM entry_windows WHERE entry_id = @id)";
    private const string CategoryRevealed = "SELECT EXISTS (SELECT 1 FROM reveals WHERE scope = 'category:' || @categoryId OR scope = 'best-in-show')";

    private const string SelectDetails = """
        SELECT score_min AS ScoreMin, score_max AS ScoreMax, best_in_show_method AS BestInShowMethod,
               best_in_show_keeps_category_prize AS BestInShowKeepsCategoryPrize, require_cards AS RequireCards
        FROM contest WHERE id = 1
        """;

    private const string InsertCategory = """
        INSERT INTO categories (position, name) VALUES ((SELECT coalesce(max(position), 0) + 1 FROM categories), @name)
        RETURNING id AS Id, position AS Position, name AS Name
        """;

    private const string InsertEntry = """
        INSERT INTO entries (category_id, position, title, editors, music_artist, music_title, sources, video_path, content_note, disqualified)
        VALUES (@CategoryId, (SELECT coalesce(max(position), 0) + 1 FROM entries WHERE category_id = @CategoryId),
                @Title, @Editors, @MusicArtist, @MusicTitle, @Sources, @VideoPath, @ContentNote, @Disqualified)
        RETURNING id
        """;

    private const string UpdateEntry = """
        UPDATE entries SET category_id = @CategoryId, title = @Title, editors = @Editors, music_artist = @MusicArtist,
               music_title = @MusicTitle, sources = @Sources, video_path = @VideoPath, content_note = @ContentNote,
               disqualified = @Disqualified,
               position = CASE WHEN category_id = @CategoryId THEN position
                               ELSE (SELECT coalesce(max(position), 0) + 1 FROM entries WHERE category_id = @CategoryId) END
        WHERE id = @Id
        """;

    private const string SelectEntry = """
        SELECT id AS Id, category_id AS CategoryId, position AS Position, title AS Title, editors AS Editors,
               music_artist AS MusicArtist, music_title AS MusicTitle, sources AS Sources, video_path AS VideoPath,
               content_note AS ContentNote, disqualified AS Disqualified
        FROM entries WHERE id = @id
        """;

    /// <summary>Replaces the contest's details and voting rules.</summary>
    public async Task<EditOutcome<ContestDetails>> SetDetailsAsync(ContestDetails details, CancellationToken ct = default)
    {
        var errors = ValidateDetails(details);
        if (errors.Count > 0)
        {
            return new EditOutcome<ContestDetails>(null, errors);
        }

        await using (var connection = await db.OpenAsync(ct))
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            var before = await connection.QuerySingleAsync<RulesRow>(SelectDetails, transaction: tx);
            var voting = details.Voting;
            if ((before.ScoreMin != voting.ScoreMin || before.ScoreMax != voting.ScoreMax)
                && await connection.ExecuteScalarAsync<bool>(AnyScores, transaction: tx))
            {
                return EditOutcome<ContestDetails>.Refused(Reasons.VotesRecorded, "voting.scoreMax",
                    "Votes or paper ballots are recorded on this scale: it cannot change any more.");
            }

            if (before.RequireCards != voting.RequireCards && await connection.ExecuteScalarAsync<bool>(AnyBallots, transaction: tx))
            {
                return EditOutcome<ContestDetails>.Refused(Reasons.VotesRecorded, "voting.requireCards",
                    "Phones have voted already: whether the contest votes with ballot cards cannot change any more.");
            }

            if ((before.BestInShowMethod != voting.BestInShowMethod || before.BestInShowKeepsCategoryPrize != voting.BestInShowKeepsCategoryPrize)
                && await connection.ExecuteScalarAsync<bool>(AnyReveal, transaction: tx))
            {
                return EditOutcome<ContestDetails>.Refused(Reasons.AlreadyRevealed, "voting.bestInShowMethod",
                    "Results have been revealed: the Best In Show rules cannot change any more.");
            }

            await ContestStore.UpdateDetailsAsync(connection, tx, details);
            await tx.CommitAsync(ct);
        }

        await ReloadAsync(ct);
        return details;
    }

    public async Task<EditOutcome<Category>> AddCategoryAsync(string name, CancellationToken ct = default)
    {
        name = name.Trim();
        if (CheckName(name) is { } problem)
        {
            return EditOutcome<Category>.Invalid("name", problem);
        }

        Category category;
        try
        {
            await using var connection = await db.OpenAsync(ct);
            category = await connection.QuerySingleAsync<Category>(InsertCategory, new { name });
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 19)
        {
            return EditOutcome<Category>.Invalid("name", $"There is a category '{name}' already.");
        }

        await ReloadAsync(ct);
        return category;
    }

    public async Task<EditOutcome<Category>> RenameCategoryAsync(int id, string name, CancellationToken ct = default)
    {
        name = name.Trim();
        if (CheckName(name) is { } problem)
        {
            return EditOutcome<Category>.Invalid("name", problem);
        }

        Category? category;
        try
        {
            await using var connection = await db.OpenAsync(ct);
            category = await connection.QuerySingleOrDefaultAsync<Category>(
                "UPDATE categories SET name = @name WHERE id = @id RETURNING id AS Id, position AS Position, name AS Name", new { id, name });
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 19)
        {
            return EditOutcome<Category>.Invalid("name", $"There is a category '{name}' already.");
        }

        if (category is null)
        {
            return EditOutcome<Category>.NotFound;
        }

        await ReloadAsync(ct);
        return category;
    }

    /// <summary>Deletes an empty category (its finalists must be deleted or moved first).</summary>
    public async Task<EditOutcome<bool>> DeleteCategoryAsync(int id, CancellationToken ct = default)
    {
        await using (var connection = await db.OpenAsync(ct))
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            if (!await connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM categories WHERE id = @id)", new { id }, tx))
            {
                return EditOutcome<bool>.NotFound;
            }

            if (await connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM entries WHERE category_id = @id)", new { id }, tx))
            {
                return EditOutcome<bool>.Refused(Reasons.HasFinalists, "categoryId", "The category still has finalists: delete or move them first.");
            }

            await connection.ExecuteAsync(
                "DELETE FROM category_voting WHERE category_id = @id; DELETE FROM tie_decisions WHERE scope = 'category:' || @id; DELETE FROM categories WHERE id = @id;",
                new { id }, tx);
            await Renumber(connection, tx, "categories", null, null);
            await tx.CommitAsync(ct);
        }

        await ReloadAsync(ct);
        return true;
    }

    /// <summary>Puts the categories in the given show order (every category once).</summary>
    public async Task<EditOutcome<bool>> OrderCategoriesAsync(IReadOnlyList<int> ids, CancellationToken ct = default)
    {
        await using (var connection = await db.OpenAsync(ct))
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            var existing = (await connection.QueryAsync<int>("SELECT id FROM categories", transaction: tx)).ToHashSet();
            if (!IsPermutation(ids, existing))
            {
                return EditOutcome<bool>.Invalid("categoryIds", "List every category id exactly once, in the new show order.");
            }

            await Renumber(connection, tx, "categories", null, ids);
            await tx.CommitAsync(ct);
        }

        await ReloadAsync(ct);
        return true;
    }

    /// <summary>Puts a category's finalists in the given order (every finalist of the category once).</summary>
    public async Task<EditOutcome<bool>> OrderEntriesAsync(int categoryId, IReadOnlyList<int> ids, CancellationToken ct = default)
    {
        await using (var connection = await db.OpenAsync(ct))
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            if (!await connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM categories WHERE id = @categoryId)", new { categoryId }, tx))
            {
                return EditOutcome<bool>.NotFound;
            }

            var existing = (await connection.QueryAsync<int>("SELECT id FROM entries WHERE category_id = @categoryId", new { categoryId }, tx)).ToHashSet();
            if (!IsPermutation(ids, existing))
            {
                return EditOutcome<bool>.Invalid("entryIds", "List every finalist id of the category exactly once, in the new order.");
            }

            await Renumber(connection, tx, "entries", categoryId, ids);
            await tx.CommitAsync(ct);
        }

        await ReloadAsync(ct);
        return true;
    }

    /// <summary>Moves a finalist to the end of its category (one whose file failed its pre-flight check, say): the
    /// category's order with this finalist last, put through <see cref="OrderEntriesAsync"/>.</summary>
    public async Task<EditOutcome<bool>> MoveEntryToEndAsync(int entryId, CancellationToken ct = default)
    {
        int categoryId;
        List<int> order;
        await using (var connection = await db.OpenAsync(ct))
        {
            const string Sql = """
                SELECT category_id AS CategoryId, id AS Id FROM entries
                WHERE category_id = (SELECT category_id FROM entries WHERE id = @entryId)
                ORDER BY position
                """;
            var rows = (await connection.QueryAsync<(long CategoryId, long Id)>(Sql, new { entryId })).ToList();
            if (rows.Count == 0)
            {
                return EditOutcome<bool>.NotFound;
            }

            categoryId = (int)rows[0].CategoryId;
            order = [.. rows.Select(r => (int)r.Id).Where(id => id != entryId), entryId];
        }

        return await OrderEntriesAsync(categoryId, order, ct);
    }

    /// <summary>Adds a finalist at the end of its category.</summary>
    public async Task<EditOutcome<Entry>> AddEntryAsync(EntryFields fields, CancellationToken ct = default)
    {
        var errors = Validate(fields);
        if (errors.Count > 0)
        {
            return new EditOutcome<Entry>(null, errors);
        }

        Entry entry;
        await using (var connection = await db.OpenAsync(ct))
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            if (!await CategoryExists(connection, tx, fields.CategoryId))
            {
                return EditOutcome<Entry>.Invalid("categoryId", "There is no category with that id.");
            }

            var id = await connection.ExecuteScalarAsync<int>(InsertEntry, Parameters(0, fields), tx);
            entry = await connection.QuerySingleAsync<Entry>(SelectEntry, new { id }, tx);
            await tx.CommitAsync(ct);
        }

        await ReloadAsync(ct);
        return entry;
    }

    /// <summary>Replaces a finalist's fields. Moving it to another category puts it last there.</summary>
    public async Task<EditOutcome<Entry>> UpdateEntryAsync(int id, EntryFields fields, CancellationToken ct = default)
    {
        var errors = Validate(fields);
        if (errors.Count > 0)
        {
            return new EditOutcome<Entry>(null, errors);
        }

        Entry entry;
        await using (var connection = await db.OpenAsync(ct))
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            if (await connection.QuerySingleOrDefaultAsync<Entry>(SelectEntry, new { id }, tx) is not { } before)
            {
                return EditOutcome<Entry>.NotFound;
            }

            if (!await CategoryExists(connection, tx, fields.CategoryId))
            {
                return EditOutcome<Entry>.Invalid("categoryId", "There is no category with that id.");
            }

            if (before.CategoryId != fields.CategoryId
                && (await connection.ExecuteScalarAsync<bool>(EntryHasBallots, new { id }, tx) || await connection.ExecuteScalarAsync<bool>(EntryShown, new { id }, tx)))
            {
                return EditOutcome<Entry>.Refused(Reasons.VotesRecorded, "categoryId",
                    "This finalist has been shown or has votes in its category: it cannot move to another category.");
            }

            if (before.Disqualified != fields.Disqualified
                && await connection.ExecuteScalarAsync<bool>(CategoryRevealed, new { categoryId = before.CategoryId }, tx))
            {
                return EditOutcome<Entry>.Refused(Reasons.AlreadyRevealed, "disqualified",
                    "Its category's winner (or Best In Show) has been revealed: the finalist's standing cannot change any more.");
            }

            await connection.ExecuteAsync(UpdateEntry, Parameters(id, fields), tx);
            if (before.CategoryId != fields.CategoryId)
            {
                await Renumber(connection, tx, "entries", before.CategoryId, null);
            }

            entry = await connection.QuerySingleAsync<Entry>(SelectEntry, new { id }, tx);
            await tx.CommitAsync(ct);
        }

        await ReloadAsync(ct);
        return entry;
    }

    /// <summary>Deletes a finalist that has no votes, paper ballots, picks or awards.</summary>
    public async Task<EditOutcome<bool>> DeleteEntryAsync(int id, CancellationToken ct = default)
    {
        await using (var connection = await db.OpenAsync(ct))
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            if (await connection.QuerySingleOrDefaultAsync<Entry>(SelectEntry, new { id }, tx) is not { } entry)
            {
                return EditOutcome<bool>.NotFound;
            }

            if (await connection.ExecuteScalarAsync<bool>(EntryHasBallots, new { id }, tx))
            {
                return EditOutcome<bool>.Refused(Reasons.VotesRecorded, "entryId",
                    "Votes or paper ballots are recorded for this finalist: deleting it would delete them. Disqualify it instead.");
            }

            if (await connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM awards WHERE entry_id = @id)", new { id }, tx))
            {
                return EditOutcome<bool>.Refused(Reasons.HasAwards, "entryId", "This finalist has an award: take the award back first.");
            }

            await connection.ExecuteAsync("UPDATE show_state SET entry_id = NULL WHERE entry_id = @id; DELETE FROM entries WHERE id = @id;", new { id }, tx);
            await Renumber(connection, tx, "entries", entry.CategoryId, null);
            await tx.CommitAsync(ct);
        }

        await ReloadAsync(ct);
        return true;
    }

    /// <summary>The fields of a finalist as the API takes them.</summary>
    public sealed record EntryFields(
        int CategoryId,
        string Title,
        IReadOnlyList<string> Editors,
        string MusicArtist,
        string MusicTitle,
        IReadOnlyList<string>? Sources = null,
        string? File = null,
        string? ContentNote = null,
        bool Disqualified = false)
    {
        public EntryFields Trimmed() => this with
        {
            Title = Title.Trim(),
            Editors = [.. Editors.Select(e => e.Trim()).Where(e => e.Length > 0)],
            MusicArtist = MusicArtist.Trim(),
            MusicTitle = MusicTitle.Trim(),
            Sources = [.. (Sources ?? []).Select(s => s.Trim()).Where(s => s.Length > 0)],
            File = string.IsNullOrWhiteSpace(File) ? null : File.Trim(),
            ContentNote = string.IsNullOrWhiteSpace(ContentNote) ? null : ContentNote.Trim(),
        };
    }

    /// <summary>The import's rules (<see cref="ContestValidator.CheckFinalist"/>), by the API's field names.</summary>
    private Dictionary<string, string[]> Validate(EntryFields f)
    {
        var errors = new Dictionary<string, string[]>();
        var record = new FinalistRecord("", null, f.Title, f.Editors, f.MusicArtist, f.MusicTitle, f.Sources ?? [], f.File, f.ContentNote);
        ContestValidator.CheckFinalist(record, options.Value.MediaRootPath, (field, message) => errors.TryAdd(field, [message]));
        return errors;
    }

    private static Dictionary<string, string[]> ValidateDetails(ContestDetails details)
    {
        var errors = new Dictionary<string, string[]>();
        ContestValidator.CheckDetails(details, (field, message) => errors.TryAdd(field, [message]));
        return errors;
    }

    private static string? CheckName(string name) =>
        name.Length == 0 ? "A category needs a name." : name.Length > 100 ? "At most 100 characters." : null;

    private static bool IsPermutation(IReadOnlyList<int> ids, HashSet<int> existing) =>
        ids.Count == existing.Count && ids.ToHashSet().SetEquals(existing);

    private static Task<bool> CategoryExists(SqliteConnection connection, System.Data.Common.DbTransaction tx, int id) =>
        connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM categories WHERE id = @id)", new { id }, tx);

    /// <summary>Positions 1..n in the given order (or the current order, closing gaps). The positions are unique, so they
    /// move out of the way first.</summary>
    private static async Task Renumber(SqliteConnection connection, System.Data.Common.DbTransaction tx, string table, int? categoryId, IReadOnlyList<int>? order)
    {
        var scope = table == "entries" ? "WHERE category_id = @categoryId" : "";
        order ??= (await connection.QueryAsync<int>($"SELECT id FROM {table} {scope} ORDER BY position", new { categoryId }, tx)).AsList();
        await connection.ExecuteAsync($"UPDATE {table} SET position = position + 1000000 {scope}", new { categoryId }, tx);
        await connection.ExecuteAsync($"UPDATE {table} SET position = @Position WHERE id = @Id",
            order.Select((id, i) => new { Id = id, Position = i + 1 }), tx);
    }

    private static object Parameters(int id, EntryFields f) => new
    {
        Id = id,
        f.CategoryId,
        f.Title,
        Editors = (IReadOnlyList<string>)f.Editors,
        f.MusicArtist,
        f.MusicTitle,
        Sources = (IReadOnlyList<string>)(f.Sources ?? []),
        VideoPath = f.File,
        f.ContentNote,
        f.Disqualified,
    };

    private async Task ReloadAsync(CancellationToken ct)
    {
        await voting.LoadAsync(ct);
        await show.LoadAsync(ct);
    }

    private sealed class RulesRow
    {
        public int ScoreMin { get; init; }
        public int ScoreMax { get; init; }
        public string BestInShowMethod { get; init; } = "";
        public bool BestInShowKeepsCategoryPrize { get; init; }
        public bool RequireCards { get; init; }
    }
}
