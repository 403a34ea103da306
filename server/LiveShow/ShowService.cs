using AmvScreening.Protocol;
using AmvScreening.Server.Contest;
using AmvScreening.Server.Data;
using AmvScreening.Server.Results;
using AmvScreening.Server.Room;
using AmvScreening.Server.Voting;
using Dapper;
using Microsoft.AspNetCore.SignalR;

namespace AmvScreening.Server.LiveShow;

/// <summary>
/// What is on screen, as the player last reported it. Kept in memory for reads, written to the database before it is
/// pushed, so a server restart resumes with the last known state. Reports apply one at a time, in sequence order:
/// a report whose sequence is not greater than the last accepted one is ignored.
/// </summary>
/// <remarks>The state says whether the projector is reporting (<see cref="ShowState.Projector"/>): live from a player's
/// report until the last player connection closes (<see cref="ProjectorLostAsync"/>); lost after a server start until
/// the player reports again, since what was saved may no longer be on screen.</remarks>
public sealed class ShowService(
    Db db, ContestStore contest, VotingState voting, ResultsService results, RoomRotation rotation, Broadcaster broadcaster,
    TimeProvider clock, ILogger<ShowService> logger)
{
    private const string SelectState = """
        SELECT sequence AS Sequence, phase AS Phase, entry_id AS EntryId, category_id AS CategoryId, started_at AS StartedAt,
               duration_seconds AS DurationSeconds, position_seconds AS PositionSeconds, reported_at AS ReportedAt
        FROM show_state WHERE id = 1
        """;

    private const string UpsertState = """
        INSERT INTO show_state (id, sequence, phase, entry_id, category_id, started_at, duration_seconds, position_seconds, reported_at)
        VALUES (1, @Sequence, @Phase, @EntryId, @CategoryId, @StartedAt, @DurationSeconds, @PositionSeconds, @ReportedAt)
        ON CONFLICT (id) DO UPDATE SET
            sequence = excluded.sequence, phase = excluded.phase, entry_id = excluded.entry_id, category_id = excluded.category_id,
            started_at = excluded.started_at, duration_seconds = excluded.duration_seconds,
            position_seconds = excluded.position_seconds, reported_at = excluded.reported_at
        """;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private ShowState _current = ShowState.Idle;

    public ShowState Current => Volatile.Read(ref _current);

    /// <summary>Loads the last saved state (start-up, and after the contest changed), keeping whether the projector is
    /// live: lost at start-up.</summary>
    public async Task LoadAsync(CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<StateRow>(SelectState);
        if (row is not null)
        {
            var entry = row.EntryId is { } id ? await contest.GetEntrySummaryAsync(id, ct) : null;
            // Reports are checked as they arrive; a row written by an older version may still hold what they refuse
            // (an infinite position cannot even be sent as JSON), so it is read as the nearest valid state.
            Volatile.Write(ref _current, new ShowState(
                row.Sequence, Enum.TryParse<ShowPhase>(row.Phase, out var phase) && Enum.IsDefined(phase) ? phase : ShowPhase.Idle, entry,
                row.CategoryId, row.StartedAt,
                row.DurationSeconds is { } duration && double.IsFinite(duration) ? duration : null,
                double.IsFinite(row.PositionSeconds) ? row.PositionSeconds : 0, row.ReportedAt, Current.Projector));
        }
    }

    /// <summary>No player is connected any more: tells everyone the state is only what was last known.</summary>
    public async Task ProjectorLostAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_current.Projector == ProjectorStatus.Lost)
            {
                return;
            }

            var lost = _current with { Projector = ProjectorStatus.Lost };
            Volatile.Write(ref _current, lost);
            logger.LogWarning("The projector stopped reporting (no player connected); last known: {Phase}", lost.Phase);
            broadcaster.ShowChanged(lost);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Applies a player report; returns the state now held (unchanged when the report was stale).</summary>
    public async Task<ShowState> ApplyReportAsync(OnScreenReport report, CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var current = _current;
            if (report.Sequence <= current.Sequence)
            {
                logger.LogInformation("Ignored stale show report {Sequence} (current {Current})", report.Sequence, current.Sequence);
                return current;
            }

            EntrySummary? entry = null;
            if (report.EntryId is { } entryId)
            {
                entry = await contest.GetEntrySummaryAsync(entryId, ct) ?? throw new HubException($"Unknown entry {entryId}.");
            }
            else if (report.CategoryId is { } categoryId && !await contest.CategoryExistsAsync(categoryId, ct))
            {
                throw new HubException($"Unknown category {categoryId}.");
            }

            // Phones hear of a winner only for a result already revealed, whatever the projector shows.
            if (report.Phase == ShowPhase.Winner && (entry is null || !await results.IsRevealedWinnerAsync(entry.Id, ct)))
            {
                throw new HubException(entry is null
                    ? "A winner slate must name its entry."
                    : $"A winner slate for entry {entry.Id}, which has won nothing revealed yet: not passed on to phones.");
            }

            // The prizegiving's slates: a prize only once revealed, and only with its winner; nominees of a real category.
            if (report.Phase == ShowPhase.Winner && report.Scope is { } prize
                && (await results.GetPublicAsync(ct)).WinnerOf(prize)?.Id != entry!.Id)
            {
                throw new HubException($"A winner slate of '{prize}', which is not revealed with entry {entry.Id}: not passed on to phones.");
            }

            if (report.Phase == ShowPhase.Nominees && (ResultsContract.Scopes.CategoryIdOf(report.Scope) is not { } nominated
                || !await contest.CategoryExistsAsync(nominated, ct)))
            {
                throw new HubException("A nominees slate must name its category as 'category:{id}'.");
            }

            if (report.Scope is not null && report.Phase is not (ShowPhase.Winner or ShowPhase.Nominees))
            {
                throw new HubException("Only a prizegiving slate (winner, nominees) has a scope.");
            }

            if (report.Audio is { } audio && PlayerAudio.Problem(audio) is { } problem)
            {
                throw new HubException($"Report refused: {problem}");
            }

            var next = new ShowState(
                report.Sequence, report.Phase, entry, entry?.CategoryId ?? report.CategoryId, report.StartedAt,
                report.DurationSeconds, report.PositionSeconds, clock.GetUtcNow(), ProjectorStatus.Live, report.Audio, report.Scope);

            await using (var connection = await db.OpenAsync(ct))
            {
                await connection.ExecuteAsync(UpsertState, new
                {
                    next.Sequence,
                    Phase = next.Phase.ToString(),
                    EntryId = next.Entry?.Id,
                    next.CategoryId,
                    next.StartedAt,
                    next.DurationSeconds,
                    next.PositionSeconds,
                    next.ReportedAt,
                });
            }

            Volatile.Write(ref _current, next);
            // Voting opens before phones hear that the video started, so a vote right after the push is taken.
            await voting.OnShowChangedAsync(next, ct);
            await rotation.OnShowChangedAsync(next, ct);
            broadcaster.ShowChanged(next);
            return next;
        }
        finally
        {
            _gate.Release();
        }
    }

    private sealed class StateRow
    {
        public long Sequence { get; init; }
        public string Phase { get; init; } = "";
        public int? EntryId { get; init; }
        public int? CategoryId { get; init; }
        public DateTimeOffset? StartedAt { get; init; }
        public double? DurationSeconds { get; init; }
        public double PositionSeconds { get; init; }
        public DateTimeOffset? ReportedAt { get; init; }
    }
}
