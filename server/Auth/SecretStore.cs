using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using AmvScreening.Server.Data;
using AmvScreening.Server.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace AmvScreening.Server.Auth;

/// <summary>
/// The staff passwords, the player's API key, and each staff role's session stamp, in the <c>secrets</c> table.
/// A configured secret replaces the stored one (and so ends that role's sessions); a secret neither configured nor
/// stored is generated at first start, printed, and written to <see cref="GeneratedFileName"/> in the data folder,
/// readable only by the server's user, before its hash is stored: a start that fails later loses nothing. Only hashes
/// are stored: passwords with ASP.NET Core Identity's PBKDF2 hasher, the (high-entropy, generated) API key with SHA-256.
/// </summary>
public sealed class SecretStore(Db db, IOptions<AmvOptions> options, ILogger<SecretStore> logger)
{
    /// <summary>The file in the data folder that keeps the generated secrets until someone deletes it.</summary>
    public const string GeneratedFileName = "first-start-secrets.txt";

    private static readonly PasswordHasher<object> Hasher = new();
    private static readonly object HashUser = new();

    private const string SelectAll = "SELECT name AS Name, value AS Value FROM secrets";
    private const string Upsert = "INSERT INTO secrets (name, value) VALUES (@name, @value) ON CONFLICT (name) DO UPDATE SET value = excluded.value";
    private const string StampPrefix = "session:";

    private Dictionary<string, string> _hashes = [];
    private readonly ConcurrentDictionary<string, string> _stamps = new();

    private enum Kind { Password, ApiKey }

    private sealed record Secret(string Name, string Label, Kind Kind, Func<AuthOptions, string?> Configured);

    private static readonly Secret[] Secrets =
    [
        new(Roles.Coordinator, "Coordinator password", Kind.Password, o => o.CoordinatorPassword),
        new(Roles.Booth, "Booth password", Kind.Password, o => o.BoothPassword),
        new(Roles.Player, "Player API key", Kind.ApiKey, o => o.PlayerApiKey),
    ];

    /// <summary>What start-up tells the operator: the secrets generated now (label → clear text), and the file that
    /// keeps generated secrets that still work (null when there is none).</summary>
    public sealed record Start(IReadOnlyDictionary<string, string> Generated, string? GeneratedFile);

    public string GeneratedFilePath => Path.Combine(Path.GetDirectoryName(options.Value.DatabasePath)!, GeneratedFileName);

    /// <summary>Stores configured secrets, generates missing ones, loads the hashes and session stamps.</summary>
    public async Task<Start> InitializeAsync(CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        var stored = (await connection.QueryAsync<(string Name, string Value)>(SelectAll)).ToDictionary(r => r.Name, r => r.Value);
        var generated = new Dictionary<string, string>();
        var changed = new Dictionary<string, string>();
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
                changed[secret.Name] = stored[secret.Name] = Hash(secret, clear);
                // A new password ends every session signed in with the old one.
                changed[StampPrefix + secret.Name] = stored[StampPrefix + secret.Name] = NewStamp();
                logger.LogInformation("{Secret} {How}", secret.Label, generated.ContainsKey(secret.Label) ? "generated" : "set from configuration");
            }
        }

        foreach (var role in new[] { Roles.Coordinator, Roles.Booth }.Where(r => !stored.ContainsKey(StampPrefix + r)))
        {
            changed[StampPrefix + role] = stored[StampPrefix + role] = NewStamp();
        }

        // The file first: once a hash is stored, its clear text exists nowhere else.
        var file = KeepGenerated(generated, stored);
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            foreach (var (name, value) in changed)
            {
                await connection.ExecuteAsync(Upsert, new { name, value }, tx);
            }

            await tx.CommitAsync(ct);
        }

        _hashes = stored;
        foreach (var role in new[] { Roles.Coordinator, Roles.Booth })
        {
            _stamps[role] = stored[StampPrefix + role];
        }

        return new Start(generated, file);
    }

    /// <summary>True when <paramref name="password"/> is the password of the staff <paramref name="role"/>.</summary>
    public bool CheckPassword(string role, string password) =>
        role is Roles.Coordinator or Roles.Booth && Check(role, password);

    public bool CheckPlayerApiKey(string apiKey) => Check(Roles.Player, apiKey);

    /// <summary>The current session stamp of a staff role: a session carrying another one has been ended.</summary>
    public string? SessionStamp(string role) => _stamps.GetValueOrDefault(role);

    /// <summary>Ends every session of a staff role: a new stamp, stored, so it holds across restarts.</summary>
    public async Task RevokeSessionsAsync(string role, CancellationToken ct = default)
    {
        var stamp = NewStamp();
        await using var connection = await db.OpenAsync(ct);
        await connection.ExecuteAsync(Upsert, new { name = StampPrefix + role, value = stamp });
        _stamps[role] = stamp;
    }

    private bool Check(string name, string candidate) =>
        _hashes.TryGetValue(name, out var hash) && Matches(Secrets.Single(s => s.Name == name), hash, candidate);

    /// <summary>Writes the file of generated secrets: those generated now and those already in it that still match
    /// their stored hash (a secret set since from configuration drops out); deletes it when none is left. Returns its
    /// path, or null when there is no file.</summary>
    private string? KeepGenerated(Dictionary<string, string> generated, Dictionary<string, string> hashes)
    {
        var path = GeneratedFilePath;
        var previous = File.Exists(path) ? ReadGenerated(path) : [];
        var keep = previous.Where(p => !generated.ContainsKey(p.Key)).Concat(generated)
            .Where(p => Secrets.SingleOrDefault(s => s.Label == p.Key) is { } secret
                && hashes.TryGetValue(secret.Name, out var hash) && Matches(secret, hash, p.Value))
            .ToDictionary();
        if (keep.Count == 0)
        {
            File.Delete(path);
            return null;
        }

        if (generated.Count > 0 || keep.Count != previous.Count)
        {
            var text = new StringBuilder()
                .AppendLine("# AmvScreening: secrets the server generated because none was configured (Amv__Auth__*).")
                .AppendLine("# Only their hashes are in amv.db. Note them somewhere safe, then delete this file.")
                .AppendJoin("", keep.Select(p => $"{p.Key}: {p.Value}\n"))
                .ToString();
            var temporary = path + ".tmp";
            var write = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                write.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(temporary, write))
            {
                stream.Write(Encoding.UTF8.GetBytes(text));
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return path;
    }

    private static Dictionary<string, string> ReadGenerated(string path) =>
        File.ReadAllLines(path)
            .Where(line => !line.StartsWith('#') && line.Contains(": ", StringComparison.Ordinal))
            .Select(line => line.Split(": ", 2))
            .DistinctBy(parts => parts[0])
            .ToDictionary(parts => parts[0], parts => parts[1].Trim());

    private static bool Matches(Secret secret, string hash, string candidate) => secret.Kind switch
    {
        Kind.Password => Hasher.VerifyHashedPassword(HashUser, hash, candidate) != PasswordVerificationResult.Failed,
        _ => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(hash), Encoding.ASCII.GetBytes(Sha256(candidate))),
    };

    private static string Hash(Secret secret, string clear) =>
        secret.Kind == Kind.Password ? Hasher.HashPassword(HashUser, clear) : Sha256(clear);

    private static string Sha256(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    private static string NewStamp() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Passwords people can read aloud (no look-alike characters); API keys long and random.</summary>
    private static string Generate(Kind kind) => kind == Kind.Password
        ? string.Join('-', Enumerable.Range(0, 3).Select(_ => RandomNumberGenerator.GetString("abcdefghjkmnpqrstuvwxyz23456789", 5)))
        : Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
}
