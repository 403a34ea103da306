using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AmvScreening.Protocol;
using AmvScreening.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AmvScreening.Tests.Web;

/// <summary>
/// The podium with placings (real Chromium, the real server): a contest that shows the full placings sends each revealed
/// category with <c>placings</c>, every finalist by rank with its mean and vote count (docs/protocol.md). Here the
/// phone's hub socket runs through Playwright, which adds that list, made from the coordinator's own tally, to the
/// results the server sends (the <c>ResultsRevealed</c> push and the <c>GetResults</c> answer): the phone's side of the
/// contract, whatever the server's setting.
/// </summary>
public sealed class VoterPodiumTests(Browser browser) : IClassFixture<Browser>
{
    private const char RecordSeparator = '\u001e';

    static VoterPodiumTests() => VoterPageChecks.Init();

    [Fact]
    public async Task Placings_ShowEveryFinalistByRank_WithMeanVotesAndBar_TheWinnerOnTop()
    {
        await using var show = await VoterShow.StartAsync();
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

        var placings = new Dictionary<int, JsonArray>();
        var page = await show.NewPhoneAsync(browser);
        await VoterPageChecks.RecordAnnouncementsAsync(page);
        await page.RouteWebSocketAsync("**/hubs/show**", phone =>
        {
            var server = phone.ConnectToServer();
            server.OnMessage(frame => phone.Send(string.Join(RecordSeparator, (frame.Text ?? "").Split(RecordSeparator).Select(m => WithPlacings(m, placings)))));
        });
        await page.GotoAsync($"/v/{await show.RoomCodeAsync()}");
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-conn", "live");

        placings[category] = await PlacingsAsync(show, category);
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

    /// <summary>The category's placings as the contract has them, from the coordinator's tally: every finalist with
    /// votes, by rank, with its mean and vote count.</summary>
    private static async Task<JsonArray> PlacingsAsync(VoterShow show, int categoryId)
    {
        var tally = await show.Coordinator.GetFromJsonAsync<JsonElement>("/api/tallies").WaitAsync(Browser.Bound);
        var rows = tally.GetProperty("categories").EnumerateArray().Single(c => c.GetProperty("categoryId").GetInt32() == categoryId)
            .GetProperty("rows").EnumerateArray().Where(r => r.GetProperty("mean").ValueKind == JsonValueKind.Number);
        var name = show.CategoryNames[categoryId];
        return new JsonArray(rows.OrderBy(r => r.GetProperty("rank").GetInt32()).Select(r =>
        {
            var finalist = show.Entries.Single(e => e.Id == r.GetProperty("entryId").GetInt32());
            return (JsonNode)new JsonObject
            {
                ["rank"] = r.GetProperty("rank").GetInt32(),
                ["entry"] = new JsonObject
                {
                    ["id"] = finalist.Id,
                    ["categoryId"] = finalist.CategoryId,
                    ["category"] = name,
                    ["title"] = finalist.Title,
                    ["editors"] = new JsonArray(finalist.Editors.Select(e => (JsonNode)JsonValue.Create(e)!).ToArray()),
                },
                ["mean"] = r.GetProperty("mean").GetDouble(),
                ["votes"] = r.GetProperty("count").GetInt32(),
            };
        }).ToArray());
    }

    /// <summary>One SignalR message from the server, with <c>placings</c> added to every revealed category the test has
    /// them for (a <c>resultsRevealed</c> push, or the answer to <c>GetResults</c>); any other message as it was.</summary>
    private static string WithPlacings(string message, Dictionary<int, JsonArray> placings)
    {
        if (message.Length == 0 || !message.Contains("\"categories\"", StringComparison.Ordinal))
        {
            return message;
        }

        var node = JsonNode.Parse(message)!;
        var pushed = string.Equals(node["target"]?.GetValue<string>(), ShowHubMethods.ResultsRevealed, StringComparison.OrdinalIgnoreCase);
        var results = pushed ? node["arguments"]![0] : node["result"];
        if (results is not JsonObject answer || !answer.ContainsKey("bestInShow") || answer["categories"] is not JsonArray categories)
        {
            return message;
        }

        foreach (var revealed in categories)
        {
            if (placings.TryGetValue(revealed!["categoryId"]!.GetValue<int>(), out var list))
            {
                revealed["placings"] = list.DeepClone();
            }
        }

        return node.ToJsonString();
    }
}
