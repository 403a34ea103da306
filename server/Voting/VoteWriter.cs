using AmvScreening.Server.Data;
using AmvScreening.Server.Infrastructure;
using Microsoft.Data.Sqlite;

namespace AmvScreening.Server.Voting;

/// <summary>A score (or a Best In Show pick, when <see cref="Score"/> is null) from one voter.</summary>
/// <param name="Sequence">The phone's own counter: a retried older request never replaces a newer vote.</param>
public sealed record Ballot(string Voter, int EntryId, int? Score, long Sequence);

/// <summary>What became of a ballot: recorded (with the score or pick now held, which a newer one may have kept), or refused.</summary>
public sealed record BallotOutcome(VotingState.Refusal Refusal, int? Stored, DateTimeOffset? At);

/// <summary>
/// The one writer of votes (<see cref="GroupCommit{TItem,TResult}"/>). Requests queue their ballots; the writer takes
/// everything queued, checks each against the voting windows, and commits them in one transaction with
/// synchronous=FULL. A ballot is acknowledged only after its transaction is on disk, and while one batch commits the
/// next one gathers, so the cost of a sync is shared by all the votes that arrived meanwhile.
/// </summary>
public sealed class VoteWriter(Db db, VotingState voting, TimeProvider clock, ILogger<VoteWriter> logger)
    : GroupCommit<Ballot, BallotOutcome>(logger)
{
    // RETURNING gives the value now held; no row comes back when a newer ballot (higher sequence) is kept, and then
    // the Select* query reads it. first_at keeps when the voter first cast this ballot (docs/ballot-integrity.md).
    private const string UpsertVote = """
        INSERT INTO votes (voter, entry_id, score, sequence, voted_at, first_at) VALUES ($voter, $entry, $value, $sequence, $at, $at)
        ON CONFLICT (voter, entry_id) DO UPDATE SET score = excluded.score, sequence = excluded.sequence, voted_at = excluded.voted_at
        WHERE excluded.sequence >= votes.sequence
        RETURNING score
        """;

    private const string SelectVote = "SELECT score FROM votes WHERE voter = $voter AND entry_id = $entry";

    private const string UpsertPick = """
        INSERT INTO best_in_show_picks (voter, entry_id, sequence, picked_at, first_at) VALUES ($voter, $entry, $sequence, $at, $at)
        ON CONFLICT (voter) DO UPDATE SET entry_id = excluded.entry_id, sequence = excluded.sequence, picked_at = excluded.picked_at
        WHERE excluded.sequence >= best_in_show_picks.sequence
        RETURNING entry_id
        """;

    private const string SelectPick = "SELECT entry_id FROM best_in_show_picks WHERE voter = $voter";

    protected override Task<BallotOutcome[]> CommitAsync(IReadOnlyList<Ballot> batch, CancellationToken ct) =>
        voting.WhileUnchangedAsync(async () =>
        {
            var outcomes = new BallotOutcome[batch.Count];
            await using var connection = await db.OpenAsync(ct);
            await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
            // The hot path: four prepared statements reused for the whole batch.
            using var commands = new BallotCommands(connection, tx, clock.GetUtcNow());
            for (var i = 0; i < batch.Count; i++)
            {
                var b = batch[i];
                var refusal = b.Score is { } score ? voting.CheckScore(b.EntryId, score) : voting.CheckPick(b.EntryId);
                outcomes[i] = refusal == VotingState.Refusal.None
                    ? new BallotOutcome(refusal, await commands.RecordAsync(b, ct), commands.At)
                    : new BallotOutcome(refusal, null, null);
            }

            await tx.CommitAsync(ct);
            return outcomes;
        }, ct);

    private sealed class BallotCommands : IDisposable
    {
        private readonly SqliteCommand _upsertVote, _selectVote, _upsertPick, _selectPick;

        public BallotCommands(SqliteConnection connection, SqliteTransaction tx, DateTimeOffset at)
        {
            At = at;
            _upsertVote = Create(connection, tx, UpsertVote, at);
            _selectVote = Create(connection, tx, SelectVote, at);
            _upsertPick = Create(connection, tx, UpsertPick, at);
            _selectPick = Create(connection, tx, SelectPick, at);
        }

        public DateTimeOffset At { get; }

        /// <summary>Writes the ballot; returns the score (or pick) now held.</summary>
        public async Task<int> RecordAsync(Ballot ballot, CancellationToken ct)
        {
            var (upsert, select) = ballot.Score is null ? (_upsertPick, _selectPick) : (_upsertVote, _selectVote);
            foreach (var command in new[] { upsert, select })
            {
                command.Parameters["$voter"].Value = ballot.Voter;
                command.Parameters["$entry"].Value = ballot.EntryId;
                command.Parameters["$value"].Value = (object?)ballot.Score ?? DBNull.Value;
                command.Parameters["$sequence"].Value = ballot.Sequence;
            }

            return Convert.ToInt32(await upsert.ExecuteScalarAsync(ct) ?? await select.ExecuteScalarAsync(ct));
        }

        public void Dispose()
        {
            _upsertVote.Dispose();
            _selectVote.Dispose();
            _upsertPick.Dispose();
            _selectPick.Dispose();
        }

        private static SqliteCommand Create(SqliteConnection connection, SqliteTransaction tx, string sql, DateTimeOffset at)
        {
            var command = new SqliteCommand(sql, connection, tx);
            foreach (var name in new[] { "$voter", "$entry", "$value", "$sequence" })
            {
                command.Parameters.Add(new SqliteParameter(name, null));
            }

            command.Parameters.Add(new SqliteParameter("$at", at.UtcDateTime.ToString("O")));
            command.Prepare();
            return command;
        }
    }
}
