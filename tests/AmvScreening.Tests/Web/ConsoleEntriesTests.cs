using AmvScreening.Tests.Entries;
using AmvScreening.Tests.Support;
using Dapper;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AmvScreening.Tests.Web;

/// <summary>The coordinator's Entries page in real Chromium against the real server: every entry with its contact,
/// its file check and its repeat flag; a flag cleared; a previous finalists list refused naming its line, then
/// imported; axe-core finds nothing to fix, at laptop and phone size.</summary>
public sealed class ConsoleEntriesTests(Browser browser) : IClassFixture<Browser>, IDisposable
{
    private readonly AmvServer _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task EntriesPage_ShowsEachEntrysContactCheckAndFlag_ClearsAFlag_AndImportsPreviousFinalists()
    {
        var passed = EntryRows.Insert(_server.DataDirectory, "Steel Rain", editors: ["Ann"], email: "ann@example.com");
        var failed = EntryRows.Insert(_server.DataDirectory, "Too Long Cut", editors: ["Bo"], email: "bo@example.com", category: "Drama");
        var running = EntryRows.Insert(_server.DataDirectory, "Still Checking", editors: ["Cy"], email: "cy@example.com");
        var flagged = EntryRows.Insert(_server.DataDirectory, "Bloody Stream", editors: ["Kitsune Edits"], email: "kit@example.com");
        var withdrawn = EntryRows.Insert(_server.DataDirectory, "Gone", editors: ["Di"], email: "di@example.com");
        using (var connection = EntryRows.Open(_server.DatabasePath))
        {
            // States as the queue leaves them (the files themselves are not needed by the page).
            connection.Execute(
                """
                UPDATE submissions SET file_name = 'steel-rain.mp4', file_bytes = 123456789, check_state = 'passed', check_progress = 1,
                  check_report = '{"durationSeconds":272.5,"loudness":{"integratedLufs":-19.2,"rangeLu":6,"truePeakDbtp":-1},"proxyNeeded":false}' WHERE id = @passed;
                UPDATE submissions SET file_name = 'cut.mov', check_state = 'failed', check_progress = 1, check_report = '{"durationSeconds":342}',
                  check_message = '5:42 is over the 5:30 limit: upload a shorter cut before the deadline.' WHERE id = @failed;
                UPDATE submissions SET file_name = 'big.mkv', check_state = 'running', check_progress = 0.42 WHERE id = @running;
                INSERT INTO previous_finalists (title, editors, year) VALUES ('Bloody Stream', '["Kitsune Edits"]', 2023);
                UPDATE submissions SET withdrawn_at = '2026-06-02T00:00:00.0000000+00:00' WHERE id = @withdrawn;
                """,
                new { passed, failed, running, flagged, withdrawn });
        }

        // The background matcher flags the entry that matches the list.
        await EntryRows.WaitAsync(_server.DatabasePath, flagged, r => r.RepeatOf is not null, TimeSpan.FromSeconds(10));
        var page = await browser.NewLaptopAsync(_server.BaseAddress);
        var errors = ConsoleSupport.CollectErrors(page);
        await ConsoleSupport.SignInAsync(page, then: "/console/entries");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Entries", Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Entries" })).ToHaveAttributeAsync("aria-current", "page");

        await Expect(Row(page, passed)).ToContainTextAsync("Steel Rain");
        await Expect(Row(page, passed).GetByRole(AriaRole.Link, new() { Name = "ann@example.com" })).ToHaveAttributeAsync("href", "mailto:ann@example.com");
        await Expect(Row(page, passed).Locator("[data-check]")).ToHaveTextAsync("Passed");
        await Expect(Row(page, passed)).ToContainTextAsync("4:33 · -19.2 LUFS");
        await Expect(Row(page, failed).Locator("[data-message]")).ToHaveTextAsync("5:42 is over the 5:30 limit: upload a shorter cut before the deadline.");
        await Expect(Row(page, failed).Locator("[data-check]")).ToHaveTextAsync("Failed");
        await Expect(Row(page, running).Locator("[data-check]")).ToHaveTextAsync("Checking 42 %");
        await Expect(Row(page, withdrawn).Locator("[data-withdrawn]")).ToHaveTextAsync("Withdrawn");
        await Expect(Row(page, flagged).Locator("[data-repeat]")).ToHaveTextAsync("Likely repeat");
        await Expect(Row(page, flagged)).ToContainTextAsync("“Bloody Stream” by Kitsune Edits (2023)");
        await Expect(page.Locator("#summary")).ToHaveTextAsync("5 entries: 1 passed, 1 failed, 1 being checked, 1 likely repeat(s) to review, 1 withdrawn.");
        await VoterPageChecks.AssertAccessibleAsync(page, "coordinator's entries");
        await ConsoleSupport.ScreenshotAsync(page, "entries");

        await Row(page, flagged).GetByRole(AriaRole.Button, new() { Name = "Not a repeat: Bloody Stream" }).ClickAsync();
        await Expect(Row(page, flagged).Locator("[data-repeat]")).ToHaveTextAsync("Reviewed: not a repeat");
        Assert.Equal(1, EntryRows.Read(_server.DatabasePath, flagged).RepeatCleared);

        var folder = Directory.CreateTempSubdirectory("amv-previous-").FullName;
        try
        {
            var bad = Path.Combine(folder, "previous.csv");
            await File.WriteAllTextAsync(bad, "title,editors,year\nSteel Rain,Ann,2024\nOther,Ed,last year\n");
            await page.GetByLabel("List of previous finalists (.csv or .json)").SetInputFilesAsync(bad);
            await page.GetByRole(AriaRole.Button, new() { Name = "Import list" }).ClickAsync();
            await Expect(page.Locator("#previous-errors li")).ToHaveTextAsync(["line 3: year: 'last year' is not a year (1980 to 2200), or leave it empty."]);
            await Expect(page.Locator("#message")).ToContainTextAsync("The previous finalists were not imported.");
            await VoterPageChecks.AssertAccessibleAsync(page, "coordinator's entries with an import refused");

            var good = Path.Combine(folder, "previous.json");
            await File.WriteAllTextAsync(good, """[{"title":"Steel Rain","editors":["Ann"],"year":2024}]""");
            await page.GetByLabel("List of previous finalists (.csv or .json)").SetInputFilesAsync(good);
            await page.GetByRole(AriaRole.Button, new() { Name = "Import list" }).ClickAsync();
            await Expect(page.Locator("#message")).ToHaveTextAsync("Imported 1 previous finalist(s); 1 entry flagged as likely repeats.");
            await Expect(page.Locator("#previous-errors li")).ToHaveCountAsync(0);
            await Expect(Row(page, passed).Locator("[data-repeat]")).ToHaveTextAsync("Likely repeat");
            await Expect(page.Locator("#previous-count")).ToHaveTextAsync("1 previous finalist(s) on the list.");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        var phone = await browser.NewPhoneAsync(_server.BaseAddress);
        await ConsoleSupport.SignInAsync(phone, then: "/console/entries");
        await Expect(Row(phone, failed).Locator("[data-message]")).ToBeVisibleAsync();
        await VoterPageChecks.AssertAccessibleAsync(phone, "coordinator's entries on a phone");
        ConsoleSupport.AssertNoErrors(errors);
    }

    private static ILocator Row(IPage page, long id) => page.Locator($"#entries tr[data-entry='{id}']");
}
