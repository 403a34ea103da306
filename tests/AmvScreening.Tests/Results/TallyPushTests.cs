using AmvScreening.Protocol;
using AmvScreening.Server.Auth;
using AmvScreening.Tests.Support;
using static AmvScreening.Tests.Support.HubTesting;

namespace AmvScreening.Tests.Results;

/// <summary>What the hub pushes about results, as each audience receives it through a real SignalR client.</summary>
public sealed class TallyPushTests : IDisposable
{
    private readonly AmvServer _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task AVote_ReachesTheCoordinatorsTally_ButNeitherVotersNorTheBooth_WhoGetOnlyTheReveal()
    {
        var category = (await TestContest.SeedAsync(_server))[0];
        var entry = category.Entries[0];
        await using var coordinatorHub = await _server.CreateStaffHubAsync(Roles.Coordinator);
        await using var boothHub = await _server.CreateStaffHubAsync(Roles.Booth);
        await using var voterHub = _server.CreateVoterHub();
        var tallies = coordinatorHub.Received<Tally>(ShowHubMethods.TallyChanged);
        var boothTallies = boothHub.Received<Tally>(ShowHubMethods.TallyChanged);
        var voterTallies = voterHub.Received<Tally>(ShowHubMethods.TallyChanged);
        var boothReveals = boothHub.Received<PublicResults>(ShowHubMethods.ResultsRevealed);
        var voterReveals = voterHub.Received<PublicResults>(ShowHubMethods.ResultsRevealed);
        foreach (var hub in new[] { coordinatorHub, boothHub, voterHub })
        {
            await hub.StartAndSyncAsync();
        }

        using var coordinator = await _server.CreateStaffClientAsync();
        await TestContest.SetVotingAsync(coordinator, category.Id, "open");

        await TestContest.VoteAsync(_server, coordinator, entry, 4);

        var tally = await tallies.NextMatchingAsync(t => RowOf(t, entry).Count == 1);
        Assert.Equal(4m, RowOf(tally, entry).Mean);

        await TestContest.SetVotingAsync(coordinator, category.Id, "close");
        (await coordinator.PostAsync($"/api/results/reveal/categories/{category.Id}", null)).EnsureSuccessStatusCode();
        foreach (var reveals in new[] { voterReveals, boothReveals })
        {
            Assert.Equal(entry, (await reveals.NextAsync()).Categories[0].Winner.Id);
        }

        var after = await tallies.NextMatchingAsync(t => t.Categories[0].RevealedAt is not null);
        Assert.Equal(entry, after.Categories[0].Outcome.WinnerId);
        Assert.False(boothTallies.TryRead(out _), "the booth received a tally");
        Assert.False(voterTallies.TryRead(out _), "a voter received a tally");
    }

    private static TallyRow RowOf(Tally tally, int entryId) =>
        tally.Categories.SelectMany(c => c.Rows).Single(r => r.EntryId == entryId);
}
