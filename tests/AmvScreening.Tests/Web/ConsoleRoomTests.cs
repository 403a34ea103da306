using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using AmvScreening.Protocol;
using AmvScreening.Server.Auth;
using AmvScreening.Tests.Support;
using Microsoft.Playwright;
using static AmvScreening.Tests.Support.HubTesting;
using static Microsoft.Playwright.Assertions;

namespace AmvScreening.Tests.Web;

/// <summary>The room on the consoles, in real Chromium against the real server: phones connected on the live view and
/// the booth, votes cast per finalist (the booth sees counts, never a score), turnout on the results sheet; and the
/// consoles' fit: the finalists table on a 1366 px laptop, the booth and live view on a 390 px phone, the poster on
/// one printed page, an award without a finalist.</summary>
public sealed partial class ConsoleRoomTests(Browser browser) : IClassFixture<Browser>, IDisposable
{
    private readonly AmvServer _server = new();

    public void Dispose() => _server.Dispose();

    /// <summary>Fails when the page is wider than <paramref name="width"/> (a phone then zooms out, a laptop scrolls
    /// sideways), naming the elements that stick out (outside boxes that scroll by themselves).</summary>
    private static async Task AssertFitsAsync(IPage page, string name, int width)
    {
        var offenders = await page.EvaluateAsync<string>(
            """
            width => {
              const root = document.documentElement;
              if (root.scrollWidth <= width && innerWidth <= width) return '';
              return [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > width + 0.5 && !e.closest('.table-scroll, .sr-only'))
                .slice(0, 8).map(e => `${e.tagName.toLowerCase()}#${e.id}.${e.className} ends at ${Math.round(e.getBoundingClientRect().right)}`)
                .join('; ') || `document ${root.scrollWidth} px wide, window ${innerWidth}: `
                  + [...document.querySelectorAll('body *')].map(e => [e, e.getBoundingClientRect().right, e.scrollWidth])
                    .sort((a, b) => b[2] - a[2]).slice(0, 6).map(([e, r, w]) => `${e.tagName}#${e.id}.${e.className} right ${r} scroll ${w}`).join('; ');
            }
            """, width);
        Assert.True(offenders.Length == 0, $"the {name} is wider than {width} px: {offenders}");
    }

    [Fact]
    public async Task BoothAndLiveView_ShowPhonesConnectedAndVotesPerFinalist_TheBoothNoScore()
    {
        using var coordinator = await _server.CreateStaffClientAsync();
        var c = await ConsoleSupport.ImportSmallContestAsync(coordinator);
        await TestContest.SetVotingAsync(coordinator, c.Action, "open");
        var booth = await browser.NewPhoneAsync(_server.BaseAddress);
        var live = await browser.NewPhoneAsync(_server.BaseAddress);
        var errors = new[] { ConsoleSupport.CollectErrors(booth), ConsoleSupport.CollectErrors(live) };
        await ConsoleSupport.SignInAsync(booth, Roles.Booth, "/console/booth");
        await ConsoleSupport.SignInAsync(live, then: "/console/live");
        await ConsoleSupport.WaitLiveAsync(booth);
        await ConsoleSupport.WaitLiveAsync(live);
        await Expect(booth.Locator("#phones")).ToHaveTextAsync("0 phones connected");

        await using var phone = _server.CreateVoterHub();
        await phone.StartAndSyncAsync();
        foreach (var page in new[] { booth, live })
        {
            await Expect(page.Locator("#phones")).ToHaveTextAsync("1 phone connected");
        }

        await TestContest.VoteAsync(_server, coordinator, c.A1, 5, 1, 3);
        await TestContest.VoteAsync(_server, coordinator, c.A2, 2);
        await Expect(booth.Locator($"#turnout [data-votes='{c.A1}']")).ToHaveTextAsync("3");
        await Expect(booth.Locator($"#turnout [data-votes='{c.A2}']")).ToHaveTextAsync("1");
        await Expect(booth.Locator("#turnout-category")).ToHaveTextAsync("Action: 4 phone(s) voted");
        await Expect(live.Locator($"[data-turnout='{c.A1}']")).ToHaveTextAsync("3");
        await Expect(live.Locator($"[data-voters='{c.Action}']")).ToContainTextAsync("4 phone vote(s) from 4 phone(s)");
        await Expect(live.Locator($"[data-mean='{c.A1}']")).ToHaveTextAsync("3.00");
        Assert.DoesNotContain("3.00", await booth.Locator("main").InnerTextAsync());

        await phone.StopAsync();
        await Expect(booth.Locator("#phones")).ToHaveTextAsync("0 phones connected");

        // Phone pages: nothing wider than the phone, and no accessibility violation.
        foreach (var (page, name) in new[] { (booth, "booth remote"), (live, "live view") })
        {
            await AssertFitsAsync(page, name, 390);
            await VoterPageChecks.AssertAccessibleAsync(page, $"{name} at 390 px");
        }

        await ConsoleSupport.ScreenshotAsync(booth, "booth-room-phone");
        ConsoleSupport.AssertNoErrors(errors);
    }

