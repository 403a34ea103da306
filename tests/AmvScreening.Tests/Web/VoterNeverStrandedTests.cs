using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using AmvScreening.Protocol;
using AmvScreening.Server.Auth;
using AmvScreening.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AmvScreening.Tests.Web;

/// <summary>
/// The phone app when the network or the server lets it down, in real Chromium against the real server: a join during
/// an outage, a bundle download that fails, a reload while offline and one while the server is down; what a screen
/// reader hears of each; and the page
/// never saying two contradictory things at once. Each new state is checked with axe-core.
/// </summary>
public sealed class VoterNeverStrandedTests(Browser browser) : IClassFixture<Browser>
{
    static VoterNeverStrandedTests() => VoterPageChecks.Init();

    [Fact]
    public async Task JoinDuringAnOutage_JoinsWithin3Seconds_OfTheNetworkReturning_NotAtItsNextBackoffStep()
    {
        await using var show = await VoterShow.StartAsync();
        var page = await show.NewPhoneAsync(browser);
        // The server cannot be reached for the join: enough failed tries that the next one is at least ~5 s away.
        var tries = 0;
        var backedOff = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteAsync("**/api/voters", async route =>
        {
            if (Interlocked.Increment(ref tries) >= 4)
            {
                backedOff.TrySetResult();
            }

            await route.AbortAsync();
        });
        await page.GotoAsync($"/v/{await show.RoomCodeAsync()}");
        await Expect(page.Locator("#main")).ToContainTextAsync("Can't reach the server. Trying again…");
        await VoterPageChecks.AssertAccessibleAsync(page, "joining without the server");
        await backedOff.Task.WaitAsync(TimeSpan.FromSeconds(20));

        // The phone loses the network, the outage ends meanwhile, then the network returns.
        await page.Context.SetOfflineAsync(true);
        await page.UnrouteAllAsync();
        var back = Stopwatch.StartNew();
        await page.Context.SetOfflineAsync(false);

        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-screen", "ready", new() { Timeout = 3000 });
        Assert.True(back.Elapsed < TimeSpan.FromSeconds(3), $"joined {back.Elapsed.TotalSeconds:0.0} s after the network returned");
        Assert.True(tries <= 5, $"{tries} tries to join");
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-conn", "live");
    }

    [Fact]
    public async Task BundleDownloadFails_ThePageSaysItIsRetrying_AndTheAppComesUp()
    {
        await using var show = await VoterShow.StartAsync();
        var page = await show.NewPhoneAsync(browser);
        // The first download of the script bundle is lost; the second is held until the test has seen the page say
        // it is retrying.
        var tries = 0;
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteAsync("**/voter/app-*.js", async route =>
        {
            if (Interlocked.Increment(ref tries) == 1)
            {
                await route.AbortAsync();
                return;
            }

            await seen.Task.WaitAsync(Browser.Bound);
            await route.ContinueAsync();
        });

        await page.GotoAsync($"/v/{await show.RoomCodeAsync()}", new() { WaitUntil = WaitUntilState.Commit });
        await Expect(page.Locator("#main .loading")).ToHaveTextAsync("Still loading… retrying · 読み込み中… 再試行しています");
        await Expect(page.Locator("#main .loading")).ToHaveAttributeAsync("role", "status");
        await VoterPageChecks.AssertAccessibleAsync(page, "bundle retrying");
        seen.SetResult();

        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-screen", "ready");
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-conn", "live");
        await Expect(page.Locator("#now-h")).ToHaveTextAsync("Before the show");
        Assert.True(tries >= 2, $"{tries} downloads of the bundle");
    }

    [Fact]
    public async Task ReloadWhileOffline_OpensTheApp_FromTheServiceWorker_WithTheVotesStillWaiting()
    {
        await using var show = await VoterShow.StartAsync();
        var entry = show.Entries[7];
        await show.PlayAsync(entry.Id);
        var page = await show.OpenPhoneAsync(browser);
        await Expect(Star(page, 4, entry.Title)).ToBeVisibleAsync();
        // The offline shell is in place once the service worker controls the page.
        await page.WaitForFunctionAsync("() => !!navigator.serviceWorker.controller");

        await page.Context.SetOfflineAsync(true);
        await Star(page, 4, entry.Title).ClickAsync();
        await Expect(page.Locator(".waiting")).ToHaveTextAsync("1 vote waiting to be sent");

        var reloaded = await page.ReloadAsync();
        Assert.True(reloaded!.FromServiceWorker);
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-screen", "ready");
        await Expect(page.Locator(".conn")).ToHaveTextAsync("Offline");
        await Expect(page.Locator(".waiting")).ToHaveTextAsync("1 vote waiting to be sent");
        // It knows nothing of the show yet, and says so (not "before the show").
        await Expect(page.Locator("#now-h")).ToHaveTextAsync("On screen");
        await Expect(page.Locator(".now .now-message")).ToHaveTextAsync("Not known yet: the page shows what is on screen as soon as it reaches the server.");
        await VoterPageChecks.AssertAccessibleAsync(page, "reloaded offline");
        await VoterPageChecks.ScreenshotAsync(page, "reloaded-offline");

        // The network is back: the waiting vote is sent once.
        await page.Context.SetOfflineAsync(false);
        await Expect(page.Locator(".waiting")).ToBeHiddenAsync();
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-conn", "live");
        await Expect(page.Locator("#now-title")).ToHaveTextAsync(entry.Title);
        Assert.Equal((1, 4m), await show.TallyAsync(entry.Id));
    }

