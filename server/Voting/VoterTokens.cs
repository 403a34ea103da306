using System.Security.Cryptography;
using System.Text;
using AmvScreening.Server.Cards;
using AmvScreening.Server.Data;
using Dapper;

namespace AmvScreening.Server.Voting;

/// <summary>
/// Anonymous voter tokens: <c>{voter id}.{contest uid}.{signature}</c>, the signature an HMAC-SHA256 with a key made
/// at first start and kept in the database. A token is all a phone needs: it is not tied to the room code (a token
/// minted while a code was valid stays valid after rotation) nor to the IP address (a whole room shares one).
/// A ballot card's token, <c>{card's voter id}.{contest uid}.{phone}.{signature}</c>, also names the phone holding
/// the card: it is valid only while that phone holds it and the card's batch is not revoked
/// (<see cref="CardBindings"/>, docs/room-codes-and-cards.md).
/// </summary>
public sealed class VoterTokens(Db db, CardBindings cards)
{
    public const string CookieName = "amv.voter";
    public const string HeaderName = "X-Voter-Token";

    private const string KeyName = "voter-token-key";
    private byte[] _key = [];
    private string _contestUid = "";

    public enum Failure { Missing, Malformed, OtherContest, BadSignature, CardMoved, CardRevoked }

    public async Task InitializeAsync(CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        await connection.ExecuteAsync(
            "INSERT INTO secrets (name, value) VALUES (@KeyName, @value) ON CONFLICT (name) DO NOTHING",
            new { KeyName, value = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) });
        _key = Convert.FromBase64String(await connection.ExecuteScalarAsync<string>("SELECT value FROM secrets WHERE name = @KeyName", new { KeyName }) ?? "");
        _contestUid = await connection.ExecuteScalarAsync<string>("SELECT uid FROM contest WHERE id = 1") ?? "";
    }

    /// <summary>A new voter id: 128 random bits.</summary>
    public static string NewVoterId() => Base64Url(RandomNumberGenerator.GetBytes(16));

    /// <summary>A new voter: its id and the token the phone keeps.</summary>
    public (string Voter, string Token) Mint()
    {
        var voter = NewVoterId();
        return (voter, $"{voter}.{_contestUid}.{Sign($"{voter}.{_contestUid}")}");
    }

    /// <summary>The token of a ballot card's voter for the phone (<paramref name="device"/>, a keyed hash) holding it.</summary>
    public string MintCard(string voter, string device) => $"{voter}.{_contestUid}.{device}.{Sign($"{voter}.{_contestUid}.{device}")}";

    /// <summary>The voter id in a token, or why the token is refused.</summary>
    public bool TryValidate(string? token, out string voter, out Failure failure) => TryValidate(token, out voter, out _, out failure);

    /// <summary>The voter id in a token and whether it is a ballot card's, or why the token is refused.</summary>
    public bool TryValidate(string? token, out string voter, out bool card, out Failure failure)
    {
        voter = "";
        card = false;
        failure = Failure.Missing;
        if (string.IsNullOrEmpty(token))
        {
            return false;
        }

        var parts = token.Split('.');
        failure = Failure.Malformed;
        if (parts.Length is not (3 or 4) || parts[0].Length != 22)
        {
            return false;
        }

        failure = Failure.OtherContest;
        if (parts[1] != _contestUid)
        {
            return false;
        }

        failure = Failure.BadSignature;
        var signed = token[..token.LastIndexOf('.')];
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(parts[^1]), Encoding.ASCII.GetBytes(Sign(signed))))
        {
            return false;
        }

        card = parts.Length == 4;
        if (card && cards.Check(parts[0], parts[2]) is { } refused)
        {
            failure = refused;
            return false;
        }

        voter = parts[0];
        return true;
    }

    /// <summary>The token a request carries: the header (the page keeps the token itself) or else the cookie.</summary>
    public static string? FromRequest(HttpRequest request) =>
        request.Headers.TryGetValue(HeaderName, out var header) && header.Count > 0 ? header.ToString() : request.Cookies[CookieName];

    /// <summary>What the page can show for each refusal.</summary>
    public static string Explain(Failure failure) => failure switch
    {
        Failure.Missing => "No voter token: open the link from the QR code on the screen.",
        Failure.Malformed => "The voter token is not valid: scan the QR code on the screen again.",
        Failure.OtherContest => "This voter token belongs to another contest: scan the QR code on the screen again.",
        Failure.CardMoved => "This ballot card is now on another phone: ask a staff member.",
        Failure.CardRevoked => "This ballot card has been withdrawn: ask a staff member for a new one.",
        _ => "The voter token was not issued by this server: scan the QR code on the screen again.",
    };

    /// <summary>A voter's id as it appears in exports: hashed with the contest, so a published file names no token.</summary>
    public string Pseudonym(string voter) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{_contestUid}:{voter}")))[..16];

    /// <summary>A keyed hash of a client address, so voters can be grouped by network without keeping the address.</summary>
    public string AddressHash(System.Net.IPAddress? address) =>
        address is null ? "" : Base64Url(HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes("address:" + address)))[..16];

    private string Sign(string text) => Base64Url(HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(text)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
