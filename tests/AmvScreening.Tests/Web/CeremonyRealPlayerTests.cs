using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AmvScreening.Player.Show;
using AmvScreening.Protocol;
using AmvScreening.Tests.Player;
using AmvScreening.Tests.Player.Vlc;
using AmvScreening.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AmvScreening.Tests.Web;

/// <summary>
/// The prizegiving end to end (docs/prizegiving.md): the reveal console in Chromium steps through the ceremony, the real
/// player (libvlc headless) puts the nominees and the winner slate up and reports them, the phone's results view shows
/// the winner, and /screen mirrors both slates. Before the reveal the winner is nowhere: not in the API, the hub's
/// pushes, the phone, /screen, the player, or the console (unless rehearsing). A tie blocks the step until decided.
/// With the placings on and off.
/// </summary>
[Collection(LibVlcCollection.Name)]
public sealed class CeremonyRealPlayerTests(Browser browser) : IClassFixture<Browser>, IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private readonly AmvServer _server = new(TestMedia.ServerSettings);
    private readonly string _state = Directory.CreateTempSubdirectory("amv-ceremony-player-").FullName;

    static CeremonyRealPlayerTests() => VoterPageChecks.Init();

    public void Dispose()
    {
        _server.Dispose();
        Directory.Delete(_state, recursive: true);
    }

    [Theory]
    [InlineData("placings")]
    [InlineData("winners")]
    public async Task Ceremony_FromConsoleSteps_ToPlayerSlates_PhonesAndScreen_NothingBeforeItsReveal(string prizegiving)
    {
        var clip = await TestMedia.ClipAsync(seconds: 30);
        var ids = await PlayerContest.ImportAsync(_server, clip, clip, clip);
        using var coordinator = await _server.CreateStaffClientAsync();
        var details = JsonNode.Parse(await coordinator.GetStringAsync("/api/contest"))!["contest"]!;
        details["prizegiving"] = prizegiving;
        (await coordinator.PutAsJsonAsync("/api/contest/details", details)).EnsureSuccessStatusCode();
        var categoryId = JsonNode.Parse(await coordinator.GetStringAsync("/api/contest"))!["categories"]![0]!["id"]!.GetValue<int>();
        var scope = $"category:{categoryId}";

        // Finalists 2 and 3 tie at the top on paper ballots; voting closes.
        foreach (var (id, five) in new[] { (ids[0], 1), (ids[1], 4), (ids[2], 4) })
        {
            (await coordinator.PutAsJsonAsync($"/api/entries/{id}/paper", new { counts = new Dictionary<string, int> { ["5"] = five, ["3"] = 2 } })).EnsureSuccessStatusCode();
        }

        (await coordinator.PostAsync($"/api/voting/categories/{categoryId}/close", null)).EnsureSuccessStatusCode();

        await using var player = await PlayerRun.StartRealAsync(_server, _state, settings => settings with
        {
            Show = new ShowOptions { Intro = TimeSpan.FromSeconds(60), Outro = TimeSpan.FromSeconds(60), Winner = TimeSpan.FromSeconds(60) },
            Rundown = new RundownOptions(CategoryCards: false),
        });
        await using var listener = _server.CreateVoterHub();
        var pushes = listener.Received<PublicResults>(ShowHubMethods.ResultsRevealed);
        await listener.StartAndSyncAsync();

        var screen = await browser.NewLaptopAsync(_server.BaseAddress);
        await screen.SetViewportSizeAsync(1920, 1080);
        await screen.GotoAsync("/screen");
        await Expect(screen.Locator("body")).ToHaveAttributeAsync("data-conn", "live");
        var room = await coordinator.GetFromJsonAsync<RoomInfo>("/api/room");
        var phone = await browser.NewPhoneAsync(_server.BaseAddress);
        await phone.GotoAsync($"/v/{room!.Code}");
        var console = await browser.NewLaptopAsync(_server.BaseAddress);
        var errors = ConsoleSupport.CollectErrors(console);
        await ConsoleSupport.SignInAsync(console, then: "/console/reveal");
        await ConsoleSupport.WaitLiveAsync(console);
        var nominees = console.Locator($"li[data-step='nominees|{scope}']");
        var prize = console.Locator($"li[data-step='prize|{scope}']");

        // 1. The nominees: on the projector (the player's report), mirrored on /screen, in running order.
        await Expect(nominees.Locator("[data-presenter]")).ToContainTextAsync("The nominees for Upbeat/Fun are: “Finalist 1” by Editor; “Finalist 2”");
        await nominees.GetByRole(AriaRole.Button, new() { Name = "Show the nominees" }).ClickAsync();
        await Expect(screen.Locator("#screen")).ToHaveAttributeAsync("data-phase", "nominees");
        await Expect(screen.Locator("#board li .name")).ToHaveTextAsync(["Finalist 1", "Finalist 2", "Finalist 3"]);
        Assert.Equal((ShowPhase.Nominees, scope), (player.Host.Sequencer!.Current!.Phase, player.Host.Sequencer.Current.Scope));
        var reported = await _server.GetShowOverHttpAsync();
        Assert.Equal((ShowPhase.Nominees, scope, ProjectorStatus.Live), (reported.Phase, reported.Scope, reported.Projector));

        // 2. The winner step is blocked by the tie; nothing of the winner anywhere, not even on the console.
        await Expect(prize.Locator("[data-blocker]")).ToHaveAttributeAsync("data-blocker", "tie-undecided");
        await Expect(prize.Locator("button.reveal")).ToBeDisabledAsync();
        await Expect(prize.Locator("[data-presenter]")).ToHaveCountAsync(0);
        await VoterPageChecks.AssertAccessibleAsync(console, "reveal console, tie blocking");
        await VoterPageChecks.AssertAccessibleAsync(screen, "screen with the nominees");
        using (var blocked = await coordinator.PostAsJsonAsync("/api/ceremony/show", new { kind = "prize", scope }))
        {
            Assert.Equal(System.Net.HttpStatusCode.Conflict, blocked.StatusCode);
            Assert.Contains("tie-undecided", await blocked.Content.ReadAsStringAsync());
        }

        // The tie is decided while rehearsing: who tied (and the choice) names the winner-to-be, so a mirrored page shows
        // neither.
        var rehearse = console.GetByLabel("Rehearse: show the presenter’s lines and slate previews of winners not yet revealed");
        await Expect(prize.Locator("fieldset.tie")).ToContainTextAsync("2 finalists are tied at the top");
        Assert.DoesNotContain("Finalist", await prize.InnerTextAsync());
        await rehearse.CheckAsync();
        await prize.GetByLabel("Finalist 3 — Editor").CheckAsync();
        await prize.GetByLabel("Why (kept with the results)").FillAsync("Judges' ruling");
        await prize.GetByRole(AriaRole.Button, new() { Name = "Decide the tie" }).ClickAsync();
        await Expect(prize.Locator("button.reveal")).ToBeEnabledAsync();
        await Expect(console.Locator("#message")).ToHaveTextAsync("Tie decided.");
        await rehearse.UncheckAsync();
        await Expect(prize.Locator("fieldset.tie")).ToContainTextAsync("the winner is chosen");
        Assert.DoesNotContain("Finalist", await prize.InnerTextAsync());

        Assert.Empty((await coordinator.GetFromJsonAsync<PublicResults>("/api/results"))!.Categories);
        Assert.False(pushes.TryRead(out _));
        await Expect(phone.Locator("section.results")).ToHaveCountAsync(0);
        Assert.NotEqual(ShowPhase.Winner, player.Host.Sequencer.Current!.Phase);
        await Expect(screen.Locator("#board li[data-rank]")).ToHaveCountAsync(0);
        Assert.DoesNotContain("winner", (await screen.Locator("#screen").GetAttributeAsync("data-phase"))!);

        // 3. Rehearsal: the presenter's line and the private preview, the slate the player will draw.
        await rehearse.CheckAsync();
        await Expect(prize.Locator("[data-presenter]")).ToContainTextAsync("And the winner of Upbeat/Fun is… “Finalist 3” by Editor!");
        await prize.GetByText("Preview the slate (only here)").ClickAsync();
        var preview = prize.Locator("details.preview img");
        await Expect(preview).ToHaveJSPropertyAsync("complete", true);
        Assert.True(await preview.EvaluateAsync<int>("img => img.naturalWidth") > 0, "the preview did not load");
        await VoterPageChecks.AssertAccessibleAsync(console, "reveal console, rehearsing");
        await ConsoleSupport.ScreenshotAsync(console, $"reveal-rehearsal-{prizegiving}");
        await rehearse.UncheckAsync();
        await Expect(prize.Locator("[data-presenter]")).ToHaveCountAsync(0);
        Assert.Empty((await coordinator.GetFromJsonAsync<PublicResults>("/api/results"))!.Categories);

        // 4. Reveal and show: everyone at once; the player's winner slate; the phone; /screen, with the placings when set.
        await prize.GetByRole(AriaRole.Button, new() { Name = "Reveal and show" }).ClickAsync();
        var revealed = (await pushes.NextAsync()).Categories.Single();
        Assert.Equal(ids[2], revealed.Winner.Id);
        await Expect(screen.Locator("#screen")).ToHaveAttributeAsync("data-phase", "winner");
        await Expect(screen.Locator("#title")).ToHaveTextAsync("Finalist 3");
        Assert.Equal((ShowPhase.Winner, scope, ids[2]), (player.Host.Sequencer.Current!.Phase, player.Host.Sequencer.Current.Scope, player.Host.Sequencer.Current.Entry?.Id));
        await Expect(phone.Locator("section.results")).ToContainTextAsync("Finalist 3");
        if (prizegiving == "placings")
        {
            Assert.Equal([(1, ids[2]), (2, ids[1]), (3, ids[0])], revealed.Placings!.Select(p => (p.Rank, p.Entry.Id)));
            await Expect(screen.Locator("#board li[data-rank]")).ToHaveCountAsync(3);
            await Expect(screen.Locator("#board li[data-rank='1'] .name")).ToHaveTextAsync("Finalist 3");
            // The phone's podium: every finalist by rank, the winner first.
            await Expect(phone.Locator(".results > .podium .place .winner-title")).ToHaveTextAsync(["Finalist 3", "Finalist 2", "Finalist 1"]);
        }
        else
        {
            Assert.Null(revealed.Placings);
            await Expect(screen.Locator("#board")).ToBeHiddenAsync();
        }

        await Expect(prize).ToHaveAttributeAsync("data-state", "done");
        await VoterPageChecks.AssertAccessibleAsync(screen, $"screen with the winner ({prizegiving})");
        await VoterPageChecks.AssertAccessibleAsync(console, "reveal console, revealed");
        ConsoleSupport.AssertNoErrors(errors);
    }
}
