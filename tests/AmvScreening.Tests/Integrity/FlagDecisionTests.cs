using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AmvScreening.Protocol;
using AmvScreening.Tests.Support;

namespace AmvScreening.Tests.Integrity;

/// <summary>Decisions about flagged clusters over real loopback, beyond one category: Best In Show picks, and a script
/// whose ballots span two categories (a decision is refused once any result its ballots count in is revealed).</summary>
public sealed class FlagDecisionTests : IDisposable
{
    private readonly AmvServer _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task ScriptedBestInShowPicks_AreFlagged_AndExcludingThemChangesTheBestInShowRace()
    {
        var category = (await TestContest.SeedAsync(_server, categories: 1))[0];
        using var coordinator = await _server.CreateStaffClientAsync();
        await TestContest.SetBallotAsync(coordinator, "open");
        await TestContest.PickAsync(_server, coordinator, category.Entries[0], voters: 3);
        var script = await ScriptAsync(coordinator, 12, voter => voter.PickBestInShowAsync(category.Entries[2]));

        var before = await TallyAsync(coordinator);
        var cluster = Assert.Single(before.Flags);
        Assert.Equal([category.Entries[2]], cluster.Entries);
        Assert.Contains("Best In Show “Entry 1.3”", cluster.Summary);
        var row = before.BestInShow.Rows.Single(r => r.EntryId == category.Entries[2]);
        Assert.Equal((12, 12, 0), (row.Picks, row.Flagged, row.Excluded));
        Assert.True(before.BestInShow.FlagsChangeWinner);
        Assert.Equal(category.Entries[0], before.BestInShow.WinnerWithoutFlagged);

        (await DecideAsync(coordinator, cluster.Id, "exclude", "twelve picks in a second")).EnsureSuccessStatusCode();
        var after = await TallyAsync(coordinator);
        row = after.BestInShow.Rows.Single(r => r.EntryId == category.Entries[2]);
        Assert.Equal((0, 0, 12), (row.Picks, row.Flagged, row.Excluded));
        Assert.Equal(category.Entries[0], after.BestInShow.Outcome.WinnerId);
        Assert.Equal(12, script.Count);
    }

    [Fact]
    public async Task ScriptSpanningTwoCategories_IsExcludedEverywhere_AndFinalOnceEitherIsRevealed()
    {
        var categories = await TestContest.SeedAsync(_server, categories: 2);
        using var coordinator = await _server.CreateStaffClientAsync();
        foreach (var c in categories)
        {
            await TestContest.SetVotingAsync(coordinator, c.Id, "open");
            await TestContest.VoteAsync(_server, coordinator, c.Entries[1], 4, 4);
        }

        var (first, second) = (categories[0].Entries[0], categories[1].Entries[0]);
        await ScriptAsync(coordinator, 10, async voter =>
        {
            (await voter.VoteAsync(first, 5)).EnsureSuccessStatusCode();
            return await voter.VoteAsync(second, 1);
        });

        var cluster = Assert.Single((await TallyAsync(coordinator)).Flags);
        Assert.Equal([first, second], cluster.Entries);
        (await DecideAsync(coordinator, cluster.Id, "exclude", "one script, two categories")).EnsureSuccessStatusCode();
        var tally = await TallyAsync(coordinator);
        Assert.Equal(10, tally.Categories[0].Rows.Single(r => r.EntryId == first).Excluded);
        Assert.Equal(10, tally.Categories[1].Rows.Single(r => r.EntryId == second).Excluded);

        // Revealing the first category makes the decision final, also for the second one's ballots.
        await TestContest.SetVotingAsync(coordinator, categories[0].Id, "close");
        (await coordinator.PostAsync($"/api/results/reveal/categories/{categories[0].Id}", null)).EnsureSuccessStatusCode();
        var refused = await DecideAsync(coordinator, cluster.Id, "include", "changed my mind");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal(ResultsContract.Reasons.AlreadyRevealed, (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());
        Assert.True((await TallyAsync(coordinator)).Flags.Single().Locked);
    }

    /// <summary>New voters that each act the moment they have joined, as a script does.</summary>
    private async Task<List<VoterClient>> ScriptAsync(HttpClient coordinator, int voters, Func<VoterClient, Task<HttpResponseMessage>> act)
    {
        var code = (await coordinator.GetFromJsonAsync<JsonElement>("/api/room")).GetProperty("code").GetString()!;
        using var http = _server.CreateAnonymousClient();
        var joined = new List<VoterClient>();
        for (var i = 0; i < voters; i++)
        {
            var voter = await VoterClient.JoinAsync(http, code);
            (await act(voter)).EnsureSuccessStatusCode();
            joined.Add(voter);
        }

        return joined;
    }

    private static Task<HttpResponseMessage> DecideAsync(HttpClient client, string cluster, string action, string note) =>
        client.PostAsJsonAsync($"/api/integrity/clusters/{cluster}/{action}", new { note });

    private static async Task<Tally> TallyAsync(HttpClient coordinator) =>
        (await coordinator.GetFromJsonAsync<Tally>("/api/tallies", HubTesting.ShowJsonOptions))!;
}
