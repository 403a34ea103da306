using System.Text.Json.Nodes;
using AmvScreening.Protocol;
using AmvScreening.Tests.Contest;
using AmvScreening.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AmvScreening.Tests.Web;

/// <summary>
/// The phone app in real Chromium against the real server over loopback, with the sample contest: a phone opens the QR's
/// URL, the player reports over the hub, the coordinator closes, opens the ballot and reveals. Every screen is checked
/// with axe-core and photographed at phone size (390×844).
/// </summary>
public sealed class VoterWebTests(Browser browser) : IClassFixture<Browser>
{
    static VoterWebTests() => VoterPageChecks.Init();

    [Fact]
    public async Task Phone_JoinsFromTheQrUrl_AndFollowsWhatThePlayerReports()
    {
        await using var show = await VoterShow.StartAsync();
        var page = await show.OpenPhoneAsync(browser);

        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-conn", "live");
        await Expect(page.Locator("#now-h")).ToHaveTextAsync("Before the show");
        Assert.False(string.IsNullOrEmpty(await page.EvaluateAsync<string?>("() => localStorage.getItem('amv.token')")));
        await VoterPageChecks.AssertAccessibleAsync(page, "joined");
        await VoterPageChecks.ScreenshotAsync(page, "joined");

        var entry = show.Entries[0];
        await show.ReportAsync(ShowPhase.IntroSlate, entry.Id);
        await Expect(page.Locator("#now-h")).ToHaveTextAsync("Up next");
        await Expect(page.Locator("#now-title")).ToHaveTextAsync(entry.Title);
        await Expect(page.Locator(".now .status")).ToHaveTextAsync("Voting opens when the video starts.");
        await Expect(Star(page, 1, entry.Title)).ToBeHiddenAsync();

        await show.ReportAsync(ShowPhase.Video, entry.Id);
        await Expect(page.Locator("#now-h")).ToHaveTextAsync("Now playing");
        await Expect(Star(page, 4, entry.Title)).ToBeVisibleAsync();
        await Expect(page.Locator(".now .status")).ToHaveTextAsync("Tap a star to rate.");
        await Expect(page.Locator(".now .chip")).ToHaveTextAsync("Upbeat/Fun");
        await VoterPageChecks.AssertAccessibleAsync(page, "now playing");
        await VoterPageChecks.ScreenshotAsync(page, "now-playing");

        var next = show.Entries[1];
        await show.PlayAsync(next.Id);
        await Expect(page.Locator("#now-title")).ToHaveTextAsync(next.Title);
        // The first entry moved to the list of what was shown, still open for votes.
        await Expect(Star(page, 3, entry.Title)).ToBeVisibleAsync();
    }

