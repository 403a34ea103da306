using System.Security.Cryptography;
using AmvScreening.Server.Data;
using Dapper;

namespace AmvScreening.Server.Room;

/// <summary>The room code in the QR on screen keeps voting to people in the room. The coordinator rotates it; old
/// codes are kept (retired) so the server can tell "expired" from "wrong".</summary>
public sealed class RoomCodes(Db db, TimeProvider clock)
{
    /// <summary>No look-alikes: no 0/O/D/Q, 1/I/L, 2/Z, 5/S, 8/B, 6/G, U/V.</summary>
    public const string Alphabet = "ACEFHJKMNPRTWXY3479";
    public const int Length = 6;

    public enum Status { Current, Retired, Unknown }

    private const string SelectCurrent = "SELECT code FROM room_codes WHERE retired_at IS NULL";
    private const string RetireCurrent = "UPDATE room_codes SET retired_at = @now WHERE retired_at IS NULL";
    private const string Insert = "INSERT INTO room_codes (code, created_at) VALUES (@code, @now)";
    private const string SelectStatus = "SELECT retired_at IS NULL FROM room_codes WHERE code = @code";

    /// <summary>The current code; the first call on a new database creates one.</summary>
    public async Task<string> GetCurrentAsync(CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        var code = await connection.QuerySingleOrDefaultAsync<string>(SelectCurrent);
        return code ?? await RotateAsync(ct);
    }

    /// <summary>Retires the current code and makes a new one.</summary>
    public async Task<string> RotateAsync(CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow();
        string code;
        do
        {
            code = RandomNumberGenerator.GetString(Alphabet, Length);
        }
        while (await connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM room_codes WHERE code = @code)", new { code }, tx));

        await connection.ExecuteAsync(RetireCurrent, new { now }, tx);
        await connection.ExecuteAsync(Insert, new { code, now }, tx);
        await tx.CommitAsync(ct);
        return code;
    }

    /// <summary>Whether <paramref name="code"/> (any case, surrounding blanks ignored) is the current code, an old one, or none.</summary>
    public async Task<Status> CheckAsync(string code, CancellationToken ct = default)
    {
        var normalized = Normalize(code);
        if (normalized is null)
        {
            return Status.Unknown;
        }

        await using var connection = await db.OpenAsync(ct);
        var current = await connection.QuerySingleOrDefaultAsync<bool?>(SelectStatus, new { code = normalized });
        return current switch { true => Status.Current, false => Status.Retired, null => Status.Unknown };
    }

    /// <summary>Upper-cases a code typed by hand; null when it cannot be a code.</summary>
    public static string? Normalize(string code)
    {
        var upper = code.Trim().ToUpperInvariant();
        return upper.Length == Length && upper.All(Alphabet.Contains) ? upper : null;
    }
}
