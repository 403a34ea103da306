using System.Collections.Concurrent;
using AmvScreening.Server.Data;
using AmvScreening.Server.Voting;
using Dapper;

namespace AmvScreening.Server.Cards;

/// <summary>
/// Which phone holds each claimed ballot card, in memory for the vote path (every vote with a card token is checked
/// here, without a database read). <see cref="BallotCards"/> writes the database first, then this.
/// </summary>
public sealed class CardBindings
{
    private const string SelectClaimed = """
        SELECT c.voter AS Voter, c.device AS Device, c.released_at IS NOT NULL AS Released, b.revoked_at IS NOT NULL AS Revoked
        FROM ballot_cards c JOIN card_batches b ON b.id = c.batch_id
        WHERE c.device IS NOT NULL
        """;

    private readonly ConcurrentDictionary<string, Binding> _cards = new();

    /// <param name="Device">The keyed hash of the phone holding the card.</param>
    /// <param name="Released">Staff released the card from that phone.</param>
    /// <param name="Revoked">The card's batch was revoked.</param>
    public sealed record Binding(string Device, bool Released, bool Revoked);

    public async Task LoadAsync(Db db, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        foreach (var row in await connection.QueryAsync<Row>(SelectClaimed))
        {
            _cards[row.Voter] = new Binding(row.Device, row.Released, row.Revoked);
        }
    }

    /// <summary>Why a token naming this card's voter and this phone no longer votes, or null when it does.</summary>
    public VoterTokens.Failure? Check(string voter, string device) => _cards.TryGetValue(voter, out var binding) switch
    {
        false => VoterTokens.Failure.CardMoved,
        true when binding.Revoked => VoterTokens.Failure.CardRevoked,
        true when binding.Released || binding.Device != device => VoterTokens.Failure.CardMoved,
        _ => null,
    };

    public void Set(string voter, Binding binding) => _cards[voter] = binding;

    /// <summary>Every claimed card of the voters given is revoked.</summary>
    public void Revoke(IEnumerable<string> voters)
    {
        foreach (var voter in voters)
        {
            if (_cards.TryGetValue(voter, out var binding))
            {
                _cards[voter] = binding with { Revoked = true };
            }
        }
    }

    private sealed class Row
    {
        public string Voter { get; init; } = "";
        public string Device { get; init; } = "";
        public bool Released { get; init; }
        public bool Revoked { get; init; }
    }
}
