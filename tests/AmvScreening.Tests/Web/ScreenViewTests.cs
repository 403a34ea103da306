using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AmvScreening.Protocol;
using AmvScreening.Tests.Support;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AmvScreening.Tests.Web;

/// <summary>
/// The screen view (/screen, docs/screen.md) in real Chromium against the real server, the player reporting over the
/// real hub: it mirrors the projector, shows a winner only once revealed, and carries the join QR (and so the screen
/// code) only while the coordinator allows it. Checked at 1920×1080 and 1280×720 with axe-core, photographed at both.
/// </summary>
public sealed class ScreenViewTests(Browser browser) : IClassFixture<Browser>
{
    static ScreenViewTests() => VoterPageChecks.Init();

    public static TheoryData<int, int> Sizes => new() { { 1920, 1080 }, { 1280, 720 } };

    [Fact]
    public async Task Screen_FollowsThePlayer_FromCategoryCardToVideoToOutro()
    {
        await using var show = await VoterShow.StartAsync();
        var page = await OpenScreenAsync(show, 1920, 1080);
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-conn", "live");
        await Expect(page.Locator("#title")).ToHaveTextAsync("The show starts soon");

        var entry = show.Entries[0];
        var category = await CategoryNameAsync(show, entry.CategoryId);
        await show.ReportCategoryCardAsync(entry.CategoryId);
        await Expect(page.Locator("#screen")).ToHaveAttributeAsync("data-phase", "categoryCard");
        await Expect(page.Locator("#kicker")).ToHaveTextAsync("Category");
        await Expect(page.Locator("#title")).ToHaveTextAsync(category);

        await show.ReportAsync(ShowPhase.IntroSlate, entry.Id);
        await Expect(page.Locator("#kicker")).ToHaveTextAsync($"Up next · {category}");
        await Expect(page.Locator("#title")).ToHaveTextAsync(entry.Title);
        var details = (await show.Server.GetShowOverHttpAsync()).Entry!;
        await Expect(page.Locator("#by")).ToHaveTextAsync("by " + string.Join(", ", details.Editors));
        await Expect(page.Locator("#facts")).ToContainTextAsync(details.MusicTitle);
        await Expect(page.Locator("#facts")).ToContainTextAsync(details.Sources[0]);
        await VoterPageChecks.AssertAccessibleAsync(page, "screen intro");

        await show.ReportAsync(ShowPhase.Video, entry.Id);
        await Expect(page.Locator("#kicker")).ToHaveTextAsync($"Now playing · {category}");
        await Expect(page.Locator("#title")).ToHaveTextAsync(entry.Title);

        await show.ReportAsync(ShowPhase.OutroSlate, entry.Id);
        await Expect(page.Locator("#kicker")).ToHaveTextAsync($"Just played · {category}");
        await Expect(page.Locator("#note")).ToHaveTextAsync("Vote now on your phone");
        await Expect(page.Locator("#conn")).ToBeHiddenAsync();

        // A late reader sees the same at once; the player gone, the screen says it waits for the projector.
        var late = await OpenScreenAsync(show, 1280, 720);
        await Expect(late.Locator("#kicker")).ToHaveTextAsync($"Just played · {category}");
        await show.PlayerLeavesAsync();
        await Expect(page.Locator("#conn")).ToHaveTextAsync("Waiting for the projector…");

        await show.PlayerReturnsAsync();
        await show.ReportAsync(ShowPhase.Blackout);
        await Expect(page.Locator("#screen")).ToHaveAttributeAsync("data-phase", "blackout");
        await Expect(page.Locator("#title")).Not.ToBeVisibleAsync();
    }

