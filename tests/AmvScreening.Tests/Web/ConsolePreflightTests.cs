using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AmvScreening.Protocol;
using AmvScreening.Server.Auth;
using AmvScreening.Tests.Contest;
using AmvScreening.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AmvScreening.Tests.Web;

/// <summary>The pre-flight report in the consoles, in real Chromium: the setup page shows each file's loudness, codec
/// and problems; the running order and the booth's "next" flag a finalist whose file failed; the coordinator moves it
/// to the end of its category in one click.</summary>
public sealed class ConsolePreflightTests(Browser browser) : IClassFixture<Browser>, IDisposable
{
    private readonly AmvServer _server = new();

    public void Dispose() => _server.Dispose();

    /// <summary>A report as the player sends it: A1 cut short (error), A2 fine, C1 far too quiet (warning).</summary>
    private static object Report(SmallContest c) => new
    {
        contestName = "Test Con AMV Contest",
        checkedAt = DateTimeOffset.UtcNow,
        machine = "booth-laptop",
        limits = new { maxFileMegabytes = 330, maxDurationSeconds = 330, loudnessTargetLufs = -23.0 },
        summary = new { total = 3, ok = 1, warnings = 1, errors = 1 },
        entries = new object[]
        {
            new
            {
                entryId = c.A1, category = "Action", order = 1, title = "Blade Dance", file = "/srv/amv/blade.mp4", status = "error",
                issues = new[] { new { severity = "error", message = "It stops after 0:03.3 of the 0:06.0 it declares: the file is cut short." } },
                sizeBytes = 53_555, durationSeconds = 6.0, decodedSeconds = 3.3, width = 1920, height = 1080, frameRate = 23.976,
                container = "mov,mp4,m4a,3gp,3g2,mj2", videoCodec = "h264", videoProfile = "High", pixelFormat = "yuv420p", audioCodec = "aac",
                sha256 = new string('a', 64), loudness = new { integratedLufs = -22.4, rangeLu = 6.1, truePeakDbtp = -1.2 },
            },
            new
            {
                entryId = c.A2, category = "Action", order = 2, title = "Steel Rain", status = "ok", issues = Array.Empty<object>(),
                sizeBytes = 312_400_000, durationSeconds = 298.2, width = 1920, height = 1080, frameRate = 25, videoCodec = "msmpeg4v2", audioCodec = "mp3",
                container = "avi", loudness = new { integratedLufs = -23.1, rangeLu = 4.2, truePeakDbtp = -3.5 },
            },
            new
            {
                entryId = c.C1, category = "Comedy", order = 1, title = "Pudding Heist", status = "warning",
                issues = new[] { new { severity = "warning", message = "Its loudness is -41.5 LUFS, 18.5 LU quieter than the contest's target of -23 LUFS." } },
                loudness = new { integratedLufs = -41.5, rangeLu = 3.0, truePeakDbtp = -19.0 },
            },
        },
    };

    private async Task<SmallContest> ContestWithReportAsync(HttpClient coordinator)
    {
        var c = await ConsoleSupport.ImportSmallContestAsync(coordinator);
        using var player = _server.CreatePlayerClient();
        Assert.Equal(HttpStatusCode.NoContent, (await player.PostAsJsonAsync("/api/preflight", Report(c))).StatusCode);
        return c;
    }

    private static async Task<int[]> OrderOfAsync(HttpClient coordinator, int categoryId) =>
        (await ContestApi.GetContestAsync(coordinator)).GetProperty("entries").EnumerateArray()
            .Where(e => e.GetProperty("categoryId").GetInt32() == categoryId)
            .OrderBy(e => e.GetProperty("position").GetInt32())
            .Select(e => e.GetProperty("id").GetInt32()).ToArray();

