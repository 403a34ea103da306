using AmvScreening.Server.Data;
using AmvScreening.Server.Room;
using AmvScreening.Server.Voting;
using Dapper;
using Microsoft.Data.Sqlite;

namespace AmvScreening.Server.Cards;

/// <summary>A batch of ballot cards as the coordinator sees it: how many cards phones hold, how many voted, and how
/// many of their ballots (scores and Best In Show picks) count (after a revocation, fewer than were cast).</summary>
public sealed record CardBatch
{
    public required long Id { get; init; }
    public required string Label { get; init; }
    public required int Size { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? RevokedAt { get; init; }
    public int Claimed { get; init; }
    public int Voted { get; init; }
    public int Ballots { get; init; }
    public int Counted { get; init; }
}

/// <summary>One printed card: its number in the batch and its key (never stored: derived again for printing).</summary>
public sealed record PrintedCard(int Number, string Key);

/// <summary>
/// Ballot cards (docs/room-codes-and-cards.md): the coordinator makes batches of numbered cards, each with its own
/// key. The first phone that brings a card's key holds it; a card is one ballot identity (one voter id) whichever phone
/// holds it, so however many times a script joins with one card it counts once. Staff can release a card from a lost
/// phone (the next other phone takes it, the old one no longer votes with it) and revoke a whole batch (its cards stop
/// voting and their ballots leave every result not yet revealed).
/// </summary>
public sealed class BallotCards(Db db, CardKeys keys, CardBindings bindings, VoterTokens tokens, TimeProvider clock)
{
    public const int MaxBatch = 10_000;

    private const string SelectBatches = """
        SELECT b.id AS Id, b.label AS Label, b.size AS Size, b.created_at AS CreatedAt, b.revoked_at AS RevokedAt,
               (SELECT count(*) FROM ballot_cards c WHERE c.batch_id = b.id AND c.device IS NOT NULL) AS Claimed,
               (SELECT count(*) FROM ballot_cards c WHERE c.batch_id = b.id
                   AND (EXISTS (SELECT 1 FROM votes v WHERE v.voter = c.voter) OR EXISTS (SELECT 1 FROM best_in_show_picks p WHERE p.voter = c.voter))) AS Voted,
               (SELECT count(*) FROM ballot_cards c JOIN votes v ON v.voter = c.voter WHERE c.batch_id = b.id)
                 + (SELECT count(*) FROM ballot_cards c JOIN best_in_show_picks p ON p.voter = c.voter WHERE c.batch_id = b.id) AS Ballots,
               (SELECT count(*) FROM ballot_cards c JOIN counted_votes v ON v.voter = c.voter WHERE c.batch_id = b.id)
                 + (SELECT count(*) FROM ballot_cards c JOIN counted_picks p ON p.voter = c.voter WHERE c.batch_id = b.id) AS Counted
        FROM card_batches b
        """;

    private const string InsertBatch = "INSERT INTO card_batches (label, size, created_at) VALUES (@label, @size, @now) RETURNING id";
    private const string InsertCard = "INSERT INTO ballot_cards (batch_id, number, key_hash, voter) VALUES ($batch, $number, $hash, $voter)";

    private const string SelectCard = """
        SELECT c.id AS Id, c.voter AS Voter, c.device AS Device, c.released_at IS NOT NULL AS Released, b.revoked_at IS NOT NULL AS Revoked
        FROM ballot_cards c JOIN card_batches b ON b.id = c.batch_id
        """;

    private const string Claim = "UPDATE ballot_cards SET device = @device, claimed_at = @now, released_at = NULL WHERE id = @id";
    private const string Release = "UPDATE ballot_cards SET released_at = coalesce(released_at, @now) WHERE id = @id";
    private const string Revoke = "UPDATE card_batches SET revoked_at = coalesce(revoked_at, @now) WHERE id = @id";

    // One claim or release at a time: what the database says and what the bindings say move together.
    private readonly SemaphoreSlim _gate = new(1, 1);

    public enum ClaimStatus { Claimed, UnknownKey, Revoked, InUse, Moved }

    /// <summary>What a phone bringing a card's key got: the card's voter and token, or why not.</summary>
    public sealed record ClaimOutcome(ClaimStatus Status, long CardId = 0, string Voter = "", string Token = "");

    public enum ReleaseStatus { Released, NotFound, NeverUsed }

    /// <summary>Why a batch's label or size is not acceptable (by field), or none.</summary>
    public static Dictionary<string, string[]> Check(string label, int size)
    {
        var errors = new Dictionary<string, string[]>();
        if (RoomCodes.CheckLabel(label, "Saturday, door A") is { } problem)
        {
            errors["label"] = [problem];
        }

        if (size is < 1 or > MaxBatch)
        {
            errors["size"] = [$"From 1 to {MaxBatch} cards."];
        }

        return errors;
    }

    public async Task<IReadOnlyList<CardBatch>> GetBatchesAsync(CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<CardBatch>(SelectBatches + " ORDER BY b.id")).AsList();
    }