    [Fact]
    public async Task ProjectorLost_ThePhoneSaysItIsReconnecting_AndStillTakesVotesOnWhatWasShown()
    {
        await using var show = await VoterShow.StartAsync();
        var entry = show.Entries[0];
        await show.PlayAsync(entry.Id);
        var page = await show.OpenPhoneAsync(browser);
        await Expect(page.Locator("#now-h")).ToHaveTextAsync("Now playing");

        await show.PlayerLeavesAsync();

        await Expect(page.Locator("#now-h")).ToHaveTextAsync("Projector reconnecting…");
        await Expect(page.Locator(".now")).ToHaveAttributeAsync("data-projector", "lost");
        await Expect(page.Locator(".now .now-message")).ToHaveTextAsync("The projector is reconnecting. Voting on what you've seen stays open.");
        await Star(page, 4, entry.Title).ClickAsync();
        await Expect(page.Locator(".now .status")).ToHaveTextAsync("Saved: 4 of 5. Tap to change.");
        await VoterPageChecks.AssertAccessibleAsync(page, "projector lost");
        await VoterPageChecks.ScreenshotAsync(page, "projector-lost");

        // A phone that opens the page now hears the same from its first read.
        var late = await show.OpenPhoneAsync(browser);
        await Expect(late.Locator("#now-h")).ToHaveTextAsync("Projector reconnecting…");

        await show.PlayerReturnsAsync();
        await show.ReportAsync(ShowPhase.Video, entry.Id);
        await Expect(page.Locator("#now-h")).ToHaveTextAsync("Now playing");
        await Expect(page.Locator(".now")).ToHaveAttributeAsync("data-projector", "live");
        await Expect(page.Locator(".now .now-message")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task OneTap_RatesTheEntryOnScreen_ChangingItReplacesTheScore_CountedOnceOnTheServer()
    {
        await using var show = await VoterShow.StartAsync();
        var entry = show.Entries[3];
        await show.PlayAsync(entry.Id);
        var page = await show.OpenPhoneAsync(browser);

        await Star(page, 4, entry.Title).ClickAsync();
        await Expect(page.Locator(".now .status")).ToHaveTextAsync("Saved: 4 of 5. Tap to change.");
        await Expect(Star(page, 4, entry.Title)).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(Star(page, 5, entry.Title)).ToHaveAttributeAsync("aria-pressed", "false");
        Assert.Equal((1, 4m), await show.TallyAsync(entry.Id));
        await Expect(page.Locator("[role=status]")).ToHaveTextAsync($"Saved: 4 of 5 stars for {entry.Title}.");

        // By keyboard this time.
        await Star(page, 2, entry.Title).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator(".now .status")).ToHaveTextAsync("Saved: 2 of 5. Tap to change.");
        await Expect(Star(page, 2, entry.Title)).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(Star(page, 2, entry.Title)).ToBeFocusedAsync();
        Assert.Equal((1, 2m), await show.TallyAsync(entry.Id));

        await Star(page, 5, entry.Title).ClickAsync();
        await Expect(page.Locator(".now .status")).ToHaveTextAsync("Saved: 5 of 5. Tap to change.");
        Assert.Equal((1, 5m), await show.TallyAsync(entry.Id));
        await VoterPageChecks.AssertAccessibleAsync(page, "rated");
        await VoterPageChecks.ScreenshotAsync(page, "rated");
    }

    [Fact]
    public async Task VoteWhileOffline_IsKeptOnThePhone_AndSentOnceWhenTheNetworkReturns()
    {
        await using var show = await VoterShow.StartAsync();
        var entry = show.Entries[6];
        await show.PlayAsync(entry.Id);
        var page = await show.OpenPhoneAsync(browser);
        await Expect(Star(page, 5, entry.Title)).ToBeVisibleAsync();

        await page.Context.SetOfflineAsync(true);
        await Star(page, 5, entry.Title).ClickAsync();

        await Expect(page.Locator(".now .status")).ToContainTextAsync("5 of 5 kept on this phone: not sent yet.");
        await Expect(page.Locator(".waiting")).ToHaveTextAsync("1 vote waiting to be sent");
        await Expect(page.Locator(".conn")).ToHaveTextAsync("Offline");
        await Expect(Star(page, 5, entry.Title)).ToHaveAttributeAsync("aria-pressed", "true");
        Assert.Equal((0, null), await show.TallyAsync(entry.Id));
        await VoterPageChecks.AssertAccessibleAsync(page, "offline");
        await VoterPageChecks.ScreenshotAsync(page, "offline");

        await page.Context.SetOfflineAsync(false);

        await Expect(page.Locator(".now .status")).ToHaveTextAsync("Saved: 5 of 5. Tap to change.");
        await Expect(page.Locator(".waiting")).ToBeHiddenAsync();
        Assert.Equal((1, 5m), await show.TallyAsync(entry.Id));
    }

    [Fact]
    public async Task UnsentVote_SurvivesAReload_AndIsSentOnce()
    {
        await using var show = await VoterShow.StartAsync();
        var entry = show.Entries[9];
        await show.PlayAsync(entry.Id);
        var page = await show.OpenPhoneAsync(browser);
        await Expect(Star(page, 3, entry.Title)).ToBeVisibleAsync();

        // The votes never get through (a congested access point), but the page itself still loads.
        await page.RouteAsync("**/api/votes/*", route => route.AbortAsync());
        await Star(page, 3, entry.Title).ClickAsync();
        await Expect(page.Locator(".now .status")).ToContainTextAsync("3 of 5 kept on this phone");

        await page.ReloadAsync();
        await Expect(page.Locator(".now .status")).ToContainTextAsync("3 of 5 kept on this phone");
        await Expect(Star(page, 3, entry.Title)).ToHaveAttributeAsync("aria-pressed", "true");
        Assert.Equal((0, null), await show.TallyAsync(entry.Id));

        await page.UnrouteAllAsync();
        // The network "comes back": the page sends at once instead of waiting for its next retry.
        await page.Context.SetOfflineAsync(true);
        await page.Context.SetOfflineAsync(false);

        await Expect(page.Locator(".now .status")).ToHaveTextAsync("Saved: 3 of 5. Tap to change.");
        Assert.Equal((1, 3m), await show.TallyAsync(entry.Id));
    }

    [Fact]
    public async Task TooManyRequests_TheVoteWaitsAsLongAsRetryAfterSays_ThenIsSaved()
    {
        await using var show = await VoterShow.StartAsync();
        var entry = show.Entries[12];
        await show.PlayAsync(entry.Id);
        var page = await show.OpenPhoneAsync(browser);
        await Expect(Star(page, 4, entry.Title)).ToBeVisibleAsync();
        var attempts = new List<DateTimeOffset>();
        await page.RouteAsync("**/api/votes/*", async route =>
        {
            bool first;
            lock (attempts)
            {
                attempts.Add(DateTimeOffset.UtcNow);
                first = attempts.Count == 1;
            }

            if (first)
            {
                await route.FulfillAsync(new()
                {
                    Status = 429,
                    Headers = new Dictionary<string, string> { ["Retry-After"] = "2" },
                    ContentType = "application/problem+json",
                    Body = """{"title":"Too many requests.","status":429}""",
                });
            }
            else
            {
                await route.ContinueAsync();
            }
        });

        await Star(page, 4, entry.Title).ClickAsync();

        await Expect(page.Locator(".now .status")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(
            "^The server is busy: 4 of 5 is kept on this phone and sent in about [12] s\\.$"));
        await Expect(page.Locator(".now .status")).ToHaveTextAsync("Saved: 4 of 5. Tap to change.");
        Assert.Equal(2, attempts.Count);
        Assert.True(attempts[1] - attempts[0] >= TimeSpan.FromSeconds(1.9), $"Retried after {(attempts[1] - attempts[0]).TotalSeconds:0.00} s.");
        Assert.Equal((1, 4m), await show.TallyAsync(entry.Id));
    }

    [Fact]
    public async Task Reload_KeepsTheVoterAndTheSavedScores_EvenWhenTheUrlsCodeHasSinceRotated()
    {
        await using var show = await VoterShow.StartAsync();
        var entry = show.Entries[0];
        await show.PlayAsync(entry.Id);
        var page = await show.OpenPhoneAsync(browser);
        await Star(page, 4, entry.Title).ClickAsync();
        await Expect(page.Locator(".now .status")).ToHaveTextAsync("Saved: 4 of 5. Tap to change.");
        var token = await page.EvaluateAsync<string>("() => localStorage.getItem('amv.token')");

        await show.PostAsync("/api/room/rotate");
        await page.ReloadAsync();

        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-synced", new System.Text.RegularExpressions.Regex("^[1-9]"));
        await Expect(page.Locator(".now .status")).ToHaveTextAsync("Saved: 4 of 5. Tap to change.");
        await Expect(Star(page, 4, entry.Title)).ToHaveAttributeAsync("aria-pressed", "true");
        Assert.Equal(token, await page.EvaluateAsync<string>("() => localStorage.getItem('amv.token')"));

        await Star(page, 1, entry.Title).ClickAsync();
        await Expect(page.Locator(".now .status")).ToHaveTextAsync("Saved: 1 of 5. Tap to change.");
        Assert.Equal((1, 1m), await show.TallyAsync(entry.Id));
    }

    [Fact]
    public async Task ClosedCategory_SaysSo_KeepsTheScoreAndTakesNoMoreTaps()
    {
        await using var show = await VoterShow.StartAsync();
        var entry = show.Entries[4];
        await show.PlayAsync(entry.Id);
        var page = await show.OpenPhoneAsync(browser);
        await Star(page, 4, entry.Title).ClickAsync();
        await Expect(page.Locator(".now .status")).ToHaveTextAsync("Saved: 4 of 5. Tap to change.");

        await show.PostAsync($"/api/voting/categories/{entry.CategoryId}/close");

        await Expect(page.Locator(".now .status")).ToHaveTextAsync("Voting has closed. Your score: 4 of 5.");
        await Expect(Star(page, 4, entry.Title)).ToBeHiddenAsync();
        await VoterPageChecks.AssertAccessibleAsync(page, "closed");
        await VoterPageChecks.ScreenshotAsync(page, "closed");
    }

    [Fact]
    public async Task LateJoiner_RatesWhatWasShownBeforeTheyJoined_WhileItsCategoryIsOpen()
    {
        await using var show = await VoterShow.StartAsync();
        var (first, second, third) = (show.Entries[6], show.Entries[7], show.Entries[8]);
        await show.PlayAsync(first.Id);
        await show.PlayAsync(second.Id);
        await show.ReportAsync(ShowPhase.IntroSlate, third.Id);
        var page = await show.OpenPhoneAsync(browser);

        await Expect(page.Locator("#earlier-h")).ToHaveTextAsync("Rate what you've seen");
        await Expect(page.Locator(".earlier .entry-title")).ToHaveTextAsync([first.Title, second.Title]);
        await Star(page, 5, second.Title).ClickAsync();
        await Star(page, 3, first.Title).ClickAsync();
        await Expect(page.Locator(".entry").Filter(new() { HasText = first.Title }).Locator(".status")).ToHaveTextAsync("Saved: 3 of 5. Tap to change.");
        await Expect(page.Locator(".entry").Filter(new() { HasText = second.Title }).Locator(".status")).ToHaveTextAsync("Saved: 5 of 5. Tap to change.");
        Assert.Equal((1, 3m), await show.TallyAsync(first.Id));
        Assert.Equal((1, 5m), await show.TallyAsync(second.Id));
        await VoterPageChecks.AssertAccessibleAsync(page, "late joiner");
        await VoterPageChecks.ScreenshotAsync(page, "late-joiner");
    }

    [Fact]
    public async Task BestInShow_ListsEveryFinalistByCategory_Searchable_OnePick_ChangeableUntilItCloses()
    {
        await using var show = await VoterShow.StartAsync();
        var page = await show.OpenPhoneAsync(browser);
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-conn", "live");
        await Expect(page.Locator("#bis-h")).ToBeHiddenAsync();

        await show.PostAsync("/api/voting/best-in-show/open");

        await Expect(page.Locator("#bis-h")).ToHaveTextAsync("Best In Show");
        await Expect(page.Locator(".pick")).ToHaveCountAsync(show.Entries.Count);
        await Expect(page.Locator(".bis-category h3")).ToHaveCountAsync(show.Categories.Count);
        var (liked, loved) = (show.Entries[2], show.Entries[17]);
        await Pick(page, liked.Title).ClickAsync();
        await Expect(page.Locator(".bis .status")).ToHaveTextAsync($"Saved: {liked.Title} is your Best In Show pick.");
        Assert.Equal(1, await show.PicksAsync(liked.Id));

        await page.GetByLabel("Search by title, editor, music or anime").FillAsync("doki");
        await Expect(page.Locator(".pick:visible")).ToHaveCountAsync(1);
        await Expect(page.Locator(".bis .count")).ToHaveTextAsync("1 finalist");
        await Pick(page, loved.Title).ClickAsync();
        await Expect(page.Locator(".bis .status")).ToHaveTextAsync($"Saved: {loved.Title} is your Best In Show pick.");
        await Expect(Pick(page, loved.Title)).ToHaveAttributeAsync("aria-pressed", "true");
        Assert.Equal((0, 1), (await show.PicksAsync(liked.Id), await show.PicksAsync(loved.Id)));

        await page.GetByLabel("Search by title, editor, music or anime").FillAsync("");
        await Expect(page.Locator(".pick:visible")).ToHaveCountAsync(show.Entries.Count);
        await VoterPageChecks.AssertAccessibleAsync(page, "Best In Show ballot");
        await VoterPageChecks.ScreenshotAsync(page, "best-in-show");

        await show.PostAsync("/api/voting/best-in-show/close");
        await Expect(page.Locator(".bis .status")).ToHaveTextAsync($"The Best In Show ballot has closed. Your pick: {loved.Title}.");
        await Expect(page.Locator(".pick:visible")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task EachReveal_ComesOnTopAsItsPodium_IsSaidToScreenReaders_AndTheEarlierOnesStayReachable()
    {
        await using var show = await VoterShow.StartAsync();
        var entry = show.Entries[0];
        var category = show.CategoryNames[entry.CategoryId];
        await show.PlayAsync(entry.Id);
        var page = await show.NewPhoneAsync(browser);
        await VoterPageChecks.RecordAnnouncementsAsync(page);
        await page.GotoAsync($"/v/{await show.RoomCodeAsync()}");
        // The first full refresh done: a reveal read in it would be shown, not announced.
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-synced", "1");
        await Star(page, 5, entry.Title).ClickAsync();
        await Expect(page.Locator(".now .status")).ToHaveTextAsync("Saved: 5 of 5. Tap to change.");
        await show.PostAsync($"/api/voting/categories/{entry.CategoryId}/close");
        await Expect(page.Locator("#results-h")).ToBeHiddenAsync();

        await show.PostAsync($"/api/results/reveal/categories/{entry.CategoryId}");
        var latest = page.Locator(".results > .podium");
        await Expect(page.Locator("#results-h")).ToHaveTextAsync("Results");
        await Expect(latest.Locator(".eyebrow")).ToHaveTextAsync("Just revealed");
        await Expect(page.Locator("#latest-h")).ToHaveTextAsync(category);
        await Expect(latest.Locator(".place")).ToHaveCountAsync(1);
        await Expect(latest.Locator(".place.first .rank")).ToHaveTextAsync("Winner");
        await Expect(latest.Locator(".place.first .winner-title")).ToHaveTextAsync(entry.Title);
        await Expect(latest.Locator(".place.first .meta")).ToHaveTextAsync($"by {entry.By}");
        await VoterPageChecks.SaysAsync(page, $"Revealed: {category}. Winner: {entry.Title}, by {entry.By}.");
        await VoterPageChecks.AssertAccessibleAsync(page, "first podium");

        // The rest of the night: paper ballots give every other category a winner, the ballot picks Best In Show,
        // the judges give an award; each reveal comes on top, the one before it joins the earlier ones.
        foreach (var categoryId in show.Categories.Skip(1))
        {
            var winner = show.InCategory(categoryId)[1];
            await show.SendAsync(HttpMethod.Put, $"/api/entries/{winner.Id}/paper", new { counts = new Dictionary<string, int> { ["5"] = 4 } });
            await show.PostAsync($"/api/voting/categories/{categoryId}/close");
            await show.PostAsync($"/api/results/reveal/categories/{categoryId}");
            await Expect(page.Locator("#latest-h")).ToHaveTextAsync(show.CategoryNames[categoryId]);
            await Expect(latest.Locator(".place.first .winner-title")).ToHaveTextAsync(winner.Title);
            await VoterPageChecks.SaysAsync(page, $"Revealed: {show.CategoryNames[categoryId]}. Winner: {winner.Title}, by {winner.By}.");
        }

        await Expect(page.Locator(".reveals > li")).ToHaveCountAsync(show.Categories.Count - 1);
        await show.PostAsync("/api/voting/best-in-show/open");
        var best = show.Entries[13];
        await Pick(page, best.Title).ClickAsync();
        await Expect(page.Locator(".bis .status")).ToHaveTextAsync($"Saved: {best.Title} is your Best In Show pick.");
        await show.PostAsync("/api/voting/best-in-show/close");
        await show.PostAsync("/api/results/reveal/best-in-show");
        await Expect(page.Locator("#latest-h")).ToHaveTextAsync("Best In Show");
        await Expect(latest.Locator(".place.first .winner-title")).ToHaveTextAsync(best.Title);
        await VoterPageChecks.SaysAsync(page, $"Revealed: Best In Show. Winner: {best.Title}, by {best.By}.");

        var judged = show.Entries[19];
        await show.PostAsync("/api/awards", new { name = "Judges' Choice", entryId = judged.Id });
        await show.PostAsync("/api/results/reveal/awards");
        await Expect(page.Locator("#latest-h")).ToHaveTextAsync("Judges' Choice");
        await Expect(latest.Locator(".place .rank")).ToHaveTextAsync(["Winner"]);
        await Expect(latest.Locator(".place .winner-title")).ToHaveTextAsync([judged.Title]);
        await VoterPageChecks.SaysAsync(page, $"Revealed: Judges' Choice. Winner: {judged.Title}, by {judged.By}.");

        // Every earlier reveal is one tap away: Best In Show, then the categories, the latest first.
        var earlier = page.Locator(".reveals > li");
        await Expect(earlier).ToHaveCountAsync(show.Categories.Count + 1);
        await Expect(earlier.First.Locator("summary")).ToHaveTextAsync($"Best In Show: {best.Title}");
        await Expect(earlier.Last.Locator("summary")).ToHaveTextAsync($"{category}: {entry.Title}");
        await Expect(earlier.Last.Locator(".podium")).ToBeHiddenAsync();
        await earlier.Last.Locator("summary").ClickAsync();
        await Expect(earlier.Last.Locator(".podium .winner-title")).ToHaveTextAsync(entry.Title);
        await show.ReportAsync(ShowPhase.EndCard);
        await Expect(page.Locator("#now-h")).ToHaveTextAsync("That's the show");
        await VoterPageChecks.AssertAccessibleAsync(page, "results");
        await earlier.Last.Locator("summary").ClickAsync();
        await VoterPageChecks.ScreenshotAsync(page, "results");
    }

    [Fact]
    public async Task PushesMissedWhileTheSocketWasDown_OrThePhoneAsleep_AreCaughtUpByAFullRefresh()
    {
        await using var show = await VoterShow.StartAsync();
        var page = await show.NewPhoneAsync(browser);
        // The page's WebSockets as the test sees them: it can silence what the server sends (a socket that died without
        // anyone noticing, a phone asleep) and cut the socket.
        await page.AddInitScriptAsync("""
            (() => {
              const Native = window.WebSocket;
              window.__sockets = [];
              window.__silenced = false;
              window.WebSocket = class extends Native {
                constructor(...args) { super(...args); window.__sockets.push(this); }
                get onmessage() { return super.onmessage; }
                set onmessage(handler) { super.onmessage = handler && ((event) => { if (!window.__silenced) handler(event); }); }
              };
            })();
            """);
        await page.GotoAsync($"/v/{await show.RoomCodeAsync()}");
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-synced", "1");
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-conn", "live");

        // The socket goes quiet, the show moves on, then the socket drops: the reconnect brings the phone up to date.
        await Silence(page, true);
        var (first, second) = (show.Entries[0], show.Entries[1]);
        await show.PlayAsync(first.Id);
        await page.EvaluateAsync("() => { window.__silenced = false; window.__sockets.at(-1).close(); }");
        await Expect(page.Locator("#now-title")).ToHaveTextAsync(first.Title);
        await Expect(Star(page, 4, first.Title)).ToBeVisibleAsync();
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-conn", "live");
        Assert.Equal(2, await page.EvaluateAsync<int>("() => window.__sockets.length"));

        // Asleep (no pushes reach the phone); on waking the page is visible again and refreshes everything.
        var synced = await page.Locator("body").GetAttributeAsync("data-synced");
        await Silence(page, true);
        await show.PlayAsync(second.Id);
        await show.PostAsync($"/api/voting/categories/{first.CategoryId}/close");
        await Silence(page, false);
        await page.EvaluateAsync("() => document.dispatchEvent(new Event('visibilitychange'))");
        await Expect(page.Locator("body")).Not.ToHaveAttributeAsync("data-synced", synced!);
        await Expect(page.Locator("#now-title")).ToHaveTextAsync(second.Title);
        await Expect(page.Locator(".now .status")).ToHaveTextAsync("Voting for this category has closed.");
    }

    [Fact]
    public async Task StaleRoomCode_AsksToScanTheCodeOnTheScreenAgain()
    {
        await using var show = await VoterShow.StartAsync();
        var old = await show.RoomCodeAsync();
        await show.PostAsync("/api/room/rotate");

        var page = await show.OpenPhoneAsync(browser, old);

        await Expect(page.Locator("#notice-h")).ToHaveTextAsync("This code has expired");
        await Expect(page.Locator(".brand-name")).ToHaveTextAsync(show.ContestName);
        await Expect(page.Locator(".notice")).ToContainTextAsync("Scan the code on the screen again to join the vote.");
        Assert.Null(await page.EvaluateAsync<string?>("() => localStorage.getItem('amv.token')"));
        await VoterPageChecks.AssertAccessibleAsync(page, "stale code");
        await VoterPageChecks.ScreenshotAsync(page, "stale-code");

        var unknown = await show.OpenPhoneAsync(browser, "NOPE99");
        await Expect(unknown.Locator("#notice-h")).ToHaveTextAsync("We don't know this code");
        await Expect(unknown.Locator(".notice")).ToContainTextAsync("Scan the code on the screen again");
    }

    [Fact]
    public async Task Japanese_IsChosenFromTheBrowsersLanguages_PodiumIncluded()
    {
        await using var show = await VoterShow.StartAsync();
        var entry = show.Entries[7];
        await show.PlayAsync(entry.Id);

        var page = await show.OpenPhoneAsync(browser, locale: "ja-JP");

        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "ja");
        await Expect(page.Locator(".brand-name")).ToHaveTextAsync(show.ContestName);
        await Expect(page.Locator(".brand-sub")).ToHaveTextAsync("観客投票");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "日本語", Exact = true })).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(page.Locator("#now-h")).ToHaveTextAsync("上映中");
        var star = page.GetByRole(AriaRole.Button, new() { Name = $"「{entry.Title}」を5点中4点で評価", Exact = true });
        await star.ClickAsync();
        await Expect(page.Locator(".now .status")).ToHaveTextAsync("保存しました：5点中4点。タップで変更できます。");
        await VoterPageChecks.AssertAccessibleAsync(page, "Japanese");
        await VoterPageChecks.ScreenshotAsync(page, "japanese");

