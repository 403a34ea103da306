using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AmvScreening.Protocol;
using AmvScreening.Tests.Contest;
using AmvScreening.Tests.Support;
using Microsoft.AspNetCore.SignalR.Client;
using static AmvScreening.Tests.Support.HubTesting;

namespace AmvScreening.Tests.Voting;

/// <summary>A whole category as on show day: the player reports, phones hear it over SignalR and vote over HTTP,
/// the coordinator closes and reveals.</summary>
public sealed class CategoryWalkTests : IDisposable
{
    private readonly AmvServer _server = new(new Dictionary<string, string?> { ["Amv:ImportOnFirstStart"] = RepoPaths.Of("samples", "kumoricon-2023.json") });

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task PlayerReportsVideo_VoterHearsIt_VotesOnce_LateAndUnplayedVotesAreRefused_RevealShowsTheWinner()
    {
        using var coordinator = await _server.CreateStaffClientAsync();
        var (categoryId, a, b) = await FirstCategoryAsync(coordinator);
        await using var player = _server.CreatePlayerHub();
        await using var phone = _server.CreateVoterHub();
        var shows = phone.Received<ShowState>(ShowHubMethods.ShowChanged);
        var votings = phone.ReceivedVoting(_server);
        var reveals = phone.Received<PublicResults>(ShowHubMethods.ResultsRevealed);
        await player.StartAndSyncAsync();
        await phone.StartAndSyncAsync();
        var voter = await JoinAsync(coordinator);

        // The intro slate is on screen: the phone sees it, but voting has not opened.
        await ReportAsync(player, 1, ShowPhase.IntroSlate, a);
        Assert.Equal((ShowPhase.IntroSlate, a), Of(await shows.NextAsync()));
        await AssertRefusedAsync(await voter.VoteAsync(a, 4), "not-open-yet");

        // The video starts: voting on A opens, and the phone hears both.
        await ReportAsync(player, 2, ShowPhase.Video, a);
        var opened = await votings.NextMatchingAsync(v => Votable(v, categoryId).Contains(a));
        Assert.DoesNotContain(b, Votable(opened, categoryId));
        Assert.Equal((ShowPhase.Video, a), Of(await shows.NextAsync()));

        // 4, then 5: one vote, worth 5.
        Assert.Equal(HttpStatusCode.OK, (await voter.VoteAsync(a, 4)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await voter.VoteAsync(a, 5)).StatusCode);
        var mine = await (await voter.SendAsync(HttpMethod.Get, "/api/votes")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(5, mine.GetProperty("scores").GetProperty(a.ToString()).GetInt32());
        var row = await TallyRowAsync(coordinator, a);
        Assert.Equal((1, 5m), (row.GetProperty("count").GetInt32(), row.GetProperty("mean").GetDecimal()));

        // B has not been shown.
        await AssertRefusedAsync(await voter.VoteAsync(b, 3), "not-open-yet");

        // The category closes: the phone hears it, a late vote is refused, the score stays.
        (await coordinator.PostAsync($"/api/voting/categories/{categoryId}/close", null)).EnsureSuccessStatusCode();
        await votings.NextMatchingAsync(v => v.Categories.Single(c => c.CategoryId == categoryId).Status == CategoryVotingStatus.Closed);
        await AssertRefusedAsync(await voter.VoteAsync(a, 1), "closed");
        Assert.Equal(5m, (await TallyRowAsync(coordinator, a)).GetProperty("mean").GetDecimal());

        // Hidden until revealed; then pushed to the phone and public.
        using var anonymous = _server.CreateAnonymousClient();
        Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.GetAsync($"/api/results/categories/{categoryId}")).StatusCode);
        Assert.Empty((await anonymous.GetFromJsonAsync<PublicResults>("/api/results"))!.Categories);
        (await coordinator.PostAsync($"/api/results/reveal/categories/{categoryId}", null)).EnsureSuccessStatusCode();
        Assert.Equal(a, (await reveals.NextAsync()).Categories.Single().Winner.Id);
        Assert.Equal(a, (await anonymous.GetFromJsonAsync<PublicResults>("/api/results"))!.Categories.Single().Winner.Id);

