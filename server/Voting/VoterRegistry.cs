using System.Collections.Concurrent;
using AmvScreening.Server.Data;
using AmvScreening.Server.Infrastructure;
using Dapper;

namespace AmvScreening.Server.Voting;

/// <summary>How a voter joined: the code on the screen, a poster's code, or a ballot card.</summary>
public static class JoinVia
{
    public const string Screen = "screen";
    public const string Poster = "poster";
    public const string Card = "card";
}

/// <summary>
/// What the server keeps about each voter to judge its ballots later (docs/ballot-integrity.md): when and how it joined,
/// a keyed hash of its address, and when it first opened the live connection. Nothing here identifies a person.
/// A whole hall joins within a minute, so the rows are written by one writer, many to a transaction
/// (<see cref="GroupCommit{TItem,TResult}"/>), instead of each join waiting for the database's lock and its own sync.
/// </summary>
public sealed class VoterRegistry(Db db, VoterTokens tokens, TimeProvider clock, ILogger<VoterRegistry> logger)
    : GroupCommit<VoterRegistry.Record, bool>(logger)
{
    private const string InsertVoter = """
        INSERT INTO voters (voter, joined_at, via, poster_id, card_id, address) VALUES (@Voter, @At, @Via, @PosterId, @CardId, @Address)
        ON CONFLICT (voter) DO NOTHING
        """;

    private const string UpdateConnected = "UPDATE voters SET connected_at = @At WHERE voter = @Voter AND connected_at IS NULL";

    // Voters already known to have connected: a reconnect (every phone after a server restart) costs no write.
    private readonly ConcurrentDictionary<string, byte> _connected = new();

    /// <summary>A row to write: a join (with <see cref="Via"/>), or a voter's first live connection.</summary>
    public sealed record Record(string Voter, DateTimeOffset At, string? Via = null, long? PosterId = null, long? CardId = null, string? Address = null);

    public Task RecordJoinAsync(string voter, string via, long? posterId, long? cardId, HttpContext context, CancellationToken ct = default) =>
        SubmitAsync(new Record(voter, clock.GetUtcNow(), via, posterId, cardId, tokens.AddressHash(context.Connection.RemoteIpAddress)), ct);

    /// <summary>A phone carrying this voter's token opened the show hub connection.</summary>
    public Task RecordConnectedAsync(string voter, CancellationToken ct = default) =>
        _connected.TryAdd(voter, 0) ? SubmitAsync(new Record(voter, clock.GetUtcNow()), ct) : Task.CompletedTask;

    protected override async Task<bool[]> CommitAsync(IReadOnlyList<Record> batch, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        foreach (var record in batch)
        {
            // In order: a join and that voter's first connection may come in the same batch.
            await connection.ExecuteAsync(record.Via is null ? UpdateConnected : InsertVoter, record, tx);
        }

        await tx.CommitAsync(ct);
        return [.. batch.Select(_ => true)];
    }
}
