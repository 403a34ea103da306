using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AmvScreening.Protocol;
using AmvScreening.Server.Auth;
using AmvScreening.Tests.Contest;
using AmvScreening.Tests.Support;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using static AmvScreening.Tests.Support.HubTesting;

namespace AmvScreening.Tests.Web;

/// <summary>The API the consoles add: contest editing (never at the cost of recorded votes) and the player's presence.</summary>
public sealed class ConsoleApiTests : IDisposable
{
    private readonly AmvServer _server = new();

    public void Dispose() => _server.Dispose();

    private static object Details(int scoreMax = 5, string method = "ballot", string name = "Test Con AMV Contest", int year = 2026, string? url = null) =>
        new { name, year, publicBaseUrl = url, voting = new { scoreMin = 1, scoreMax, bestInShowMethod = method, bestInShowKeepsCategoryPrize = true }, limits = new { maxFileMegabytes = 330, maxDurationSeconds = 330 } };

    [Fact]
    public async Task Details_Invalid_Is400NamingEachField()
    {
        using var coordinator = await _server.CreateStaffClientAsync();
        var response = await coordinator.PutAsJsonAsync("/api/contest/details", Details(scoreMax: 11, method: "loudest", name: " ", year: 12, url: "ftp://x"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["name", "publicBaseUrl", "voting.bestInShowMethod", "voting.scoreMax", "year"], errors.EnumerateObject().Select(e => e.Name).Order());

        var unknown = await coordinator.PutAsync("/api/contest/details",
            new StringContent("""{"name":"X","year":2026,"voting":{},"colour":"red"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.True((await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("colour", out _));
    }

    [Fact]
    public async Task Details_ScaleIsFixedOnceAnyoneVoted_TheBestInShowRulesOnceRevealed_TheRestStaysEditable()
    {
        using var coordinator = await _server.CreateStaffClientAsync();
        var c = await ConsoleSupport.ImportSmallContestAsync(coordinator);
        Assert.Equal(HttpStatusCode.OK, (await coordinator.PutAsJsonAsync("/api/contest/details", Details(scoreMax: 10))).StatusCode);
        Assert.Equal(10, (await coordinator.GetFromJsonAsync<VotingSnapshot>("/api/voting"))!.ScoreMax);

        await TestContest.SetVotingAsync(coordinator, c.Action, "open");
        await TestContest.VoteAsync(_server, coordinator, c.A1, 9);
        await AssertRefusedAsync(await coordinator.PutAsJsonAsync("/api/contest/details", Details(scoreMax: 5)), "votes-recorded", "voting.scoreMax");
        Assert.Equal(HttpStatusCode.OK, (await coordinator.PutAsJsonAsync("/api/contest/details", Details(scoreMax: 10, name: "Renamed Con"))).StatusCode);

        await TestContest.SetVotingAsync(coordinator, c.Action, "close");
        (await coordinator.PostAsync($"/api/results/reveal/categories/{c.Action}", null)).EnsureSuccessStatusCode();
        await AssertRefusedAsync(await coordinator.PutAsJsonAsync("/api/contest/details", Details(scoreMax: 10, method: "top-score")), "already-revealed", "voting.bestInShowMethod");
    }

    [Fact]
    public async Task Categories_AddRenameOrderDelete_WithTheirRefusals()
    {
        using var coordinator = await _server.CreateStaffClientAsync();
        var c = await ConsoleSupport.ImportSmallContestAsync(coordinator);

        var added = await coordinator.PostAsJsonAsync("/api/contest/categories", new { name = "  Trailers " });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var trailers = (await added.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        await AssertInvalidAsync(await coordinator.PostAsJsonAsync("/api/contest/categories", new { name = "action" }), "name");
        await AssertInvalidAsync(await coordinator.PutAsJsonAsync($"/api/contest/categories/{trailers}", new { name = "" }), "name");
        Assert.Equal(HttpStatusCode.OK, (await coordinator.PutAsJsonAsync($"/api/contest/categories/{trailers}", new { name = "Trailers & Teasers" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await coordinator.PutAsJsonAsync("/api/contest/categories/999", new { name = "Nope" })).StatusCode);

        await AssertInvalidAsync(await coordinator.PutAsJsonAsync("/api/contest/categories/order", new { categoryIds = new[] { trailers, c.Action } }), "categoryIds");
        Assert.Equal(HttpStatusCode.NoContent, (await coordinator.PutAsJsonAsync("/api/contest/categories/order", new { categoryIds = new[] { trailers, c.Comedy, c.Action } })).StatusCode);
        var names = (await coordinator.GetFromJsonAsync<VotingSnapshot>("/api/voting"))!.Categories.Select(x => x.Name);
        Assert.Equal(["Trailers & Teasers", "Comedy", "Action"], names);

        await AssertRefusedAsync(await coordinator.DeleteAsync($"/api/contest/categories/{c.Action}"), "has-finalists", "categoryId");
        Assert.Equal(HttpStatusCode.NoContent, (await coordinator.DeleteAsync($"/api/contest/categories/{trailers}")).StatusCode);
        var positions = (await ContestApi.GetContestAsync(coordinator)).GetProperty("categories").EnumerateArray().Select(x => x.GetProperty("position").GetInt32());
        Assert.Equal([1, 2], positions);
    }

    [Fact]
    public async Task Entries_AddEditDisqualifyDelete_NeverLosingVotes()
    {
        using var coordinator = await _server.CreateStaffClientAsync();
        var c = await ConsoleSupport.ImportSmallContestAsync(coordinator);

        var missing = await coordinator.PostAsJsonAsync("/api/contest/entries", new { categoryId = c.Action, title = "", editors = Array.Empty<string>(), musicArtist = "A", musicTitle = "S" });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        var errors = (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["editors", "title"], errors.EnumerateObject().Select(e => e.Name).Order());
        await AssertInvalidAsync(await coordinator.PostAsJsonAsync("/api/contest/entries", new { categoryId = 999, title = "T", editors = new[] { "E" }, musicArtist = "A", musicTitle = "S" }), "categoryId");

        var created = await coordinator.PostAsJsonAsync("/api/contest/entries", new { categoryId = c.Action, title = "Third", editors = new[] { "E" }, musicArtist = "A", musicTitle = "S", sources = new[] { "Steins;Gate" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var third = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3, third.GetProperty("position").GetInt32());
        var thirdId = third.GetProperty("id").GetInt32();

        // A1 gets a vote: it can no longer move nor be deleted; disqualifying it is the way.
        await TestContest.SetVotingAsync(coordinator, c.Action, "open");
        await TestContest.VoteAsync(_server, coordinator, c.A1, 4);
        var a1 = new { categoryId = c.Comedy, title = "Blade Dance", editors = new[] { "Blade Dance Editor" }, musicArtist = "Artist", musicTitle = "Song" };
        await AssertRefusedAsync(await coordinator.PutAsJsonAsync($"/api/contest/entries/{c.A1}", a1), "votes-recorded", "categoryId");
        await AssertRefusedAsync(await coordinator.DeleteAsync($"/api/contest/entries/{c.A1}"), "votes-recorded", "entryId");
        Assert.Equal(HttpStatusCode.OK, (await coordinator.PutAsJsonAsync($"/api/contest/entries/{c.A1}", a1 with { categoryId = c.Action })).StatusCode);
        var disqualified = await coordinator.PutAsJsonAsync($"/api/contest/entries/{c.A2}",
            new { categoryId = c.Action, title = "Steel Rain", editors = new[] { "Steel Rain Editor" }, musicArtist = "Artist", musicTitle = "Song", disqualified = true });
        Assert.Equal(HttpStatusCode.OK, disqualified.StatusCode);
        var votable = (await coordinator.GetFromJsonAsync<VotingSnapshot>("/api/voting"))!.Categories.Single(x => x.CategoryId == c.Action).VotableEntries.Select(e => e.Id);
        Assert.DoesNotContain(c.A2, votable);

        // An entry without ballots goes, and the others close the gap.
        Assert.Equal(HttpStatusCode.NoContent, (await coordinator.DeleteAsync($"/api/contest/entries/{c.A2}")).StatusCode);
        var action = (await ContestApi.GetFinalistsAsync(coordinator)).Where(f => f.Category == "Action").Select(f => (f.Title, f.Order));
        Assert.Equal([("Blade Dance", 1), ("Third", 2)], action);

        // After the category is revealed, its finalists' standing is final.
        await TestContest.SetVotingAsync(coordinator, c.Action, "close");
        (await coordinator.PostAsync($"/api/results/reveal/categories/{c.Action}", null)).EnsureSuccessStatusCode();
        await AssertRefusedAsync(await coordinator.PutAsJsonAsync($"/api/contest/entries/{thirdId}",
            new { categoryId = c.Action, title = "Third", editors = new[] { "E" }, musicArtist = "A", musicTitle = "S", disqualified = true }), "already-revealed", "disqualified");
        Assert.Equal(HttpStatusCode.OK, (await coordinator.GetAsync("/api/tallies")).StatusCode);
    }

    [Fact]
    public async Task Entries_Reorder_IsAPermutationOfTheCategory()
    {
        using var coordinator = await _server.CreateStaffClientAsync();
        var c = await ConsoleSupport.ImportSmallContestAsync(coordinator);
        await AssertInvalidAsync(await coordinator.PutAsJsonAsync($"/api/contest/categories/{c.Action}/order", new { entryIds = new[] { c.A2, c.C1 } }), "entryIds");
        Assert.Equal(HttpStatusCode.NotFound, (await coordinator.PutAsJsonAsync("/api/contest/categories/999/order", new { entryIds = new[] { 1 } })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await coordinator.PutAsJsonAsync($"/api/contest/categories/{c.Action}/order", new { entryIds = new[] { c.A2, c.A1 } })).StatusCode);
        var order = (await ContestApi.GetFinalistsAsync(coordinator)).Select(f => f.Title);
        Assert.Equal(["Steel Rain", "Blade Dance", "Pudding Heist", "Tea Time Tornado"], order);
    }

    [Fact]
    public async Task PlayerPresence_IsPushedToBoothAndCoordinators_AndAskedForByStaffOnly()
    {
        await using var booth = await _server.CreateStaffHubAsync(Roles.Booth);
        var presence = booth.Received<PlayerPresence>(ShowHubMethods.PlayerPresence);
        await booth.StartAndSyncAsync();
        Assert.False((await booth.InvokeAsync<PlayerPresence>(ShowHubMethods.GetPlayerPresence).WaitAsync(Bound)).Connected);

        var player = _server.CreatePlayerHub();
        await player.StartAndSyncAsync();
        Assert.True((await presence.NextAsync()).Connected);
        Assert.True((await booth.InvokeAsync<PlayerPresence>(ShowHubMethods.GetPlayerPresence).WaitAsync(Bound)).Connected);
        await player.DisposeAsync();
        var gone = await presence.NextAsync();
        Assert.False(gone.Connected);
        Assert.NotNull(gone.Since);

        await using var phone = _server.CreateVoterHub();
        await phone.StartAndSyncAsync();
        var refused = await Assert.ThrowsAsync<HubException>(() => phone.InvokeAsync<PlayerPresence>(ShowHubMethods.GetPlayerPresence).WaitAsync(Bound));
        Assert.Contains("unauthorized", refused.Message);
    }

    private static async Task AssertInvalidAsync(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response, string reason, string field)
    {
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(reason, problem.GetProperty("reason").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }
}
