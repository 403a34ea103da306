using System.Data;
using AmvScreening.Server.Contest.Import;
using AmvScreening.Server.Data;
using AmvScreening.Server.Infrastructure;
using AmvScreening.Server.LiveShow;
using AmvScreening.Server.Voting;
using Dapper;
using Microsoft.Extensions.Options;

namespace AmvScreening.Server.Contest;

/// <summary>The coordinator's edits of a contest already set up: details and voting rules, categories, finalists.
/// The same rules as an import (<see cref="ContestValidator"/>, docs/import-formats.md), and one more: nothing that
/// would delete or reinterpret recorded votes (a finalist with ballots is not deleted nor moved, the scale does not
/// change once anyone voted, a revealed result does not change). Each edit is one transaction; the voting state and
/// show reload after it.</summary>
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
    private const string AnyJudgeScores = "SELECT EXISTS (SELECT 1 FROM judge_scores WHERE score IS NOT NULL)";
    private const string AnyReveal = "SELECT EXISTS (SELECT 1 FROM reveals)";
    private const string EntryHasBallots = """
        SELECT EXISTS (SELECT 1 FROM votes WHERE entry_id = @id) OR EXISTS (SELECT 1 FROM paper_counts WHERE entry_id = @id)
            OR EXISTS (SELECT 1 FROM best_in_show_picks WHERE entry_id = @id)
        """;
    private const string EntryShown = "SELECT EXISTS (SELECT 1 FROM entry_windows WHERE entry_id = @id)";
    private const string CategoryRevealed = "SELECT EXISTS (SELECT 1 FROM reveals WHERE scope = 'category:' || @categoryId OR scope = 'best-in-show')";
    private const string SelectCategories = $"SELECT {ContestStore.CategoryColumns} FROM categories";

    private const string UpdateEntry = """
        UPDATE entries SET category_id = @CategoryId, title = @Title, editors = @Editors, music_artist = @MusicArtist,
               music_title = @MusicTitle, sources = @Sources, video_path = @VideoPath, content_note = @ContentNote,
               disqualified = @Disqualified,
               position = CASE WHEN category_id = @CategoryId THEN position
                               ELSE (SELECT coalesce(max(position), 0) + 1 FROM entries WHERE category_id = @CategoryId) END
        WHERE id = @Id
        """;

    /// <summary>Replaces the contest's details and voting rules (<see cref="ContestDetails.Tidied"/> first).</summary>
    public async Task<Outcome<ContestDetails>> SetDetailsAsync(ContestDetails details, CancellationToken ct = default)
    {
        details = details.Tidied();
        if (ContestValidator.ByField(error => ContestValidator.CheckDetails(details, error)) is { } errors)
        {
            return Outcome<ContestDetails>.Invalid(errors);
        }

        return await EditAsync<ContestDetails>(async (connection, tx) =>
        {
            var stored = await ContestStore.GetDetailsAsync(connection, tx);
            var before = stored.Voting;
            var after = details.Voting;
            if ((before.ScoreMin != after.ScoreMin || before.ScoreMax != after.ScoreMax)
                && await connection.ExecuteScalarAsync<bool>(AnyScores, transaction: tx))
            {
                return Refusal.Conflict(Reasons.VotesRecorded,
                    "Votes or paper ballots are recorded on this scale: it cannot change any more.", "voting.scoreMax");
            }

            if ((stored.Judging.Min != details.Judging.Min || stored.Judging.Max != details.Judging.Max)
                && await connection.ExecuteScalarAsync<bool>(AnyJudgeScores, transaction: tx))
            {
                return Refusal.Conflict(Reasons.VotesRecorded,
                    "Judges have scored on this scale: it cannot change any more.", "judging.max");
            }

            if (before.RequireCards != after.RequireCards && await connection.ExecuteScalarAsync<bool>(AnyBallots, transaction: tx))
            {
                return Refusal.Conflict(Reasons.VotesRecorded,
                    "Phones have voted already: whether the contest votes with ballot cards cannot change any more.", "voting.requireCards");
            }

            if ((before.BestInShowMethod != after.BestInShowMethod || before.BestInShowKeepsCategoryPrize != after.BestInShowKeepsCategoryPrize)
                && await connection.ExecuteScalarAsync<bool>(AnyReveal, transaction: tx))
            {
                return Refusal.Conflict(Reasons.AlreadyRevealed,
                    "Results have been revealed: the Best In Show rules cannot change any more.", "voting.bestInShowMethod");
            }

            // Revealed categories carry the placings or not (docs/prizegiving.md): every reveal shows them the same way.
            if ((await ContestStore.GetDetailsAsync(connection, tx)).Prizegiving != details.Prizegiving
                && await connection.ExecuteScalarAsync<bool>(AnyReveal, transaction: tx))
            {
                return Refusal.Conflict(Reasons.AlreadyRevealed,
                    "Results have been revealed: what the prizegiving shows cannot change any more.", "prizegiving");
            }

            await ContestStore.UpdateDetailsAsync(connection, tx, details);
            // As stored: the entry instants as the contest states them, in its time zone.
            return await ContestStore.GetDetailsAsync(connection, tx);
        }, ct);
    }

    /// <summary>Adds a category at the end of the show (without a description or limit: none, the default limit).</summary>
    public Task<Outcome<Category>> AddCategoryAsync(string name, string? description = null, int? finalistLimit = null, CancellationToken ct = default) =>
        NameCategoryAsync(null, name, description, finalistLimit, ct);

    /// <summary>Renames a category, and sets its description and finalist limit when given.</summary>
    public Task<Outcome<Category>> RenameCategoryAsync(int id, string name, string? description = null, int? finalistLimit = null, CancellationToken ct = default) =>
        NameCategoryAsync(id, name, description, finalistLimit, ct);

    /// <summary>Deletes an empty category (its finalists must be deleted or moved first).</summary>
    public Task<Outcome<bool>> DeleteCategoryAsync(int id, CancellationToken ct = default) => EditAsync<bool>(async (connection, tx) =>
    {
        if (!await ContestStore.CategoryExistsAsync(connection, tx, id))
        {
            return Outcome<bool>.NotFound;
        }

        if (await connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM entries WHERE category_id = @id)", new { id }, tx))
        {
            return Refusal.Conflict(Reasons.HasFinalists, "The category still has finalists: delete or move them first.", "categoryId");
        }

        await connection.ExecuteAsync(
            "DELETE FROM category_voting WHERE category_id = @id; DELETE FROM tie_decisions WHERE scope = 'category:' || @id; DELETE FROM categories WHERE id = @id;",
            new { id }, tx);
        await Renumber(connection, tx, null, null);
        return true;
    }, ct);

    /// <summary>Puts the categories in the given show order (every category once).</summary>
    public Task<Outcome<bool>> OrderCategoriesAsync(IReadOnlyList<int> ids, CancellationToken ct = default) =>
        OrderAsync(null, ids, "categoryIds", "List every category id exactly once, in the new show order.", ct);

    /// <summary>Puts a category's finalists in the given order (every finalist of the category once).</summary>
    public Task<Outcome<bool>> OrderEntriesAsync(int categoryId, IReadOnlyList<int> ids, CancellationToken ct = default) =>
        OrderAsync(categoryId, ids, "entryIds", "List every finalist id of the category exactly once, in the new order.", ct);

    /// <summary>Moves a finalist to the end of its category (one whose file failed its pre-flight check, say): the
    /// category's order with this finalist last, put through <see cref="OrderEntriesAsync"/>.</summary>
    public async Task<Outcome<bool>> MoveEntryToEndAsync(int entryId, CancellationToken ct = default)
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
                return Outcome<bool>.NotFound;
            }

            categoryId = (int)rows[0].CategoryId;
            order = [.. rows.Select(r => (int)r.Id).Where(id => id != entryId), entryId];
        }

        return await OrderEntriesAsync(categoryId, order, ct);
    }

    /// <summary>Adds a finalist at the end of its category.</summary>
    public async Task<Outcome<Entry>> AddEntryAsync(EntryFields fields, CancellationToken ct = default)
    {
        var finalist = fields.ToRecord();
        if (Check(finalist) is { } errors)
        {
            return Outcome<Entry>.Invalid(errors);
        }

        return await EditAsync<Entry>(async (connection, tx) =>
        {
            if (!await ContestStore.CategoryExistsAsync(connection, tx, fields.CategoryId))
            {
                return Outcome<Entry>.Invalid("categoryId", NoSuchCategory);
            }

            var id = await ContestStore.InsertEntryAsync(connection, tx, fields.CategoryId, finalist);
            return (await ContestStore.GetEntryAsync(connection, tx, id))!;
        }, ct);
    }

    /// <summary>Replaces a finalist's fields. Moving it to another category puts it last there.</summary>
    public async Task<Outcome<Entry>> UpdateEntryAsync(int id, EntryFields fields, CancellationToken ct = default)
    {
        var finalist = fields.ToRecord();
        if (Check(finalist) is { } errors)
        {
            return Outcome<Entry>.Invalid(errors);
        }

        return await EditAsync<Entry>(async (connection, tx) =>
        {
            if (await ContestStore.GetEntryAsync(connection, tx, id) is not { } before)
            {
                return Outcome<Entry>.NotFound;
            }

            if (!await ContestStore.CategoryExistsAsync(connection, tx, fields.CategoryId))
            {
                return Outcome<Entry>.Invalid("categoryId", NoSuchCategory);
            }

            if (before.CategoryId != fields.CategoryId
                && (await connection.ExecuteScalarAsync<bool>(EntryHasBallots, new { id }, tx) || await connection.ExecuteScalarAsync<bool>(EntryShown, new { id }, tx)))
            {
                return Refusal.Conflict(Reasons.VotesRecorded,
                    "This finalist has been shown or has votes in its category: it cannot move to another category.", "categoryId");
            }

            if (before.Disqualified != fields.Disqualified
                && await connection.ExecuteScalarAsync<bool>(CategoryRevealed, new { categoryId = before.CategoryId }, tx))
            {
                return Refusal.Conflict(Reasons.AlreadyRevealed,
                    "Its category's winner (or Best In Show) has been revealed: the finalist's standing cannot change any more.", "disqualified");
            }

            await connection.ExecuteAsync(UpdateEntry, ContestStore.EntryParameters(fields.CategoryId, finalist, id), tx);
            if (before.CategoryId != fields.CategoryId)
            {
                await Renumber(connection, tx, before.CategoryId, null);
            }

            return (await ContestStore.GetEntryAsync(connection, tx, id))!;
        }, ct);
    }

    /// <summary>Deletes a finalist that has no votes, paper ballots, picks or awards.</summary>
    public Task<Outcome<bool>> DeleteEntryAsync(int id, CancellationToken ct = default) => EditAsync<bool>(async (connection, tx) =>
    {
        if (await ContestStore.GetEntryAsync(connection, tx, id) is not { } entry)
        {
            return Outcome<bool>.NotFound;
        }

        if (await connection.ExecuteScalarAsync<bool>(EntryHasBallots, new { id }, tx))
        {
            return Refusal.Conflict(Reasons.VotesRecorded,
                "Votes or paper ballots are recorded for this finalist: deleting it would delete them. Disqualify it instead.", "entryId");
        }

        if (await connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM awards WHERE entry_id = @id)", new { id }, tx))
        {
            return Refusal.Conflict(Reasons.HasAwards, "This finalist has an award: take the award back first.", "entryId");
        }

        await connection.ExecuteAsync("UPDATE show_state SET entry_id = NULL WHERE entry_id = @id; DELETE FROM entries WHERE id = @id;", new { id }, tx);
        await Renumber(connection, tx, entry.CategoryId, null);
        return true;
    }, ct);

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
        /// <summary>As a contest file's finalist (no category name, no order: last in its category), its texts trimmed,
        /// blank names left out and blank optional texts null, as the file readers take them.</summary>
        public FinalistRecord ToRecord() => new(
            "",
            null,
            Title.Trim(),
            [.. Editors.Select(e => e.Trim()).Where(e => e.Length > 0)],
            MusicArtist.Trim(),
            MusicTitle.Trim(),
            [.. (Sources ?? []).Select(s => s.Trim()).Where(s => s.Length > 0)],
            string.IsNullOrWhiteSpace(File) ? null : File.Trim(),
            string.IsNullOrWhiteSpace(ContentNote) ? null : ContentNote.Trim(),
            Disqualified);
    }

    private const string NoSuchCategory = "There is no category with that id.";

    /// <summary>Adds (<paramref name="id"/> null) or renames a category, its name checked and compared with the others'
    /// as the import does; a description or finalist limit left out stays as it was (a new category: none, the default).</summary>
    private async Task<Outcome<Category>> NameCategoryAsync(int? id, string name, string? description, int? finalistLimit, CancellationToken ct) =>
        await EditAsync<Category>(async (connection, tx) =>
        {
            var categories = (await connection.QueryAsync<Category>(SelectCategories, transaction: tx)).AsList();
            var before = categories.Find(c => c.Id == id);
            if (id is not null && before is null)
            {
                return Outcome<Category>.NotFound;
            }

            var category = new CategoryRecord(name.Trim(), description?.Trim() ?? before?.Description ?? "",
                finalistLimit ?? before?.FinalistLimit ?? CategoryRecord.DefaultFinalistLimit);
            if (ContestValidator.ByField(error => ContestValidator.CheckCategory(category, error)) is { } errors)
            {
                return Outcome<Category>.Invalid(errors);
            }

            if (categories.Exists(c => c.Id != id && ContestValidator.CategoryNames.Equals(c.Name, category.Name)))
            {
                return Outcome<Category>.Invalid("name", $"There is a category '{category.Name}' already.");
            }

            return id is { } existing
                ? await connection.QuerySingleAsync<Category>(
                    $"UPDATE categories SET name = @Name, description = @Description, finalist_limit = @FinalistLimit WHERE id = @existing RETURNING {ContestStore.CategoryColumns}",
                    new { existing, category.Name, category.Description, category.FinalistLimit }, tx)
                : await ContestStore.InsertCategoryAsync(connection, tx, category);
        }, ct);

    /// <summary>The import's rules for a finalist's own fields (<see cref="ContestValidator.CheckFinalist"/>), by the
    /// API's field names; null when there is nothing to say.</summary>
    private Dictionary<string, string[]>? Check(FinalistRecord finalist) =>
        ContestValidator.ByField(error => ContestValidator.CheckFinalist(finalist, options.Value.MediaRootPath, error));

    /// <summary>Puts the categories (<paramref name="categoryId"/> null) or a category's finalists in the given order:
    /// every one of them once, or the list is refused as <paramref name="field"/>.</summary>
    private Task<Outcome<bool>> OrderAsync(int? categoryId, IReadOnlyList<int> ids, string field, string message, CancellationToken ct) =>
        EditAsync<bool>(async (connection, tx) =>
        {
            if (categoryId is { } category && !await ContestStore.CategoryExistsAsync(connection, tx, category))
            {
                return Outcome<bool>.NotFound;
            }

            var (table, scope) = Ordered(categoryId);
            var existing = (await connection.QueryAsync<int>($"SELECT id FROM {table} {scope}", new { categoryId }, tx)).ToHashSet();
            if (ids.Count != existing.Count || !ids.ToHashSet().SetEquals(existing))
            {
                return Outcome<bool>.Invalid(field, message);
            }

            await Renumber(connection, tx, categoryId, ids);
            return true;
        }, ct);

    /// <summary>What is put in order: the categories (<paramref name="categoryId"/> null) or a category's finalists,
    /// as a table and the condition on its rows.</summary>
    private static (string Table, string Scope) Ordered(int? categoryId) =>
        categoryId is null ? ("categories", "") : ("entries", "WHERE category_id = @categoryId");

    /// <summary>Positions 1..n in the given order (or the current order, closing gaps), of the categories
    /// (<paramref name="categoryId"/> null) or a category's finalists. The positions are unique, so they move out of
    /// the way first.</summary>
    private static async Task Renumber(IDbConnection connection, IDbTransaction tx, int? categoryId, IReadOnlyList<int>? order)
    {
        var (table, scope) = Ordered(categoryId);
        order ??= (await connection.QueryAsync<int>($"SELECT id FROM {table} {scope} ORDER BY position", new { categoryId }, tx)).AsList();
        await connection.ExecuteAsync($"UPDATE {table} SET position = position + 1000000 {scope}", new { categoryId }, tx);
        await connection.ExecuteAsync($"UPDATE {table} SET position = @Position WHERE id = @Id", order.Select((id, i) => new { Id = id, Position = i + 1 }), tx);
    }

    /// <summary>One edit: one transaction, committed only when the edit is done; the voting state and the show reload
    /// after it.</summary>
    private async Task<Outcome<T>> EditAsync<T>(Func<IDbConnection, IDbTransaction, Task<Outcome<T>>> edit, CancellationToken ct)
    {
        Outcome<T> outcome;
        await using (var connection = await db.OpenAsync(ct))
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            outcome = await edit(connection, tx);
            if (!outcome.Done)
            {
                return outcome;
            }

            await tx.CommitAsync(ct);
        }

        await ReloadAsync(ct);
        return outcome;
    }

    private async Task ReloadAsync(CancellationToken ct)
    {
        await voting.LoadAsync(ct);
        await show.LoadAsync(ct);
    }
}
