using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AmvScreening.Protocol;
using AmvScreening.Tests.Contest;
using AmvScreening.Tests.Support;
using static AmvScreening.Tests.Support.HubTesting;

namespace AmvScreening.Tests.Web;

/// <summary>GET /api/finalists: what the phone's Best In Show ballot lists, public only once the ballot has opened.</summary>
public sealed class VoterFinalistsTests : IDisposable
{
    private readonly AmvServer _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task Finalists_AreHiddenUntilTheBallotOpens_ThenEveryoneInTheRunningInShowOrder_AlsoAfterItCloses()
    {
        using var coordinator = await _server.CreateStaffClientAsync();
        var contest = ContestApi.SampleContest();
        contest["finalists"]![4]!["disqualified"] = true;
        Assert.Equal(HttpStatusCode.OK, (await ContestApi.ImportAsync(coordinator, contest)).Status);
        var expected = (await ContestApi.GetContestAsync(coordinator)).GetProperty("entries").EnumerateArray()
            .Where(e => !e.GetProperty("disqualified").GetBoolean()).Select(e => e.GetProperty("title").GetString()).ToList();
        Assert.Equal(20, expected.Count);
        using var phone = _server.CreateAnonymousClient();

        using var before = await phone.GetAsync("/api/finalists").WaitAsync(Bound);
        Assert.Equal(HttpStatusCode.Forbidden, before.StatusCode);
        Assert.Equal("ballot-not-open", (await before.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());

        (await coordinator.PostAsync("/api/voting/best-in-show/open", null)).EnsureSuccessStatusCode();
        var open = (await phone.GetFromJsonAsync<List<EntrySummary>>("/api/finalists", ShowJsonOptions).WaitAsync(Bound))!;
        Assert.Equal(expected, open.Select(e => e.Title));
        Assert.All(open, e => Assert.False(string.IsNullOrEmpty(e.Category)));

        (await coordinator.PostAsync("/api/voting/best-in-show/close", null)).EnsureSuccessStatusCode();
        var closed = (await phone.GetFromJsonAsync<List<EntrySummary>>("/api/finalists", ShowJsonOptions).WaitAsync(Bound))!;
        Assert.Equal(expected, closed.Select(e => e.Title));
    }

    [Fact]
    public async Task Finalists_FollowAReimport()
    {
        using var coordinator = await _server.CreateStaffClientAsync();
        Assert.Equal(HttpStatusCode.OK, (await ContestApi.ImportAsync(coordinator, ContestApi.SampleContest())).Status);
        (await coordinator.PostAsync("/api/voting/best-in-show/open", null)).EnsureSuccessStatusCode();
        using var phone = _server.CreateAnonymousClient();
        Assert.Equal(21, (await phone.GetFromJsonAsync<List<EntrySummary>>("/api/finalists", ShowJsonOptions).WaitAsync(Bound))!.Count);

        var smaller = ContestApi.SampleContest();
        smaller["finalists"] = new JsonArray(smaller["finalists"]!.AsArray().Take(3).Select(f => f!.DeepClone()).ToArray());
        Assert.Equal(HttpStatusCode.OK, (await ContestApi.ImportAsync(coordinator, smaller)).Status);
        (await coordinator.PostAsync("/api/voting/best-in-show/open", null)).EnsureSuccessStatusCode();

        Assert.Equal(3, (await phone.GetFromJsonAsync<List<EntrySummary>>("/api/finalists", ShowJsonOptions).WaitAsync(Bound))!.Count);
    }

    [Fact]
    public async Task Finalists_AreNeverListed_WhenBestInShowIsDecidedByTopScore()
    {
        using var coordinator = await _server.CreateStaffClientAsync();
        var contest = ContestApi.SampleContest();
        contest["contest"]!["voting"]!["bestInShowMethod"] = "top-score";
        Assert.Equal(HttpStatusCode.OK, (await ContestApi.ImportAsync(coordinator, contest)).Status);
        (await coordinator.PostAsync("/api/voting/best-in-show/open", null)).EnsureSuccessStatusCode();
        using var phone = _server.CreateAnonymousClient();

        Assert.Equal(HttpStatusCode.Forbidden, (await phone.GetAsync("/api/finalists").WaitAsync(Bound)).StatusCode);
    }
}