    [Fact]
    public async Task Turnout_ReachesTheBoothWithoutScores_AndNeverThePhones()
    {
        using var coordinator = await _server.CreateStaffClientAsync();
        var c = await ConsoleSupport.ImportSmallContestAsync(coordinator);
        await TestContest.SetVotingAsync(coordinator, c.Action, "open");
        await using var boothHub = await _server.CreateStaffHubAsync(Roles.Booth);
        await using var voterHub = _server.CreateVoterHub();
        var boothTurnout = boothHub.Received<Turnout>(ShowHubMethods.TurnoutChanged);
        var voterTurnout = voterHub.Received<Turnout>(ShowHubMethods.TurnoutChanged);
        await boothHub.StartAndSyncAsync();
        await voterHub.StartAndSyncAsync();

        await TestContest.VoteAsync(_server, coordinator, c.A2, 5, 5);
        await TestContest.VoteAsync(_server, coordinator, c.A1, 1);

        var pushed = await boothTurnout.NextMatchingAsync(t => t.Categories.Sum(x => x.Entries.Sum(e => e.Votes)) == 3);
        var action = pushed.Categories.Single(x => x.CategoryId == c.Action);
        Assert.Equal(3, action.Voters);
        Assert.Equal([c.A1, c.A2], action.Entries.Select(e => e.EntryId)); // by id, not by rank (A2 leads)
        Assert.Equal([1, 2], action.Entries.Select(e => e.Votes));

        using var boothClient = await _server.CreateStaffClientAsync(Roles.Booth);
        var fetched = await boothClient.GetStringAsync("/api/turnout").WaitAsync(Bound);
        Assert.Equal(JsonSerializer.Serialize(pushed, JsonSerializerOptions.Web), fetched);
        Assert.DoesNotMatch(ScoreWords(), fetched);
        Assert.Equal(HttpStatusCode.Forbidden, (await boothClient.GetAsync("/api/tallies").WaitAsync(Bound)).StatusCode);
        using var anonymous = _server.CreateAnonymousClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/turnout").WaitAsync(Bound)).StatusCode);
        Assert.False(voterTurnout.TryRead(out _), "a phone received the turnout");
    }

    [GeneratedRegex("mean|score|rank|pick|online|paper", RegexOptions.IgnoreCase)]
    private static partial Regex ScoreWords();

    [Fact]
    public async Task ResultsSheet_ShowsTurnoutPerCategory()
    {
        using var coordinator = await _server.CreateStaffClientAsync();
        var c = await ConsoleSupport.ImportSmallContestAsync(coordinator);
        await TestContest.SetVotingAsync(coordinator, c.Action, "open");
        await TestContest.VoteAsync(_server, coordinator, c.A1, 4, 5);
        (await coordinator.PutAsJsonAsync($"/api/entries/{c.A2}/paper", new { counts = new Dictionary<string, int> { ["3"] = 7 } })).EnsureSuccessStatusCode();
        var page = await browser.NewLaptopAsync(_server.BaseAddress);
        var errors = ConsoleSupport.CollectErrors(page);
        await ConsoleSupport.SignInAsync(page, then: "/console/results");

        await Expect(page.Locator($"[data-turnout='{c.Action}']")).ToHaveTextAsync("Turnout: 2 phones voted (2 phone votes), 7 paper votes.");
        await Expect(page.Locator($"[data-turnout='{c.Comedy}']")).ToHaveTextAsync("Turnout: 0 phones voted (0 phone votes), 0 paper votes.");
        await VoterPageChecks.AssertAccessibleAsync(page, "results sheet");
        ConsoleSupport.AssertNoErrors(errors);
    }

    [Fact]
    public async Task FinalistsTables_FitA1366Laptop_WithEveryDeleteButtonInView()
    {
        using var coordinator = await _server.CreateStaffClientAsync();
        var c = await ConsoleSupport.ImportSmallContestAsync(coordinator);
        // The widest row: a long title, a long file path, every button (a disqualified finalist offers Reinstate).
        var entry = new
        {
            categoryId = c.Action, title = "An Extraordinarily Long Finalist Title That Goes On And On Without End", editors = new[] { "Editor With A Long Name", "Second Editor" },
            musicArtist = "A Band With A Very Long Name", musicTitle = "A Song Title That Is Also Much Longer Than Usual",
            file = "2026/action/an-extraordinarily-long-finalist-title-that-goes-on-and-on-and-on-without-end.mp4", disqualified = true,
        };
        var added = await coordinator.PostAsJsonAsync("/api/contest/entries", entry);
        Assert.True(added.IsSuccessStatusCode, await added.Content.ReadAsStringAsync());
        var page = await browser.NewLaptopAsync(_server.BaseAddress);
        var errors = ConsoleSupport.CollectErrors(page);
        await ConsoleSupport.SignInAsync(page, then: "/console/finalists");
        await Expect(page.Locator("table.finalists")).ToHaveCountAsync(2);

        await AssertFitsAsync(page, "finalists page", 1366);
        var scrolling = await page.EvaluateAsync<int>(
            "() => [...document.querySelectorAll('.table-scroll')].filter(s => s.scrollWidth > s.clientWidth).length");
        Assert.Equal(0, scrolling);
        var deletes = page.Locator("table.finalists").GetByRole(AriaRole.Button, new() { Name = "Delete" });
        Assert.Equal(5, await deletes.CountAsync());
        foreach (var delete in await deletes.AllAsync())
        {
            await Expect(delete).ToBeVisibleAsync();
            var box = await delete.BoundingBoxAsync();
            var cell = await delete.Locator("xpath=ancestor::div[contains(@class,'table-scroll')]").BoundingBoxAsync();
            Assert.True(box is not null && cell is not null && box.X + box.Width <= cell.X + cell.Width && box.X + box.Width <= 1366,
                $"a Delete button ends at {box?.X + box?.Width} px, its table at {cell?.X + cell?.Width} px");
        }

        await VoterPageChecks.AssertAccessibleAsync(page, "finalists at 1366 px");
        await ConsoleSupport.ScreenshotAsync(page, "finalists-1366");
        ConsoleSupport.AssertNoErrors(errors);
    }

