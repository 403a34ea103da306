using System.Text.Json;
using AmvScreening.Protocol;
using AmvScreening.Server.Auth;
using AmvScreening.Tests.Support;

namespace AmvScreening.Tests.Results;

/// <summary>What the hub pushes about results, as each audience receives it over a real WebSocket.</summary>
public sealed class TallyPushTests : IDisposable
{
    private readonly AmvServer _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task AVote_ReachesTheCoordinatorsTally_ButNeitherVotersNorTheBooth_WhoGetOnlyTheReveal()
    {
        var category = (await TestContest.SeedAsync(_server))[0];
        var entry = category.Entries[0];
        await using var coordinatorHub = await HubProbe.ConnectAsync(_server, Roles.Coordinator);
        await using var boothHub = await HubProbe.ConnectAsync(_server, Roles.Booth);
        await using var voterHub = await HubProbe.ConnectAsync(_server);
        using var coordinator = await _server.CreateStaffClientAsync();
        await TestContest.SetVotingAsync(coordinator, category.Id, "open");

        await TestContest.VoteAsync(_server, coordinator, entry, 4);

        var tally = await coordinatorHub.WaitForAsync(ShowHubMethods.TallyChanged, t => CountOf(t, entry) == 1);
        Assert.Equal(4m, Row(tally, entry).GetProperty("mean").GetDecimal());

        await TestContest.SetVotingAsync(coordinator, category.Id, "close");
        (await coordinator.PostAsync($"/api/results/reveal/categories/{category.Id}", null)).EnsureSuccessStatusCode();
        foreach (var audience in new[] { voterHub, boothHub })
        {
            var revealed = await audience.WaitForAsync(ShowHubMethods.ResultsRevealed);
            Assert.Equal(entry, revealed.GetProperty("categories")[0].GetProperty("winner").GetProperty("id").GetInt32());
            Assert.DoesNotContain(ShowHubMethods.TallyChanged, audience.Received);
        }

        var after = await coordinatorHub.WaitForAsync(ShowHubMethods.TallyChanged, t => t.GetProperty("categories")[0].GetProperty("revealedAt").ValueKind != JsonValueKind.Null);
        Assert.Equal(entry, after.GetProperty("categories")[0].GetProperty("outcome").GetProperty("winnerId").GetInt32());
    }

    private static JsonElement Row(JsonElement tally, int entryId) =>
        tally.GetProperty("categories").EnumerateArray().SelectMany(c => c.GetProperty("rows").EnumerateArray())
            .Single(r => r.GetProperty("entryId").GetInt32() == entryId);

    private static int CountOf(JsonElement tally, int entryId) => Row(tally, entryId).GetProperty("count").GetInt32();
}
