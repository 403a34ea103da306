using System.Net.Http.Json;
using System.Text.Json;
using AmvScreening.Protocol;
using AmvScreening.Server.Auth;
using AmvScreening.Tests.Support;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using static AmvScreening.Tests.Support.HubTesting;

namespace AmvScreening.Tests.Results;

/// <summary>Nobody learns a winner before its reveal: not the phones from a winner slate the projector reports, not the
/// booth from the contest API.</summary>
public sealed class RevealedOnlyTests : IDisposable
{
    private readonly AmvServer _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task WinnerSlateReport_ForAnEntryWhoseWinIsNotRevealed_IsRefused_AndPhonesHearNoWinner()
    {
        var category = (await TestContest.SeedAsync(_server, categories: 1, entriesPerCategory: 2))[0];
        var (winner, other) = (category.Entries[0], category.Entries[1]);
        await using var player = _server.CreatePlayerHub();
        await using var phone = _server.CreateVoterHub();
        var shows = phone.Received<ShowState>(ShowHubMethods.ShowChanged);
        await player.StartAndSyncAsync();
        await phone.StartAndSyncAsync();

        foreach (var (sequence, entry) in new (long, int?)[] { (1, winner), (2, other), (3, null) })
        {
            var refused = await Assert.ThrowsAsync<HubException>(() =>
                player.InvokeAsync<ShowState>(ShowHubMethods.ReportOnScreen, Report(sequence, ShowPhase.Winner, entry)).WaitAsync(Bound));
            Assert.Contains(entry is null ? "must name its entry" : $"entry {entry}, which has won nothing revealed yet", refused.Message);
        }

        using var coordinator = await _server.CreateStaffClientAsync();
        await TestContest.SetVotingAsync(coordinator, category.Id, "open");
        await TestContest.VoteAsync(_server, coordinator, winner, 5);
        await TestContest.SetVotingAsync(coordinator, category.Id, "close");
        (await coordinator.PostAsync($"/api/results/reveal/categories/{category.Id}", null)).EnsureSuccessStatusCode();
        await Assert.ThrowsAsync<HubException>(() =>
            player.InvokeAsync<ShowState>(ShowHubMethods.ReportOnScreen, Report(4, ShowPhase.Winner, other)).WaitAsync(Bound));
        await player.InvokeAsync<ShowState>(ShowHubMethods.ReportOnScreen, Report(5, ShowPhase.Winner, winner)).WaitAsync(Bound);

        // The first thing phones hear is the revealed winner's slate: none of the refused reports got through.
        var first = await shows.NextAsync();
        Assert.Equal((5L, ShowPhase.Winner, (int?)winner), (first.Sequence, first.Phase, first.Entry?.Id));
    }

    [Fact]
    public async Task ContestApi_ShowsTheBoothNoAwardUntilTheAwardsAreRevealed_TheCoordinatorAlways()
    {
        var category = (await TestContest.SeedAsync(_server, categories: 1, entriesPerCategory: 2))[0];
        using var coordinator = await _server.CreateStaffClientAsync();
        using var booth = await _server.CreateStaffClientAsync(Roles.Booth);
        (await coordinator.PostAsJsonAsync("/api/awards", new { name = "Judges' Choice", entryId = category.Entries[1] })).EnsureSuccessStatusCode();

        Assert.Equal(0, await AwardsSeenAsync(booth));
        Assert.Equal(1, await AwardsSeenAsync(coordinator));
        Assert.Equal(2, await EntriesSeenAsync(booth)); // the rest of the contest is the booth's to see

        (await coordinator.PostAsync("/api/results/reveal/awards", null)).EnsureSuccessStatusCode();

        Assert.Equal(1, await AwardsSeenAsync(booth));
    }

    private static async Task<int> AwardsSeenAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/contest").WaitAsync(Bound)).GetProperty("awards").GetArrayLength();

    private static async Task<int> EntriesSeenAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/contest").WaitAsync(Bound)).GetProperty("entries").GetArrayLength();
}
