using System.Security.Cryptography;
using System.Text;
using AmvScreening.Server.Data;
using Dapper;

namespace AmvScreening.Server.Voting;

/// <summary>
/// Anonymous voter tokens: <c>{voter id}.{contest uid}.{signature}</c>, the signature an HMAC-SHA256 with a key made
/// at first start and kept in the database. A token is all a phone needs: it is not tied to the room code (a token
/// minted while a code was valid stays valid after rotation) nor to the IP address (a whole room shares one).
/// </summary>
public sealed class VoterTokens(Db db)
{
    public const string CookieName = "amv.voter";
    public const string HeaderName = "X-Voter-Token";

    private const string KeyName = "voter-token-key";
    private byte[] _key = [];
    private string _contestUid = "";

    public enum Failure { Missing, Malformed, OtherContest, BadSignature }

    public async Task InitializeAsync(CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        await connection.ExecuteAsync(
            "INSERT INTO secrets (name, value) VALUES (@KeyName, @value) ON CONFLICT (name) DO NOTHING",
            new { KeyName, value = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) });
        _key = Convert.FromBase64String(await connection.ExecuteScalarAsync<string>("SELECT value FROM secrets WHERE name = @KeyName", new { KeyName }) ?? "");
        _contestUid = await connection.ExecuteScalarAsync<string>("SELECT uid FROM contest WHERE id = 1") ?? "";
    }

    /// <summary>A new voter: its id and the token the phone keeps.</summary>
    public (string Voter, string Token) Mint()
    {
        var voter = Base64Url(RandomNumberGenerator.GetBytes(16));
        return (voter, $"{voter}.{_contestUid}.{Sign(voter, _contestUid)}");
    }

    /// <summary>The voter id in a token, or why the token is refused.</summary>
    public bool TryValidate(string? token, out string voter, out Failure failure)
    {
        voter = "";
        failure = Failure.Missing;
        if (string.IsNullOrEmpty(token))
        {
            return false;
        }

        var parts = token.Split('.');
        failure = Failure.Malformed;
        if (parts.Length != 3 || parts[0].Length != 22)
        {
            return false;
        }

        failure = Failure.OtherContest;
        if (parts[1] != _contestUid)
        {
            return false;
        }

        failure = Failure.BadSignature;
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(parts[2]), Encoding.ASCII.GetBytes(Sign(parts[0], parts[1]))))
        {
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
        _ => "The voter token was not issued by this server: scan the QR code on the screen again.",
    };

    /// <summary>A voter's id as it appears in exports: hashed with the contest, so a published file names no token.</summary>
    public string Pseudonym(string voter) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{_contestUid}:{voter}")))[..16];

    /// <summary>A keyed hash of a client address, so voters can be grouped by network without keeping the address.</summary>
    public string AddressHash(System.Net.IPAddress? address) =>
        address is null ? "" : Base64Url(HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes("address:" + address)))[..16];

    private string Sign(string voter, string contestUid) =>
        Base64Url(HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes($"{voter}.{contestUid}")));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
