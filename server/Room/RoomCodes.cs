using System.Security.Cryptography;
using AmvScreening.Server.Data;
using Dapper;
using Microsoft.Data.Sqlite;

namespace AmvScreening.Server.Room;

/// <summary>What a code a phone brings turned out to be.</summary>
public enum CodeKind
{
    /// <summary>The screen code now shown (or one rotated out less than <see cref="RoomCodes.RotationGrace"/> ago by itself).</summary>
    Screen,
    /// <summary>A poster's code that has not been revoked.</summary>
    Poster,
    /// <summary>A screen code rotated out.</summary>
    RetiredScreen,
    /// <summary>A poster's code the coordinator revoked.</summary>
    RevokedPoster,
    Unknown,
}

/// <param name="PosterId">The poster, for <see cref="CodeKind.Poster"/> and <see cref="CodeKind.RevokedPoster"/>.</param>
public readonly record struct CodeMatch(CodeKind Kind, long? PosterId = null);

/// <summary>The screen code, as the coordinator sees it: the code and since when it is shown.</summary>
public sealed record ScreenCode(string Code, DateTimeOffset CreatedAt);

/// <summary>A printed poster's code: valid until the coordinator revokes that poster (docs/room-codes-and-cards.md).
/// <see cref="Joined"/>: how many phones joined with it.</summary>
public sealed record PosterCode
{
    public required long Id { get; init; }
    public required string Code { get; init; }
    public required string Label { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? RevokedAt { get; init; }
    public int Joined { get; init; }
}

/// <summary>
/// The codes that let a phone join, kept to the room (docs/room-codes-and-cards.md). The <b>screen code</b> is shown on
/// the outro slates and the full-screen QR page; it rotates (by hand, or by itself) and old ones are kept retired so
/// the server can tell "expired" from "wrong". Each <b>poster code</b> has a label and stays valid until the
/// coordinator revokes it, so rotating the screen code does not kill the printed posters. All codes share one
/// alphabet and never repeat across both kinds.
/// </summary>
public sealed class RoomCodes(Db db, TimeProvider clock)
{
    /// <summary>No look-alikes: no 0/O/D/Q, 1/I/L, 2/Z, 5/S, 8/B, 6/G, U/V.</summary>
    public const string Alphabet = "ACEFHJKMNPRTWXY3479";
    public const int Length = 6;
    public const int MaxLabel = 100;

    /// <summary>How long a screen code rotated out by itself (not by hand) still lets phones join: someone who scanned
    /// the last outro just before the rotation still gets in.</summary>
    public static readonly TimeSpan RotationGrace = TimeSpan.FromMinutes(1);

    private const string SelectCurrent = "SELECT code AS Code, created_at AS CreatedAt FROM room_codes WHERE retired_at IS NULL";
    private const string RetireCurrent = "UPDATE room_codes SET retired_at = @retiredAt WHERE retired_at IS NULL";
    private const string Insert = "INSERT INTO room_codes (code, created_at) VALUES (@code, @now)";
    private const string CodeTaken = """
        SELECT EXISTS (SELECT 1 FROM room_codes WHERE code = @code) OR EXISTS (SELECT 1 FROM poster_codes WHERE code = @code)
        """;

    private const string SelectMatch = """
        SELECT 0 AS IsPoster, NULL AS PosterId, retired_at AS EndedAt FROM room_codes WHERE code = @code
        UNION ALL
        SELECT 1, id, revoked_at FROM poster_codes WHERE code = @code
        """;

    private const string SelectPosters = """
        SELECT p.id AS Id, p.code AS Code, p.label AS Label, p.created_at AS CreatedAt, p.revoked_at AS RevokedAt,
               (SELECT count(*) FROM voters v WHERE v.poster_id = p.id) AS Joined
        FROM poster_codes p
        """;

    private const string InsertPoster = "INSERT INTO poster_codes (code, label, created_at) VALUES (@code, @label, @now) RETURNING id";
    private const string RevokePoster = "UPDATE poster_codes SET revoked_at = coalesce(revoked_at, @now) WHERE id = @id";

    // The screen code is read by every join, QR and slate: kept in memory (this process is the only writer), changed
    // one rotation at a time so the memory always holds the last one committed.
    private readonly SemaphoreSlim _rotating = new(1, 1);
    private ScreenCode? _current;

    /// <summary>The screen code; the first call on a new database creates one.</summary>
    public async Task<string> GetCurrentAsync(CancellationToken ct = default) => (await GetScreenCodeAsync(ct)).Code;

    public async Task<ScreenCode> GetScreenCodeAsync(CancellationToken ct = default)
    {
        if (Volatile.Read(ref _current) is { } cached)
        {
            return cached;
        }

        await using (var connection = await db.OpenAsync(ct))
        {
            if (await connection.QuerySingleOrDefaultAsync<CurrentRow>(SelectCurrent) is { } row)
            {
                var stored = new ScreenCode(row.Code, row.CreatedAt);
                Volatile.Write(ref _current, stored);
                return stored;
            }
        }

        return await RotateAsync(byHand: true, ct);
    }