    [Fact]
    public async Task Winner_IsNowhereOnTheScreen_UntilItsReveal_ThenShowsWithItsPrize()
    {
        await using var show = await VoterShow.StartAsync();
        var entry = show.Entries[0];
        var category = await CategoryNameAsync(show, entry.CategoryId);
        await show.PlayAsync(entry.Id);
        await show.SendAsync(HttpMethod.Put, $"/api/entries/{entry.Id}/paper", new { counts = new Dictionary<string, int> { ["5"] = 9 } });
        await show.PostAsync($"/api/voting/categories/{entry.CategoryId}/close");
        await show.ReportAsync(ShowPhase.Intermission);
        var page = await OpenScreenAsync(show, 1920, 1080);
        await Expect(page.Locator("#title")).ToHaveTextAsync("Back soon");
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-synced", "1");

        // Decided but not revealed: not in the DOM, not in the page's text, no winners panel.
        Assert.DoesNotContain(entry.Title, await page.ContentAsync());
        await Expect(page.Locator("#winners")).ToBeHiddenAsync();
        await Expect(page.Locator("#winners-list li")).ToHaveCountAsync(0);

        await show.PostAsync($"/api/results/reveal/categories/{entry.CategoryId}");
        await Expect(page.Locator("#winners-list li")).ToHaveCountAsync(1);
        await Expect(page.Locator("#winners-list li")).ToContainTextAsync(category);
        await Expect(page.Locator("#winners-list li")).ToContainTextAsync(entry.Title);

        // The player's winner slate for it: the prize in the kicker, from the public results.
        await show.ReportAsync(ShowPhase.Winner, entry.Id);
        await Expect(page.Locator("#kicker")).ToHaveTextAsync(category);
        await Expect(page.Locator("#title")).ToHaveTextAsync(entry.Title);

        // Best In Show and the awards join the list as they are revealed, the latest first.
        await show.PostAsync("/api/awards", new { name = "Judges' Choice", entryId = show.Entries[5].Id });
        Assert.DoesNotContain(show.Entries[5].Title, await page.Locator("#winners").InnerTextAsync());
        await show.PostAsync("/api/results/reveal/awards");
        await Expect(page.Locator("#winners-list li")).ToHaveCountAsync(2);
        await Expect(page.Locator("#winners-list li").First).ToContainTextAsync("Judges' Choice");
        await Expect(page.Locator("#winners-list li").First).ToContainTextAsync(show.Entries[5].Title);
    }

    [Fact]
    public async Task Prizegiving_MirrorsTheNomineesInRunningOrder_AndThePlacingsOnlyOnceRevealed()
    {
        await using var show = await VoterShow.StartAsync();
        var details = JsonNode.Parse(await show.Coordinator.GetStringAsync("/api/contest"))!["contest"]!;
        details["prizegiving"] = "placings";
        (await show.Coordinator.PutAsJsonAsync("/api/contest/details", details)).EnsureSuccessStatusCode();
        var categoryId = show.Categories[0];
        var finalists = show.InCategory(categoryId);
        var scores = new[] { "3", "5", "4", "2", "1", "3" };
        for (var i = 0; i < finalists.Count; i++)
        {
            await show.SendAsync(HttpMethod.Put, $"/api/entries/{finalists[i].Id}/paper",
                new { counts = new Dictionary<string, int> { [scores[i % scores.Length]] = 3 + i } });
        }

        await show.PostAsync($"/api/voting/categories/{categoryId}/close");
        var page = await OpenScreenAsync(show, 1920, 1080);
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-synced", "1");

        // The nominees: every finalist of the category, in running order.
        await show.ShowAsync("nominees", $"category:{categoryId}");
        await Expect(page.Locator("#screen")).ToHaveAttributeAsync("data-phase", "nominees");
        await Expect(page.Locator("#board li .name")).ToHaveTextAsync(finalists.Select(f => f.Title).ToArray());
        await VoterPageChecks.AssertAccessibleAsync(page, "screen nominees");
        await VoterPageChecks.ScreenshotAsync(page, "prizegiving-nominees", "screen");

        // The winner slate of a prize not revealed: the server refuses the report; nothing of it reaches the page.
        var winner = finalists[1];
        await Assert.ThrowsAsync<HubException>(() => show.Player.InvokeAsync<ShowState>(ShowHubMethods.ReportOnScreen,
            new OnScreenReport(900, ShowPhase.Winner, winner.Id, categoryId, DateTimeOffset.UtcNow, 30, 0, Scope: $"category:{categoryId}")).WaitAsync(TimeSpan.FromSeconds(10)));
        var results = JsonNode.Parse(await show.Coordinator.GetStringAsync("/api/results"))!;
        Assert.Empty(results["categories"]!.AsArray());
        await Expect(page.Locator("#board li[data-rank]")).ToHaveCountAsync(0);

        // Revealed: the placings, rank 1 the winner, with bars; on the page as on the projector.
        await show.PostAsync($"/api/results/reveal/categories/{categoryId}");
        await show.ShowAsync("prize", $"category:{categoryId}");
        await Expect(page.Locator("#screen")).ToHaveAttributeAsync("data-phase", "winner");
        await Expect(page.Locator("#title")).ToHaveTextAsync(winner.Title);
        await Expect(page.Locator("#board li[data-rank]")).ToHaveCountAsync(finalists.Count);
        await Expect(page.Locator("#board li[data-rank='1'] .name")).ToHaveTextAsync(winner.Title);
        await VoterPageChecks.AssertAccessibleAsync(page, "screen placings");
        await VoterPageChecks.ScreenshotAsync(page, "prizegiving", "screen");
    }

