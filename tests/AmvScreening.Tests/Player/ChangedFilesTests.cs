using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AmvScreening.Player.Preflight;
using AmvScreening.Protocol;
using AmvScreening.Server.Auth;
using AmvScreening.Tests.Player.Vlc;
using AmvScreening.Tests.Support;

namespace AmvScreening.Tests.Player;

/// <summary>A file changed after its pre-flight check, end to end: the real pre-flight checks real files, one is
/// changed, the player finds it at show start and tells the server, the consoles' list names it until the check is
/// run again.</summary>
[Collection(LibVlcCollection.Name)]
public sealed class ChangedFilesTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private static readonly Dictionary<string, string?> Sample = new() { ["Amv:ImportOnFirstStart"] = RepoPaths.Of("samples", "kumoricon-2023.json") };

    private readonly string _folder = Directory.CreateTempSubdirectory("amv-changed-files-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private Task<int> PreflightAsync(AmvServer server, string media) =>
        PreflightCommand.RunAsync(
            ["--server", server.BaseAddress.ToString(), "--api-key", AmvServer.PlayerApiKey, "--media", media,
             "--json", Path.Combine(_folder, "report.json"), "--cache", Path.Combine(_folder, "cache.json")],
            new StringWriter(), new StringWriter()).WaitAsync(Bound);

    private static async Task<int[]> ChangedAsync(HttpClient staff) =>
        [.. (await staff.GetFromJsonAsync<JsonElement>("/api/preflight/failed")).GetProperty("changedEntryIds").EnumerateArray().Select(i => i.GetInt32())];

    [Fact]
    public async Task AFileChangedAfterARealPreflight_IsToldToTheServer_AndFlaggedUntilTheCheckIsRunAgain()
    {
        await using var server = new AmvServer(Sample);
        using var api = server.CreatePlayerClient();
        using var booth = await server.CreateStaffClientAsync(Roles.Booth);
        var playlist = (await api.GetFromJsonAsync<PlayerShow>(PlayerContract.ShowPath))!;
        var (kept, changed) = (playlist.Categories[0].Entries[0], playlist.Categories[0].Entries[1]);
        var media = Path.Combine(_folder, "media");
        var clip = await TestMedia.ClipAsync(seconds: 2);
        foreach (var entry in new[] { kept, changed })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(media, entry.VideoPath!))!);
            File.Copy(clip, Path.Combine(media, entry.VideoPath!));
        }

        // The other finalists' files are missing: the check fails them, and the show leaves them to their slate.
        Assert.Equal(PreflightExitCodes.WouldFail, await PreflightAsync(server, media));
        Assert.Empty(await ChangedAsync(booth));

        // One byte changed near the end: same size, other content (only the SHA-256 shows it).
        var path = Path.Combine(media, changed.VideoPath!);
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[^10] ^= 0xFF;
        await File.WriteAllBytesAsync(path, bytes);

        await using (var player = await PlayerRun.StartAsync(server, Path.Combine(_folder, "state"), s => s with { MediaFolder = media }))
        {
            await player.Host.Checked!.Completion.WaitAsync(Bound);
            Assert.Equal([changed.Entry.Id], player.Host.Checked.Changed.Keys);
        }

        Assert.Equal(new[] { changed.Entry.Id }, await ChangedAsync(booth));

        // The check run again sees the file as it is now: nothing is flagged any more.
        Assert.Equal(PreflightExitCodes.WouldFail, await PreflightAsync(server, media));
        Assert.Empty(await ChangedAsync(booth));

        // And a player that starts again finds nothing changed, and says so.
        await using (var player = await PlayerRun.StartAsync(server, Path.Combine(_folder, "state-2"), s => s with { MediaFolder = media }))
        {
            await player.Host.Checked!.Completion.WaitAsync(Bound);
            Assert.Empty(player.Host.Checked.Changed);
        }

        Assert.Empty(await ChangedAsync(booth));
    }
}

/// <summary>POST /api/preflight/changed on the server: compared with the report it holds, cleared by a new one, refused
/// when malformed (naming the field) and to anyone but the player.</summary>
public sealed class ChangedFilesServerTests : IDisposable
{
    private static readonly string ShaA = new('a', 64), ShaB = new('b', 64);

