using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AmvScreening.Server.Data;
using AmvScreening.Tests.Support;
using Dapper;

namespace AmvScreening.Tests.Uploads;

/// <summary>Entries put straight into a test server's database (the portal's form is not needed for that), files that
/// start as a video does, and the tus requests a client sends, one by one, over real HTTP.</summary>
public static class TusTesting
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    /// <summary>A submitted entry: its row id and its private page's secret.</summary>
    public sealed record Entry(long Id, string Secret);

    /// <summary>A new entry (and a category for it when there is none yet).</summary>
    public static async Task<Entry> SubmitAsync(AmvServer server, string title = "Sakura Drift")
    {
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var secretHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
        await using var connection = await server.Services.GetRequiredService<Db>().OpenAsync();
        var category = await connection.ExecuteScalarAsync<long?>("SELECT id FROM categories ORDER BY id LIMIT 1")
            ?? await connection.ExecuteScalarAsync<long>("INSERT INTO categories (position, name) VALUES (1, 'Upbeat/Fun') RETURNING id");
        var id = await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO submissions (secret_hash, category_id, title, editors, contact_email, person, music_artist, music_title,
                                     premiered_on, permission_at, submitted_at)
            VALUES (@secretHash, @category, @title, json_array('Editor'), 'editor@example.org', 'editor@example.org', 'Artist', 'Song',
                    '2026-01-10', '2026-11-01T10:00:00.0000000Z', '2026-11-01T10:00:00.0000000Z')
            RETURNING id
            """,
            new { secretHash, category, title });
        return new Entry(id, secret);
    }

    /// <summary>Runs SQL on the server's database.</summary>
    public static async Task ExecuteAsync(AmvServer server, string sql, object? args = null)
    {
        await using var connection = await server.Services.GetRequiredService<Db>().OpenAsync();
        await connection.ExecuteAsync(sql, args);
    }

    public static async Task<T> QueryAsync<T>(AmvServer server, string sql, object? args = null)
    {
        await using var connection = await server.Services.GetRequiredService<Db>().OpenAsync();
        return await connection.QuerySingleAsync<T>(sql, args);
    }

    /// <summary><paramref name="length"/> bytes that start as an MP4 file does (an ftyp box) and go on with seeded
    /// random bytes: the upload looks only at a file's first bytes; what is inside is the pre-flight check's business.</summary>
    public static byte[] VideoBytes(int length, int seed = 1)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        byte[] ftyp = [0, 0, 0, 0x18, .. "ftypisom"u8, 0, 0, 2, 0, .. "isomiso2"u8];
        ftyp.AsSpan(0, Math.Min(ftyp.Length, length)).CopyTo(bytes);
        return bytes;
    }

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>tus metadata: "key base64,key base64".</summary>
    public static string Metadata(params (string Key, string Value)[] pairs) =>
        string.Join(',', pairs.Select(p => $"{p.Key} {Convert.ToBase64String(Encoding.UTF8.GetBytes(p.Value))}"));

    public static HttpRequestMessage Request(HttpMethod method, string url)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.TryAddWithoutValidation("Tus-Resumable", "1.0.0");
        return request;
    }

    /// <summary>POST /api/uploads for the entry; the response (201 with Location, or a problem).</summary>
    public static Task<HttpResponseMessage> CreateAsync(HttpClient http, long length, string secret, string fileName = "my entry.mp4")
    {
        var request = Request(HttpMethod.Post, "/api/uploads");
        request.Headers.TryAddWithoutValidation("Upload-Length", length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation("Upload-Metadata", Metadata(("entry", secret), ("filename", fileName), ("filetype", "video/mp4")));
        return http.SendAsync(request).WaitAsync(Bound);
    }

    /// <summary>Creates an upload and returns its URL (fails the test if it was refused).</summary>
    public static async Task<string> CreatedAsync(HttpClient http, long length, string secret)
    {
        var response = await CreateAsync(http, length, secret);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, await Describe(response));
        return response.Headers.Location!.ToString();
    }

    public static Task<HttpResponseMessage> PatchAsync(HttpClient http, string url, long offset, ReadOnlyMemory<byte> bytes)
    {
        var request = Request(HttpMethod.Patch, url);
        request.Headers.TryAddWithoutValidation("Upload-Offset", offset.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Content = new ReadOnlyMemoryContent(bytes);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/offset+octet-stream");
        return http.SendAsync(request).WaitAsync(Bound);
    }

    /// <summary>Sends <paramref name="bytes"/> from <paramref name="from"/> on in PATCH requests of <paramref name="chunk"/>
    /// bytes; the last response.</summary>
    public static async Task<HttpResponseMessage> SendAsync(HttpClient http, string url, byte[] bytes, long from = 0, int chunk = 1 << 20)
    {
        HttpResponseMessage? last = null;
        for (var offset = from; offset < bytes.Length; offset += chunk)
        {
            last = await PatchAsync(http, url, offset, bytes.AsMemory((int)offset, (int)Math.Min(chunk, bytes.Length - offset)));
            Assert.True(last.StatusCode == System.Net.HttpStatusCode.NoContent, await Describe(last));
        }

        return last!;
    }

    public static async Task<long> OffsetAsync(HttpClient http, string url)
    {
        var response = await http.SendAsync(Request(HttpMethod.Head, url)).WaitAsync(Bound);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.OK, await Describe(response));
        return long.Parse(response.Headers.GetValues("Upload-Offset").Single(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Waits until the server has read <paramref name="bytes"/> more PATCH bytes than <paramref name="before"/>:
    /// checked every few milliseconds, within <see cref="Bound"/>.</summary>
    public static async Task WaitForReceivedAsync(AmvScreening.Server.Uploads.EntryUploads uploads, long before, long bytes)
    {
        var until = DateTime.UtcNow + Bound;
        while (uploads.BytesReceived - before < bytes)
        {
            Assert.True(DateTime.UtcNow < until, $"The server read {uploads.BytesReceived - before} of {bytes} bytes.");
            await Task.Delay(5);
        }
    }

    /// <summary>The ProblemDetails of a refusal.</summary>
    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task<string> Describe(HttpResponseMessage response) =>
        $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";

    /// <summary>The entry's file columns as the upload left them.</summary>
    public sealed record FileColumns(string? FilePath, long? FileBytes, string? FileSha256, string? FileName, string CheckState,
        double? CheckProgress, string? CheckReport, string? CheckMessage, string? ProxyPath);

    public static async Task<FileColumns> FileOfAsync(AmvServer server, long entryId)
    {
        await using var connection = await server.Services.GetRequiredService<Db>().OpenAsync();
        return await connection.QuerySingleAsync<FileColumns>(
            """
            SELECT file_path AS FilePath, file_bytes AS FileBytes, file_sha256 AS FileSha256, file_name AS FileName,
                   check_state AS CheckState, check_progress AS CheckProgress, check_report AS CheckReport,
                   check_message AS CheckMessage, proxy_path AS ProxyPath
            FROM submissions WHERE id = @entryId
            """,
            new { entryId });
    }
}
