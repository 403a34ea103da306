using System.Net;
using AmvScreening.Server.Entries;
using AmvScreening.Tests.Support;
using AmvScreening.Tests.Web;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AmvScreening.Tests.Entries;

/// <summary>
/// The entry portal in real Chromium against the real server (docs/entries.md, "Entry portal"): the rules page with the
/// deadline in the contest's time zone and the visitor's, the submission form and its refusals beside the fields, the
/// private entry page showing the file check's states as the queue writes them (written here with SQL), withdrawing;
/// in English and Japanese, each screen checked with axe-core, and no Content-Security-Policy violation.
/// </summary>
public sealed class EntryPortalBrowserTests(Browser browser) : IClassFixture<Browser>
{
    static EntryPortalBrowserTests() => VoterPageChecks.Init();

    private async Task<(IPage Page, List<string> Violations)> OpenAsync(EntryPortalRig rig, string locale, string timeZone, string path = "/enter")
    {
        var context = await browser.Chromium.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = rig.Server.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            IsMobile = true,
            HasTouch = true,
            Locale = locale,
            TimezoneId = timeZone,
        });
        context.SetDefaultTimeout((float)Browser.Bound.TotalMilliseconds);
        var page = await context.NewPageAsync();
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase) || message.Text.Contains("Refused to", StringComparison.Ordinal))
            {
                violations.Add(message.Text);
            }
        };
        await page.GotoAsync(path);
        return (page, violations);
    }

    [Fact]
    public async Task RulesPage_InEnglish_ShowsTheContestsRules_AndTheDeadlineInTheContestsTimeAndTheVisitors()
    {
        await using var rig = await EntryPortalRig.StartAsync();
        var (page, violations) = await OpenAsync(rig, "en-US", "Asia/Tokyo");

        await Expect(page.Locator("#state")).ToHaveAttributeAsync("data-state", "open");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Kumoricon AMV Contest 2026: enter your AMV");
        // 2026-08-15 23:59 in Los Angeles is 2026-08-16 15:59 in Tokyo.
        await Expect(page.Locator("#deadline-contest")).ToContainTextAsync("August 15, 2026");
        await Expect(page.Locator("#deadline-contest")).ToContainTextAsync("11:59");
        await Expect(page.Locator("#deadline-contest")).ToContainTextAsync("America/Los_Angeles");
        await Expect(page.Locator("#deadline-local")).ToContainTextAsync("August 16, 2026");
        await Expect(page.Locator("#deadline-local")).ToContainTextAsync("3:59");
        await Expect(page.Locator("#deadline-local")).ToContainTextAsync("Asia/Tokyo");
        await Expect(page.Locator("#rules-list")).ToContainTextAsync("At most 3 entries per person.");
        await Expect(page.Locator("#rules-list")).ToContainTextAsync("At most 1 entry per person in each category.");
        await Expect(page.Locator("#rules-list")).ToContainTextAsync("at most 330 MB and 5:30 long");
        await Expect(page.Locator("#rules-list")).ToContainTextAsync("premiered after September 1, 2025");
        await Expect(page.Locator("#categories li")).ToHaveCountAsync(4);
        await Expect(page.Locator("#categories li").Nth(1)).ToContainTextAsync("Stories that move you.");
        await Expect(page.Locator("#categories li").Nth(1)).ToContainTextAsync("Up to 6 finalists");
        await VoterPageChecks.AssertAccessibleAsync(page, "entry rules (English)");
        await VoterPageChecks.ScreenshotAsync(page, "rules-en", "enter");

        // The rules follow the contest's settings.
        await rig.ExecuteAsync("UPDATE contest SET max_entries_per_person = 2, max_file_megabytes = 500; UPDATE categories SET finalist_limit = 4 WHERE position = 2");
        await page.ReloadAsync();
        await Expect(page.Locator("#rules-list")).ToContainTextAsync("At most 2 entries per person.");
        await Expect(page.Locator("#rules-list")).ToContainTextAsync("at most 500 MB");
        await Expect(page.Locator("#categories li").Nth(1)).ToContainTextAsync("Up to 4 finalists");

        // Closed after the deadline: no form.
        rig.Clock.Advance(EntryPortalRig.Deadline - rig.Clock.GetUtcNow());
        await page.ReloadAsync();
        await Expect(page.Locator("#state")).ToHaveAttributeAsync("data-state", "closed");
        await Expect(page.Locator("#entry-form")).ToHaveCountAsync(0);
        Assert.Empty(violations);
    }

    [Fact]
    public async Task RulesPage_InJapanese_ShowsTheRulesInJapanese_AndSwitchesToEnglish()
    {
        await using var rig = await EntryPortalRig.StartAsync();
        var (page, violations) = await OpenAsync(rig, "ja-JP", "Europe/Berlin");

        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "ja");
        await Expect(page.Locator("#state")).ToHaveTextAsync("応募を受け付けています。");
        await Expect(page.Locator("#deadline-contest")).ToContainTextAsync("2026年8月15日");
        await Expect(page.Locator("#deadline-contest")).ToContainTextAsync("23:59");
        await Expect(page.Locator("#deadline-local")).ToContainTextAsync("2026年8月16日");
        await Expect(page.Locator("#deadline-local")).ToContainTextAsync("8:59");
        await Expect(page.Locator("#rules-list")).ToContainTextAsync("応募は1人3作品までです。");
        await Expect(page.Locator("label[for=f-email]")).ToHaveTextAsync("連絡先メールアドレス ＊");
        await VoterPageChecks.AssertAccessibleAsync(page, "entry rules (Japanese)");
        await VoterPageChecks.ScreenshotAsync(page, "rules-ja", "enter");

        await page.GetByRole(AriaRole.Button, new() { Name = "English" }).ClickAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Expect(page.Locator("#state")).ToHaveTextAsync("Entries are open.");
        // The choice is kept for the next visit.
        await page.ReloadAsync();
        await Expect(page.Locator("#state")).ToHaveTextAsync("Entries are open.");
        Assert.Empty(violations);
    }

    [Theory]
    [InlineData("en-US", "Your entry is in", "This email address already has an entry in this category")]
    [InlineData("ja-JP", "応募を受け付けました", "このメールアドレスではこの部門にすでに応募しています")]
    public async Task Form_SubmitsAnEntry_GivesThePrivateLinkOnce_AndSaysWhichRuleRefusesTheNext(string locale, string heading, string perCategory)
    {
        await using var rig = await EntryPortalRig.StartAsync();
        var (page, violations) = await OpenAsync(rig, locale, "America/Los_Angeles");

        // Sent empty: every required field is named beside it.
        await page.Locator("#entry-form button[type=submit]").ClickAsync();
        await Expect(page.Locator("#f-title-error")).ToBeVisibleAsync();
        await Expect(page.Locator("#f-title")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#f-email-error")).ToBeVisibleAsync();
        await VoterPageChecks.AssertAccessibleAsync(page, $"entry form with errors ({locale})");

        await FillAsync(page, "ann.lee@example.org", "Drama/Sentiments");
        await page.Locator("#entry-form button[type=submit]").ClickAsync();
        await Expect(page.Locator("#submitted-h")).ToHaveTextAsync(heading);
        var link = await page.Locator("#entry-link").TextContentAsync();
        Assert.Matches(@"/enter/e/[A-Za-z0-9_-]{32}$", link);
        Assert.Equal(1, await rig.ScalarAsync<int>("SELECT count(*) FROM submissions WHERE title = 'Sakura Drive' AND editors = '[\"Ann\",\"Bo\"]' AND sources = '[\"Initial D\"]'"));
        await VoterPageChecks.AssertAccessibleAsync(page, $"entry submitted ({locale})");

        // The same person (another spelling) in the same category: refused, the rule said beside the category.
        await page.ReloadAsync();
        await FillAsync(page, "ANN.LEE+second@example.org", "Drama/Sentiments");
        await page.Locator("#entry-form button[type=submit]").ClickAsync();
        await Expect(page.Locator("#form-status .status")).ToHaveAttributeAsync("data-reason", EntryRules.Rules.PerCategory);
        await Expect(page.Locator("#form-status")).ToContainTextAsync(perCategory);
        await Expect(page.Locator("#f-category")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#f-category-error")).ToContainTextAsync(perCategory);
        await VoterPageChecks.AssertAccessibleAsync(page, $"entry refused ({locale})");
        Assert.Equal(1, await rig.ScalarAsync<int>("SELECT count(*) FROM submissions"));

        // The link leads to the entry page.
        await page.GotoAsync(link!);
        await Expect(page.Locator("#entry-title")).ToHaveTextAsync("Sakura Drive");
        Assert.Empty(violations);
    }

    [Fact]
    public async Task Form_RefusesAFourthEntryByTheSamePerson_AndAnEntrySentAfterTheDeadline_NamingTheRule()
    {
        await using var rig = await EntryPortalRig.StartAsync();
        for (var i = 0; i < 3; i++)
        {
            await rig.SubmitOkAsync(rig.Form(category: i, email: i == 0 ? "ann.lee@example.org" : $"annlee+{i}@example.org"));
        }

        var (page, violations) = await OpenAsync(rig, "en-US", "America/Los_Angeles");
        await FillAsync(page, "Ann.Lee+fourth@Example.org", "Melting Pot");
        await page.Locator("#entry-form button[type=submit]").ClickAsync();
        await Expect(page.Locator("#form-status .status")).ToHaveAttributeAsync("data-reason", EntryRules.Rules.PerPerson);
        await Expect(page.Locator("#form-status")).ToContainTextAsync("This email address already has 3 entries, the most a person may enter.");
        await Expect(page.Locator("#f-email")).ToHaveAttributeAsync("aria-invalid", "true");

        // The page was opened before the deadline; the entry is sent after it.
        rig.Clock.Advance(EntryPortalRig.Deadline - rig.Clock.GetUtcNow());
        await page.Locator("#f-email").FillAsync("someone.else@example.org");
        await page.Locator("#entry-form button[type=submit]").ClickAsync();
        await Expect(page.Locator("#form-status .status")).ToHaveAttributeAsync("data-reason", EntryRules.Rules.DeadlinePassed);
        await Expect(page.Locator("#form-status")).ToContainTextAsync("The deadline has passed");
        await VoterPageChecks.AssertAccessibleAsync(page, "entry refused after the deadline");
        Assert.Equal(3, await rig.ScalarAsync<int>("SELECT count(*) FROM submissions"));
        Assert.Empty(violations);
    }

    [Theory]
    [InlineData("en-US", "Your file is waiting for its check.", "Your file is being checked…", "Your file does not meet the rules.", "Your file meets the rules.", "Your entry")]
    [InlineData("ja-JP", "ファイルのチェックを待っています。", "ファイルをチェックしています…", "ファイルが規約を満たしていません。", "ファイルは規約を満たしています。", "あなたの応募")]
    public async Task EntryPage_ShowsTheFileCheck_AsTheQueueWritesIt(string locale, string queued, string running, string failed, string passed, string eyebrow)
    {
        await using var rig = await EntryPortalRig.StartAsync();
        var secret = await rig.SubmitOkAsync(rig.Form());
        var (page, violations) = await OpenAsync(rig, locale, "America/Los_Angeles", $"/enter/e/{secret}");

        await Expect(page.Locator(".eyebrow")).ToHaveTextAsync(eyebrow);
        await Expect(page.Locator("#entry-title")).ToHaveTextAsync("Sakura Drive");
        await Expect(page.Locator("#check-state")).ToHaveAttributeAsync("data-state", "none");
        await Expect(page.Locator("#upload-button")).ToBeVisibleAsync();
        await VoterPageChecks.AssertAccessibleAsync(page, $"entry page, no file ({locale})");
        Assert.DoesNotContain("example.org", await page.ContentAsync());

        // The page follows the queue by itself while the check waits or runs.
        await rig.ExecuteAsync("UPDATE submissions SET file_path = 'entries/1/u.mp4', file_name = 'sakura.mp4', file_bytes = 52428800, check_state = 'queued'");
        await page.ReloadAsync();
        await Expect(page.Locator("#check-state")).ToHaveTextAsync(queued);
        await Expect(page.Locator("#file-name")).ToContainTextAsync("sakura.mp4");
        await Expect(page.Locator("#file-name")).ToContainTextAsync("50.0 MB");

        await rig.ExecuteAsync("UPDATE submissions SET check_state = 'running', check_progress = 0.4");
        await Expect(page.Locator("#check-state")).ToHaveTextAsync(running);
        await Expect(page.Locator("#check-progress")).ToHaveAttributeAsync("value", "0.4");
        await VoterPageChecks.AssertAccessibleAsync(page, $"entry page, check running ({locale})");

        const string Message = "5:42 is over the 5:30 limit: upload a shorter cut before the deadline";
        await rig.ExecuteAsync("UPDATE submissions SET check_state = 'failed', check_progress = NULL, check_message = @Message", new { Message });
        await Expect(page.Locator("#check-state")).ToHaveTextAsync(failed);
        await Expect(page.Locator("#check-message")).ToHaveTextAsync(Message);
        await VoterPageChecks.AssertAccessibleAsync(page, $"entry page, check failed ({locale})");
        await VoterPageChecks.ScreenshotAsync(page, $"entry-failed-{locale[..2]}", "enter");

        await rig.ExecuteAsync("""
            UPDATE submissions SET check_state = 'passed', check_message = NULL,
                check_report = '{"passed":true,"durationSeconds":192.5,"loudness":{"integratedLufs":-14.2,"rangeLu":6,"truePeakDbtp":-0.5}}'
            """);
        await page.ReloadAsync();
        await Expect(page.Locator("#check-state")).ToHaveTextAsync(passed);
        await Expect(page.Locator("#check-state")).ToHaveAttributeAsync("data-state", "passed");
        // What was measured: its length and its loudness (the show evens loudness out).
        await Expect(page.Locator("#check-measured")).ToContainTextAsync("3:12");
        await Expect(page.Locator("#check-measured")).ToContainTextAsync("-14.2 LUFS");
        await VoterPageChecks.AssertAccessibleAsync(page, $"entry page, check passed ({locale})");
        Assert.Empty(violations);
    }

    [Fact]
    public async Task EntryPage_RefusesAFileOverTheLimit_BeforeSendingIt_AndAsksForAFileFirst()
    {
        await using var rig = await EntryPortalRig.StartAsync();
        await rig.ExecuteAsync("UPDATE contest SET max_file_megabytes = 1");
        var secret = await rig.SubmitOkAsync(rig.Form());
        var (page, _) = await OpenAsync(rig, "en-US", "UTC", $"/enter/e/{secret}");

        await page.Locator("#upload-button").ClickAsync();
        await Expect(page.Locator("#upload-status")).ToHaveTextAsync("Choose a video file first.");

        await page.Locator("#upload-file").SetInputFilesAsync(new FilePayload { Name = "big.mp4", MimeType = "video/mp4", Buffer = new byte[1024 * 1024 + 1] });
        await page.Locator("#upload-button").ClickAsync();
        await Expect(page.Locator("#upload-status")).ToHaveTextAsync("This file is over 1 MB: export a smaller one.");
        await VoterPageChecks.AssertAccessibleAsync(page, "entry page, file refused");
    }

    [Fact]
    public async Task EntryPage_Withdraws_AfterAsking_AndAfterTheDeadline_ShowsTheRuleBroken_AndTheOutcomeOncePublished()
    {
        await using var rig = await EntryPortalRig.StartAsync();
        var secret = await rig.SubmitOkAsync(rig.Form());
        var kept = await rig.SubmitOkAsync(rig.Form(category: 1));
        var (page, violations) = await OpenAsync(rig, "en-US", "UTC", $"/enter/e/{secret}");

        await page.Locator("#withdraw").ClickAsync();
        await Expect(page.Locator("#withdraw-question")).ToBeVisibleAsync();
        await page.Locator("#withdraw-no").ClickAsync();
        Assert.Equal(0, await rig.ScalarAsync<int>("SELECT count(*) FROM submissions WHERE withdrawn_at IS NOT NULL"));
        await page.Locator("#withdraw").ClickAsync();
        await page.Locator("#withdraw-yes").ClickAsync();
        await Expect(page.Locator("#withdrawn")).ToBeVisibleAsync();
        await Expect(page.Locator("#withdraw")).ToHaveCountAsync(0);
        await Expect(page.Locator("#upload-button")).ToHaveCountAsync(0);
        Assert.Equal(1, await rig.ScalarAsync<int>("SELECT count(*) FROM submissions WHERE withdrawn_at IS NOT NULL"));
        await VoterPageChecks.AssertAccessibleAsync(page, "entry page, withdrawn");

        // The other entry, past the deadline without a file: the rule it broke, no upload any more.
        rig.Clock.Advance(EntryPortalRig.Deadline - rig.Clock.GetUtcNow());
        await rig.Server.Services.GetRequiredService<DeadlineEnforcer>().EnforceAsync();
        await page.GotoAsync($"/enter/e/{kept}");
        await Expect(page.Locator("#at-deadline")).ToHaveAttributeAsync("data-rule", EntryRules.Rules.NoFile);
        await Expect(page.Locator("#at-deadline")).ToContainTextAsync("No file was uploaded by the deadline.");
        await Expect(page.Locator("#upload-button")).ToHaveCountAsync(0);
        await Expect(page.Locator("#outcome")).ToHaveCountAsync(0);

        await rig.ExecuteAsync("UPDATE submissions SET outcome = 'not-selected'; UPDATE contest SET outcomes_published_at = '2026-09-01T00:00:00Z'");
        await page.ReloadAsync();
        await Expect(page.Locator("#outcome")).ToHaveAttributeAsync("data-outcome", "not-selected");
        await VoterPageChecks.AssertAccessibleAsync(page, "entry page, outcome");
        Assert.Empty(violations);
    }

    [Theory]
    [InlineData("en-US", "We don't know this entry link")]
    [InlineData("ja-JP", "この応募リンクは見つかりません")]
    public async Task EntryPage_OfAnUnknownLink_SaysSo(string locale, string heading)
    {
        await using var rig = await EntryPortalRig.StartAsync();
        var (page, _) = await OpenAsync(rig, locale, "UTC", $"/enter/e/{EntrySecrets.New()}");

        await Expect(page.Locator("h1")).ToHaveTextAsync(heading);
        await VoterPageChecks.AssertAccessibleAsync(page, $"unknown entry link ({locale})");
    }

    [Fact]
    public async Task PortalPages_SendTheirOwnPolicy_NoInlineScript_NoFraming_NoReferrer()
    {
        await using var rig = await EntryPortalRig.StartAsync();
        foreach (var path in new[] { "/enter", $"/enter/e/{EntrySecrets.New()}" })
        {
            using var response = await rig.Anonymous.GetAsync(path).WaitAsync(EntryPortalRig.Bound);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("script-src 'self'", policy);
            Assert.Contains("connect-src 'self'", policy);
            Assert.DoesNotContain("ws:", policy);
            Assert.DoesNotContain("unsafe-inline", policy);
            Assert.Contains("frame-ancestors 'none'", policy);
            Assert.Contains("form-action 'none'", policy);
            Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        }
    }

    /// <summary>Fills the submission form as an entrant does (one editor per line, padded as people type).</summary>
    internal static async Task FillAsync(IPage page, string email, string category, string title = "Sakura Drive", string editors = "Ann\n  Bo  \n")
    {
        await page.Locator("#f-title").FillAsync(title);
        await page.Locator("#f-editors").FillAsync(editors);
        await page.Locator("#f-email").FillAsync(email);
        await page.Locator("#f-category").SelectOptionAsync(new SelectOptionValue { Label = category });
        await page.Locator("#f-artist").FillAsync("Perfume");
        await page.Locator("#f-music").FillAsync("Polyrhythm");
        await page.Locator("#f-sources").FillAsync("Initial D");
        await page.Locator("#f-premiered").FillAsync("2026-03-14");
        await page.Locator("#f-permission").CheckAsync();
    }
}