    private readonly AmvServer _server = new();

    public void Dispose() => _server.Dispose();

    /// <summary>Entry 1 and 2 checked with size and SHA-256, entry 3 with a size only.</summary>
    private static object Report(string sha1 = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa") => new
    {
        summary = new { total = 3, ok = 3, warnings = 0, errors = 0 },
        entries = new object[]
        {
            new { entryId = 1, status = "ok", sizeBytes = 10, sha256 = sha1 },
            new { entryId = 2, status = "ok", sizeBytes = 10, sha256 = ShaA },
            new { entryId = 3, status = "ok", sizeBytes = 5 },
        },
    };

    private static async Task<int[]> ChangedAsync(HttpClient staff) =>
        [.. (await staff.GetFromJsonAsync<JsonElement>("/api/preflight/failed")).GetProperty("changedEntryIds").EnumerateArray().Select(i => i.GetInt32())];

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string json) =>
        client.PostAsync(PlayerContract.ChangedFilesPath, new StringContent(json, Encoding.UTF8, "application/json"));

    [Fact]
    public async Task ChangedFiles_AreComparedWithTheReportTheServerHolds_AndANewReportClearsThem()
    {
        using var player = _server.CreatePlayerClient();
        using var coordinator = await _server.CreateStaffClientAsync(Roles.Coordinator);
        Assert.Equal(HttpStatusCode.NoContent, (await player.PostAsJsonAsync("/api/preflight", Report())).StatusCode);
        var found = new ChangedFiles(
        [
            new ChangedFile(1, 10, ShaB), // same size, other content
            new ChangedFile(2, 11, null), // other size
            new ChangedFile(3, 5, ShaB), // the check has no checksum, and the size is the same: nothing to tell
            new ChangedFile(99, 1, null), // not in the report: nothing to compare with
        ]);

        Assert.Equal(HttpStatusCode.NoContent, (await player.PostAsJsonAsync(PlayerContract.ChangedFilesPath, found)).StatusCode);
        Assert.Equal(new[] { 1, 2 }, await ChangedAsync(coordinator));

        // Each list replaces the previous one.
        Assert.Equal(HttpStatusCode.NoContent, (await player.PostAsJsonAsync(PlayerContract.ChangedFilesPath, new ChangedFiles([new(2, 11, null)]))).StatusCode);
        Assert.Equal(new[] { 2 }, await ChangedAsync(coordinator));
        Assert.Equal(HttpStatusCode.NoContent, (await player.PostAsJsonAsync(PlayerContract.ChangedFilesPath, new ChangedFiles([]))).StatusCode);
        Assert.Empty(await ChangedAsync(coordinator));

        // A new report clears the list; one sent late about the earlier report flags nothing the new one covers.
        Assert.Equal(HttpStatusCode.NoContent, (await player.PostAsJsonAsync(PlayerContract.ChangedFilesPath, found)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await player.PostAsJsonAsync("/api/preflight", Report(sha1: ShaB))).StatusCode);
        Assert.Empty(await ChangedAsync(coordinator));
        Assert.False(File.Exists(Path.Combine(_server.DataDirectory, "preflight-changed.json")));
        Assert.Equal(HttpStatusCode.NoContent, (await player.PostAsJsonAsync(PlayerContract.ChangedFilesPath, found)).StatusCode);
        Assert.Equal(new[] { 2 }, await ChangedAsync(coordinator));
    }

    [Fact]
    public async Task WithoutAReport_NothingIsChanged()
    {
        using var player = _server.CreatePlayerClient();
        using var booth = await _server.CreateStaffClientAsync(Roles.Booth);

        Assert.Equal(HttpStatusCode.NoContent, (await PostAsync(player, """{"files":[{"entryId":1,"sizeBytes":3}]}""")).StatusCode);

        var answer = await booth.GetFromJsonAsync<JsonElement>("/api/preflight/failed");
        Assert.False(answer.GetProperty("hasReport").GetBoolean());
        Assert.Empty(answer.GetProperty("changedEntryIds").EnumerateArray());
    }

