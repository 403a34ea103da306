using AmvScreening.Server.Data;
using AmvScreening.Server.Infrastructure;
using AmvScreening.Server.LiveShow;
using AmvScreening.Server.Voting;
using Dapper;
using Microsoft.Extensions.Options;

namespace AmvScreening.Server.Contest.Import;

public enum ContestFileFormat { Json, Csv }

/// <summary>A problem with one field of one row of a contest file: Field names both, e.g. "row 4: category".</summary>
public sealed record ImportIssue(string Field, string Message);

public sealed record ImportResult(
    bool Applied, IReadOnlyList<ImportIssue> Errors, IReadOnlyList<ImportIssue> Warnings, int Categories, int Finalists);

/// <summary>Imports a contest file, all or nothing (docs/import-formats.md): every problem in the file is found before
/// anything is written, and the whole file applies in one transaction or not at all. JSON replaces the contest's
/// details, categories, finalists and awards; CSV replaces the finalists (and so the awards, which name finalists).</summary>
public sealed class ContestImporter(Db db, IOptions<AmvOptions> options, VotingState voting, ShowService show)
{
    /// <summary>The largest contest file the import endpoint takes.</summary>
    public const long MaxFileBytes = 2 * 1024 * 1024;

    private const string SelectCategoryNames = "SELECT name FROM categories ORDER BY position";
    private const string CountAwards = "SELECT count(*) FROM awards";
    private const string AnyBallots = """
        SELECT EXISTS (SELECT 1 FROM votes) OR EXISTS (SELECT 1 FROM best_in_show_picks) OR EXISTS (SELECT 1 FROM paper_counts)
        """;

    private const string DeleteFinalists = "DELETE FROM awards; DELETE FROM entries;";
    private const string SelectCategoriesWithEntries = "SELECT name FROM categories WHERE id IN (SELECT category_id FROM submissions)";
    private const string SelectCategoryByName = "SELECT id FROM categories WHERE name = @Name";
    private const string MoveCategoriesAside = "UPDATE categories SET position = position + 1000000";
    private const string UpdateCategory = """
        UPDATE categories SET name = @Name, description = @Description, finalist_limit = @FinalistLimit, position = @Position WHERE id = @Id
        """;
    private const string SelectCategoryIds = "SELECT name, id FROM categories";

    private const string InsertAward = "INSERT INTO awards (name, entry_id, note) VALUES (@Name, @EntryId, @Note)";

    public static ContestFileFormat FormatOf(string path) =>
        Path.GetExtension(path).Equals(".csv", StringComparison.OrdinalIgnoreCase) ? ContestFileFormat.Csv : ContestFileFormat.Json;

    /// <param name="text">The file's text (a leading byte order mark is ignored).</param>
    /// <param name="dryRun">Only check the file: report what importing it would do, change nothing.</param>
    public async Task<ImportResult> ImportAsync(string text, ContestFileFormat format, bool dryRun, CancellationToken ct = default)
    {
        var issues = new ImportIssues();
        var file = format == ContestFileFormat.Json ? ContestJson.Read(text, issues) : ContestCsv.Read(text, issues);
        if (file is null)
        {
            return new ImportResult(false, issues.Errors, issues.Warnings, 0, 0);
        }

        await using var connection = await db.OpenAsync(ct);
        // One (write) transaction from the first read to the last write: what a CSV file is checked against cannot
        // change before it applies.
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (file.Contest is null)
        {
            var names = await connection.QueryAsync<string>(SelectCategoryNames, transaction: tx);
            file = file with { Categories = [.. names.Select(name => new FileRow<CategoryRecord>(new CategoryRecord(name), "categories", format))] };
            if (await connection.ExecuteScalarAsync<int>(CountAwards, transaction: tx) is > 0 and var awards)
            {
                issues.Warning("awards", $"The {awards} recorded award(s) are removed with the finalists they name.");
            }
        }

        // Replacing the finalists would delete their votes: once the audience has voted, the contest is fixed.
        if (await connection.ExecuteScalarAsync<bool>(AnyBallots, transaction: tx))
        {
            issues.Error("contest", "Votes or paper ballots are already recorded; importing would delete them. Export the results, then import into a new data directory.");
        }

        var document = ContestValidator.Validate(file, options.Value.MediaRootPath, issues);
        if (file.Contest is not null)
        {
            // Entries name their category: a category that has entries stays (renamed only in case).
            var kept = document.Categories.Select(c => c.Name).ToHashSet(ContestValidator.CategoryNames);
            foreach (var name in (await connection.QueryAsync<string>(SelectCategoriesWithEntries, transaction: tx)).Where(n => !kept.Contains(n)))
            {
                issues.Error("categories", $"Category '{name}' has entries submitted through the entry portal: keep it in the file.");
            }
        }

        var applied = issues.Errors.Count == 0 && !dryRun;
        if (applied)
        {
            await ApplyAsync(connection, tx, document);
            await tx.CommitAsync(ct);
            await voting.LoadAsync(ct);
            await show.LoadAsync(ct);
        }

        return new ImportResult(applied, issues.Errors, issues.Warnings, document.Categories.Count, document.Finalists.Count);
    }

    private static async Task ApplyAsync(System.Data.IDbConnection connection, System.Data.IDbTransaction tx, ContestDocument document)
    {
        await connection.ExecuteAsync(DeleteFinalists, transaction: tx);
        if (document.Contest is { } c)
        {
            await ContestStore.UpdateDetailsAsync(connection, tx, c);
            // The file's categories, in its order; one already there (by name) keeps its id, so the entries submitted
            // in it stay in it; the others go.
            await connection.ExecuteAsync(MoveCategoriesAside + "; DELETE FROM category_voting;", transaction: tx);
            var ids = new List<long>();
            foreach (var (category, i) in document.Categories.Select((category, i) => (category, i)))
            {
                if (await connection.ExecuteScalarAsync<long?>(SelectCategoryByName, new { category.Name }, tx) is { } id)
                {
                    await connection.ExecuteAsync(UpdateCategory, new { Id = id, category.Name, category.Description, category.FinalistLimit, Position = i + 1 }, tx);
                    ids.Add(id);
                }
                else
                {
                    ids.Add((await ContestStore.InsertCategoryAsync(connection, tx, category, position: i + 1)).Id);
                }
            }

            await connection.ExecuteAsync("DELETE FROM categories WHERE id NOT IN (SELECT value FROM json_each(@Ids))",
                new { Ids = System.Text.Json.JsonSerializer.Serialize(ids) }, tx);
        }

        var categoryIds = (await connection.QueryAsync<(string Name, long Id)>(SelectCategoryIds, transaction: tx))
            .ToDictionary(c => c.Name, c => c.Id, ContestValidator.CategoryNames);
        var entryIds = new Dictionary<(string Category, int? Order), long>();
        foreach (var f in document.Finalists)
        {
            entryIds[(f.Category, f.Order)] = await ContestStore.InsertEntryAsync(connection, tx, categoryIds[f.Category], f);
        }

        await connection.ExecuteAsync(InsertAward, document.Awards.Select(a => new { a.Name, EntryId = entryIds[(a.Category, a.Order)], a.Note }), tx);
    }
}