    [Theory]
    [InlineData("letter", "Letter")]
    [InlineData("a4", "A4")]
    public async Task Poster_PrintsOnOnePage(string paper, string format)
    {
        using var coordinator = await _server.CreateStaffClientAsync();
        await ConsoleSupport.ImportSmallContestAsync(coordinator);
        var poster = await (await coordinator.PostAsJsonAsync("/api/room/posters", new { label = "Main entrance, by the registration desk" }))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
        var page = await browser.NewLaptopAsync(_server.BaseAddress);
        await ConsoleSupport.SignInAsync(page, then: $"/console/room/poster?poster={poster.GetProperty("id")}&paper={paper}");
        await Expect(page.Locator(".poster-sheet .qr svg")).ToBeVisibleAsync();

        var pdf = await page.PdfAsync(new PagePdfOptions { Format = format, PreferCSSPageSize = true, PrintBackground = true });

        Assert.Single(PdfPages().Matches(System.Text.Encoding.Latin1.GetString(pdf)));
    }

    /// <summary>A page object of a PDF (not the /Pages tree).</summary>
    [GeneratedRegex(@"/Type\s*/Page(?![a-zA-Z])")]
    private static partial Regex PdfPages();

    [Fact]
    public async Task AnAwardWithoutAFinalist_IsRefusedNamingTheField_OnThePageAndInTheApi()
    {
        using var coordinator = await _server.CreateStaffClientAsync();
        var c = await ConsoleSupport.ImportSmallContestAsync(coordinator);
        var missing = await (await coordinator.PostAsJsonAsync("/api/awards", new { name = "Judges' Choice" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Required.", missing.GetProperty("errors").GetProperty("entryId")[0].GetString());
        foreach (var body in new object[]
                 {
                     new { name = "Judges' Choice", entryId = (int?)null }, new { name = "Judges' Choice", entryId = (int?)0 },
                     new { name = "Judges' Choice", entryId = (int?)-3 },
                 })
        {
            var refused = await coordinator.PostAsJsonAsync("/api/awards", body);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("Choose the finalist who gets the award.", problem.GetProperty("errors").GetProperty("entryId")[0].GetString());
        }

        var both = await (await coordinator.PostAsJsonAsync("/api/awards", new { name = " ", entryId = (int?)null })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(both.GetProperty("errors").TryGetProperty("name", out _), both.ToString());
        Assert.True(both.GetProperty("errors").TryGetProperty("entryId", out _), both.ToString());
        var unknown = await (await coordinator.PostAsJsonAsync("/api/awards", new { name = "Judges' Choice", entryId = 999_999 })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(unknown.GetProperty("errors").TryGetProperty("entryId", out _), unknown.ToString());

        var page = await browser.NewLaptopAsync(_server.BaseAddress);
        var errors = ConsoleSupport.CollectErrors(page);
        await ConsoleSupport.SignInAsync(page, then: "/console/live");
        await ConsoleSupport.WaitLiveAsync(page);
        await page.GetByLabel("Award", new() { Exact = true }).FillAsync("Judges' Choice");
        await page.GetByRole(AriaRole.Button, new() { Name = "Give award" }).ClickAsync();
        await Expect(page.Locator("#award-entry")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#award-entry-error")).ToHaveTextAsync("Choose the finalist who gets the award.");
        await VoterPageChecks.AssertAccessibleAsync(page, "live view with an award refused");

        await page.Locator("#award-entry").SelectOptionAsync(c.C1.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "Give award" }).ClickAsync();
        await Expect(page.Locator("#message")).ToHaveTextAsync("Judges' Choice given to Pudding Heist.");
        await Expect(page.Locator("#award-entry-error")).ToHaveCountAsync(0);
        ConsoleSupport.AssertNoErrors(errors);
    }
}
