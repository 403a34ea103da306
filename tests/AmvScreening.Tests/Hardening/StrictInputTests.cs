using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AmvScreening.Protocol;
using AmvScreening.Tests.Contest;
using AmvScreening.Tests.Support;
using Dapper;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Data.Sqlite;
using static AmvScreening.Tests.Support.HubTesting;

namespace AmvScreening.Tests.Hardening;

/// <summary>Input is read as strictly as docs/protocol.md says, at the edge, over real HTTP and a raw hub connection:
/// numbers are finite JSON numbers, no field is given twice, lists of names hold no null, and a refused request
/// changes nothing.</summary>
public sealed class StrictInputTests : IDisposable
{
    private readonly AmvServer _server = new();

    public void Dispose() => _server.Dispose();

    /// <summary>Every way to write a number that is not a finite number, as raw JSON text.</summary>
    public static TheoryData<string> NotFinite => ["1e999", "-1e999", "1E400", "NaN", "Infinity", "-Infinity", "\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "\"1e999\""];

    [Theory]
    [MemberData(nameof(NotFinite))]
    public async Task PlayerReport_WithANumberThatIsNotFinite_IsRefused_AndTheShowStaysReadableForEveryone(string number)
    {
        await using var player = await RawHubClient.ConnectAsync(_server.HubUrl, o => o.SetRequestHeader(ShowHubContract.ApiKeyHeader, AmvServer.PlayerApiKey));
        await using var voter = _server.CreateVoterHub();
        await voter.StartAndSyncAsync();

        foreach (var report in new[] { Report(position: number), Report(duration: number) })
        {
            var answer = await player.InvokeAsync(ShowHubMethods.ReportOnScreen, report);
            Assert.True(answer.Refused, $"accepted: {report}");
        }

        Assert.Equal(0, (await _server.GetShowOverHttpAsync()).Sequence);
        Assert.Equal(0, (await voter.InvokeAsync<ShowState>(ShowHubMethods.GetShow).WaitAsync(Bound)).Sequence);

        // The player's next good report is taken as ever (on a new connection if the bad frame closed this one).
        await using var again = await RawHubClient.ConnectAsync(_server.HubUrl, o => o.SetRequestHeader(ShowHubContract.ApiKeyHeader, AmvServer.PlayerApiKey));
        var accepted = await again.InvokeAsync(ShowHubMethods.ReportOnScreen, Report(position: "12.5", duration: "30"));
        Assert.Null(accepted.Error);
        Assert.Equal(12.5, (await _server.GetShowOverHttpAsync()).PositionSeconds);
    }