    [Fact]
    public async Task SetupPage_ShowsEachFilesLoudnessCodecAndProblems_AndMovesAFailedFinalistToTheEnd()
    {
        using var coordinator = await _server.CreateStaffClientAsync();
        var c = await ContestWithReportAsync(coordinator);
        var page = await browser.NewLaptopAsync(_server.BaseAddress);
        var errors = ConsoleSupport.CollectErrors(page);
        await ConsoleSupport.SignInAsync(page, then: "/console/setup");

        await Expect(page.Locator("#preflight-summary")).ToContainTextAsync("3 checked: 1 ok, 1 with warnings, 1 with errors.");
        await Expect(page.Locator("#preflight-summary")).ToContainTextAsync("on booth-laptop · loudness target −23.0 LUFS");
        var failed = page.Locator($"#preflight-rows tr[data-entry='{c.A1}']");
        await Expect(failed).ToContainTextAsync("failed");
        await Expect(failed).ToContainTextAsync("the file is cut short");
        await Expect(failed).ToContainTextAsync("plays 0:03.3");
        await Expect(failed).ToContainTextAsync("−22.4 LUFS");
        await Expect(failed).ToContainTextAsync("LRA 6.1 LU · TP −1.2 dBTP");
        await Expect(failed).ToContainTextAsync("h264 High");
        await Expect(failed).ToContainTextAsync("53,555 bytes");
        var old = page.Locator($"#preflight-rows tr[data-entry='{c.A2}']");
        await Expect(old).ToContainTextAsync("msmpeg4v2");
        await Expect(old).ToContainTextAsync("mp3 · avi");
        await Expect(old).ToContainTextAsync("297.9 MB");
        await Expect(old.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
        await Expect(page.Locator($"#preflight-rows tr[data-entry='{c.C1}']")).ToContainTextAsync("18.5 LU quieter");
        await ConsoleSupport.ScreenshotAsync(page, "setup-preflight");

        await failed.GetByRole(AriaRole.Button, new() { Name = "Move to the end of its category" }).ClickAsync();
        await Expect(page.Locator("#message")).ToHaveTextAsync("Blade Dance now plays last in Action.");
        Assert.Equal([c.A2, c.A1], await OrderOfAsync(coordinator, c.Action));
        Assert.Equal([c.C1, c.C2], await OrderOfAsync(coordinator, c.Comedy));
        ConsoleSupport.AssertNoErrors(errors);
    }

    [Fact]
    public async Task RunningOrder_FlagsTheFailedFinalist_AndSendsItToTheEndOfItsCategory()
    {
        using var coordinator = await _server.CreateStaffClientAsync();
        var c = await ContestWithReportAsync(coordinator);
        var page = await browser.NewLaptopAsync(_server.BaseAddress);
        var errors = ConsoleSupport.CollectErrors(page);
        await ConsoleSupport.SignInAsync(page, then: "/console/finalists");

        var row = page.Locator($"tr[data-entry='{c.A1}']");
        await Expect(row.Locator("[data-preflight='failed']")).ToHaveTextAsync("Failed pre-flight");
        await Expect(page.Locator("[data-preflight='failed']")).ToHaveCountAsync(1); // the warning (C1) and the ok one are not flagged
        await row.GetByRole(AriaRole.Button, new() { Name = "Move Blade Dance to the end of Action" }).ClickAsync();
        await Expect(page.Locator("#message")).ToHaveTextAsync("Blade Dance now plays last in Action.");
        Assert.Equal([c.A2, c.A1], await OrderOfAsync(coordinator, c.Action));
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Move Blade Dance to the end of Action" })).ToBeDisabledAsync();
        ConsoleSupport.AssertNoErrors(errors);
    }

    [Fact]
    public async Task BoothsNext_FlagsAFinalistWhoseFileFailed()
    {
        using var coordinator = await _server.CreateStaffClientAsync();
        var c = await ContestWithReportAsync(coordinator);
        var page = await browser.NewPhoneAsync(_server.BaseAddress);
        var errors = ConsoleSupport.CollectErrors(page);
        await ConsoleSupport.SignInAsync(page, Roles.Booth, then: "/console/booth");

        // Before the show, next is the first finalist: Blade Dance, whose file failed.
        await Expect(page.Locator("#next-title")).ToHaveTextAsync("Blade Dance");
        await Expect(page.Locator("#next-flag")).ToBeVisibleAsync();
        await Expect(page.Locator("#next-flag")).ToHaveTextAsync("failed pre-flight");

        Assert.Equal(HttpStatusCode.NoContent, (await coordinator.PostAsync($"/api/contest/entries/{c.A1}/move-to-end", null)).StatusCode);
        await page.ReloadAsync();
        await Expect(page.Locator("#next-title")).ToHaveTextAsync("Steel Rain");
        await Expect(page.Locator("#next-flag")).ToBeHiddenAsync();
        ConsoleSupport.AssertNoErrors(errors);
    }

    [Fact]
    public async Task FilesThePlayerFoundChanged_AreFlaggedOnTheSetupPage_TheRunningOrder_AndTheBooth()
    {
        using var coordinator = await _server.CreateStaffClientAsync();
        var c = await ContestWithReportAsync(coordinator);
        var booth = await browser.NewPhoneAsync(_server.BaseAddress);
        var boothErrors = ConsoleSupport.CollectErrors(booth);
        await ConsoleSupport.SignInAsync(booth, Roles.Booth, then: "/console/booth");
        await Expect(booth.Locator("#next-flag")).ToHaveTextAsync("failed pre-flight");

        // The player found Blade Dance's bytes (same size) and Steel Rain's size changed since the report.
        using var player = _server.CreatePlayerClient();
        var changed = new ChangedFiles([new(c.A1, 53_555, new string('b', 64)), new(c.A2, 1_000, null)]);
        Assert.Equal(HttpStatusCode.NoContent, (await player.PostAsJsonAsync(PlayerContract.ChangedFilesPath, changed)).StatusCode);

        const string Flag = "changed since pre-flight: run the check again";
        var page = await browser.NewLaptopAsync(_server.BaseAddress);
        var errors = ConsoleSupport.CollectErrors(page);
        await ConsoleSupport.SignInAsync(page, then: "/console/setup");
        foreach (var id in new[] { c.A1, c.A2 })
        {
            await Expect(page.Locator($"#preflight-rows tr[data-entry='{id}'] [data-changed]")).ToHaveTextAsync(Flag);
        }

        await Expect(page.Locator("#preflight-rows [data-changed]")).ToHaveCountAsync(2);
        await page.GotoAsync("/console/finalists");
        await Expect(page.Locator($"tr[data-entry='{c.A2}'] [data-preflight='changed']")).ToHaveTextAsync(Flag);
        await Expect(page.Locator($"tr[data-entry='{c.A1}'] [data-preflight='failed']")).ToHaveTextAsync("Failed pre-flight");
        await Expect(page.Locator("[data-preflight='changed']")).ToHaveCountAsync(2);

        // The booth's next (Blade Dance) says the more urgent thing: its file is not the one checked.
        await booth.ReloadAsync();
        await Expect(booth.Locator("#next-title")).ToHaveTextAsync("Blade Dance");
        await Expect(booth.Locator("#next-flag")).ToHaveTextAsync(Flag);

        // A new report clears the flags.
        Assert.Equal(HttpStatusCode.NoContent, (await player.PostAsJsonAsync("/api/preflight", Report(c))).StatusCode);
        await page.GotoAsync("/console/finalists");
        await Expect(page.Locator("[data-preflight='failed']")).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-preflight='changed']")).ToHaveCountAsync(0);
        await booth.ReloadAsync();
        await Expect(booth.Locator("#next-flag")).ToHaveTextAsync("failed pre-flight");
        ConsoleSupport.AssertNoErrors(errors);
        ConsoleSupport.AssertNoErrors(boothErrors);
    }

