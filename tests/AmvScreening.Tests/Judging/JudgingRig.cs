using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using AmvScreening.Tests.Contest;
using AmvScreening.Tests.Entries;
using AmvScreening.Tests.Player.Vlc;
using AmvScreening.Tests.Support;
using Dapper;
using Microsoft.Data.Sqlite;

namespace AmvScreening.Tests.Judging;

/// <summary>
/// A real server with a contest of three categories (Action, Comedy, Drama, no finalists yet), the judging scale and
/// blind mode as asked, entries made straight in the database (the portal and the uploads build that path; the schema
/// is the contract) with real video files in the data folder, tagged with their editor's name and email as an editing
/// program's export may be, and judges created and invited through the API.
/// </summary>
internal sealed class JudgingRig : IAsyncDisposable
{
    public const string JudgePassword = "judge-password-1";
    public static readonly string[] CategoryNames = ["Action", "Comedy", "Drama"];

    private readonly bool _blind;

    private JudgingRig(AmvServer server, HttpClient coordinator, IReadOnlyDictionary<string, int> categories, bool blind)
    {
        Server = server;
        Coordinator = coordinator;
        Categories = categories;
        _blind = blind;
    }

    public AmvServer Server { get; }
    public HttpClient Coordinator { get; }

    /// <summary>Category ids by name.</summary>
    public IReadOnlyDictionary<string, int> Categories { get; }

    public static async Task<JudgingRig> StartAsync(int min = -2, int max = 2, bool blind = true, IDictionary<string, string?>? settings = null, int finalistLimit = 6)
    {
        var server = new AmvServer(settings);
        var coordinator = await server.CreateStaffClientAsync();
        var file = new JsonObject
        {
            ["contest"] = new JsonObject
            {
                ["name"] = "Judged Con", ["year"] = 2026,
                ["judging"] = new JsonObject { ["min"] = min, ["max"] = max, ["blind"] = blind },
            },
            ["categories"] = new JsonArray([.. CategoryNames.Select(n => (JsonNode)n)]),
            ["finalists"] = new JsonArray(),
        };
        var import = await ContestApi.ImportAsync(coordinator, file);
        Assert.True(import.Status == HttpStatusCode.OK, import.Describe());
        var contest = await ContestApi.GetContestAsync(coordinator);
        var categories = contest.GetProperty("categories").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("id").GetInt32());
        await using (var db = await OpenAsync(server))
        {
            await db.ExecuteAsync("UPDATE categories SET finalist_limit = @finalistLimit", new { finalistLimit });
        }

        return new JudgingRig(server, coordinator, categories, blind);
    }

    public static async Task<SqliteConnection> OpenAsync(AmvServer server)
    {
        var connection = new SqliteConnection($"Data Source={server.DatabasePath};Foreign Keys=True;Pooling=False");
        await connection.OpenAsync();
        await connection.ExecuteAsync("PRAGMA busy_timeout = 5000");
        return connection;
    }

    /// <summary>An entry as the portal and the uploads leave it: its file copied to {data}/entries/{id}/ with the editor's
    /// name and email in its tags, checked as <paramref name="check"/>; returns its id. While judging is blind a judge
    /// sees a passed entry once its copy without tags is made: this waits for it (bounded).</summary>
    public async Task<int> AddEntryAsync(
        string category, string title, string[] editors, string email, string clip, string check = "passed", bool withdrawn = false, string? fileName = null)
    {
        await using var db = await OpenAsync(Server);
        var id = await db.ExecuteScalarAsync<int>(
            """
            INSERT INTO submissions (secret_hash, category_id, title, editors, contact_email, person, music_artist, music_title, sources,
                                     premiered_on, content_note, permission_at, submitted_at, withdrawn_at, check_state, file_name)
            VALUES (@hash, @categoryId, @title, @editors, @email, lower(@email), 'Artist ' || @title, 'Song ' || @title, '["Some Anime"]',
                    '2026-01-15', NULL, '2026-03-01T10:00:00.0000000Z', '2026-03-01T10:00:00.0000000Z', @withdrawnAt, @check, @fileName)
            RETURNING id
            """,
            new
            {
                hash = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
                categoryId = Categories[category], title, editors = JsonSerializer.Serialize(editors), email,
                withdrawnAt = withdrawn ? "2026-03-02T10:00:00.0000000Z" : null, check, fileName = fileName ?? $"{editors[0]} - {title}.mp4",
            });
        var relative = Path.Combine("entries", id.ToString(), $"{Guid.NewGuid():N}.mp4");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(Server.DataDirectory, relative))!);
        var stored = Path.Combine(Server.DataDirectory, relative);
        await TestMedia.FfmpegAsync(["-i", clip, "-map", "0", "-c", "copy", "-metadata", $"artist={editors[0]}", "-metadata", $"comment=Contact {email}",
            "-metadata", $"title={title} by {string.Join(" & ", editors)}", stored]);
        await db.ExecuteAsync(
            "UPDATE submissions SET file_path = @relative, file_bytes = @bytes WHERE id = @id",
            new { relative = relative.Replace('\\', '/'), bytes = new FileInfo(stored).Length, id });
        if (_blind && check == "passed" && !withdrawn)
        {
            await EntryRows.WaitAsync(Server.DatabasePath, id, row => row.ProxyPath is not null, HubTesting.Bound);
        }

        return id;
    }

    /// <summary>Creates a judge of the named categories through the API; the judge's id and invite secret.</summary>
    public async Task<(int Id, string Invite)> AddJudgeAsync(string name, params string[] categories)
    {
        var response = await Coordinator.PostAsJsonAsync("/api/judging/judges", new { name, categoryIds = categories.Select(c => Categories[c]) })
            .WaitAsync(HubTesting.Bound);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var invited = await response.Content.ReadFromJsonAsync<JsonElement>();
        var path = invited.GetProperty("invitePath").GetString()!;
        return (invited.GetProperty("judge").GetProperty("id").GetInt32(), path[(path.IndexOf('#') + 1)..]);
    }

    /// <summary>A client of a judge who took their invite (and so is signed in).</summary>
    public async Task<HttpClient> AcceptInviteAsync(string invite, string password = JudgePassword)
    {
        var client = Server.CreateAnonymousClient();
        var response = await client.PostAsJsonAsync("/api/auth/judge/invite", new { invite, password }).WaitAsync(HubTesting.Bound);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return client;
    }

    /// <summary>A new judge of the named categories, signed in.</summary>
    public async Task<HttpClient> JudgeAsync(string name, params string[] categories) =>
        await AcceptInviteAsync((await AddJudgeAsync(name, categories)).Invite);

    public async ValueTask DisposeAsync()
    {
        Coordinator.Dispose();
        await Server.DisposeAsync();
    }
}
