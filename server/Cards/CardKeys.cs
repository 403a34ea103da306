using System.Security.Cryptography;
using System.Text;
using AmvScreening.Server.Data;
using AmvScreening.Server.Room;
using Dapper;

namespace AmvScreening.Server.Cards;

/// <summary>
/// Ballot card keys (docs/room-codes-and-cards.md). A card's key is derived from a server secret, the batch and the
/// card's number (HMAC-SHA256), written in the room codes' look-alike-free alphabet: 16 characters, 19^16 ≈ 2^68
/// possible keys. Deriving rather than storing lets the coordinator print a batch again; the database keeps only a
/// keyed hash of each key (to find the card a phone brings) and a keyed hash of the phone holding it. The secret lives
/// in the database's <c>secrets</c> table, like the voter token key: whoever has the database file can make the keys.
/// </summary>
public sealed class CardKeys(Db db)
{
    public const int Length = 16;
    public const int GroupLength = 4;

    /// <summary>What a phone calls itself when it claims a card: 16 to 64 URL-safe characters it keeps.</summary>
    public const int MinDevice = 16, MaxDevice = 64;

    private const string SecretName = "card-key";
    private byte[] _secret = [];

    public async Task InitializeAsync(CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        await connection.ExecuteAsync(
            "INSERT INTO secrets (name, value) VALUES (@SecretName, @value) ON CONFLICT (name) DO NOTHING",
            new { SecretName, value = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) });
        _secret = Convert.FromBase64String(
            await connection.ExecuteScalarAsync<string>("SELECT value FROM secrets WHERE name = @SecretName", new { SecretName }) ?? "");
    }

    /// <summary>Card <paramref name="number"/> of batch <paramref name="batchId"/>'s key (<see cref="Length"/> characters, no dashes).</summary>
    public string KeyOf(long batchId, int number)
    {
        var bytes = Mac($"card:{batchId}:{number}");
        var value = new UInt128(BitConverter.ToUInt64(bytes, 0), BitConverter.ToUInt64(bytes, 8));
        var key = new char[Length];
        var radix = (UInt128)RoomCodes.Alphabet.Length;
        for (var i = 0; i < Length; i++)
        {
            key[i] = RoomCodes.Alphabet[(int)(value % radix)];
            value /= radix;
        }

        return new string(key);
    }

    /// <summary>The keyed hash stored for a key (the card is found by it; the key itself is never stored).</summary>
    public string HashOf(string key) => Convert.ToHexStringLower(Mac("key:" + key));

    /// <summary>The keyed hash stored for the phone holding a card, and carried in its card token.</summary>
    public string DeviceHash(string device) => Convert.ToBase64String(Mac("device:" + device))[..22].Replace('+', '-').Replace('/', '_');

    /// <summary>XXXX-XXXX-XXXX-XXXX, as printed.</summary>
    public static string Format(string key) =>
        string.Join('-', Enumerable.Range(0, Length / GroupLength).Select(g => key.Substring(g * GroupLength, GroupLength)));

    /// <summary>A key typed by hand (any case, blanks and dashes ignored), or null when it cannot be a key.</summary>
    public static string? Normalize(string typed)
    {
        var clean = RoomCodes.Clean(typed);
        return clean.Length == Length && clean.All(RoomCodes.Alphabet.Contains) ? clean : null;
    }

    /// <summary>Whether a phone's name for itself is acceptable.</summary>
    public static bool IsDevice(string device) =>
        device.Length is >= MinDevice and <= MaxDevice && device.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private byte[] Mac(string text) => HMACSHA256.HashData(_secret, Encoding.UTF8.GetBytes(text));
}