    [Fact]
    public async Task JoinQr_IsThereOnlyWhileTheCoordinatorAllowsIt_AndTheCodeIsNowhereOtherwise()
    {
        await using var show = await VoterShow.StartAsync();
        var code = await show.RoomCodeAsync();
        using var anonymous = show.Server.CreateAnonymousClient();
        var page = await OpenScreenAsync(show, 1920, 1080);
        await show.ReportCategoryCardAsync(show.Categories[0]);
        await Expect(page.Locator("#screen")).ToHaveAttributeAsync("data-phase", "categoryCard");

        // Off (the default): the endpoints do not exist, the page and its source carry no code.
        await AssertNoJoinAsync(anonymous, page, code);

        await SetShowOnScreenViewAsync(show, true);
        await show.ReportCategoryCardAsync(show.Categories[1]);
        await Expect(page.Locator("#join")).ToBeVisibleAsync();
        await Expect(page.Locator("#join-url")).ToContainTextAsync($"/v/{code}");
        Assert.True(await page.Locator("#join-qr").EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 0"), "the QR image loaded");
        var join = await anonymous.GetFromJsonAsync<JsonElement>("/api/screen/join");
        Assert.EndsWith($"/v/{code}", join.GetProperty("joinUrl").GetString());
        using (var svg = await anonymous.GetAsync("/api/screen/qr.svg"))
        {
            Assert.Equal(HttpStatusCode.OK, svg.StatusCode);
            Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType?.MediaType);
            Assert.Equal("no-store", svg.Headers.CacheControl?.ToString());
        }

        await VoterPageChecks.AssertAccessibleAsync(page, "screen with the join QR");

        // An anonymous caller cannot make its own Host the base of the join URLs (the projector's slates use them).
        using (var spoofed = new HttpRequestMessage(HttpMethod.Get, "/api/screen/join"))
        {
            spoofed.Headers.Host = "evil.example";
            using var response = await anonymous.SendAsync(spoofed);
            Assert.DoesNotContain("evil.example", await response.Content.ReadAsStringAsync());
        }

        var room = await show.Coordinator.GetFromJsonAsync<RoomInfo>("/api/room");
        Assert.DoesNotContain("evil.example", room!.JoinUrl);

        // A rotation reaches the screen at the next card; turned off, the code leaves the page at the next card.
        await show.PostAsync("/api/room/rotate");
        var rotated = await show.RoomCodeAsync();
        await show.ReportCategoryCardAsync(show.Categories[2]);
        await Expect(page.Locator("#join-url")).ToContainTextAsync($"/v/{rotated}");

        await SetShowOnScreenViewAsync(show, false);
        await show.ReportCategoryCardAsync(show.Categories[3]);
        await Expect(page.Locator("#join")).ToBeHiddenAsync();
        await AssertNoJoinAsync(anonymous, page, rotated);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task Screen_FitsTheWindow_WithoutOverflow_AndPassesAxe(int width, int height)
    {
        await using var show = await VoterShow.StartAsync();
        await SetShowOnScreenViewAsync(show, true);
        // The fullest screen: a finalist with every detail, the QR, and every prize revealed.
        foreach (var categoryId in show.Categories)
        {
            var winner = show.InCategory(categoryId)[0];
            await show.SendAsync(HttpMethod.Put, $"/api/entries/{winner.Id}/paper", new { counts = new Dictionary<string, int> { ["5"] = 4 } });
            await show.PostAsync($"/api/voting/categories/{categoryId}/close");
            await show.PostAsync($"/api/results/reveal/categories/{categoryId}");
        }

        var longest = show.Entries.MaxBy(e => e.Title.Length)!;
        await show.ReportAsync(ShowPhase.IntroSlate, longest.Id);
        var page = await OpenScreenAsync(show, width, height);
        await Expect(page.Locator("#title")).ToHaveTextAsync(longest.Title);
        await Expect(page.Locator("#join")).ToBeVisibleAsync();
        await Expect(page.Locator("#winners-list li")).ToHaveCountAsync(show.Categories.Count);
        // The latest prize first; older ones that do not fit whole are left out rather than cut.
        await Expect(page.Locator("#winners-list li").First).ToBeVisibleAsync();
        await Expect(page.Locator("#winners-list li").First).ToContainTextAsync(await CategoryNameAsync(show, show.Categories[^1]));

        await AssertFitsAsync(page, width, height);
        await VoterPageChecks.AssertAccessibleAsync(page, $"screen at {width}x{height}");
        await VoterPageChecks.ScreenshotAsync(page, $"{width}x{height}", "screen");

        // The transparent option: nothing behind the panels, for a stream overlay.
        await page.GotoAsync("/screen?transparent=1");
        await Expect(page.Locator("#title")).ToHaveTextAsync(longest.Title);
        Assert.Equal("rgba(0, 0, 0, 0)", await page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor"));
        Assert.Equal("none", await page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundImage"));
        Assert.Equal("rgba(0, 0, 0, 0)", await page.EvaluateAsync<string>("() => getComputedStyle(document.documentElement).backgroundColor"));
        await AssertFitsAsync(page, width, height);
        await VoterPageChecks.AssertAccessibleAsync(page, $"transparent screen at {width}x{height}");
    }

    [Fact]
    public async Task OpenScreens_AreNotCountedAmongThePhonesConnected()
    {
        await using var show = await VoterShow.StartAsync();
        var screens = new[] { await OpenScreenAsync(show, 1920, 1080), await OpenScreenAsync(show, 1280, 720) };
        foreach (var screen in screens)
        {
            await Expect(screen.Locator("body")).ToHaveAttributeAsync("data-conn", "live");
        }

        var phone = await show.NewPhoneAsync(browser);
        await phone.GotoAsync($"/v/{await show.RoomCodeAsync()}");
        await Expect(phone.Locator("body")).ToHaveAttributeAsync("data-conn", "live");
        // A booth joining now is told the count at once: the phone alone, not the two screens.
        await using var booth = await show.Server.CreateStaffHubAsync(AmvScreening.Server.Auth.Roles.Booth);
        var counts = booth.Received<int>(ShowHubMethods.VotersOnline);
        await booth.StartAndSyncAsync();
        Assert.Equal(1, await counts.NextAsync());
    }

    [Fact]
    public async Task WithoutTheOption_TheBackgroundIsOpaque()
    {
        await using var show = await VoterShow.StartAsync();
        var page = await OpenScreenAsync(show, 1280, 720);
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-conn", "live");
        Assert.NotEqual("rgba(0, 0, 0, 0)", await page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor"));
    }

    [Fact]
    public async Task ScreenPage_IsServedUnderAStrictPolicy_AndLoadsWithoutAViolation()
    {
        await using var show = await VoterShow.StartAsync();
        using var anonymous = show.Server.CreateAnonymousClient();
        using var response = await anonymous.GetAsync("/screen");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", policy);
        Assert.Contains("default-src 'none'", policy);
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.DoesNotContain("unsafe-inline", policy);
        // The page is not a file of the phone app's asset folder.
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/voter/screen.html")).StatusCode);

        var page = await show.NewScreenAsync(browser, 1280, 720);
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            // The join endpoint's 404 is expected (the QR is not allowed); anything else, a refused script or style, is not.
            if (message.Type == "error" && !message.Location.Contains("/api/screen/join", StringComparison.Ordinal))
            {
                errors.Add($"{message.Text} ({message.Location})");
            }
        };
        await page.GotoAsync("/screen");
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-synced", "1");
        Assert.Empty(errors);
    }

    private static async Task AssertNoJoinAsync(HttpClient anonymous, IPage page, string code)
    {
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/api/screen/join")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/api/screen/qr.svg")).StatusCode);
        await Expect(page.Locator("#join")).ToBeHiddenAsync();
        Assert.DoesNotContain(code, await page.ContentAsync());
        Assert.Null(await page.Locator("#join-qr").GetAttributeAsync("src"));
        Assert.DoesNotContain(code, await anonymous.GetStringAsync("/screen"));
    }

