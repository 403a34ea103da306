using System.Net;
using System.Net.Http.Json;
using AmvScreening.Player.Show;
using AmvScreening.Protocol;
using AmvScreening.Server.Auth;
using AmvScreening.Tests.Support;

namespace AmvScreening.Tests.Player;

/// <summary>What the player reads over HTTP: its playlist (player key only) and the room code.</summary>
public sealed class PlayerApiTests : IClassFixture<PlayerApiTests.Server>
{
    public sealed class Server : IDisposable
    {
        public AmvServer Amv { get; } = new(new Dictionary<string, string?> { ["Amv:ImportOnFirstStart"] = RepoPaths.Of("samples", "kumoricon-2023.json") });
        public void Dispose() => Amv.Dispose();
    }

    private readonly AmvServer _server;

    public PlayerApiTests(Server server) => _server = server.Amv;

    [Fact]
    public async Task PlayerShow_IsRefusedToAnonymousClientsAndTheBooth()
    {
        using var anonymous = _server.CreateAnonymousClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(PlayerContract.ShowPath)).StatusCode);
        using var booth = await _server.CreateStaffClientAsync(Roles.Booth);
        Assert.Equal(HttpStatusCode.Forbidden, (await booth.GetAsync(PlayerContract.ShowPath)).StatusCode);
        using var coordinator = await _server.CreateStaffClientAsync(Roles.Coordinator);
        Assert.Equal(HttpStatusCode.Forbidden, (await coordinator.GetAsync(PlayerContract.ShowPath)).StatusCode);
    }

    [Fact]
    public async Task PlayerShow_GivesTheContestRoomAndPlaylistInShowOrder_WithoutDisqualifiedEntries()
    {
        using var coordinator = await _server.CreateStaffClientAsync(Roles.Coordinator);
        var contest = await coordinator.GetFromJsonAsync<ContestView>("/api/contest", PlayerApi.Json);
        var disqualified = contest!.Entries[1];
        await TestContest.ExecuteAsync(_server, "UPDATE entries SET disqualified = 1 WHERE id = @id", new { id = disqualified.Id });
        try
        {
            using var player = _server.CreatePlayerClient();
            var response = await player.GetAsync(PlayerContract.ShowPath);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var show = (await response.Content.ReadFromJsonAsync<PlayerShow>(PlayerApi.Json))!;

            Assert.Equal("Kumoricon AMV Contest", show.ContestName);
            Assert.Equal(await coordinator.GetFromJsonAsync<RoomInfo>("/api/room", PlayerApi.Json), show.Room);
            Assert.Equal(contest.Categories.Select(c => (c.Id, c.Name)), show.Categories.Select(c => (c.Id, c.Name)));
            var expected = contest.Entries.Where(e => e.Id != disqualified.Id).ToList();
            var playlist = show.Categories.SelectMany(c => c.Entries).ToList();
            Assert.Equal(expected.Select(e => (e.Id, e.VideoPath)), playlist.Select(e => (e.Entry.Id, e.VideoPath)));
            Assert.Equal("upbeat-fun/01-kimi-no-beat-wa.mp4", playlist[0].VideoPath);
            Assert.Equal(expected[0].Title, playlist[0].Entry.Title);
        }
        finally
        {
            await TestContest.ExecuteAsync(_server, "UPDATE entries SET disqualified = 0");
        }
    }

    [Fact]
    public async Task Room_IsReadableByThePlayer_ButOnlyCoordinatorsRotateIt()
    {
        using var player = _server.CreatePlayerClient();
        Assert.Equal(HttpStatusCode.OK, (await player.GetAsync("/api/room")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await player.PostAsync("/api/room/rotate", null)).StatusCode);
        using var booth = await _server.CreateStaffClientAsync(Roles.Booth);
        Assert.Equal(HttpStatusCode.Forbidden, (await booth.GetAsync("/api/room")).StatusCode);
        using var anonymous = _server.CreateAnonymousClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/room")).StatusCode);
    }

    /// <summary>The parts of GET /api/contest these tests read.</summary>
    private sealed record ContestView(IReadOnlyList<CategoryRow> Categories, IReadOnlyList<EntryRow> Entries);

    private sealed record CategoryRow(int Id, string Name);

    private sealed record EntryRow(int Id, string Title, string? VideoPath);
}
