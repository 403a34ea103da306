using System.Net.Http.Json;
using System.Text.Json;
using AmvScreening.Protocol;
using AmvScreening.Server.Voting;
using AmvScreening.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AmvScreening.Tests.Web;

/// <summary>The phone app's code box, ballot cards and a busy server, in real Chromium against the real server.</summary>
public sealed class VoterCodeTests(Browser browser) : IClassFixture<Browser>
{
    private const string CodeLabel = "Code from the screen, a poster or your ballot card";

    static VoterCodeTests() => VoterPageChecks.Init();

    [Fact]
    public async Task APhoneWithoutACode_TypesIt_LookAlikesAndWrongLengthsAreSaid_AndAnyCaseJoins()
    {
        await using var show = await VoterShow.StartAsync();
        var code = await show.RoomCodeAsync();
        var page = await show.NewPhoneAsync(browser);
        await page.GotoAsync("/v");

        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-screen", "nocode");
        await Expect(page.Locator(".notice")).ToContainTextAsync("type the code shown there");
        // Not joined, yet it says whose contest this is.
        await Expect(page.Locator(".brand-name")).ToHaveTextAsync(show.ContestName);
        await Expect(page.Locator("#notice-h")).ToHaveTextAsync(show.ContestName);
        var box = page.GetByLabel(CodeLabel);
        await Expect(box).ToBeVisibleAsync();
        await VoterPageChecks.AssertAccessibleAsync(page, "code box");
        await VoterPageChecks.ScreenshotAsync(page, "code-box");

        var error = page.GetByRole(AriaRole.Alert);
        await box.FillAsync(code[..3]);
        await page.GetByRole(AriaRole.Button, new() { Name = "Join" }).ClickAsync();
        await Expect(error).ToHaveTextAsync("A code has 6 characters and a ballot card's key 16: this has 3.");
        await Expect(box).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(box).ToBeFocusedAsync();

        await box.FillAsync("o" + code[1..]);
        await box.PressAsync("Enter");
        await Expect(error).ToHaveTextAsync("Codes never use “O”: 0, O, D, Q look alike, so none of them is used. Check the code.");
        await VoterPageChecks.AssertAccessibleAsync(page, "code box with an error");
        await VoterPageChecks.ScreenshotAsync(page, "code-box-error");

        // Lower case, with a blank in the middle: joins.
        await box.FillAsync($"{code[..3].ToLowerInvariant()} {code[3..]}");
        await box.PressAsync("Enter");
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-screen", "ready");
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-conn", "live");
        Assert.Equal("\"screen\"", await page.EvaluateAsync<string>("() => localStorage.getItem('amv.via')"));
    }

    [Fact]
    public async Task APosterCodeTyped_Joins_AndARevokedOneIsSaid()
    {
        await using var show = await VoterShow.StartAsync();
        var poster = await (await show.Coordinator.PostAsJsonAsync("/api/room/posters", new { label = "Main entrance" })).Content.ReadFromJsonAsync<JsonElement>();
        var code = poster.GetProperty("code").GetString()!;

        var page = await show.NewPhoneAsync(browser);
        await page.GotoAsync("/v");
        await page.GetByLabel(CodeLabel).FillAsync(code.ToLowerInvariant());
        await page.GetByLabel(CodeLabel).PressAsync("Enter");
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-screen", "ready");
        Assert.Equal("\"poster\"", await page.EvaluateAsync<string>("() => localStorage.getItem('amv.via')"));

        await show.PostAsync($"/api/room/posters/{poster.GetProperty("id")}/revoke");
        var late = await show.NewPhoneAsync(browser);
        await late.GotoAsync($"/v/{code}");
        await Expect(late.Locator("#notice-h")).ToHaveTextAsync("This poster's code has been withdrawn");
        await Expect(late.GetByLabel(CodeLabel)).ToBeVisibleAsync();
        await VoterPageChecks.AssertAccessibleAsync(late, "poster withdrawn");
    }