    /// <summary>Retires the screen code and makes a new one. By hand (the coordinator suspects it got out) the old code
    /// stops at once; by itself it keeps working for <see cref="RotationGrace"/>.</summary>
    public async Task<ScreenCode> RotateAsync(bool byHand, CancellationToken ct = default)
    {
        await _rotating.WaitAsync(ct);
        try
        {
            await using var connection = await db.OpenAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            var now = clock.GetUtcNow();
            var code = await NewCodeAsync(connection, tx);
            await connection.ExecuteAsync(RetireCurrent, new { retiredAt = byHand ? now : now + RotationGrace }, tx);
            await connection.ExecuteAsync(Insert, new { code, now }, tx);
            await tx.CommitAsync(ct);
            var current = new ScreenCode(code, now);
            Volatile.Write(ref _current, current);
            return current;
        }
        finally
        {
            _rotating.Release();
        }
    }

    /// <summary>What <paramref name="code"/> is: a screen code (current or retired), a poster's, or none. The code must
    /// already be <see cref="Normalize"/>d.</summary>
    public async Task<CodeMatch> CheckAsync(string code, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<MatchRow>(SelectMatch, new { code });
        if (row is null)
        {
            return new CodeMatch(CodeKind.Unknown);
        }

        var live = row.EndedAt is null || row.EndedAt > clock.GetUtcNow();
        return row.IsPoster
            ? new CodeMatch(live ? CodeKind.Poster : CodeKind.RevokedPoster, row.PosterId)
            : new CodeMatch(live ? CodeKind.Screen : CodeKind.RetiredScreen);
    }

    public async Task<IReadOnlyList<PosterCode>> GetPostersAsync(CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<PosterCode>(SelectPosters + " ORDER BY p.id")).AsList();
    }

    public async Task<PosterCode?> GetPosterAsync(long id, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<PosterCode>(SelectPosters + " WHERE p.id = @id", new { id });
    }

    /// <summary>A new poster code with its label (already checked by <see cref="CheckLabel"/>).</summary>
    public async Task<PosterCode> CreatePosterAsync(string label, CancellationToken ct = default)
    {
        long id;
        await using (var connection = await db.OpenAsync(ct))
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            var code = await NewCodeAsync(connection, tx);
            id = await connection.ExecuteScalarAsync<long>(InsertPoster, new { code, label, now = clock.GetUtcNow() }, tx);
            await tx.CommitAsync(ct);
        }

        return (await GetPosterAsync(id, ct))!;
    }

    /// <summary>Revokes a poster's code for good (phones that joined with it keep voting); null when there is no such poster.</summary>
    public async Task<PosterCode?> RevokePosterAsync(long id, CancellationToken ct = default)
    {
        await using (var connection = await db.OpenAsync(ct))
        {
            await connection.ExecuteAsync(RevokePoster, new { id, now = clock.GetUtcNow() });
        }

        return await GetPosterAsync(id, ct);
    }

    /// <summary>Why a label (of a poster, of a batch of ballot cards; already trimmed) is not acceptable, or null.</summary>
    public static string? CheckLabel(string label, string example) =>
        label.Length == 0 ? $"A label is needed, e.g. \"{example}\"."
        : label.Length > MaxLabel ? $"At most {MaxLabel} characters."
        : null;

    /// <summary>What a person typed, made comparable: blanks and dashes left out, upper case.</summary>
    public static string Clean(string typed) =>
        string.Concat(typed.Where(c => !char.IsWhiteSpace(c) && c != '-')).ToUpperInvariant();

    /// <summary>A code typed by hand (any case, blanks and dashes ignored), or null when it cannot be a code.</summary>
    public static string? Normalize(string code)
    {
        var clean = Clean(code);
        return clean.Length == Length && clean.All(Alphabet.Contains) ? clean : null;
    }

    /// <summary>Why <paramref name="clean"/> (see <see cref="Clean"/>) is not made of code characters, or null: the first
    /// character no code uses, named with what it is mistaken for.</summary>
    public static string? ExplainCharacters(string clean) => clean.FirstOrDefault(c => !Alphabet.Contains(c)) switch
    {
        '\0' => null,
        var c and ('0' or 'O' or 'D' or 'Q') => $"Codes never use '{c}' (0, O, D and Q look alike): check the code again.",
        var c and ('1' or 'I' or 'L') => $"Codes never use '{c}' (1, I and L look alike): check the code again.",
        var c and ('2' or 'Z') => $"Codes never use '{c}' (2 and Z look alike): check the code again.",
        var c and ('5' or 'S') => $"Codes never use '{c}' (5 and S look alike): check the code again.",
        var c and ('8' or 'B') => $"Codes never use '{c}' (8 and B look alike): check the code again.",
        var c and ('6' or 'G') => $"Codes never use '{c}' (6 and G look alike): check the code again.",
        var c and ('U' or 'V') => $"Codes never use '{c}' (U and V look alike): check the code again.",
        var c => $"Codes are letters and digits only ('{c}' is neither).",
    };

    /// <summary>A random code used by no screen code and no poster yet.</summary>
    private static async Task<string> NewCodeAsync(SqliteConnection connection, System.Data.Common.DbTransaction tx)
    {
        string code;
        do
        {
            code = RandomNumberGenerator.GetString(Alphabet, Length);
        }
        while (await connection.ExecuteScalarAsync<bool>(CodeTaken, new { code }, tx));

        return code;
    }

    private sealed class CurrentRow
    {
        public string Code { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }
    }

    private sealed class MatchRow
    {
        public bool IsPoster { get; init; }
        public long? PosterId { get; init; }
        public DateTimeOffset? EndedAt { get; init; }
    }
}