        // A revealed result is final: its voting does not reopen.
        await AssertRefusedAsync(await coordinator.PostAsync($"/api/voting/categories/{categoryId}/open", null), "already-revealed");
    }

    [Fact]
    public async Task Category_ClosesByItself_TheConfiguredMinutesAfterItsLastOutro()
    {
        using var coordinator = await _server.CreateStaffClientAsync();
        var contest = ContestApi.SampleContest();
        contest["contest"]!["voting"] = new JsonObject { ["autoCloseMinutes"] = 1 };
        Assert.Equal(HttpStatusCode.OK, (await ContestApi.ImportAsync(coordinator, contest)).Status);
        var (categoryId, first, _) = await FirstCategoryAsync(coordinator);
        var last = (await ContestApi.GetContestAsync(coordinator)).GetProperty("entries").EnumerateArray()
            .Where(e => e.GetProperty("categoryId").GetInt32() == categoryId).Select(e => e.GetProperty("id").GetInt32()).Last();
        await using var player = _server.CreatePlayerHub();
        await using var phone = _server.CreateVoterHub();
        var votings = phone.ReceivedVoting(_server);
        await player.StartAndSyncAsync();
        await phone.StartAndSyncAsync();
        var voter = await JoinAsync(coordinator);

        await ReportAsync(player, 1, ShowPhase.Video, first);
        Assert.Equal(HttpStatusCode.OK, (await voter.VoteAsync(first, 3)).StatusCode);

        // The last outro of the category was on screen more than a minute (and its 10 s) ago.
        await player.InvokeAsync<ShowState>(ShowHubMethods.ReportOnScreen,
            new OnScreenReport(2, ShowPhase.OutroSlate, last, null, DateTimeOffset.UtcNow.AddMinutes(-2), 10, 10)).WaitAsync(Bound);

        var closed = await votings.NextMatchingAsync(v => v.Categories.Single(c => c.CategoryId == categoryId).Status == CategoryVotingStatus.Closed);
        Assert.NotNull(closed.Categories.Single(c => c.CategoryId == categoryId).ClosesAt);
        await AssertRefusedAsync(await voter.VoteAsync(first, 5), "closed");
    }

    private static Task ReportAsync(HubConnection player, long sequence, ShowPhase phase, int entryId) =>
        player.InvokeAsync<ShowState>(ShowHubMethods.ReportOnScreen, Report(sequence, phase, entryId)).WaitAsync(Bound);

    private static (ShowPhase, int?) Of(ShowState state) => (state.Phase, state.Entry?.Id);

    private static IReadOnlyList<int> Votable(VotingSnapshot voting, int categoryId) =>
        voting.Categories.Single(c => c.CategoryId == categoryId).VotableEntries.Select(e => e.Id).ToList();

    private static async Task AssertRefusedAsync(HttpResponseMessage response, string reason)
    {
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(reason, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());
    }

    private async Task<VoterClient> JoinAsync(HttpClient coordinator) =>
        await VoterClient.JoinAsync(_server.CreateAnonymousClient(), (await coordinator.GetFromJsonAsync<RoomInfo>("/api/room"))!.Code);

    /// <summary>The first category and its first two finalists.</summary>
    private static async Task<(int Category, int A, int B)> FirstCategoryAsync(HttpClient coordinator)
    {
        var contest = await ContestApi.GetContestAsync(coordinator);
        var categoryId = contest.GetProperty("categories")[0].GetProperty("id").GetInt32();
        var entries = contest.GetProperty("entries").EnumerateArray()
            .Where(e => e.GetProperty("categoryId").GetInt32() == categoryId).Select(e => e.GetProperty("id").GetInt32()).ToList();
        return (categoryId, entries[0], entries[1]);
    }

    private static async Task<JsonElement> TallyRowAsync(HttpClient coordinator, int entryId) =>
        (await coordinator.GetFromJsonAsync<JsonElement>("/api/tallies")).GetProperty("categories").EnumerateArray()
            .SelectMany(c => c.GetProperty("rows").EnumerateArray()).Single(r => r.GetProperty("entryId").GetInt32() == entryId);
}