    [Fact]
    public async Task InCardMode_APhoneWithoutACardFollows_ThenJoinsWithTheCardItTypesOrScans_AndASecondPhoneIsRefused()
    {
        await using var show = await VoterShow.StartAsync();
        await CardTesting.SetRequireCardsAsync(show.Coordinator, true);
        var batch = await CardTesting.CreateBatchAsync(show.Coordinator, 3);
        var cards = await CardTesting.PrintAsync(show.Coordinator, batch.GetProperty("id").GetInt64());
        var entry = show.Entries[0];
        await show.PlayAsync(entry.Id);

        // In by the screen code: it follows the show, and says how to vote.
        var page = await show.OpenPhoneAsync(browser);
        await Expect(page.Locator("#card-note-h")).ToHaveTextAsync("This contest votes with ballot cards");
        await Expect(page.Locator("#now-title")).ToHaveTextAsync(entry.Title);
        await Expect(page.Locator(".now .status")).ToHaveTextAsync("Voting needs a ballot card: ask a staff member for one.");
        await Expect(Star(page, 4, entry.Title)).ToBeHiddenAsync();
        await VoterPageChecks.AssertAccessibleAsync(page, "card mode without a card");
        await VoterPageChecks.ScreenshotAsync(page, "card-needed");

        var box = page.GetByLabel(CodeLabel);
        await box.FillAsync(await show.RoomCodeAsync());
        await box.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("That is a room code: to vote here, type the 16-character key of your ballot card.");

        // The card's key typed as printed, in lower case: the phone now votes with the card.
        await box.FillAsync(cards[0].Key.ToLowerInvariant());
        await box.PressAsync("Enter");
        await Expect(page.Locator("#card-note-h")).ToHaveCountAsync(0);
        await Star(page, 4, entry.Title).ClickAsync();
        await Expect(page.Locator(".now .status")).ToHaveTextAsync("Saved: 4 of 5. Tap to change.");
        Assert.Equal((1, 4m), await show.TallyAsync(entry.Id));

        // Another phone scanning the same card: refused, told what to do; the key leaves the address bar.
        var second = await show.NewPhoneAsync(browser);
        await second.GotoAsync($"/v#card={cards[0].Key.Replace("-", "")}");
        await Expect(second.Locator("#notice-h")).ToHaveTextAsync("This card is in use on another phone");
        await Expect(second.Locator(".notice")).ToContainTextAsync("Ask a staff member");
        Assert.DoesNotContain("card=", second.Url);
        await VoterPageChecks.AssertAccessibleAsync(second, "card in use");
        await VoterPageChecks.ScreenshotAsync(second, "card-in-use");

        // A phone scanning its own card joins with it and votes.
        var third = await show.NewPhoneAsync(browser);
        await third.GotoAsync($"/v#card={cards[1].Key.Replace("-", "")}");
        await Star(third, 2, entry.Title).ClickAsync();
        await Expect(third.Locator(".now .status")).ToHaveTextAsync("Saved: 2 of 5. Tap to change.");
        Assert.Equal((2, 3m), await show.TallyAsync(entry.Id));
        Assert.DoesNotContain("card=", third.Url);
    }

    [Fact]
    public async Task ABusyServer_OnJoiningAndOnAVote_ThePhoneSaysItIsBusyAndWaits_NeverThatItCannotReachTheServer()
    {
        var clock = new ManualClock();
        await using var show = await VoterShow.StartAsync(
            new Dictionary<string, string?> { ["Amv:Voting:PerVoterBurst"] = "1", ["Amv:Voting:PerVoterPerMinute"] = "1" }, clock);
        var entry = show.Entries[0];
        await show.PlayAsync(entry.Id);

        // Wrong codes from this machine's address spend its budget: the phone's join is answered 429.
        using var guesser = show.Server.CreateAnonymousClient();
        for (var i = 0; i < JoinGuard.PerAddress; i++)
        {
            await guesser.PostAsJsonAsync("/api/voters", new { roomCode = "AAAAAA" });
        }

        var page = await show.OpenPhoneAsync(browser);
        await Expect(page.Locator(".notice")).ToContainTextAsync("The server is busy. Waiting 1 s, then trying again…");
        await Expect(page.Locator(".notice")).Not.ToContainTextAsync("Can't reach");
        await VoterPageChecks.AssertAccessibleAsync(page, "server busy");

        clock.Advance(TimeSpan.FromMinutes(1));
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-screen", "ready");

        // One vote a minute per phone here: the second is answered 429 with Retry-After 60.
        await Star(page, 3, entry.Title).ClickAsync();
        await Expect(page.Locator(".now .status")).ToHaveTextAsync("Saved: 3 of 5. Tap to change.");
        await Star(page, 5, entry.Title).ClickAsync();
        await Expect(page.Locator(".now .status")).ToContainTextAsync("The server is busy: 5 of 5 is kept on this phone and sent in about");
        await Expect(page.Locator("body")).Not.ToContainTextAsync("Can't reach");
        Assert.Equal((1, 3m), await show.TallyAsync(entry.Id));
    }

    private static ILocator Star(IPage page, int score, string title) =>
        page.GetByRole(AriaRole.Button, new() { Name = $"Rate {score} of 5 stars for {title}", Exact = true });
}
