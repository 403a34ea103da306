using System.Security.Cryptography;
using System.Text.Json;
using AmvScreening.Tests.Support;
using Dapper;
using Microsoft.Data.Sqlite;

namespace AmvScreening.Tests.Entries;

/// <summary>Submissions written straight into a server's SQLite file, as the entry portal and the upload will write
/// them (the schema is the contract), and read back while the check queue works on them.</summary>
public static class EntryRows
{
    /// <summary>What the queue writes of a submission.</summary>
    public sealed record CheckRow(string CheckState, double? CheckProgress, string? CheckMessage, string? CheckReport, string? ProxyPath, string? RepeatOf, long RepeatCleared)
    {
        public JsonElement Report() => JsonDocument.Parse(CheckReport!).RootElement;
    }

    private static int _secret;

    public static SqliteConnection Open(string databasePath)
    {
        var connection = new SqliteConnection($"Data Source={databasePath};Foreign Keys=True;Default Timeout=30;Pooling=False");
        connection.Open();
        connection.Execute("PRAGMA busy_timeout = 5000");
        return connection;
    }

    /// <summary>A submission in <paramref name="category"/> (made when missing); with <paramref name="file"/> copied
    /// into the data folder as a completed upload leaves it (entries/{id}/upload.ext, check_state queued).</summary>
    public static long Insert(string dataDirectory, string title, string? file = null, string[]? editors = null,
        string email = "editor@example.com", string category = "Intensity")
    {
        using var connection = Open(Path.Combine(dataDirectory, "amv.db"));
        connection.Execute(
            "INSERT INTO categories (position, name) SELECT (SELECT coalesce(max(position), 0) + 1 FROM categories), @category WHERE NOT EXISTS (SELECT 1 FROM categories WHERE name = @category)",
            new { category });
        var categoryId = connection.ExecuteScalar<long>("SELECT id FROM categories WHERE name = @category", new { category });
        var secret = Interlocked.Increment(ref _secret);
        var id = connection.ExecuteScalar<long>(
            """
            INSERT INTO submissions (secret_hash, category_id, title, editors, contact_email, person, music_artist, music_title, premiered_on, permission_at, submitted_at)
            VALUES (@hash, @categoryId, @title, @editors, @email, lower(@email), 'Artist', 'Song', '2026-01-01', '2026-06-01T00:00:00.0000000+00:00', '2026-06-01T00:00:00.0000000+00:00')
            RETURNING id
            """,
            new { hash = Convert.ToHexStringLower(SHA256.HashData(BitConverter.GetBytes(secret + Environment.TickCount64))), categoryId, title, editors = JsonSerializer.Serialize(editors ?? ["Editor"]), email });
        if (file is not null)
        {
            var relative = Path.Combine("entries", id.ToString(), "upload" + Path.GetExtension(file));
            Directory.CreateDirectory(Path.Combine(dataDirectory, "entries", id.ToString()));
            File.Copy(file, Path.Combine(dataDirectory, relative));
            connection.Execute(
                "UPDATE submissions SET file_path = @relative, file_bytes = @bytes, file_sha256 = @sha, file_name = @name, check_state = 'queued' WHERE id = @id",
                new { relative, bytes = new FileInfo(file).Length, sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file))), name = Path.GetFileName(file), id });
        }

        return id;
    }

    public static CheckRow Read(string databasePath, long id)
    {
        using var connection = Open(databasePath);
        return connection.QuerySingle<CheckRow>(
            "SELECT check_state AS CheckState, check_progress AS CheckProgress, check_message AS CheckMessage, check_report AS CheckReport, proxy_path AS ProxyPath, repeat_of AS RepeatOf, repeat_cleared AS RepeatCleared FROM submissions WHERE id = @id",
            new { id });
    }

    /// <summary>Reads the row until <paramref name="until"/> holds, within <paramref name="timeout"/> (the queue works
    /// in another thread or process; the table is what it promises).</summary>
    public static async Task<CheckRow> WaitAsync(string databasePath, long id, Func<CheckRow, bool> until, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var row = Read(databasePath, id);
            if (until(row))
            {
                return row;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Entry {id} did not reach the expected state within {timeout}: {row}");
            }

            await Task.Delay(50);
        }
    }

    public static bool Settled(CheckRow row) => row.CheckState is "passed" or "failed";
}
