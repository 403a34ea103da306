using System.Net.Http.Json;
using System.Text.Json;
using AmvScreening.Tests.Contest;
using AmvScreening.Tests.Player.Vlc;
using AmvScreening.Tests.Support;
using AmvScreening.Tests.Web;
using Dapper;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static AmvScreening.Tests.Judging.JudgingPages;
using static Microsoft.Playwright.Assertions;

namespace AmvScreening.Tests.Judging;

/// <summary>Judging in Chromium, as people do it: the coordinator adds two judges on the Judges page, each takes their
/// invite link, plays entries and scores them with blind judging on (no editor anywhere on their page); the coordinator
/// selects on the Selection page and promotes. axe-core finds nothing to fix on the judge's, the Judges and the
/// Selection pages.</summary>
public sealed class JudgingBrowserTests(Browser browser, ITestOutputHelper output) : IClassFixture<Browser>, IAsyncLifetime
{
    private static readonly string[] Editors = ["Zed Quill", "Mara Voss", "Olli Brand"];

    private JudgingRig _rig = null!;
    private int[] _action = [];
    private int _comedy;

    public async Task InitializeAsync()
    {
        VoterPageChecks.Init();
        _rig = await JudgingRig.StartAsync(min: -2, max: 2, blind: true);
        var clip = await TestMedia.ClipAsync(seconds: 2);
        _action =
        [
            await _rig.AddEntryAsync("Action", "Blade Dance", [Editors[0]], "zed@example.org", clip),
            await _rig.AddEntryAsync("Action", "Steel Rain", [Editors[1]], "mara@example.org", clip),
        ];
        _comedy = await _rig.AddEntryAsync("Comedy", "Pudding Heist", [Editors[2]], "olli@example.org", clip);
    }

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    [Fact]
    public async Task TwoJudgesScoreBlind_TheCoordinatorSelectsAndPromotes()
    {
        var coordinator = await browser.NewLaptopAsync(_rig.Server.BaseAddress);
        var errors = ConsoleSupport.CollectErrors(coordinator);
        await ConsoleSupport.SignInAsync(coordinator, then: "/console/judging");
        await Expect(coordinator.Locator("#judges")).ToHaveAttributeAsync("data-ready", "true");
        var aikoInvite = await AddJudgeAsync(coordinator, "Aiko", "Action");
        var bramInvite = await AddJudgeAsync(coordinator, "Bram", "Action", "Comedy");
        await Expect(coordinator.Locator("#judges tbody tr")).ToHaveCountAsync(2);
        await VoterPageChecks.AssertAccessibleAsync(coordinator, "judges");
        await ConsoleSupport.ScreenshotAsync(coordinator, "judging");

        var aiko = await JudgeAsync(aikoInvite, 1);
        var bram = await JudgeAsync(bramInvite, 2);
        await VoterPageChecks.AssertAccessibleAsync(aiko.Page, "judge panel");
        await ConsoleSupport.ScreenshotAsync(bram.Page, "judge-panel");

        // The entry plays in the page, from the server, with range requests (the browser asks for ranges itself).
        var ready = await aiko.Page.EvaluateAsync<int>(
            """
            async id => {
              const video = document.querySelector(`article[data-entry="${id}"] video`);
              video.preload = 'auto';
              video.load();
              await new Promise((resolve, reject) => { video.onloadeddata = resolve; video.onerror = () => reject(new Error('video error ' + video.error?.code)); });
              return video.readyState;
            }
            """, _action[0]).WaitAsync(Browser.Bound);
        Assert.True(ready >= 2, $"readyState {ready}");

        await ScoreAsync(aiko.Page, _action[0], 2, "Great sync", flag: null);
        await ScoreAsync(aiko.Page, _action[1], -1, "Logo in the corner", flag: "tv-logos");
        await ScoreAsync(bram.Page, _action[0], 1, null, null);
        await ScoreAsync(bram.Page, _action[1], -2, null, null);
        await ScoreAsync(bram.Page, _comedy, 0, null, null);

        // From the judge's browser, a change without the page's antiforgery token is refused (cross-site request forgery).
        var body = new { score = 0, note = (string?)null, ruleFlag = (string?)null };
        Assert.Equal(403, await ConsoleSupport.FetchStatusAsync(bram.Page, "PUT", $"/api/judging/entries/{_comedy}/score", withToken: false, body));
        Assert.Equal(200, await ConsoleSupport.FetchStatusAsync(bram.Page, "PUT", $"/api/judging/entries/{_comedy}/score", withToken: true, body));
        lock (bram.Errors)
        {
            bram.Errors.RemoveAll(e => e.Contains("status of 403", StringComparison.Ordinal)); // the refusal just asked for
        }

        // A score off the scale is refused beside its field, and the stored one stays.
        await bram.Page.Locator($"#score-{_comedy}").FillAsync("7");
        await bram.Page.Locator($"form[data-entry=\"{_comedy}\"] button[type=submit]").ClickAsync();
        await Expect(bram.Page.Locator($"form[data-entry=\"{_comedy}\"] .field-error")).ToContainTextAsync("-2 to 2");

        // After reloading, each judge's page shows their own verdicts, still without any editor.
        await aiko.Page.ReloadAsync();
        await Expect(aiko.Page.Locator("#categories")).ToHaveAttributeAsync("data-ready", "true");
        await Expect(aiko.Page.Locator($"#flag-{_action[1]}")).ToHaveValueAsync("tv-logos");
        await Expect(aiko.Page.Locator($"#note-{_action[0]}")).ToHaveValueAsync("Great sync");
        foreach (var judge in new[] { aiko, bram })
        {
            AssertNoEditors(await judge.Page.ContentAsync(), judge.Name);
            AssertNoEditors(string.Join("\n", judge.Requests), $"{judge.Name}'s requests");
        }

        // The coordinator ranks, selects, orders and promotes.
        await coordinator.GotoAsync("/console/selection");
        await Expect(coordinator.Locator("#categories")).ToHaveAttributeAsync("data-ready", "true");
        var action = coordinator.Locator($"section[data-category=\"{_rig.Categories["Action"]}\"] tbody tr");
        await Expect(action.First).ToHaveAttributeAsync("data-entry", _action[0].ToString());
        await Expect(action.First.Locator("td").Nth(2)).ToHaveTextAsync("1.5");
        await Expect(action.Nth(1).Locator("td").Nth(3)).ToContainTextAsync("1 (−2…−1)");
        await Expect(action.Nth(1)).ToContainTextAsync("rule flag");
        await VoterPageChecks.AssertAccessibleAsync(coordinator, "selection");

        await SetOutcomeAsync(coordinator, _action[0], "finalist");
        await SetOutcomeAsync(coordinator, _action[1], "finalist");
        await SetOutcomeAsync(coordinator, _comedy, "disqualified", "Source subtitles throughout");
        await coordinator.GetByRole(AriaRole.Button, new() { Name = "Move Steel Rain up" }).ClickAsync();
        await Expect(coordinator.Locator($"tr[data-entry=\"{_action[1]}\"]")).ToContainTextAsync("#1");
        coordinator.Dialog += (_, dialog) => dialog.AcceptAsync();
        await coordinator.GetByRole(AriaRole.Button, new() { Name = "Promote the finalists to the show" }).ClickAsync();
        await Expect(coordinator.Locator("#message")).ToContainTextAsync("2 finalists are in the show");
        await ConsoleSupport.ScreenshotAsync(coordinator, "selection");
        await VoterPageChecks.AssertAccessibleAsync(coordinator, "selection after promotion");

        var finalists = await ContestApi.GetFinalistsAsync(_rig.Coordinator);
        Assert.Equal([("Steel Rain", 1), ("Blade Dance", 2)], finalists.Select(f => (f.Title, f.Order)));
        await using var db = await JudgingRig.OpenAsync(_rig.Server);
        Assert.Equal("Source subtitles throughout", await db.ExecuteScalarAsync<string>("SELECT outcome_reason FROM submissions WHERE id = @_comedy", new { _comedy }));
        Assert.Equal(5, await db.ExecuteScalarAsync<int>("SELECT count(*) FROM judge_scores"));
        // Signing out from the judge's page ends that judge's session.
        await bram.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await bram.Page.WaitForURLAsync(url => url.Contains("/console/judge/sign-in", StringComparison.Ordinal));
        await bram.Page.GotoAsync("/console/judge");
        Assert.Contains("/console/judge/sign-in?returnUrl=%2Fconsole%2Fjudge", bram.Page.Url, StringComparison.Ordinal);
        ConsoleSupport.AssertNoErrors(errors, aiko.Errors, bram.Errors);

        output.WriteLine($"Two judges scored {5} times blind; {finalists.Count} finalists promoted in their order.");
    }

    private Task<JudgingPages.JudgeBrowser> JudgeAsync(string invite, int categories) =>
        JudgingPages.TakeInviteAsync(browser, _rig.Server.BaseAddress, invite, categories, "from -2 to 2");

    private static void AssertNoEditors(string text, string where) => JudgingPages.AssertHides(text, where, Editors.Concat(["example.org"]));
}
