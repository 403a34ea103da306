using System.Collections.Concurrent;
using AmvScreening.Server.Data;
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
/// </summary>
public sealed class VoterRegistry(Db db, VoterTokens tokens, TimeProvider clock)
{
    private const string InsertVoter = """
        INSERT INTO voters (voter, joined_at, via, poster_id, card_id, address) VALUES (@voter, @now, @via, @posterId, @cardId, @address)
        ON CONFLICT (voter) DO NOTHING
        """;

    private const string UpdateConnected = "UPDATE voters SET connected_at = @now WHERE voter = @voter AND connected_at IS NULL";

    // Voters already known to have connected: a reconnect (every phone after a server restart) costs no write.
    private readonly ConcurrentDictionary<string, byte> _connected = new();

    /// <summary>Raised after a voter is recorded or first connects (what the ballots are judged by changed).</summary>
    public event Action? Changed;

    public async Task RecordJoinAsync(string voter, string via, long? posterId, long? cardId, HttpContext context, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        await connection.ExecuteAsync(InsertVoter, new
        {
            voter, now = clock.GetUtcNow(), via, posterId, cardId, address = tokens.AddressHash(context.Connection.RemoteIpAddress),
        });
        Changed?.Invoke();
    }

    /// <summary>A phone carrying this voter's token opened the show hub connection.</summary>
    public async Task RecordConnectedAsync(string voter, CancellationToken ct = default)
    {
        if (!_connected.TryAdd(voter, 0))
        {
            return;
        }

        await using var connection = await OpenAsync(ct);
        await connection.ExecuteAsync(UpdateConnected, new { voter, now = clock.GetUtcNow() });
        Changed?.Invoke();
    }

    /// <summary>A connection that commits without waiting for the disk: a whole hall joins within a minute, and one sync
    /// per join would queue them. These rows are evidence, not ballots: the next vote's commit (synchronous=FULL) syncs
    /// them too, and a row lost to a power cut only leaves that voter unjudged (docs/ballot-integrity.md).</summary>
    private async Task<Microsoft.Data.Sqlite.SqliteConnection> OpenAsync(CancellationToken ct)
    {
        var connection = await db.OpenAsync(ct);
        await connection.ExecuteAsync("PRAGMA synchronous = NORMAL");
        return connection;
    }
}