    public async Task<CardBatch?> GetBatchAsync(long id, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<CardBatch>(SelectBatches + " WHERE b.id = @id", new { id });
    }

    /// <summary>A new batch of <paramref name="size"/> cards numbered from 1 (label and size checked by <see cref="Check"/>).</summary>
    public async Task<CardBatch> CreateBatchAsync(string label, int size, CancellationToken ct = default)
    {
        long id;
        await using (var connection = await db.OpenAsync(ct))
        await using (var tx = (SqliteTransaction)await connection.BeginTransactionAsync(ct))
        {
            id = await connection.ExecuteScalarAsync<long>(InsertBatch, new { label, size, now = clock.GetUtcNow() }, tx);
            await using var insert = new SqliteCommand(InsertCard, connection, tx);
            foreach (var name in new[] { "$batch", "$number", "$hash", "$voter" })
            {
                insert.Parameters.Add(new SqliteParameter(name, null));
            }

            insert.Prepare();
            insert.Parameters["$batch"].Value = id;
            for (var number = 1; number <= size; number++)
            {
                insert.Parameters["$number"].Value = number;
                insert.Parameters["$hash"].Value = keys.HashOf(keys.KeyOf(id, number));
                insert.Parameters["$voter"].Value = VoterTokens.NewVoterId();
                await insert.ExecuteNonQueryAsync(ct);
            }

            await tx.CommitAsync(ct);
        }

        return (await GetBatchAsync(id, ct))!;
    }

    /// <summary>The cards <paramref name="from"/>..<paramref name="to"/> of a batch with their keys, for printing.</summary>
    public IReadOnlyList<PrintedCard> Print(long batchId, int from, int to) =>
        [.. Enumerable.Range(from, to - from + 1).Select(n => new PrintedCard(n, keys.KeyOf(batchId, n)))];

    /// <summary>A phone (<paramref name="device"/>, its own name for itself) brings a card's key (normalized).</summary>
    public async Task<ClaimOutcome> ClaimAsync(string key, string device, CancellationToken ct = default)
    {
        var phone = keys.DeviceHash(device);
        await _gate.WaitAsync(ct);
        try
        {
            await using var connection = await db.OpenAsync(ct);
            var card = await connection.QuerySingleOrDefaultAsync<CardRow>(SelectCard + " WHERE c.key_hash = @hash", new { hash = keys.HashOf(key) });
            if (card is null)
            {
                return new ClaimOutcome(ClaimStatus.UnknownKey);
            }

            if (card.Revoked)
            {
                return new ClaimOutcome(ClaimStatus.Revoked, card.Id);
            }

            var samePhone = card.Device == phone;
            if (card.Device is not null && !card.Released && !samePhone)
            {
                return new ClaimOutcome(ClaimStatus.InUse, card.Id);
            }

            if (card.Released && samePhone)
            {
                return new ClaimOutcome(ClaimStatus.Moved, card.Id);
            }

            if (!samePhone)
            {
                await connection.ExecuteAsync(Claim, new { device = phone, now = clock.GetUtcNow(), id = card.Id });
                bindings.Set(card.Voter, new CardBindings.Binding(phone, Released: false, Revoked: false));
            }

            return new ClaimOutcome(ClaimStatus.Claimed, card.Id, card.Voter, tokens.MintCard(card.Voter, phone));
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Staff release card <paramref name="number"/> of a batch from the phone holding it (lost, dead): that
    /// phone no longer votes with it, and the next other phone that brings its key takes it, with its ballot.</summary>
    public async Task<ReleaseStatus> ReleaseAsync(long batchId, int number, CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            await using var connection = await db.OpenAsync(ct);
            var card = await connection.QuerySingleOrDefaultAsync<CardRow>(
                SelectCard + " WHERE c.batch_id = @batchId AND c.number = @number", new { batchId, number });
            if (card is null)
            {
                return ReleaseStatus.NotFound;
            }

            if (card.Device is null)
            {
                return ReleaseStatus.NeverUsed;
            }

            await connection.ExecuteAsync(Release, new { id = card.Id, now = clock.GetUtcNow() });
            bindings.Set(card.Voter, new CardBindings.Binding(card.Device, Released: true, card.Revoked));
            return ReleaseStatus.Released;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Revokes a batch for good: its cards stop voting at once, and their ballots leave every result not yet
    /// revealed. Null when there is no such batch.</summary>
    public async Task<CardBatch?> RevokeAsync(long batchId, CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            await using var connection = await db.OpenAsync(ct);
            if (await connection.ExecuteAsync(Revoke, new { id = batchId, now = clock.GetUtcNow() }) == 0)
            {
                return null;
            }

            bindings.Revoke(await connection.QueryAsync<string>("SELECT voter FROM ballot_cards WHERE batch_id = @batchId", new { batchId }));
        }
        finally
        {
            _gate.Release();
        }

        return await GetBatchAsync(batchId, ct);
    }

    private sealed class CardRow
    {
        public long Id { get; init; }
        public string Voter { get; init; } = "";
        public string? Device { get; init; }
        public bool Released { get; init; }
        public bool Revoked { get; init; }
    }
}