    [Fact]
    public async Task ReloadWhileTheServerIsDown_OpensTheApp_FromTheServiceWorker_WithTheVotesStillWaiting()
    {
        // The server as a process of its own, killed (SIGKILL) and started again on the same port and data.
        var data = Directory.CreateTempSubdirectory("amv-server-down-").FullName;
        var settings = AmvServer.ProcessSettings(data);
        var serverDll = Path.Combine(AppContext.BaseDirectory, "AmvScreening.Server.dll");
        var server = await ServerProcess.StartAsync(serverDll, settings, TimeSpan.FromSeconds(60));
        IPage? page = null;
        try
        {
            using var staff = await CoordinatorAsync(server.BaseAddress);
            var category = (await staff.GetFromJsonAsync<VotingSnapshot>("/api/voting").WaitAsync(Browser.Bound))!.Categories[0];
            (await staff.PostAsync($"/api/voting/categories/{category.CategoryId}/open", null).WaitAsync(Browser.Bound)).EnsureSuccessStatusCode();
            var entry = (await staff.GetFromJsonAsync<VotingSnapshot>("/api/voting").WaitAsync(Browser.Bound))!.Categories[0].VotableEntries[0];
            var room = (await staff.GetFromJsonAsync<RoomInfo>("/api/room").WaitAsync(Browser.Bound))!;
            page = await browser.NewPhoneAsync(server.BaseAddress);
            await page.GotoAsync($"/v/{room.Code}");
            await Expect(Star(page, 4, entry.Title)).ToBeVisibleAsync();
            await page.WaitForFunctionAsync("() => !!navigator.serviceWorker.controller");

            // The server process dies; the phone's network is fine, nothing answers on the server's port.
            await server.KillAsync();
            await Star(page, 4, entry.Title).ClickAsync();
            await Expect(page.Locator(".waiting")).ToHaveTextAsync("1 vote waiting to be sent");

            var reloaded = await page.ReloadAsync();
            Assert.True(reloaded!.FromServiceWorker);
            await Expect(page.Locator("body")).ToHaveAttributeAsync("data-screen", "ready");
            await Expect(page.Locator(".waiting")).ToHaveTextAsync("1 vote waiting to be sent");
            await Expect(page.Locator(".conn")).ToHaveTextAsync(new Regex("^(Connecting|Reconnecting)…$"));
            await Expect(page.Locator(".now .now-message")).ToHaveTextAsync("Not known yet: the page shows what is on screen as soon as it reaches the server.");
            await VoterPageChecks.AssertAccessibleAsync(page, "reloaded with the server down");

            // The server starts again where the phone looks for it: the waiting vote is sent, and counted once.
            var address = server.BaseAddress;
            await server.DisposeAsync();
            server = await ServerProcess.StartAsync(serverDll, new Dictionary<string, string>(settings) { ["urls"] = address.ToString() }, TimeSpan.FromSeconds(60));
            Assert.Equal(address, server.BaseAddress);
            await Expect(page.Locator(".waiting")).ToBeHiddenAsync();
            await Expect(page.Locator("body")).ToHaveAttributeAsync("data-conn", "live");
            await Expect(page.GetByRole(AriaRole.Group, new() { Name = entry.Title, Exact = true }).Locator(".status"))
                .ToHaveTextAsync("Saved: 4 of 5. Tap to change.");
            using var after = await CoordinatorAsync(server.BaseAddress);
            Assert.Equal((1, 4m), await VoterShow.TallyAsync(after, entry.Id));
        }
        finally
        {
            if (page is not null)
            {
                await page.Context.CloseAsync();
            }

            await server.DisposeAsync();
            SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>A client signed in as coordinator on a server run as a process.</summary>
    private static async Task<HttpClient> CoordinatorAsync(Uri server)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = server };
        (await client.PostAsJsonAsync("/api/auth/login", new { role = Roles.Coordinator, password = AmvServer.CoordinatorPassword })
            .WaitAsync(Browser.Bound)).EnsureSuccessStatusCode();
        return client;
    }

