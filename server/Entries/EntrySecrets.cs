using System.Security.Cryptography;
using System.Text;

namespace AmvScreening.Server.Entries;

/// <summary>
/// The secret in a private entry page's link (<c>/enter/e/{secret}</c>): 24 random bytes (192 bits) as 32 base64url
/// characters, answered once when the entry is submitted. The database keeps only its SHA-256 (lowercase hex), and an
/// entry is found by that hash: how long a lookup takes says nothing about how near a guess came, and whoever reads the
/// database cannot open the pages.
/// </summary>
public static class EntrySecrets
{
    public const int Length = 32;

    public static string New() => Base64Url(RandomNumberGenerator.GetBytes(24));

    /// <summary>Lowercase hex SHA-256 of the secret's UTF-8 text, as <c>submissions.secret_hash</c> keeps it.</summary>
    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Whether the text can be a secret at all (anything else is not looked up).</summary>
    public static bool IsWellFormed(string? secret) =>
        secret is { Length: Length } && secret.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
