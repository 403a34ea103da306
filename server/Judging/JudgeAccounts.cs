using System.Data;
using System.Security.Cryptography;
using System.Text;
using AmvScreening.Server.Data;
using AmvScreening.Server.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.Identity;

namespace AmvScreening.Server.Judging;

/// <summary>
/// The judges' accounts (docs/entries.md, "Judges"): created by the coordinator with the categories they judge and an
/// invite link whose one-time secret lets the judge choose a password. Only hashes are stored: the invite secret's
/// SHA-256 (128 random bits: nothing to guess), the password's PBKDF2 hash (ASP.NET Core Identity's hasher). Each judge
/// has a session stamp: a new password, signing out or being disabled gives a new one, which ends every session of
/// that judge.
/// </summary>
public sealed class JudgeAccounts(Db db, TimeProvider clock)
{
    public const int MaxName = 100;
    public const int MinPassword = 8;
    public const int MaxPassword = 200;

    private static readonly PasswordHasher<object> Hasher = new();
    private static readonly object HashUser = new();

    /// <summary>Verified when the name is unknown, so that an unknown name takes as long as a wrong password.</summary>
    private static readonly string DummyHash = Hasher.HashPassword(HashUser, Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));

    private const string SelectJudges = """
        SELECT j.id AS Id, j.name AS Name, j.created_at AS CreatedAt, j.disabled_at AS DisabledAt,
               j.password_hash IS NOT NULL AS HasPassword, j.invite_hash IS NOT NULL AS Invited,
               (SELECT json_group_array(jc.category_id) FROM judge_categories jc WHERE jc.judge_id = j.id) AS CategoryIds
        FROM judges j
        """;

    /// <summary>A judge as the coordinator sees it: never a hash.</summary>
    public sealed record Judge(int Id, string Name, IReadOnlyList<int> CategoryIds, string State, DateTimeOffset CreatedAt);

    /// <summary>A judge just created or invited again: the invite link's path (shown once; only its hash is kept).</summary>
    public sealed record Invited(Judge Judge, string InvitePath);

    /// <summary>Who signed in: the claims of the judge's cookie.</summary>
    public sealed record SignedIn
    {
        public required int Id { get; init; }
        public required string Name { get; init; }
        public required string Stamp { get; init; }
    }

    public static class States
    {
        public const string Invited = "invited";
        public const string Active = "active";
        public const string Disabled = "disabled";
    }

    /// <summary>The path of the page that takes an invite; the secret rides in the fragment, which browsers never send
    /// to a server nor put in a Referer.</summary>
    public const string WelcomePage = "/console/judge/welcome";

    public async Task<IReadOnlyList<Judge>> ListAsync(CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        return [.. (await connection.QueryAsync<JudgeRow>(SelectJudges + " ORDER BY j.name")).Select(r => r.ToJudge())];
    }

    /// <summary>Creates a judge for the given categories, with an invite link.</summary>
    public Task<Outcome<Invited>> CreateAsync(string name, IReadOnlyList<int> categoryIds, CancellationToken ct = default) =>
        WriteAsync<Invited>(name, categoryIds, async (connection, tx, trimmed) =>
        {
            var (secret, hash) = NewSecret();
            var id = await connection.ExecuteScalarAsync<int>(
                "INSERT INTO judges (name, invite_hash, session_stamp, created_at) VALUES (@trimmed, @hash, @stamp, @now) RETURNING id",
                new { trimmed, hash, stamp = NewStamp(), now = clock.GetUtcNow() }, tx);
            await SetCategoriesAsync(connection, tx, id, categoryIds);
            return new Invited((await GetAsync(connection, tx, id))!, $"{WelcomePage}#{secret}");
        }, ct);

    /// <summary>Renames a judge and replaces its categories.</summary>
    public Task<Outcome<Judge>> UpdateAsync(int id, string name, IReadOnlyList<int> categoryIds, CancellationToken ct = default) =>
        WriteAsync<Judge>(name, categoryIds, async (connection, tx, trimmed) =>
        {
            if (await connection.ExecuteAsync("UPDATE judges SET name = @trimmed WHERE id = @id", new { id, trimmed }, tx) == 0)
            {
                return Outcome<Judge>.NotFound;
            }

            await SetCategoriesAsync(connection, tx, id, categoryIds);
            return (await GetAsync(connection, tx, id))!;
        }, ct, id);

    /// <summary>A new invite link for a judge (the old one stops working): for a judge who lost it or forgot the password.
    /// The password stays until the judge sets a new one through the link.</summary>
    public async Task<Outcome<Invited>> InviteAgainAsync(int id, CancellationToken ct = default)
    {
        var (secret, hash) = NewSecret();
        await using var connection = await db.OpenAsync(ct);
        var changed = await connection.ExecuteAsync("UPDATE judges SET invite_hash = @hash WHERE id = @id AND disabled_at IS NULL", new { id, hash });
        return changed == 0
            ? await ExistsAsync(connection, id)
                ? Refusal.Conflict("judge-disabled", "This judge is disabled: enable the account first.", "judgeId")
                : Outcome<Invited>.NotFound
            : new Invited((await GetAsync(connection, null, id))!, $"{WelcomePage}#{secret}");
    }

    /// <summary>Disables a judge (its sessions end at once, its invite stops working; its scores stay) or enables it again.</summary>
    public async Task<Outcome<Judge>> SetDisabledAsync(int id, bool disabled, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        var changed = disabled
            ? await connection.ExecuteAsync(
                "UPDATE judges SET disabled_at = coalesce(disabled_at, @now), invite_hash = NULL, session_stamp = @stamp WHERE id = @id",
                new { id, now = clock.GetUtcNow(), stamp = NewStamp() })
            : await connection.ExecuteAsync("UPDATE judges SET disabled_at = NULL WHERE id = @id", new { id });
        return changed == 0 ? Outcome<Judge>.NotFound : (await GetAsync(connection, null, id))!;
    }

    /// <summary>The judge whose invite this is sets a password: the invite is used up, earlier sessions end. Null when the
    /// invite is unknown, used or revoked.</summary>
    public async Task<SignedIn?> AcceptInviteAsync(string invite, string password, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<SignedIn>(
            """
            UPDATE judges SET password_hash = @passwordHash, invite_hash = NULL, session_stamp = @stamp
            WHERE invite_hash = @inviteHash AND disabled_at IS NULL
            RETURNING id AS Id, name AS Name, session_stamp AS Stamp
            """,
            new { inviteHash = Sha256(invite), passwordHash = Hasher.HashPassword(HashUser, password), stamp = NewStamp() });
    }

    /// <summary>The judge when the name and password match an enabled account; null otherwise (as slowly either way).</summary>
    public async Task<SignedIn?> CheckPasswordAsync(string name, string password, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<(long Id, string Name, string? Hash, string Stamp)>(
            "SELECT id, name, password_hash, session_stamp FROM judges WHERE name = @name AND disabled_at IS NULL", new { name = name.Trim() });
        var hash = row.Hash ?? DummyHash;
        var matches = Hasher.VerifyHashedPassword(HashUser, hash, password) != PasswordVerificationResult.Failed;
        return matches && row.Hash is not null ? new SignedIn { Id = (int)row.Id, Name = row.Name, Stamp = row.Stamp } : null;
    }

    /// <summary>The judge's current session stamp, or null when the judge is disabled, deleted or has no password.</summary>
    public async Task<string?> CurrentStampAsync(int id, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<string?>(
            "SELECT session_stamp FROM judges WHERE id = @id AND disabled_at IS NULL AND password_hash IS NOT NULL", new { id });
    }

    /// <summary>Ends every session of a judge.</summary>
    public async Task RevokeSessionsAsync(int id)
    {
        await using var connection = await db.OpenAsync();
        await connection.ExecuteAsync("UPDATE judges SET session_stamp = @stamp WHERE id = @id", new { id, stamp = NewStamp() });
    }

    /// <summary>Why a password is refused, or null.</summary>
    public static string? PasswordProblem(string password) =>
        password.Length is < MinPassword or > MaxPassword ? $"From {MinPassword} to {MaxPassword} characters." : null;

    /// <summary>Lowercase hex SHA-256 of a secret, as stored.</summary>
    public static string Sha256(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static (string Secret, string Hash) NewSecret()
    {
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return (secret, Sha256(secret));
    }

    private static string NewStamp() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Checks a judge's name and categories, then runs <paramref name="write"/> with the trimmed name in one
    /// transaction; a name another judge has is refused.</summary>
    private async Task<Outcome<T>> WriteAsync<T>(
        string name, IReadOnlyList<int> categoryIds, Func<IDbConnection, IDbTransaction, string, Task<Outcome<T>>> write, CancellationToken ct, int? id = null)
    {
        var trimmed = name.Trim();
        if (trimmed.Length is 0 or > MaxName || trimmed.Any(char.IsControl))
        {
            return Outcome<T>.Invalid("name", $"A judge's name: 1 to {MaxName} characters, no line breaks.");
        }

        await using var connection = await db.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var known = (await connection.QueryAsync<long>("SELECT id FROM categories", transaction: tx)).Select(c => (int)c).ToHashSet();
        if (categoryIds.Distinct().Count() != categoryIds.Count || categoryIds.Any(c => !known.Contains(c)))
        {
            return Outcome<T>.Invalid("categoryIds", "List existing category ids, each once.");
        }

        if (await connection.ExecuteScalarAsync<bool>(
                "SELECT EXISTS (SELECT 1 FROM judges WHERE name = @trimmed AND id IS NOT @id)", new { trimmed, id }, tx))
        {
            return Outcome<T>.Invalid("name", $"There is a judge '{trimmed}' already.");
        }

        var outcome = await write(connection, tx, trimmed);
        if (outcome.Done)
        {
            await tx.CommitAsync(ct);
        }

        return outcome;
    }

    private static async Task SetCategoriesAsync(IDbConnection connection, IDbTransaction tx, int id, IReadOnlyList<int> categoryIds)
    {
        await connection.ExecuteAsync("DELETE FROM judge_categories WHERE judge_id = @id", new { id }, tx);
        await connection.ExecuteAsync(
            "INSERT INTO judge_categories (judge_id, category_id) VALUES (@id, @categoryId)", categoryIds.Select(categoryId => new { id, categoryId }), tx);
    }

    private static async Task<Judge?> GetAsync(IDbConnection connection, IDbTransaction? tx, int id) =>
        (await connection.QuerySingleOrDefaultAsync<JudgeRow>(SelectJudges + " WHERE j.id = @id", new { id }, tx))?.ToJudge();

    private static Task<bool> ExistsAsync(IDbConnection connection, int id) =>
        connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM judges WHERE id = @id)", new { id });

    private sealed class JudgeRow
    {
        public int Id { get; init; }
        public string Name { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset? DisabledAt { get; init; }
        public bool HasPassword { get; init; }
        public bool Invited { get; init; }
        public string CategoryIds { get; init; } = "[]";

        public Judge ToJudge() => new(
            Id,
            Name,
            [.. System.Text.Json.JsonSerializer.Deserialize<int[]>(CategoryIds)!.Order()],
            DisabledAt is not null ? States.Disabled : HasPassword ? States.Active : States.Invited,
            CreatedAt);
    }
}