    /// <summary>No scrolling, every panel inside the window, no winner cut off at the bottom of its panel.</summary>
    private static async Task AssertFitsAsync(IPage page, int width, int height)
    {
        var overflow = await page.EvaluateAsync<JsonElement>("""
            () => {
              const d = document.documentElement;
              const out = [...document.querySelectorAll(".stage, .join, .winners, .title, .qr")]
                .filter(e => e.offsetParent !== null)
                .map(e => [e.className, e.getBoundingClientRect()])
                .filter(([, r]) => r.left < 0 || r.top < 0 || r.right > innerWidth + 0.5 || r.bottom > innerHeight + 0.5)
                .map(([name]) => name);
              const panel = document.querySelector(".winners").getBoundingClientRect();
              const cut = [...document.querySelectorAll(".winners-list li")]
                .filter(li => li.offsetParent !== null && li.getBoundingClientRect().bottom > panel.bottom + 0.5)
                .map(li => li.textContent);
              out.push(...cut);
              return { scrollW: d.scrollWidth, scrollH: d.scrollHeight, bodyW: document.body.scrollWidth, bodyH: document.body.scrollHeight, out };
            }
            """);
        Assert.True(overflow.GetProperty("scrollW").GetInt32() <= width && overflow.GetProperty("bodyW").GetInt32() <= width, overflow.ToString());
        Assert.True(overflow.GetProperty("scrollH").GetInt32() <= height && overflow.GetProperty("bodyH").GetInt32() <= height, overflow.ToString());
        Assert.Equal(0, overflow.GetProperty("out").GetArrayLength());
    }

    private async Task<IPage> OpenScreenAsync(VoterShow show, int width, int height)
    {
        var page = await show.NewScreenAsync(browser, width, height);
        await page.GotoAsync("/screen");
        return page;
    }

    private static async Task<string> CategoryNameAsync(VoterShow show, int categoryId)
    {
        var voting = await show.Coordinator.GetFromJsonAsync<VotingSnapshot>("/api/voting", HubTesting.ShowJsonOptions);
        return voting!.Categories.Single(c => c.CategoryId == categoryId).Name;
    }

    private static async Task SetShowOnScreenViewAsync(VoterShow show, bool allowed)
    {
        var details = JsonNode.Parse(await show.Coordinator.GetStringAsync("/api/contest"))!["contest"]!;
        details["roomCode"]!["showOnScreenView"] = allowed;
        using var response = await show.Coordinator.PutAsJsonAsync("/api/contest/details", details);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }
}
