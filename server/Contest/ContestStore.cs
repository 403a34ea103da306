using AmvScreening.Protocol;
using AmvScreening.Server.Data;
using Dapper;

namespace AmvScreening.Server.Contest;

/// <summary>Reads and writes the contest, its categories and finalists.</summary>
public sealed class ContestStore(Db db)
{
    private const string SelectDetails = """
        SELECT name AS Name, year AS Year, public_base_url AS PublicBaseUrl,
               score_min AS ScoreMin, score_max AS ScoreMax, best_in_show_method AS BestInShowMethod,
               best_in_show_keeps_category_prize AS BestInShowKeepsCategoryPrize, auto_close_minutes AS AutoCloseMinutes,
               require_cards AS RequireCards, max_file_megabytes AS MaxFileMegabytes, max_duration_seconds AS MaxDurationSeconds,
               loudness_target_lufs AS LoudnessTargetLufs,
               rotate_code_at_category_card AS RotateAtCategoryCard, rotate_code_minutes AS RotateEveryMinutes
        FROM contest WHERE id = 1
        """;

    private const string UpdateDetails = """
        UPDATE contest SET name = @Name, year = @Year, public_base_url = @PublicBaseUrl, score_min = @ScoreMin,
               score_max = @ScoreMax, best_in_show_method = @BestInShowMethod,
               best_in_show_keeps_category_prize = @BestInShowKeepsCategoryPrize, auto_close_minutes = @AutoCloseMinutes,
               require_cards = @RequireCards, max_file_megabytes = @MaxFileMegabytes, max_duration_seconds = @MaxDurationSeconds,
               loudness_target_lufs = @LoudnessTargetLufs,
               rotate_code_at_category_card = @RotateAtCategoryCard, rotate_code_minutes = @RotateEveryMinutes
        WHERE id = 1
        """;

    private const string SelectCategories = "SELECT id AS Id, position AS Position, name AS Name FROM categories ORDER BY position";

    private const string SelectEntries = """
        SELECT e.id AS Id, e.category_id AS CategoryId, e.position AS Position, e.title AS Title, e.editors AS Editors,
               e.music_artist AS MusicArtist, e.music_title AS MusicTitle, e.sources AS Sources, e.video_path AS VideoPath,
               e.content_note AS ContentNote, e.disqualified AS Disqualified
        FROM entries e JOIN categories c ON c.id = e.category_id
        ORDER BY c.position, e.position
        """;

    private const string SelectAwards = "SELECT id AS Id, name AS Name, entry_id AS EntryId, note AS Note FROM awards ORDER BY id";

    private const string SelectEntry = """
        SELECT e.id AS Id, e.category_id AS CategoryId, e.position AS Position, e.title AS Title, e.editors AS Editors,
               e.music_artist AS MusicArtist, e.music_title AS MusicTitle, e.sources AS Sources, e.video_path AS VideoPath,
               e.content_note AS ContentNote, e.disqualified AS Disqualified, c.name AS CategoryName
        FROM entries e JOIN categories c ON c.id = e.category_id
        WHERE e.id = @id
        """;

    public async Task<ContestView> GetAsync(CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var details = await GetDetailsAsync(connection, tx);
        var categories = (await connection.QueryAsync<Category>(SelectCategories, transaction: tx)).AsList();
        var entries = (await connection.QueryAsync<Entry>(SelectEntries, transaction: tx)).AsList();
        var awards = (await connection.QueryAsync<Award>(SelectAwards, transaction: tx)).AsList();
        return new ContestView(details, categories, entries, awards);
    }

    public async Task<ContestDetails> GetDetailsAsync(CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        return await GetDetailsAsync(connection, null);
    }

    public async Task<EntrySummary?> GetEntrySummaryAsync(int id, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<Entry, string, EntrySummary>(
            SelectEntry,
            (e, category) => e.ToSummary(category),
            new { id },
            splitOn: "CategoryName");
        return rows.SingleOrDefault();
    }

    public async Task<bool> CategoryExistsAsync(int id, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM categories WHERE id = @id)", new { id });
    }

    public async Task<bool> HasEntriesAsync(CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM entries)");
    }

    /// <summary>Writes the contest's details and rules (import and console edits alike), in the caller's transaction.</summary>
    public static Task UpdateDetailsAsync(System.Data.IDbConnection connection, System.Data.IDbTransaction tx, ContestDetails c) =>
        connection.ExecuteAsync(UpdateDetails, new
        {
            c.Name,
            c.Year,
            c.PublicBaseUrl,
            c.Voting.ScoreMin,
            c.Voting.ScoreMax,
            c.Voting.BestInShowMethod,
            c.Voting.BestInShowKeepsCategoryPrize,
            c.Voting.AutoCloseMinutes,
            c.Voting.RequireCards,
            c.Limits.MaxFileMegabytes,
            c.Limits.MaxDurationSeconds,
            c.Limits.LoudnessTargetLufs,
            c.RoomCode.RotateAtCategoryCard,
            c.RoomCode.RotateEveryMinutes,
        }, tx);

    private static async Task<ContestDetails> GetDetailsAsync(System.Data.IDbConnection connection, System.Data.IDbTransaction? tx)
    {
        var row = await connection.QuerySingleAsync<DetailsRow>(SelectDetails, transaction: tx);
        return new ContestDetails(
            row.Name,
            row.Year,
            row.PublicBaseUrl,
            new VotingSettings(row.ScoreMin, row.ScoreMax, row.BestInShowMethod, row.BestInShowKeepsCategoryPrize, row.AutoCloseMinutes, row.RequireCards),
            new ShowLimits(row.MaxFileMegabytes, row.MaxDurationSeconds, row.LoudnessTargetLufs))
        {
            RoomCode = new RoomCodeSettings(row.RotateAtCategoryCard, row.RotateEveryMinutes),
        };
    }

    private sealed class DetailsRow
    {
        public string Name { get; init; } = "";
        public int Year { get; init; }
        public string? PublicBaseUrl { get; init; }
        public int ScoreMin { get; init; }
        public int ScoreMax { get; init; }
        public string BestInShowMethod { get; init; } = "";
        public bool BestInShowKeepsCategoryPrize { get; init; }
        public int? AutoCloseMinutes { get; init; }
        public bool RequireCards { get; init; }
        public int MaxFileMegabytes { get; init; }
        public int MaxDurationSeconds { get; init; }
        public int LoudnessTargetLufs { get; init; }
        public bool RotateAtCategoryCard { get; init; }
        public int? RotateEveryMinutes { get; init; }
    }
}
