using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AmvScreening.Protocol;
using AmvScreening.Server.Data;
using AmvScreening.Server.Room;
using AmvScreening.Tests.Support;
using Dapper;
using Microsoft.AspNetCore.SignalR.Client;
using static AmvScreening.Tests.Support.HubTesting;

namespace AmvScreening.Tests.Room;

/// <summary>The screen code rotates by itself when the contest says so: at each category's title card (as the player
/// reports it) and every N minutes; a code rotated by itself still joins for a minute, one rotated by hand does not.</summary>
public sealed class RotationTests : IAsyncLifetime
{
    private readonly ManualClock _clock = new();
    private readonly AmvServer _server;
    private HttpClient _coordinator = null!;
    private HubConnection _player = null!;
    private IReadOnlyList<TestContest.Category> _categories = [];
    private long _sequence;

    public RotationTests() => _server = new AmvServer(clock: _clock);

    public async Task InitializeAsync()
    {
        _coordinator = await _server.CreateStaffClientAsync();
        _categories = await TestContest.SeedAsync(_server, categories: 2, entriesPerCategory: 1);
        _player = _server.CreatePlayerHub();
    }

    public async Task DisposeAsync()
    {
        await _player.DisposeAsync();
        _coordinator.Dispose();
        _server.Dispose();
    }

    [Fact]
    public async Task AtEachCategoryCard_TheCodeRotates_ThePlayerGetsIt_AndTheOldCodeJoinsForAMinute()
    {
        await SetRotationAsync(atCategoryCard: true, everyMinutes: null);
        var rooms = _player.Received<RoomInfo>(ShowHubMethods.RoomChanged);
        await _player.StartAndSyncAsync();
        var first = await ScreenCodeAsync();

        await ReportCardAsync(_categories[0].Id);
        var second = await rooms.NextAsync();
        Assert.NotEqual(first, second.Code);
        Assert.Equal(second.Code, await ScreenCodeAsync());

        // The same card again (restarted, or resumed after a pause) does not rotate again.
        await ReportCardAsync(_categories[0].Id);
        Assert.Equal(second.Code, await ScreenCodeAsync());

        // Someone who scanned the last outro just before the card still gets in, for a minute.
        Assert.Equal(HttpStatusCode.Created, (await JoinAsync(first)).StatusCode);
        _clock.Advance(RoomCodes.RotationGrace + TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.Gone, (await JoinAsync(first)).StatusCode);

        await ReportCardAsync(_categories[1].Id);
        var third = await rooms.NextAsync();
        Assert.NotEqual(second.Code, third.Code);

        // By hand, the old code stops at once.
        await _coordinator.PostAsync("/api/room/rotate", null);
        Assert.Equal(HttpStatusCode.Gone, (await JoinAsync(third.Code)).StatusCode);
    }

    [Fact]
    public async Task WithoutTheSetting_ACategoryCardLeavesTheCodeAlone()
    {
        await _player.StartAndSyncAsync();
        var before = await ScreenCodeAsync();
        await ReportCardAsync(_categories[0].Id);
        await ReportCardAsync(_categories[1].Id);
        Assert.Equal(before, await ScreenCodeAsync());
    }

    [Fact]
    public async Task EveryNMinutes_TheCodeRotates()
    {
        await SetRotationAsync(atCategoryCard: false, everyMinutes: 20);
        var rooms = _player.Received<RoomInfo>(ShowHubMethods.RoomChanged);
        await _player.StartAndSyncAsync();
        await _clock.WhenTimerSetAsync().WaitAsync(Bound);
        var first = await ScreenCodeAsync();

        _clock.Advance(TimeSpan.FromMinutes(20));
        var second = await rooms.NextAsync();
        Assert.NotEqual(first, second.Code);

        _clock.Advance(TimeSpan.FromMinutes(10));
        _clock.Advance(TimeSpan.FromMinutes(10));
        var third = await rooms.NextAsync();
        Assert.NotEqual(second.Code, third.Code);

        // Three codes in all: nothing rotated at the 10-minute tick in between.
        await using var connection = await _server.Services.GetRequiredService<Db>().OpenAsync();
        Assert.Equal(3, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM room_codes"));
    }

    [Fact]
    public async Task TheRotationSettings_AreCheckedByTheOneContestValidator_InTheEditorAndTheImport()
    {
        var details = JsonNode.Parse(await _coordinator.GetStringAsync("/api/contest"))!["contest"]!;
        details["roomCode"] = new JsonObject { ["rotateEveryMinutes"] = 0 };
        var edit = await _coordinator.PutAsJsonAsync("/api/contest/details", details);
        Assert.Equal(HttpStatusCode.BadRequest, edit.StatusCode);
        Assert.Contains("roomCode.rotateEveryMinutes", await edit.Content.ReadAsStringAsync());

        var file = new JsonObject
        {
            ["contest"] = new JsonObject { ["name"] = "Con", ["year"] = 2026, ["roomCode"] = new JsonObject { ["rotateEveryMinutes"] = 1441, ["colour"] = "red" } },
            ["categories"] = new JsonArray("A"),
            ["finalists"] = new JsonArray(),
        };
        var import = await _coordinator.PostAsync("/api/contest/import?dryRun=true", new StringContent(file.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        var problem = await import.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, import.StatusCode);
        Assert.Contains("contest.roomCode.rotateEveryMinutes", problem);
        Assert.Contains("contest.roomCode.colour", problem);
    }

    private async Task SetRotationAsync(bool atCategoryCard, int? everyMinutes)
    {
        var details = JsonNode.Parse(await _coordinator.GetStringAsync("/api/contest"))!["contest"]!;
        details["roomCode"] = new JsonObject { ["rotateAtCategoryCard"] = atCategoryCard, ["rotateEveryMinutes"] = everyMinutes };
        var response = await _coordinator.PutAsJsonAsync("/api/contest/details", details);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var saved = JsonNode.Parse(await _coordinator.GetStringAsync("/api/contest"))!["contest"]!["roomCode"]!;
        Assert.Equal(atCategoryCard, (bool)saved["rotateAtCategoryCard"]!);
        Assert.Equal(everyMinutes, (int?)saved["rotateEveryMinutes"]);
    }

    private Task ReportCardAsync(int categoryId) => _player.InvokeAsync<ShowState>(ShowHubMethods.ReportOnScreen,
        new OnScreenReport(++_sequence, ShowPhase.CategoryCard, null, categoryId, _clock.GetUtcNow(), 5, 0)).WaitAsync(Bound);

    private async Task<string> ScreenCodeAsync() => (await _coordinator.GetFromJsonAsync<RoomInfo>("/api/room").WaitAsync(Bound))!.Code;

    private Task<HttpResponseMessage> JoinAsync(string code) =>
        _server.CreateAnonymousClient().PostAsJsonAsync("/api/voters", new { roomCode = code }).WaitAsync(Bound);
}
