using AmvScreening.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AmvScreening.Tests.Judging;

/// <summary>What people do on the Judges, judge's panel and Selection pages, step by step, for the browser tests.</summary>
internal static class JudgingPages
{
    public sealed record JudgeBrowser(string Name, IPage Page, List<string> Errors, List<string> Requests);

    /// <summary>The coordinator adds a judge of the named categories on the Judges page; the judge's invite link.</summary>
    public static async Task<string> AddJudgeAsync(IPage coordinator, string name, params string[] categories)
    {
        await coordinator.Locator("#judge-name").FillAsync(name);
        foreach (var category in categories)
        {
            await coordinator.Locator("#add-categories").GetByLabel(category).CheckAsync();
        }

        await coordinator.GetByRole(AriaRole.Button, new() { Name = "Add judge and make an invite link" }).ClickAsync();
        await Expect(coordinator.Locator("#invite-name")).ToHaveTextAsync(name);
        return await coordinator.Locator("#invite-link").InputValueAsync();
    }

    /// <summary>A judge's own browser: takes the invite link, chooses a password, lands on the panel with its
    /// <paramref name="categories"/> sections and the scale's hint.</summary>
    public static async Task<JudgeBrowser> TakeInviteAsync(Browser browser, Uri server, string invite, int categories, string scaleHint)
    {
        var page = await browser.NewLaptopAsync(server);
        var errors = Web.ConsoleSupport.CollectErrors(page);
        var requests = new List<string>();
        page.Response += (_, response) => { lock (requests) { requests.Add($"{response.Url} {string.Join(" ", response.Headers.Values)}"); } };
        await page.GotoAsync(invite);
        await page.GetByLabel("New password").FillAsync(JudgingRig.JudgePassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Set password and sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => url.EndsWith("/console/judge", StringComparison.Ordinal));
        await Expect(page.Locator("#categories")).ToHaveAttributeAsync("data-ready", "true");
        await Expect(page.Locator("#categories > section")).ToHaveCountAsync(categories);
        await Expect(page.Locator("#scale-hint")).ToContainTextAsync(scaleHint);
        return new JudgeBrowser(await page.Locator(".role-badge").InnerTextAsync(), page, errors, requests);
    }

    public static async Task ScoreAsync(IPage page, int entry, int score, string? note, string? flag)
    {
        await page.Locator($"#score-{entry}").FillAsync(score.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (note is not null)
        {
            await page.Locator($"#note-{entry}").FillAsync(note);
        }

        if (flag is not null)
        {
            await page.Locator($"#flag-{entry}").SelectOptionAsync(flag);
        }

        await page.Locator($"form[data-entry=\"{entry}\"] button[type=submit]").ClickAsync();
        await Expect(page.Locator($"#status-{entry}")).ToHaveTextAsync($"Saved: {score}");
    }

    public static async Task SetOutcomeAsync(IPage page, int entry, string outcome, string? reason = null)
    {
        var row = page.Locator($"tr[data-entry=\"{entry}\"]");
        await row.Locator("select").SelectOptionAsync(outcome);
        if (reason is not null)
        {
            await row.Locator("input[type=text]").FillAsync(reason);
        }

        await row.GetByRole(AriaRole.Button, new() { Name = "Set" }).ClickAsync();
        await Expect(page.Locator($"tr[data-entry=\"{entry}\"]")).ToHaveAttributeAsync("data-outcome", outcome);
    }

    /// <summary>Fails when <paramref name="text"/> names any of <paramref name="hidden"/> (editors, contact emails).</summary>
    public static void AssertHides(string text, string where, IEnumerable<string> hidden)
    {
        foreach (var word in hidden)
        {
            Assert.False(text.Contains(word, StringComparison.OrdinalIgnoreCase), $"{where} shows '{word}'.");
        }
    }
}