    [Fact]
    public async Task ShowStateWithAnInfinitePosition_StoredByAnOlderVersion_IsReadAsAValidState_AfterARestart()
    {
        var data = Directory.CreateTempSubdirectory("amv-infinite-").FullName;
        try
        {
            using (new AmvServer(dataDirectory: data))
            {
            }

            await using (var connection = new SqliteConnection($"Data Source={Path.Combine(data, "amv.db")};Pooling=False"))
            {
                // What the first version stored for positionSeconds = 1e999: +Infinity.
                await connection.ExecuteAsync("""
                    INSERT INTO show_state (id, sequence, phase, position_seconds, duration_seconds) VALUES (1, 41, 'Video', 9e999, -9e999)
                    ON CONFLICT (id) DO UPDATE SET sequence = 41, phase = 'Video', position_seconds = 9e999, duration_seconds = -9e999
                    """);
                Assert.True(double.IsPositiveInfinity(await connection.ExecuteScalarAsync<double>("SELECT position_seconds FROM show_state")));
            }

            using var server = new AmvServer(dataDirectory: data);
            var show = await server.GetShowOverHttpAsync();
            Assert.Equal((41L, ShowPhase.Video, 0.0, (double?)null), (show.Sequence, show.Phase, show.PositionSeconds, show.DurationSeconds));
            await using var voter = server.CreateVoterHub();
            Assert.Equal(41, (await voter.StartAndSyncAsync()).Sequence);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    [Theory]
    [InlineData("""{"score":"3"}""", "score")]
    [InlineData("""{"score":3,"sequence":"7"}""", "sequence")]
    [InlineData("""{"score":1e999}""", "score")]
    [InlineData("""{"score":3.5}""", "score")]
    [InlineData("""{"score":99,"score":4}""", "score")]
    [InlineData("""{"score":4,"Score":99}""", "Score")]
    [InlineData("""{"score":null}""", "score")]
    [InlineData("""{"score":true}""", "score")]
    [InlineData("""{"score":[4]}""", "score")]
    [InlineData("""{"score":4,"extra":1}""", "extra")]
    [InlineData("""{"sequence":1}""", "score")]
    public async Task Vote_ThatIsNotStrictJson_Is400NamingTheField_AndNothingIsStored(string body, string field)
    {
        var category = (await TestContest.SeedAsync(_server, categories: 1, entriesPerCategory: 1))[0];
        using var coordinator = await _server.CreateStaffClientAsync();
        await TestContest.SetVotingAsync(coordinator, category.Id, "open");
        using var http = _server.CreateAnonymousClient();
        var voter = await VoterClient.JoinAsync(http, await RoomCodeAsync(coordinator));
        var before = await DatabaseDump.TakeAsync(_server.DatabasePath);

        var response = await voter.SendAsync(HttpMethod.Put, $"/api/votes/{category.Entries[0]}", Json(body)).WaitAsync(Bound);

        await AssertRefusedAsync(response, field);
        Assert.Empty(DatabaseDump.Changed(before, await DatabaseDump.TakeAsync(_server.DatabasePath)));
    }

    [Theory]
    [InlineData("PUT", "/api/entries/{entry}/paper", """{"counts":{"5":"3"}}""", "counts.5")]
    [InlineData("PUT", "/api/entries/{entry}/paper", """{"counts":{"5":1e999}}""", "counts.5")]
    [InlineData("PUT", "/api/entries/{entry}/paper", """{"counts":{"5":1,"5":2}}""", "counts.5")]
    [InlineData("POST", "/api/awards", """{"name":"Judges' Choice","entryId":"{entry}"}""", "entryId")]
    [InlineData("POST", "/api/awards", """{"name":"A","name":"B","entryId":{entry}}""", "name")]
    [InlineData("POST", "/api/contest/entries", """{"categoryId":"{category}","title":"T","editors":["E"],"musicArtist":"A","musicTitle":"M"}""", "categoryId")]
    [InlineData("POST", "/api/contest/entries", """{"categoryId":{category},"title":"T","editors":[null],"musicArtist":"A","musicTitle":"M"}""", "editors")]
    [InlineData("POST", "/api/contest/entries", """{"categoryId":{category},"title":"T","editors":["E"],"sources":[null],"musicArtist":"A","musicTitle":"M"}""", "sources")]
    [InlineData("PUT", "/api/contest/entries/{entry}", """{"categoryId":{category},"title":"T","editors":["E",null],"musicArtist":"A","musicTitle":"M"}""", "editors")]
    [InlineData("PUT", "/api/contest/entries/{entry}", """{"categoryId":{category},"title":"T","editors":[7],"musicArtist":"A","musicTitle":"M"}""", "editors")]
    [InlineData("PUT", "/api/contest/entries/{entry}", """{"categoryId":{category},"title":"T","editors":["E"],"sources":["S",null],"musicArtist":"A","musicTitle":"M"}""", "sources")]
    [InlineData("PUT", "/api/contest/categories/order", """{"categoryIds":["{category}"]}""", "categoryIds[0]")]
    [InlineData("POST", "/api/contest/entries", "", "body")]
    [InlineData("PUT", "/api/contest/details", "[]", "body")]
    public async Task CoordinatorRequest_ThatIsNotStrictJson_Is400NamingTheField_AndNothingChanges(string method, string path, string body, string field)
    {
        var category = (await TestContest.SeedAsync(_server, categories: 1, entriesPerCategory: 1))[0];
        using var coordinator = await _server.CreateStaffClientAsync();
        string Fill(string text) => text.Replace("{entry}", $"{category.Entries[0]}").Replace("{category}", $"{category.Id}");
        var before = await DatabaseDump.TakeAsync(_server.DatabasePath);

        var response = await coordinator.SendAsync(new HttpRequestMessage(new HttpMethod(method), Fill(path)) { Content = Json(Fill(body)) }).WaitAsync(Bound);

        await AssertRefusedAsync(response, field);
        Assert.Empty(DatabaseDump.Changed(before, await DatabaseDump.TakeAsync(_server.DatabasePath)));
    }

    [Fact]
    public async Task ContestFile_WithAFieldGivenTwice_IsRefusedAsMalformed()
    {
        using var coordinator = await _server.CreateStaffClientAsync();
        var text = ContestApi.SampleContest().ToJsonString().Replace("\"year\":2023", "\"year\":2023,\"year\":1999", StringComparison.Ordinal);

        var import = await ContestApi.ImportAsync(coordinator, text, "application/json");

        Assert.Equal(HttpStatusCode.BadRequest, import.Status);
        Assert.Contains("Duplicate", import.Errors["body"]);
    }

    [Theory]
    [InlineData("http://192.168.1.10:5000\r\nSet-Cookie: amv.staff=forged")]
    [InlineData("http://192.168.1.10:5000/\n")]
    [InlineData("http://192.168.1.10:5000/\t")]
    [InlineData("http://192.168.1.10\u0000:5000")]
    [InlineData("http://192.168.1.10:5000/\u0085")]
    [InlineData("http://amv example.org")]
    [InlineData("javascript:alert(1)")]
    [InlineData("ftp://amv.example.org")]
    [InlineData("/relative/path")]
    [InlineData("amv.example.org")]
    [InlineData("http://")]
    [InlineData("https://amv.example.org/?next=evil")]
    [InlineData("https://amv.example.org/#top")]
    [InlineData("https://user:secret@amv.example.org")]
    public async Task PublicBaseUrl_ThatIsNotAPlainHttpAddress_IsRefused_InTheEditorAndTheImport(string url)
    {
        using var coordinator = await _server.CreateStaffClientAsync();
        var contest = ContestApi.SampleContest();
        var valid = await coordinator.PutAsJsonAsync("/api/contest/details", Details("https://amv.example.org/room")).WaitAsync(Bound);
        Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
        var before = await DatabaseDump.TakeAsync(_server.DatabasePath);

        await AssertRefusedAsync(await coordinator.PutAsJsonAsync("/api/contest/details", Details(url)).WaitAsync(Bound), "publicBaseUrl");
        contest["contest"]!["publicBaseUrl"] = url;
        var import = await ContestApi.ImportAsync(coordinator, contest);
        Assert.True(import.Errors.ContainsKey("contest.publicBaseUrl"), import.Describe());

        Assert.Empty(DatabaseDump.Changed(before, await DatabaseDump.TakeAsync(_server.DatabasePath)));
        Assert.Equal("https://amv.example.org/room/v/", (await coordinator.GetFromJsonAsync<RoomInfo>("/api/room"))!.JoinUrl[..^6]);
    }

    [Fact]
    public async Task PublicBaseUrl_WithSpacesAround_IsTrimmed_AndAPlainAddressIsKept()
    {
        using var coordinator = await _server.CreateStaffClientAsync();
        Assert.Equal(HttpStatusCode.OK, (await coordinator.PutAsJsonAsync("/api/contest/details", Details("  http://192.168.1.10:5000  "))).StatusCode);
        Assert.StartsWith("http://192.168.1.10:5000/v/", (await coordinator.GetFromJsonAsync<RoomInfo>("/api/room"))!.JoinUrl);
    }

    private static string Report(string position = "0", string duration = "30") =>
        $$"""{"sequence":1,"phase":"intermission","entryId":null,"categoryId":null,"startedAt":"2026-05-02T19:04:11Z","durationSeconds":{{duration}},"positionSeconds":{{position}}}""";

    private static object Details(string url) =>
        new { name = "Test Con", year = 2026, publicBaseUrl = url, voting = new { scoreMin = 1, scoreMax = 5, bestInShowMethod = "ballot", bestInShowKeepsCategoryPrize = true }, limits = new { maxFileMegabytes = 330, maxDurationSeconds = 330 } };

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<string> RoomCodeAsync(HttpClient coordinator) =>
        (await coordinator.GetFromJsonAsync<RoomInfo>("/api/room").WaitAsync(Bound))!.Code;

    /// <summary>A 400 ProblemDetails whose errors name <paramref name="field"/>.</summary>
    private static async Task AssertRefusedAsync(HttpResponseMessage response, string field)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = JsonDocument.Parse(text).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"'{field}' not named: {text}");
    }
}
