using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AmvScreening.Protocol;
using AmvScreening.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AmvScreening.Tests.Web;

/// <summary>
/// The podium with placings (real Chromium, the real server): a contest set to show the full placings
/// (<c>prizegiving: "placings"</c>) sends each revealed category with <c>placings</c>, every finalist by rank with its
/// mean and vote count (docs/protocol.md), in the <c>ResultsRevealed</c> push and the <c>GetResults</c> answer.
/// </summary>
public sealed class VoterPodiumTests(Browser browser) : IClassFixture<Browser>
{
    static VoterPodiumTests() => VoterPageChecks.Init();

    [Fact]
    public async Task Placings_ShowEveryFinalistByRank_WithMeanVotesAndBar_TheWinnerOnTop()
    {
        await using var show = await VoterShow.StartAsync();
        var details = JsonNode.Parse(await show.Coordinator.GetStringAsync("/api/contest").WaitAsync(Browser.Bound))!["contest"]!;
        details["prizegiving"] = "placings";
        await show.SendAsync(HttpMethod.Put, "/api/contest/details", details);
        var category = show.Categories.First(c => show.InCategory(c).Count >= 3);
        var finalists = show.InCategory(category);
        // Paper ballots give three finalists distinct means: 4.00 over 2 votes, 5.00 over 4, 3.00 over 1.
        var ballots = new[]
        {
            new Dictionary<string, int> { ["5"] = 1, ["3"] = 1 },
            new Dictionary<string, int> { ["5"] = 4 },
            new Dictionary<string, int> { ["3"] = 1 },
        };
        foreach (var (finalist, counts) in finalists.Zip(ballots))
        {
            await show.SendAsync(HttpMethod.Put, $"/api/entries/{finalist.Id}/paper", new { counts });
        }

        await show.PostAsync($"/api/voting/categories/{category}/close");

        var page = await show.NewPhoneAsync(browser);
        await VoterPageChecks.RecordAnnouncementsAsync(page);
        await page.GotoAsync($"/v/{await show.RoomCodeAsync()}");
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-conn", "live");
        // The first full refresh done: a reveal the page reads in it was before its time, shown but not announced.
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-synced", "1");

        await show.PostAsync($"/api/results/reveal/categories/{category}");

        var podium = page.Locator(".results > .podium");
        var ranked = new[] { finalists[1], finalists[0], finalists[2] };
        await Expect(page.Locator("#latest-h")).ToHaveTextAsync(show.CategoryNames[category]);
        await Expect(podium.Locator(".place .rank")).ToHaveTextAsync(["1st", "2nd", "3rd"]);
        await Expect(podium.Locator(".place .winner-title")).ToHaveTextAsync(ranked.Select(f => f.Title).ToArray());
        await Expect(podium.Locator(".place .meta")).ToHaveTextAsync(ranked.Select(f => $"by {f.By}").ToArray());
        await Expect(podium.Locator(".place.first .winner-title")).ToHaveTextAsync(ranked[0].Title);
        await Expect(podium.Locator(".place .score")).ToHaveTextAsync(
            ["5.00 average, 4 votes", "4.00 average, 2 votes", "3.00 average, 1 vote"]);
        // The bars follow the means: each one at most as long as the one above it.
        var shares = await podium.Locator(".bar").EvaluateAllAsync<double[]>("bars => bars.map(b => b.getBoundingClientRect().width)");
        Assert.Equal(ranked.Length, shares.Length);
        Assert.True(shares.Zip(shares.Skip(1)).All(p => p.First >= p.Second) && shares[0] > shares[^1], string.Join(", ", shares));
        await VoterPageChecks.SaysAsync(page, $"Revealed: {show.CategoryNames[category]}. Winner: {ranked[0].Title}, by {ranked[0].By}.");
        await VoterPageChecks.AssertAccessibleAsync(page, "podium with placings");
        await VoterPageChecks.ScreenshotAsync(page, "podium");

        // A refresh (the page seen again) keeps the podium: GetResults carries the placings too.
        await page.EvaluateAsync("() => document.dispatchEvent(new Event('visibilitychange'))");
        await Expect(page.Locator("body")).Not.ToHaveAttributeAsync("data-synced", "1");
        await Expect(podium.Locator(".place .score")).ToHaveCountAsync(ranked.Length);
    }
}