    [Fact]
    public async Task ScreenReaders_HearAVoteKeptOffline_ItsSending_ARefusal_AndTheConnectionState()
    {
        await using var show = await VoterShow.StartAsync();
        var entry = show.Entries[2];
        await show.PlayAsync(entry.Id);
        var page = await show.NewPhoneAsync(browser);
        // Everything the live region says, and the page's WebSockets, so that the test can cut the hub's.
        await VoterPageChecks.RecordAnnouncementsAsync(page);
        await page.AddInitScriptAsync("""
            (() => {
              const Native = window.WebSocket;
              window.__sockets = [];
              window.WebSocket = class extends Native {
                constructor(...args) { super(...args); window.__sockets.push(this); }
              };
            })();
            """);
        await page.GotoAsync($"/v/{await show.RoomCodeAsync()}");
        await Expect(Star(page, 4, entry.Title)).ToBeVisibleAsync();
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-conn", "live");

        await page.Context.SetOfflineAsync(true);
        await VoterPageChecks.SaysAsync(page, "Offline: your votes are kept on this phone until the connection is back.");

        await Star(page, 4, entry.Title).ClickAsync();
        await VoterPageChecks.SaysAsync(page, $"Not sent yet: 4 of 5 stars for {entry.Title} kept on this phone. It is sent as soon as the connection is back.");
        await VoterPageChecks.AssertAccessibleAsync(page, "vote kept offline");

        await page.Context.SetOfflineAsync(false);
        await VoterPageChecks.SaysAsync(page, $"Saved: 4 of 5 stars for {entry.Title}.");
        await VoterPageChecks.SaysAsync(page, "Connected: the vote is live.");
        Assert.Equal((1, 4m), await show.TallyAsync(entry.Id));

        // The server refuses the next vote (its category closed while the vote was on its way).
        await page.RouteAsync("**/api/votes/*", route => route.FulfillAsync(new()
        {
            Status = 409,
            ContentType = "application/problem+json",
            Body = """{"title":"Voting has closed.","reason":"closed"}""",
        }));
        await Star(page, 2, entry.Title).ClickAsync();
        await VoterPageChecks.SaysAsync(page, "Not counted: voting closed before your vote reached the server.");
        await VoterPageChecks.AssertAccessibleAsync(page, "vote refused");

        // The hub's socket drops with the network still up: reconnecting, then live again.
        var before = await page.EvaluateAsync<int>("() => window.__said.length");
        await page.EvaluateAsync("() => window.__sockets.at(-1).close()");
        await page.WaitForFunctionAsync(
            "n => window.__said.slice(n).join('|').includes('Connection lost: reconnecting…|Connected: the vote is live.')", before);
    }

    [Fact]
    public async Task CategoryClosedDuringItsOutro_TheHeadingNoLongerSaysVoteNow()
    {
        await using var show = await VoterShow.StartAsync();
        var entry = show.Entries[5];
        await show.PlayAsync(entry.Id);
        await show.ReportAsync(ShowPhase.OutroSlate, entry.Id);
        var page = await show.OpenPhoneAsync(browser);
        await Expect(page.Locator("#now-h")).ToHaveTextAsync("Just played: vote now");
        await Expect(Star(page, 3, entry.Title)).ToBeVisibleAsync();

        await show.PostAsync($"/api/voting/categories/{entry.CategoryId}/close");

        await Expect(page.Locator(".now .status")).ToHaveTextAsync("Voting for this category has closed.");
        await Expect(page.Locator("#now-h")).ToHaveTextAsync("Just played");
        await Expect(Star(page, 3, entry.Title)).ToBeHiddenAsync();
        await VoterPageChecks.AssertAccessibleAsync(page, "outro of a closed category");

        // A phone that opens the page now reads the same from the start.
        var late = await show.OpenPhoneAsync(browser);
        await Expect(late.Locator(".now .status")).ToHaveTextAsync("Voting for this category has closed.");
        await Expect(late.Locator("#now-h")).ToHaveTextAsync("Just played");
    }

    private static ILocator Star(IPage page, int score, string title) =>
        page.GetByRole(AriaRole.Button, new() { Name = $"Rate {score} of 5 stars for {title}", Exact = true });
}
