using System.Data;
using AmvScreening.Protocol;
using AmvScreening.Server.Contest.Import;
using AmvScreening.Server.Data;
using AmvScreening.Server.Entries;
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
               rotate_code_at_category_card AS RotateAtCategoryCard, rotate_code_minutes AS RotateEveryMinutes,
               screen_view_qr AS ShowOnScreenView,
               judging_min AS JudgingMin, judging_max AS JudgingMax, blind_judging AS BlindJudging,
               time_zone AS TimeZone, entries_open_at AS EntriesOpenAt, entry_deadline AS EntryDeadline,
               premiered_after AS PremieredAfter, max_entries_per_person AS MaxEntriesPerPerson,
               max_entries_per_person_per_category AS MaxEntriesPerPersonPerCategory,
               prizegiving AS Prizegiving
        FROM contest WHERE id = 1
        """;

    private const string UpdateDetails = """
        UPDATE contest SET name = @Name, year = @Year, public_base_url = @PublicBaseUrl, score_min = @ScoreMin,
               score_max = @ScoreMax, best_in_show_method = @BestInShowMethod,
               best_in_show_keeps_category_prize = @BestInShowKeepsCategoryPrize, auto_close_minutes = @AutoCloseMinutes,
               require_cards = @RequireCards, max_file_megabytes = @MaxFileMegabytes, max_duration_seconds = @MaxDurationSeconds,
               loudness_target_lufs = @LoudnessTargetLufs,
               rotate_code_at_category_card = @RotateAtCategoryCard, rotate_code_minutes = @RotateEveryMinutes,
               screen_view_qr = @ShowOnScreenView,
               judging_min = @JudgingMin, judging_max = @JudgingMax, blind_judging = @BlindJudging,
               time_zone = @TimeZone, entries_open_at = @EntriesOpenAt, entry_deadline = @EntryDeadline,
               premiered_after = @PremieredAfter, max_entries_per_person = @MaxEntriesPerPerson,
               max_entries_per_person_per_category = @MaxEntriesPerPersonPerCategory,
               prizegiving = @Prizegiving
        WHERE id = 1
        """;

    /// <summary>A <see cref="Category"/>'s columns.</summary>
    public const string CategoryColumns = "id AS Id, position AS Position, name AS Name, description AS Description, finalist_limit AS FinalistLimit";

    private const string SelectCategories = $"SELECT {CategoryColumns} FROM categories ORDER BY position";

    /// <summary>An <see cref="Entry"/>'s columns, of <c>entries e</c>.</summary>
    private const string EntryColumns = """
        e.id AS Id, e.category_id AS CategoryId, e.position AS Position, e.title AS Title, e.editors AS Editors,
               e.music_artist AS MusicArtist, e.music_title AS MusicTitle, e.sources AS Sources, e.video_path AS VideoPath,
               e.content_note AS ContentNote, e.disqualified AS Disqualified
        """;

    private const string SelectEntries = $"""
        SELECT {EntryColumns}
        FROM entries e JOIN categories c ON c.id = e.category_id
        ORDER BY c.position, e.position
        """;

    private const string SelectAwards = "SELECT id AS Id, name AS Name, entry_id AS EntryId, note AS Note FROM awards ORDER BY id";

    private const string SelectEntrySummary = $"""
        SELECT {EntryColumns}, c.name AS CategoryName
        FROM entries e JOIN categories c ON c.id = e.category_id
        WHERE e.id = @id
        """;

    private const string SelectEntry = $"SELECT {EntryColumns} FROM entries e WHERE e.id = @id";

    /// <summary>A finalist's row; without a position, last in its category.</summary>
    private const string InsertEntry = """
        INSERT INTO entries (category_id, position, title, editors, music_artist, music_title, sources, video_path, content_note, disqualified)
        VALUES (@CategoryId, coalesce(@Position, (SELECT coalesce(max(position), 0) + 1 FROM entries WHERE category_id = @CategoryId)),
                @Title, @Editors, @MusicArtist, @MusicTitle, @Sources, @VideoPath, @ContentNote, @Disqualified)
        RETURNING id
        """;

    /// <summary>A category's row; without a position, last in the show.</summary>
    private const string InsertCategory = $"""
        INSERT INTO categories (position, name, description, finalist_limit)
        VALUES (coalesce(@Position, (SELECT coalesce(max(position), 0) + 1 FROM categories)), @Name, @Description, @FinalistLimit)
        RETURNING {CategoryColumns}
        """;

    private const string SelectCategoryExists = "SELECT EXISTS (SELECT 1 FROM categories WHERE id = @id)";

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
            SelectEntrySummary,
            (e, category) => e.ToSummary(category),
            new { id },
            splitOn: "CategoryName");
        return rows.SingleOrDefault();
    }

    public async Task<bool> CategoryExistsAsync(int id, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        return await CategoryExistsAsync(connection, null, id);
    }

    public async Task<bool> HasEntriesAsync(CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM entries)");
    }

    /// <summary>Writes the contest's details and rules (import and console edits alike), in the caller's transaction.</summary>
    public static Task UpdateDetailsAsync(IDbConnection connection, IDbTransaction tx, ContestDetails c) =>
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
            c.RoomCode.ShowOnScreenView,
            JudgingMin = c.Judging.Min,
            JudgingMax = c.Judging.Max,
            BlindJudging = c.Judging.Blind,
            c.Entries.TimeZone,
            EntriesOpenAt = Utc(c.Entries.OpensAtInstant),
            EntryDeadline = Utc(c.Entries.DeadlineInstant),
            c.Entries.PremieredAfter,
            MaxEntriesPerPerson = c.Entries.MaxPerPerson,
            MaxEntriesPerPersonPerCategory = c.Entries.MaxPerPersonPerCategory,
            c.Prizegiving,
        }, tx);

    /// <summary>An instant as the database keeps it: ISO-8601 UTC text.</summary>
    private static string? Utc(DateTimeOffset? instant) => instant?.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture);

    public static Task<bool> CategoryExistsAsync(IDbConnection connection, IDbTransaction? tx, int id) =>
        connection.ExecuteScalarAsync<bool>(SelectCategoryExists, new { id }, tx);

    /// <summary>Adds a category, at <paramref name="position"/> or last.</summary>
    public static Task<Category> InsertCategoryAsync(IDbConnection connection, IDbTransaction tx, CategoryRecord category, int? position = null) =>
        connection.QuerySingleAsync<Category>(InsertCategory, new { category.Name, category.Description, category.FinalistLimit, Position = position }, tx);

    public static Task<Entry?> GetEntryAsync(IDbConnection connection, IDbTransaction tx, int id) =>
        connection.QuerySingleOrDefaultAsync<Entry>(SelectEntry, new { id }, tx);

    /// <summary>Adds a finalist to a category, at its order or last; its id.</summary>
    public static Task<int> InsertEntryAsync(IDbConnection connection, IDbTransaction tx, long categoryId, FinalistRecord f) =>
        connection.ExecuteScalarAsync<int>(InsertEntry, EntryParameters(categoryId, f), tx);

    /// <summary>A finalist's fields as the parameters of <c>entries</c>' columns: @CategoryId, @Position, @Title, …</summary>
    public static object EntryParameters(long categoryId, FinalistRecord f, int id = 0) => new
    {
        Id = id,
        CategoryId = categoryId,
        Position = f.Order,
        f.Title,
        f.Editors,
        f.MusicArtist,
        f.MusicTitle,
        f.Sources,
        VideoPath = f.File,
        f.ContentNote,
        f.Disqualified,
    };

    /// <summary>The contest's details and rules, in the caller's transaction.</summary>
    public static async Task<ContestDetails> GetDetailsAsync(IDbConnection connection, IDbTransaction? tx)
    {
        var row = await connection.QuerySingleAsync<DetailsRow>(SelectDetails, transaction: tx);
        return new ContestDetails(
            row.Name,
            row.Year,
            row.PublicBaseUrl,
            new VotingSettings(row.ScoreMin, row.ScoreMax, row.BestInShowMethod, row.BestInShowKeepsCategoryPrize, row.AutoCloseMinutes, row.RequireCards),
            new ShowLimits(row.MaxFileMegabytes, row.MaxDurationSeconds, row.LoudnessTargetLufs))
        {
            RoomCode = new RoomCodeSettings(row.RotateAtCategoryCard, row.RotateEveryMinutes, row.ShowOnScreenView),
            Judging = new JudgingSettings(row.JudgingMin, row.JudgingMax, row.BlindJudging),
            Entries = EntriesOf(row),
            Prizegiving = row.Prizegiving,
        };
    }

    /// <summary>The entry settings as the contest states them: instants in its time zone, with the offset.</summary>
    private static EntrySettings EntriesOf(DetailsRow row)
    {
        var settings = new EntrySettings(null, null, row.TimeZone, row.PremieredAfter, row.MaxEntriesPerPerson, row.MaxEntriesPerPersonPerCategory);
        var zone = settings.Zone() ?? TimeZoneInfo.Utc;
        string? Local(string? utc) => EntrySettings.Instant(utc, TimeZoneInfo.Utc) is { } instant ? EntrySettings.Format(instant, zone) : null;
        return settings with { OpensAt = Local(row.EntriesOpenAt), Deadline = Local(row.EntryDeadline) };
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
        public bool ShowOnScreenView { get; init; }
        public int JudgingMin { get; init; }
        public int JudgingMax { get; init; }
        public bool BlindJudging { get; init; }
        public string TimeZone { get; init; } = "UTC";
        public string? EntriesOpenAt { get; init; }
        public string? EntryDeadline { get; init; }
        public string? PremieredAfter { get; init; }
        public int MaxEntriesPerPerson { get; init; }
        public int MaxEntriesPerPersonPerCategory { get; init; }
        public string Prizegiving { get; init; } = "";
    }
}
