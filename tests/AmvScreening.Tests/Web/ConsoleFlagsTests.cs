using System.Net.Http.Json;
using System.Text.Json;
using AmvScreening.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AmvScreening.Tests.Web;

/// <summary>Flagged voters on the coordinator's live page, in real Chromium against the real server: the page shows
/// the cluster, what it changes, takes a decision with a note and its undo; axe-core finds nothing to fix.</summary>
public sealed class ConsoleFlagsTests(Browser browser) : IClassFixture<Browser>, IDisposable
{
    private readonly AmvServer _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task LivePage_ShowsAFlaggedBurst_WhatItChanges_ExcludesItWithANote_AndCountsItAgain()
    {
        using var coordinator = await _server.CreateStaffClientAsync();
        var c = await ConsoleSupport.ImportSmallContestAsync(coordinator);
        await TestContest.SetVotingAsync(coordinator, c.Action, "open");
        // Three people prefer Steel Rain; a script gives Blade Dance twelve 5s, each vote the moment its token is minted.
        await TestContest.VoteAsync(_server, coordinator, c.A2, 4, 4, 5);
        await TestContest.VoteAsync(_server, coordinator, c.A1, 3);
        var code = (await coordinator.GetFromJsonAsync<JsonElement>("/api/room")).GetProperty("code").GetString()!;
        using var script = _server.CreateAnonymousClient();
        for (var i = 0; i < 12; i++)
        {
            (await (await VoterClient.JoinAsync(script, code)).VoteAsync(c.A1, 5)).EnsureSuccessStatusCode();
        }

        var live = await browser.NewLaptopAsync(_server.BaseAddress);
        var errors = ConsoleSupport.CollectErrors(live);
        await ConsoleSupport.SignInAsync(live, then: "/console/live");
        await ConsoleSupport.WaitLiveAsync(live);

        var flag = live.Locator("#flags article.flag");
        await Expect(flag).ToHaveCountAsync(1);
        await Expect(flag.Locator("h3")).ToHaveTextAsync("Burst: 12 voter(s) for Blade Dance");
        await Expect(flag.Locator(".badge")).ToHaveTextAsync("Still counted");
        await Expect(flag).ToContainTextAsync("12 voted within a second of joining");
        await Expect(live.Locator("#flags-count")).ToHaveTextAsync("1 to look at");
        await Expect(live.Locator($"[data-flagged='{c.A1}']")).ToHaveTextAsync("12");
        await Expect(live.Locator($"[data-flagged='{c.A2}']")).ToHaveTextAsync("–");
        await Expect(live.Locator($"section[data-category='{c.Action}'] [data-flags-change-winner]"))
            .ToContainTextAsync("without them, Steel Rain would win");
        await VoterPageChecks.AssertAccessibleAsync(live, "live console with a flagged cluster");
        await ConsoleSupport.ScreenshotAsync(live, "live-flags");

        // A decision needs a reason.
        await flag.GetByRole(AriaRole.Button, new() { Name = "Exclude" }).ClickAsync();
        await Expect(flag.Locator(".field-error")).ToBeVisibleAsync();
        await flag.GetByLabel("Why exclude these ballots (required)").FillAsync("Twelve tokens in one second");
        await flag.GetByRole(AriaRole.Button, new() { Name = "Exclude" }).ClickAsync();
        await Expect(flag.Locator(".badge", new() { HasText = "Excluded" })).ToBeVisibleAsync();
        await Expect(flag).ToContainTextAsync("“Twelve tokens in one second”");
        await Expect(flag.GetByLabel("Why count these ballots again (required)")).ToHaveValueAsync("");
        await Expect(live.Locator($"[data-flagged='{c.A1}']")).ToHaveTextAsync("(12 excluded)");
        await Expect(live.Locator($"[data-mean='{c.A1}']")).ToHaveTextAsync("3.00");
        await Expect(live.Locator($"section[data-category='{c.Action}'] [data-flags-change-winner]")).ToHaveCountAsync(0);
        await Expect(live.Locator("#flags-count")).ToHaveTextAsync("All decided");
        await VoterPageChecks.AssertAccessibleAsync(live, "live console with an excluded cluster");

        // And back.
        await flag.GetByLabel("Why count these ballots again (required)").FillAsync("Checked: counting them to compare");
        await flag.GetByRole(AriaRole.Button, new() { Name = "Count again" }).ClickAsync();
        await Expect(live.Locator($"[data-flagged='{c.A1}']")).ToHaveTextAsync("12");
        await Expect(live.Locator($"[data-mean='{c.A1}']")).ToHaveTextAsync("4.85");
        ConsoleSupport.AssertNoErrors(errors);
    }
}
