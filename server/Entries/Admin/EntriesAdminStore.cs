using AmvScreening.Server.Data;
using Dapper;

namespace AmvScreening.Server.Entries.Admin;

/// <summary>One entry as the coordinator sees it (the Entries page and the CSV export): the only place contact emails
/// leave the server.</summary>
public sealed record EntryRow
{
    public required long Id { get; init; }
    public required string Category { get; init; }
    public required long CategoryId { get; init; }
    public required string Title { get; init; }
    public required IReadOnlyList<string> Editors { get; init; }
    public required string ContactEmail { get; init; }
    public required string Person { get; init; }
    public required string MusicArtist { get; init; }
    public required string MusicTitle { get; init; }
    public required string SubmittedAt { get; init; }
    public string? WithdrawnAt { get; init; }
    public string? FileName { get; init; }
    public long? FileBytes { get; init; }
    public required string CheckState { get; init; }
    public double? CheckProgress { get; init; }
    public string? CheckMessage { get; init; }
    public double? DurationSeconds { get; init; }
    public double? IntegratedLufs { get; init; }
    public required bool ProxyNeeded { get; init; }
    public required bool HasProxy { get; init; }
    public string? RepeatOf { get; init; }
    public required bool RepeatCleared { get; init; }
    public required string Outcome { get; init; }
}

/// <summary>The coordinator's reads and writes of entries and previous finalists.</summary>
public sealed class EntriesAdminStore(Db db)
{
    private const string SelectEntries = """
        SELECT s.id AS Id, c.name AS Category, s.category_id AS CategoryId, s.title AS Title, s.editors AS Editors,
               s.contact_email AS ContactEmail, s.person AS Person, s.music_artist AS MusicArtist, s.music_title AS MusicTitle,
               s.submitted_at AS SubmittedAt, s.withdrawn_at AS WithdrawnAt, s.file_name AS FileName, s.file_bytes AS FileBytes,
               s.check_state AS CheckState, s.check_progress AS CheckProgress, s.check_message AS CheckMessage,
               CAST(json_extract(s.check_report, '$.durationSeconds') AS REAL) AS DurationSeconds,
               CAST(json_extract(s.check_report, '$.loudness.integratedLufs') AS REAL) AS IntegratedLufs,
               coalesce(json_extract(s.check_report, '$.proxyNeeded'), 0) AS ProxyNeeded, s.proxy_path IS NOT NULL AS HasProxy,
               s.repeat_of AS RepeatOf, s.repeat_cleared AS RepeatCleared, s.outcome AS Outcome
        FROM submissions s JOIN categories c ON c.id = s.category_id
        ORDER BY c.position, s.id
        """;

    private const string ClearRepeat = "UPDATE submissions SET repeat_cleared = 1 WHERE id = @Id AND repeat_of IS NOT NULL";

    private const string Recheck = """
        UPDATE submissions SET check_state = 'queued', check_progress = NULL, check_report = NULL, check_message = NULL, proxy_path = NULL
        WHERE id = @Id AND file_path IS NOT NULL AND check_state IN ('passed', 'failed')
        """;

    private const string SelectPrevious = "SELECT title AS Title, editors AS Editors, year AS Year FROM previous_finalists ORDER BY year DESC, title";

    private const string SelectToMatch = "SELECT id AS Id, title AS Title, editors AS Editors FROM submissions WHERE repeat_cleared = 0 AND id > @After ORDER BY id";

    private sealed record ToMatch
    {
        public required long Id { get; init; }
        public required string Title { get; init; }
        public required IReadOnlyList<string> Editors { get; init; }
    }

    public async Task<IReadOnlyList<EntryRow>> ListAsync(CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        return [.. await connection.QueryAsync<EntryRow>(new CommandDefinition(SelectEntries, cancellationToken: ct))];
    }

    /// <summary>Marks a flagged entry as reviewed and not a repeat; false when it does not exist or is not flagged.</summary>
    public async Task<bool> ClearRepeatAsync(long id, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(ClearRepeat, new { Id = id }, cancellationToken: ct)) == 1;
    }

    /// <summary>Queues an entry's file for its check again (after the limits changed); false when it has no checked file.</summary>
    public async Task<bool> RecheckAsync(long id, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(Recheck, new { Id = id }, cancellationToken: ct)) == 1;
    }

    public async Task<IReadOnlyList<PreviousFinalist>> PreviousAsync(CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        return [.. await connection.QueryAsync<PreviousFinalist>(new CommandDefinition(SelectPrevious, cancellationToken: ct))];
    }

    /// <summary>Replaces the list of previous finalists and flags the entries again against it, in one transaction; the
    /// number of entries flagged.</summary>
    public async Task<int> ReplacePreviousAsync(IReadOnlyList<PreviousFinalist> finalists, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync("DELETE FROM previous_finalists", transaction: transaction);
        await connection.ExecuteAsync(
            "INSERT INTO previous_finalists (title, editors, year) VALUES (@Title, @Editors, @Year)", finalists, transaction);
        var flagged = await FlagAsync(connection, transaction, finalists, after: 0);
        await transaction.CommitAsync(ct);
        return flagged;
    }

    /// <summary>Flags the entries after <paramref name="after"/> (by id) against the stored list; the highest id seen.</summary>
    public async Task<long> FlagNewAsync(long after, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var previous = (await connection.QueryAsync<PreviousFinalist>(SelectPrevious, transaction: transaction)).ToList();
        var last = await connection.ExecuteScalarAsync<long?>("SELECT max(id) FROM submissions", transaction: transaction) ?? 0;
        if (last > after)
        {
            await FlagAsync(connection, transaction, previous, after);
        }

        await transaction.CommitAsync(ct);
        return last;
    }

    /// <summary>Sets <c>repeat_of</c> of every entry not cleared (after <paramref name="after"/>) to its likely repeat, or
    /// null; the number flagged.</summary>
    private static async Task<int> FlagAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction,
        IReadOnlyList<PreviousFinalist> previous, long after)
    {
        var entries = await connection.QueryAsync<ToMatch>(SelectToMatch, new { After = after }, transaction);
        var flagged = 0;
        foreach (var entry in entries)
        {
            var match = RepeatMatcher.Find(entry.Title, entry.Editors, previous);
            flagged += match is null ? 0 : 1;
            await connection.ExecuteAsync("UPDATE submissions SET repeat_of = @RepeatOf WHERE id = @Id",
                new { entry.Id, RepeatOf = match?.Describe() }, transaction);
        }

        return flagged;
    }
}