        await show.PostAsync($"/api/voting/categories/{entry.CategoryId}/close");
        await show.PostAsync($"/api/results/reveal/categories/{entry.CategoryId}");
        await Expect(page.Locator("#results-h")).ToHaveTextAsync("結果発表");
        await Expect(page.Locator(".results > .podium .eyebrow")).ToHaveTextAsync("最新の発表");
        await Expect(page.Locator("#latest-h")).ToHaveTextAsync(show.CategoryNames[entry.CategoryId]);
        await Expect(page.Locator(".results > .podium .place.first .rank")).ToHaveTextAsync("受賞");
        await Expect(page.Locator(".results > .podium .place.first .winner-title")).ToHaveTextAsync(entry.Title);
        await VoterPageChecks.AssertAccessibleAsync(page, "Japanese podium");
    }

    [Fact]
    public async Task LanguageSwitch_ShowsTheWholePageInTheOtherLanguage_AtOnce_AndThePhoneKeepsTheChoice()
    {
        await using var show = await VoterShow.StartAsync();
        var entry = show.Entries[2];
        await show.PlayAsync(entry.Id);
        var page = await show.OpenPhoneAsync(browser);
        await Expect(page.Locator("#now-h")).ToHaveTextAsync("Now playing");
        await Expect(page.Locator(".brand-name")).ToHaveTextAsync(show.ContestName);
        Assert.Equal($"{show.ContestName} · Audience vote", await page.TitleAsync());
        var japanese = page.GetByRole(AriaRole.Button, new() { Name = "日本語", Exact = true });
        var english = page.GetByRole(AriaRole.Button, new() { Name = "English", Exact = true });
        await Expect(page.GetByRole(AriaRole.Group, new() { Name = "Language" })).ToBeVisibleAsync();
        await Expect(japanese).ToHaveAttributeAsync("lang", "ja");
        await Expect(japanese).ToHaveAttributeAsync("aria-pressed", "false");
        await Expect(english).ToHaveAttributeAsync("aria-pressed", "true");
        await Star(page, 3, entry.Title).ClickAsync();
        await Expect(page.Locator(".now .status")).ToHaveTextAsync("Saved: 3 of 5. Tap to change.");
        await page.EvaluateAsync("() => { window.__samePage = true; }");

        // By keyboard: the switch is reached and pressed like any button.
        await japanese.FocusAsync();
        await page.Keyboard.PressAsync("Enter");

        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "ja");
        await Expect(page.Locator("#now-h")).ToHaveTextAsync("上映中");
        await Expect(page.Locator(".brand-sub")).ToHaveTextAsync("観客投票");
        await Expect(page.Locator(".now .status")).ToHaveTextAsync("保存しました：5点中3点。タップで変更できます。");
        await Expect(page.GetByRole(AriaRole.Group, new() { Name = "言語" })).ToBeVisibleAsync();
        await Expect(japanese).ToHaveAttributeAsync("aria-pressed", "true");
        Assert.Equal($"{show.ContestName} · 観客投票", await page.TitleAsync());
        Assert.True(await page.EvaluateAsync<bool>("() => window.__samePage === true"), "the page was reloaded");
        Assert.True(await page.EvaluateAsync<bool>("() => document.activeElement?.dataset.lang === 'ja'"), "the focus left the switch");
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-conn", "live");
        await VoterPageChecks.AssertAccessibleAsync(page, "switched to Japanese");
        await VoterPageChecks.ScreenshotAsync(page, "language-switch");

        // It still follows the show and votes, in Japanese; the choice stays on the phone across a reload.
        var next = show.Entries[3];
        await show.PlayAsync(next.Id);
        await Expect(page.Locator("#now-title")).ToHaveTextAsync(next.Title);
        await page.GetByRole(AriaRole.Button, new() { Name = $"「{next.Title}」を5点中4点で評価", Exact = true }).ClickAsync();
        await Expect(page.Locator(".now .status")).ToHaveTextAsync("保存しました：5点中4点。タップで変更できます。");
        await page.ReloadAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "ja");
        await Expect(page.Locator("#now-h")).ToHaveTextAsync("上映中");

        await english.ClickAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Expect(page.Locator("#now-h")).ToHaveTextAsync("Now playing");
        await Expect(page.Locator(".now .status")).ToHaveTextAsync("Saved: 4 of 5. Tap to change.");
        Assert.Equal((1, 4m), await show.TallyAsync(next.Id));
    }

    [Fact]
    public async Task TheContestsOwnName_IsInTheHeader_AndARenameReachesPhonesAtOnce()
    {
        await using var show = await VoterShow.StartAsync();
        var page = await show.OpenPhoneAsync(browser);
        await Expect(page.Locator(".brand-name")).ToHaveTextAsync(show.ContestName);
        Assert.Equal(show.ContestName, await page.EvaluateAsync<string>("() => JSON.parse(localStorage.getItem('amv.contest'))"));

        var contest = JsonNode.Parse((await ContestApi.GetContestAsync(show.Coordinator)).GetProperty("contest").GetRawText())!;
        contest["name"] = "Kumoricon AMV Finals";
        await show.SendAsync(HttpMethod.Put, "/api/contest/details", contest);

        await Expect(page.Locator(".brand-name")).ToHaveTextAsync("Kumoricon AMV Finals");
        Assert.Equal("Kumoricon AMV Finals · Audience vote", await page.TitleAsync());
    }

    private static Task Silence(IPage page, bool silenced) => page.EvaluateAsync($"() => {{ window.__silenced = {(silenced ? "true" : "false")}; }}");

    private static ILocator Star(IPage page, int score, string title) =>
        page.GetByRole(AriaRole.Button, new() { Name = $"Rate {score} of 5 stars for {title}", Exact = true });

    /// <summary>A finalist's button on the Best In Show ballot (named by its title and editors).</summary>
    private static ILocator Pick(IPage page, string title) =>
        page.Locator(".pick").Filter(new() { Has = page.Locator(".pick-title").GetByText(title, new() { Exact = true }) });
}