    public static TheoryData<string, string> Malformed() => new()
    {
        { "{}", "files" },
        { """{"files":null}""", "files" },
        { """{"entryIds":[1]}""", "entryIds" },
        { """{"files":[null]}""", "files[0]" },
        { """{"files":[{"sizeBytes":1}]}""", "files[0].entryId" },
        { """{"files":[{"entryId":"1","sizeBytes":1}]}""", "files[0].entryId" },
        { """{"files":[{"entryId":0,"sizeBytes":1}]}""", "files[0].entryId" },
        { """{"files":[{"entryId":-4,"sizeBytes":1}]}""", "files[0].entryId" },
        { """{"files":[{"entryId":1.5,"sizeBytes":1}]}""", "files[0].entryId" },
        { """{"files":[{"entryId":1}]}""", "files[0].sizeBytes" },
        { """{"files":[{"entryId":1,"sizeBytes":-1}]}""", "files[0].sizeBytes" },
        { """{"files":[{"entryId":1,"sizeBytes":1e400}]}""", "files[0].sizeBytes" },
        { """{"files":[{"entryId":1,"sizeBytes":1,"sha256":"ABC"}]}""", "files[0].sha256" },
        { $$"""{"files":[{"entryId":1,"sizeBytes":1,"sha256":"{{new string('A', 64)}}"}]}""", "files[0].sha256" },
        { $$"""{"files":[{"entryId":1,"sizeBytes":1,"sha256":"{{new string('a', 63)}}g"}]}""", "files[0].sha256" },
        { """{"files":[{"entryId":1,"sizeBytes":1,"sha256":42}]}""", "files[0].sha256" },
        { """{"files":[{"entryId":1,"sizeBytes":1,"size":1}]}""", "files[0].size" },
        { """{"files":[{"entryId":1,"sizeBytes":1},{"entryId":1,"sizeBytes":2}]}""", "files[1].entryId" },
        { """[1,2]""", "body" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task AMalformedList_IsRefused_NamingTheField_AndTheListHeldIsKept(string body, string field)
    {
        using var player = _server.CreatePlayerClient();
        using var coordinator = await _server.CreateStaffClientAsync(Roles.Coordinator);
        Assert.Equal(HttpStatusCode.NoContent, (await player.PostAsJsonAsync("/api/preflight", Report())).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await PostAsync(player, """{"files":[{"entryId":2,"sizeBytes":11}]}""")).StatusCode);

        var response = await PostAsync(player, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"{field} not named in {errors.GetRawText()}");
        Assert.Equal(new[] { 2 }, await ChangedAsync(coordinator));
    }

    public static TheoryData<string, HttpStatusCode> Callers() => new()
    {
        { "anonymous", HttpStatusCode.Unauthorized },
        { "wrong key", HttpStatusCode.Unauthorized },
        { Roles.Booth, HttpStatusCode.Forbidden },
        { Roles.Coordinator, HttpStatusCode.Forbidden },
        { "player", HttpStatusCode.NoContent },
    };

    [Theory]
    [MemberData(nameof(Callers))]
    public async Task OnlyThePlayer_MayTellWhichFilesChanged(string caller, HttpStatusCode expected)
    {
        using var client = caller switch
        {
            "player" => _server.CreatePlayerClient(),
            Roles.Booth or Roles.Coordinator => await _server.CreateStaffClientAsync(caller),
            _ => _server.CreateAnonymousClient(),
        };
        if (caller == "wrong key")
        {
            client.DefaultRequestHeaders.Add(ShowHubContract.ApiKeyHeader, "not-the-key-0123456789");
        }

        Assert.Equal(expected, (await PostAsync(client, """{"files":[{"entryId":1,"sizeBytes":1}]}""")).StatusCode);

        // Reading the list is for staff: the booth and coordinators, not the player, not anonymous.
        var read = (await client.GetAsync("/api/preflight/failed")).StatusCode;
        Assert.Equal(caller is Roles.Booth or Roles.Coordinator ? HttpStatusCode.OK : caller == "player" ? HttpStatusCode.Forbidden : HttpStatusCode.Unauthorized, read);
    }
}