    [Fact]
    public async Task MoveToEnd_AndTheFailedList_AreForTheRightPeople()
    {
        using var coordinator = await _server.CreateStaffClientAsync();
        var c = await ContestWithReportAsync(coordinator);
        using var booth = await _server.CreateStaffClientAsync(Roles.Booth);
        using var anonymous = _server.CreateAnonymousClient();

        Assert.Equal([c.A1], (await booth.GetFromJsonAsync<JsonElement>("/api/preflight/failed")).GetProperty("entryIds").EnumerateArray().Select(i => i.GetInt32()));
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/preflight/failed")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await booth.PostAsync($"/api/contest/entries/{c.A1}/move-to-end", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await coordinator.PostAsync("/api/contest/entries/999999/move-to-end", null)).StatusCode);

        // The last one stays last; any finalist may be moved (not only a failed one).
        Assert.Equal(HttpStatusCode.NoContent, (await coordinator.PostAsync($"/api/contest/entries/{c.C2}/move-to-end", null)).StatusCode);
        Assert.Equal([c.C1, c.C2], await OrderOfAsync(coordinator, c.Comedy));
        Assert.Equal(HttpStatusCode.NoContent, (await coordinator.PostAsync($"/api/contest/entries/{c.C1}/move-to-end", null)).StatusCode);
        Assert.Equal([c.C2, c.C1], await OrderOfAsync(coordinator, c.Comedy));
    }

    [Fact]
    public async Task BeforeAnyReport_NothingIsFlagged_AndTheSetupPageSaysHowToGetOne()
    {
        using var coordinator = await _server.CreateStaffClientAsync();
        await ConsoleSupport.ImportSmallContestAsync(coordinator);
        var none = await coordinator.GetFromJsonAsync<JsonElement>("/api/preflight/failed");
        Assert.False(none.GetProperty("hasReport").GetBoolean());
        Assert.Empty(none.GetProperty("entryIds").EnumerateArray());
        var page = await browser.NewLaptopAsync(_server.BaseAddress);
        var errors = ConsoleSupport.CollectErrors(page);
        await ConsoleSupport.SignInAsync(page, then: "/console/setup");

        await Expect(page.Locator("#preflight-summary")).ToHaveTextAsync("No report yet: run the pre-flight check on the player machine.");
        await Expect(page.Locator("#preflight-files")).ToBeHiddenAsync();
        ConsoleSupport.AssertNoErrors(errors);
    }
}
