using System.Security.Cryptography;
using System.Text;
using AmvScreening.Server.Data;
using AmvScreening.Server.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace AmvScreening.Server.Auth;

/// <summary>
/// The staff passwords and the player's API key. A configured secret replaces the stored one; a secret neither
/// configured nor stored is generated at first start and printed once. Only hashes are stored: passwords with
/// ASP.NET Core Identity's PBKDF2 hasher, the (high-entropy, generated) API key with SHA-256.
/// </summary>
public sealed class SecretStore(Db db, IOptions<AmvOptions> options, ILogger<SecretStore> logger)
{
    private static readonly PasswordHasher<object> Hasher = new();
    private static readonly object HashUser = new();

    private const string SelectAll = "SELECT name AS Name, value AS Value FROM secrets";
    private const string Upsert = "INSERT INTO secrets (name, value) VALUES (@name, @value) ON CONFLICT (name) DO UPDATE SET value = excluded.value";

    private Dictionary<string, string> _hashes = [];

    private enum Kind { Password, ApiKey }

    private sealed record Secret(string Name, string Label, Kind Kind, Func<AuthOptions, string?> Configured);

    private static readonly Secret[] Secrets =
    [
        new(Roles.Coordinator, "Coordinator password", Kind.Password, o => o.CoordinatorPassword),
        new(Roles.Booth, "Booth password", Kind.Password, o => o.BoothPassword),
        new(Roles.Player, "Player API key", Kind.ApiKey, o => o.PlayerApiKey),
    ];

    /// <summary>Stores configured secrets, generates missing ones, and loads the hashes. Returns the secrets it
    /// generated (name → clear text) so start-up can print them once.</summary>
    public async Task<IReadOnlyDictionary<string, string>> InitializeAsync(CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        var stored = (await connection.QueryAsync<(string Name, string Value)>(SelectAll)).ToDictionary(r => r.Name, r => r.Value);
        var generated = new Dictionary<string, string>();
        foreach (var secret in Secrets)
        {
            var configured = secret.Configured(options.Value.Auth);
            string? clear = null;
            if (!string.IsNullOrEmpty(configured))
            {
                if (!stored.TryGetValue(secret.Name, out var hash) || !Matches(secret, hash, configured))
                {
                    clear = configured;
                }
            }
            else if (!stored.ContainsKey(secret.Name))
            {
                clear = Generate(secret.Kind);
                generated[secret.Label] = clear;
            }

            if (clear is not null)
            {
                stored[secret.Name] = Hash(secret, clear);
                await connection.ExecuteAsync(Upsert, new { name = secret.Name, value = stored[secret.Name] });
                logger.LogInformation("{Secret} {How}", secret.Label, generated.ContainsKey(secret.Label) ? "generated" : "set from configuration");
            }
        }

        _hashes = stored;
        return generated;
    }

    /// <summary>True when <paramref name="password"/> is the password of the staff <paramref name="role"/>.</summary>
    public bool CheckPassword(string role, string password) =>
        role is Roles.Coordinator or Roles.Booth && Check(role, password);

    public bool CheckPlayerApiKey(string apiKey) => Check(Roles.Player, apiKey);

    private bool Check(string name, string candidate) =>
        _hashes.TryGetValue(name, out var hash) && Matches(Secrets.Single(s => s.Name == name), hash, candidate);

    private static bool Matches(Secret secret, string hash, string candidate) => secret.Kind switch
    {
        Kind.Password => Hasher.VerifyHashedPassword(HashUser, hash, candidate) != PasswordVerificationResult.Failed,
        _ => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(hash), Encoding.ASCII.GetBytes(Sha256(candidate))),
    };

    private static string Hash(Secret secret, string clear) =>
        secret.Kind == Kind.Password ? Hasher.HashPassword(HashUser, clear) : Sha256(clear);

    private static string Sha256(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    /// <summary>Passwords people can read aloud (no look-alike characters); API keys long and random.</summary>
    private static string Generate(Kind kind) => kind == Kind.Password
        ? string.Join('-', Enumerable.Range(0, 3).Select(_ => RandomNumberGenerator.GetString("abcdefghjkmnpqrstuvwxyz23456789", 5)))
        : Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
}
