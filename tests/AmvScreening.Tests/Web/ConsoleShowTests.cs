using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AmvScreening.Protocol;
using AmvScreening.Server.Auth;
using AmvScreening.Tests.Support;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Playwright;
using static AmvScreening.Tests.Support.HubTesting;
using static Microsoft.Playwright.Assertions;

namespace AmvScreening.Tests.Web;

/// <summary>Show day from the consoles, in real Chromium against the real server: the booth remote drives a player
/// connection, the live page follows the votes, paper ballots and an award go in, the reveal goes out to a phone step
/// by step, and the results download; the booth remote's volume buttons and the level the player reports back.</summary>
public sealed class ConsoleShowTests(Browser browser) : IClassFixture<Browser>, IDisposable
{
    private readonly AmvServer _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task BoothNext_ReachesThePlayer_WhoseReportTheBoothShows_ThenTalliesPaperAwardRevealAndResults()
    {
        using var coordinator = await _server.CreateStaffClientAsync();
        var c = await ConsoleSupport.ImportSmallContestAsync(coordinator);

        // The player (a hub connection, as the real player connects) is on the first video.
        await using var player = _server.CreatePlayerHub();
        var commands = player.Received<PlayerCommand>(ShowHubMethods.PlayerCommand);
        await player.StartAndSyncAsync();
        await ReportAsync(player, 1, ShowPhase.Video, c.A1, durationSeconds: 200);

        // The booth remote, on a phone, sees it, sees the player connected and what comes next.
        var booth = await browser.NewPhoneAsync(_server.BaseAddress);
        var errors = ConsoleSupport.CollectErrors(booth);
        await ConsoleSupport.SignInAsync(booth, Roles.Booth);
        Assert.EndsWith("/console/booth", booth.Url);
        await ConsoleSupport.WaitLiveAsync(booth);
        await Expect(booth.Locator("#now-title")).ToHaveTextAsync("Blade Dance");
        await Expect(booth.Locator("#presence")).ToHaveAttributeAsync("data-connected", "true");
        await Expect(booth.Locator("#next-title")).ToHaveTextAsync("Steel Rain");
        await Expect(booth.Locator("#remaining")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^[23]:\d\d$"));

        // Next: the player receives the command; the booth shows it as waiting until the player reports.
        await booth.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        var next = await commands.NextAsync();
        Assert.Equal(PlayerCommandKind.Next, next.Kind);
        await Expect(booth.Locator("#log li[data-kind=next]")).ToHaveAttributeAsync("data-state", "sent");
        await ConsoleSupport.ScreenshotAsync(booth, "booth");
        await ReportAsync(player, 2, ShowPhase.Video, c.A2, durationSeconds: 200);
        await Expect(booth.Locator("#now-title")).ToHaveTextAsync("Steel Rain");
        await Expect(booth.Locator("#log li[data-kind=next]")).ToHaveAttributeAsync("data-state", "acted");
        await Expect(booth.Locator("#next-title")).ToHaveTextAsync("Pudding Heist");

        // Jump to a finalist from the list.
        await booth.GetByLabel("Finalist").SelectOptionAsync(c.C2.ToString(CultureInfo.InvariantCulture));
        await booth.GetByRole(AriaRole.Button, new() { Name = "Jump" }).ClickAsync();
        var jump = await commands.NextAsync();
        Assert.Equal((PlayerCommandKind.JumpToEntry, (int?)c.C2), (jump.Kind, jump.EntryId));
        await ReportAsync(player, 3, ShowPhase.Video, c.C1);
        await ReportAsync(player, 4, ShowPhase.Video, c.C2);

        // The audience votes; the live page shows the turnout and the scores as they come.
        var live = await browser.NewLaptopAsync(_server.BaseAddress);
        var liveErrors = ConsoleSupport.CollectErrors(live);
        await ConsoleSupport.SignInAsync(live, then: "/console/live");
        await ConsoleSupport.WaitLiveAsync(live);
        var (v1, v2) = (await JoinAsync(coordinator), await JoinAsync(coordinator));
        foreach (var (voter, entry, score) in new[] { (v1, c.A1, 5), (v2, c.A1, 4), (v1, c.A2, 3), (v2, c.A2, 4), (v1, c.C1, 5), (v2, c.C1, 3), (v1, c.C2, 5), (v2, c.C2, 3) })
        {
            (await voter.VoteAsync(entry, score)).EnsureSuccessStatusCode();
        }

        await Expect(live.Locator($"[data-turnout='{c.A1}']")).ToHaveTextAsync("2");
        await Expect(live.Locator($"[data-mean='{c.A1}']")).ToHaveTextAsync("4.50");
        await Expect(live.Locator($"section[data-category='{c.Comedy}'] [data-tie]")).ToBeVisibleAsync();

        // Paper ballots for A1: three 5s.
        await live.Locator($"tr[data-entry='{c.A1}']").GetByRole(AriaRole.Button, new() { Name = "Paper…" }).ClickAsync();
        await live.GetByLabel("Score 5").FillAsync("3");
        await live.GetByRole(AriaRole.Button, new() { Name = "Save counts" }).ClickAsync();
        await Expect(live.Locator($"[data-mean='{c.A1}']")).ToHaveTextAsync("4.80");

        // A judges' award from the presets.
        await live.GetByLabel("Award", new() { Exact = true }).FillAsync("Judges' Choice");
        await live.Locator("#award-entry").SelectOptionAsync(c.A2.ToString(CultureInfo.InvariantCulture));
        await live.GetByLabel("Note (optional)").FillAsync("For the sync");
        await live.GetByRole(AriaRole.Button, new() { Name = "Give award" }).ClickAsync();
        await Expect(live.Locator("#awards")).ToContainTextAsync("Judges' Choice");
        await Expect(live.Locator("#awards")).ToContainTextAsync("Steel Rain");

        // Best In Show ballot: opened here, the audience picks.
        await live.GetByRole(AriaRole.Button, new() { Name = "Open ballot" }).ClickAsync();
        await Expect(live.Locator("#bis-status")).ToHaveTextAsync("Ballot open");
        (await v1.PickBestInShowAsync(c.C2)).EnsureSuccessStatusCode();
        (await v2.PickBestInShowAsync(c.C2)).EnsureSuccessStatusCode();
        await Expect(live.Locator("#bis-rows")).ToContainTextAsync("Tea Time Tornado — Comedy: 2 pick(s)");
        await ConsoleSupport.ScreenshotAsync(live, "live");
        await live.SetViewportSizeAsync(820, 1180); // a tablet, upright
        await ConsoleSupport.ScreenshotAsync(live, "live-tablet");
        await live.SetViewportSizeAsync(1366, 768);

        // Close Action's voting from its card.
        await live.Locator($"section[data-category='{c.Action}']").GetByRole(AriaRole.Button, new() { Name = "Close voting" }).ClickAsync();
        await Expect(live.Locator($"section[data-category='{c.Action}'] [data-status]")).ToHaveAttributeAsync("data-status", "closed");

        // The reveal, step by step, while a phone listens.
        await using var phone = _server.CreateVoterHub();
        var reveals = phone.Received<PublicResults>(ShowHubMethods.ResultsRevealed);
        await phone.StartAndSyncAsync();
        var reveal = await browser.NewLaptopAsync(_server.BaseAddress);
        var revealErrors = ConsoleSupport.CollectErrors(reveal);
        await ConsoleSupport.SignInAsync(reveal, then: "/console/reveal");
        await ConsoleSupport.WaitLiveAsync(reveal);
        var nominees1 = reveal.Locator($"li[data-step='nominees|category:{c.Action}']");
        var step1 = reveal.Locator($"li[data-step='prize|category:{c.Action}']");
        var step2 = reveal.Locator($"li[data-step='prize|category:{c.Comedy}']");
        await Expect(nominees1).ToHaveAttributeAsync("data-state", "current");
        await Expect(step2.Locator("button.reveal")).ToBeDisabledAsync();
        await nominees1.GetByRole(AriaRole.Button, new() { Name = "Show the nominees" }).ClickAsync();
        var nominated = await commands.NextAsync();
        Assert.Equal((PlayerCommandKind.ShowNominees, $"category:{c.Action}"), (nominated.Kind, nominated.Scope));

        await step1.GetByRole(AriaRole.Button, new() { Name = "Reveal and show" }).ClickAsync();
        Assert.Equal(c.A1, (await reveals.NextAsync()).Categories.Single().Winner.Id);
        var slate = await commands.NextAsync();
        Assert.Equal((PlayerCommandKind.ShowPrize, $"category:{c.Action}"), (slate.Kind, slate.Scope));
        await Expect(step1).ToHaveAttributeAsync("data-state", "done");
        await step1.GetByRole(AriaRole.Button, new() { Name = "Show again" }).ClickAsync();
        Assert.Equal(PlayerCommandKind.ShowPrize, (await commands.NextAsync()).Kind);

        // Comedy: voting still open, then a tie that must be decided before it can be revealed.
        await step2.GetByRole(AriaRole.Button, new() { Name = "Close voting" }).ClickAsync();
        await Expect(step2.Locator("[data-blocker]")).ToHaveAttributeAsync("data-blocker", "tie-undecided");
        await Expect(step2.Locator("button.reveal")).ToBeDisabledAsync();
        await ConsoleSupport.ScreenshotAsync(reveal, "reveal");
        await reveal.GetByLabel("Rehearse: show the presenter’s lines and slate previews of winners not yet revealed").CheckAsync();
        await step2.GetByLabel("Tea Time Tornado — Tea Time Tornado Editor").CheckAsync();
        await step2.GetByLabel("Why (kept with the results)").FillAsync("Coin toss in front of the judges");
        // A tally push (a third Best In Show pick) draws the steps again: the choice and the note being written stay.
        await reveal.Locator("#steps").EvaluateAsync("steps => steps.querySelectorAll('li').forEach(li => li.dataset.before = '1')");
        var v3 = await JoinAsync(coordinator);
        (await v3.PickBestInShowAsync(c.C2)).EnsureSuccessStatusCode();
        await Expect(reveal.Locator("#steps li[data-before]")).ToHaveCountAsync(0);
        await Expect(step2.GetByLabel("Tea Time Tornado — Tea Time Tornado Editor")).ToBeCheckedAsync();
        await Expect(step2.GetByLabel("Why (kept with the results)")).ToHaveValueAsync("Coin toss in front of the judges");
        await step2.GetByRole(AriaRole.Button, new() { Name = "Decide the tie" }).ClickAsync();
        await Expect(step2.Locator("button.reveal")).ToBeEnabledAsync();
        await step2.GetByRole(AriaRole.Button, new() { Name = "Reveal and show" }).ClickAsync();
        Assert.Equal([c.A1, c.C2], (await reveals.NextAsync()).Categories.Select(r => r.Winner.Id));
        await commands.NextAsync();

        // Best In Show: close the ballot, reveal; then the award.
        var step3 = reveal.Locator("li[data-step='prize|best-in-show']");
        await step3.GetByRole(AriaRole.Button, new() { Name = "Close the ballot" }).ClickAsync();
        await Expect(step3.Locator("button.reveal")).ToBeEnabledAsync();
        await step3.GetByRole(AriaRole.Button, new() { Name = "Reveal and show" }).ClickAsync();
        Assert.Equal(c.C2, (await reveals.NextAsync()).BestInShow?.Winner.Id);
        await commands.NextAsync();
        var step4 = reveal.Locator("li[data-kind='prize'][data-step^='prize|award:']");
        await step4.GetByRole(AriaRole.Button, new() { Name = "Reveal and show" }).ClickAsync();
        var awards = (await reveals.NextAsync()).Awards;
        Assert.Equal(("Judges' Choice", c.A2), (awards!.Awards.Single().Name, awards.Awards.Single().Entry.Id));
        await Expect(step4).ToHaveAttributeAsync("data-state", "done");

        // A phone page asking the public results sees every winner.
        var phonePage = await browser.NewPhoneAsync(_server.BaseAddress);
        var results = JsonDocument.Parse(await (await phonePage.GotoAsync("/api/results"))!.TextAsync()).RootElement;
        Assert.Equal(c.C2, results.GetProperty("bestInShow").GetProperty("winner").GetProperty("id").GetInt32());

        // The results page: the announcer's sheet, and the CSV download.
        await reveal.GotoAsync("/console/results");
        await Expect(reveal.Locator($"section[data-category='{c.Action}'] .sheet-winner")).ToContainTextAsync("Blade Dance");
        await ConsoleSupport.ScreenshotAsync(reveal, "results");
        await reveal.SetViewportSizeAsync(794, 1123); // A4 at 96 dpi
        await reveal.EmulateMediaAsync(new() { Media = Media.Print });
        await ConsoleSupport.ScreenshotAsync(reveal, "results-print");
        await reveal.EmulateMediaAsync(new() { Media = Media.Screen });
        await reveal.SetViewportSizeAsync(1366, 768);
        var download = await reveal.RunAndWaitForDownloadAsync(() => reveal.Locator("#download-csv").ClickAsync());
        Assert.Equal("results.csv", download.SuggestedFilename);
        var csv = Csv.Parse(Encoding.UTF8.GetString(await File.ReadAllBytesAsync((await download.PathAsync())!)).TrimStart('\uFEFF'));
        var header = csv[0].ToList();
        var rows = csv.Skip(1).ToDictionary(r => r[header.IndexOf("title")]);
        Assert.Equal(["Blade Dance", "Pudding Heist", "Steel Rain", "Tea Time Tornado"], rows.Keys.Order());
        Assert.Equal("1", rows["Blade Dance"][header.IndexOf("rank")]);
        Assert.Equal("4.80", rows["Blade Dance"][header.IndexOf("mean")]);
        Assert.Equal("3", rows["Blade Dance"][header.IndexOf("paper_5")]);
        Assert.Equal("Judges' Choice", rows["Steel Rain"][header.IndexOf("awards")]);
        Assert.Equal("3", rows["Tea Time Tornado"][header.IndexOf("best_in_show_picks")]);

        // No page had a script error on the way.
        ConsoleSupport.AssertNoErrors(errors, liveErrors, revealErrors);
    }

    [Fact]
    public async Task BoothAndLivePages_SayTheProjectorIsLost_WhenThePlayerGoes_AndFollowItAgainWhenItReports()
    {
        using var coordinator = await _server.CreateStaffClientAsync();
        var c = await ConsoleSupport.ImportSmallContestAsync(coordinator);
        var player = _server.CreatePlayerHub();
        await player.StartAndSyncAsync();
        await ReportAsync(player, 1, ShowPhase.Video, c.A1, durationSeconds: 200);
        var booth = await browser.NewPhoneAsync(_server.BaseAddress);
        var live = await browser.NewLaptopAsync(_server.BaseAddress);
        var errors = new[] { ConsoleSupport.CollectErrors(booth), ConsoleSupport.CollectErrors(live) };
        await ConsoleSupport.SignInAsync(booth, Roles.Booth);
        await ConsoleSupport.SignInAsync(live, then: "/console/live");
        foreach (var page in new[] { booth, live })
        {
            await ConsoleSupport.WaitLiveAsync(page);
            await Expect(page.Locator("#now-title")).ToHaveTextAsync("Blade Dance");
        }

        await player.DisposeAsync();

        foreach (var page in new[] { booth, live })
        {
            await Expect(page.Locator("#phase")).ToHaveAttributeAsync("data-phase", "lost");
            await Expect(page.Locator("#phase")).ToHaveTextAsync("Projector lost");
            await Expect(page.Locator("#now-title")).ToHaveTextAsync("The projector is reconnecting…");
            await Expect(page.Locator("#now-detail")).ToHaveTextAsync("Last reported: Video · Blade Dance");
            await Expect(page.Locator("#remaining")).ToHaveTextAsync("–:––");
        }

        await Expect(booth.Locator("#presence")).ToHaveAttributeAsync("data-connected", "false");
        await ConsoleSupport.ScreenshotAsync(booth, "booth-projector-lost");
        await using var back = _server.CreatePlayerHub();
        await back.StartAndSyncAsync();
        await ReportAsync(back, 2, ShowPhase.Video, c.A1, durationSeconds: 200);
        foreach (var page in new[] { booth, live })
        {
            await Expect(page.Locator("#phase")).ToHaveAttributeAsync("data-phase", "video");
            await Expect(page.Locator("#now-title")).ToHaveTextAsync("Blade Dance");
        }

        ConsoleSupport.AssertNoErrors(errors);
    }

    [Fact]
    public async Task VolumeAndMute_FromTheBoothRemote_ReachThePlayer_AndTheReportedLevelIsShown()
    {
        using var coordinator = await _server.CreateStaffClientAsync();
        var c = await ConsoleSupport.ImportSmallContestAsync(coordinator);
        await using var player = _server.CreatePlayerHub();
        var commands = player.Received<PlayerCommand>(ShowHubMethods.PlayerCommand);
        await player.StartAndSyncAsync();
        var started = DateTimeOffset.UtcNow;
        await ReportAsync(player, 1, ShowPhase.Video, c.A1, 200, started, PlayerAudio.Default);
        var booth = await browser.NewPhoneAsync(_server.BaseAddress);
        var errors = ConsoleSupport.CollectErrors(booth);
        await ConsoleSupport.SignInAsync(booth, Roles.Booth);
        await ConsoleSupport.WaitLiveAsync(booth);
        await Expect(booth.Locator("#volume")).ToHaveTextAsync("Volume 100 %");
        await Expect(booth.Locator("#unmute")).ToBeDisabledAsync();

        await booth.GetByRole(AriaRole.Button, new() { Name = "Volume −" }).ClickAsync();
        Assert.Equal(PlayerCommandKind.VolumeDown, (await commands.NextAsync()).Kind);
        await Expect(booth.Locator("#log li[data-kind=volumeDown]")).ToHaveAttributeAsync("data-state", "sent");
        await ReportAsync(player, 2, ShowPhase.Video, c.A1, 200, started, new PlayerAudio(95, false));
        await Expect(booth.Locator("#volume")).ToHaveTextAsync("Volume 95 %");
        await Expect(booth.Locator("#log li[data-kind=volumeDown]")).ToHaveAttributeAsync("data-state", "acted");

        await booth.GetByRole(AriaRole.Button, new() { Name = "Mute", Exact = true }).ClickAsync();
        Assert.Equal(PlayerCommandKind.Mute, (await commands.NextAsync()).Kind);
        await ReportAsync(player, 3, ShowPhase.Video, c.A1, 200, started, new PlayerAudio(95, true));
        await Expect(booth.Locator("#volume")).ToHaveTextAsync("MUTED (volume 95 %)");
        await Expect(booth.Locator("#mute")).ToBeDisabledAsync();
        await booth.GetByRole(AriaRole.Button, new() { Name = "Unmute" }).ClickAsync();
        Assert.Equal(PlayerCommandKind.Unmute, (await commands.NextAsync()).Kind);
        await ConsoleSupport.ScreenshotAsync(booth, "booth-volume");
        ConsoleSupport.AssertNoErrors(errors);
    }

    private static Task ReportAsync(
        HubConnection player, long sequence, ShowPhase phase, int entryId, double durationSeconds = 30, DateTimeOffset? startedAt = null, PlayerAudio? audio = null) =>
        player.InvokeAsync<ShowState>(ShowHubMethods.ReportOnScreen,
            new OnScreenReport(sequence, phase, entryId, null, startedAt ?? DateTimeOffset.UtcNow, durationSeconds, 0, audio)).WaitAsync(Bound);

    private async Task<VoterClient> JoinAsync(HttpClient coordinator) =>
        await VoterClient.JoinAsync(_server.CreateAnonymousClient(), (await coordinator.GetFromJsonAsync<RoomInfo>("/api/room"))!.Code);
}
