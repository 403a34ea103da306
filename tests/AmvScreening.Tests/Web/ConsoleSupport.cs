using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AmvScreening.Server.Auth;
using AmvScreening.Tests.Contest;
using AmvScreening.Tests.Support;
using Microsoft.Playwright;

namespace AmvScreening.Tests.Web;

/// <summary>What the console tests share: signing in through the page, screenshots, a small contest.</summary>
internal static class ConsoleSupport
{
    /// <summary>Where the screenshots go: AMV_SCREENSHOTS (e.g. docs/screenshots) or a temporary folder.</summary>
    public static string ScreenshotDirectory { get; } = Environment.GetEnvironmentVariable("AMV_SCREENSHOTS") is { Length: > 0 } dir
        ? Path.GetFullPath(dir)
        : Directory.CreateTempSubdirectory("amv-console-screens-").FullName;

    static ConsoleSupport() => Assertions.SetDefaultExpectTimeout((float)Browser.Bound.TotalMilliseconds);

    /// <summary>Signs in through the sign-in page, as a person would; lands on <paramref name="then"/>.</summary>
    public static async Task SignInAsync(IPage page, string role = Roles.Coordinator, string then = "/console")
    {
        await page.GotoAsync($"/console/sign-in?returnUrl={Uri.EscapeDataString(then)}");
        await page.GetByLabel(role == Roles.Coordinator ? "Coordinator" : "Booth", new() { Exact = true }).CheckAsync(new() { Force = true });
        await page.GetByLabel("Password").FillAsync(role == Roles.Coordinator ? AmvServer.CoordinatorPassword : AmvServer.BoothPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/console/sign-in", StringComparison.Ordinal));
    }

    /// <summary>Collects the script errors of a page (console errors and uncaught exceptions), to assert there were none.
    /// The API's 400 and 409 answers, which the pages show as field errors and refusals, are expected.</summary>
    public static List<string> CollectErrors(IPage page)
    {
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && !message.Text.Contains("status of 400", StringComparison.Ordinal)
                && !message.Text.Contains("status of 409", StringComparison.Ordinal))
            {
                lock (errors) { errors.Add($"{page.Url}: {message.Text}"); }
            }
        };
        page.PageError += (_, error) => { lock (errors) { errors.Add($"{page.Url}: {error}"); } };
        return errors;
    }

    public static void AssertNoErrors(params List<string>[] lists)
    {
        var all = lists.SelectMany(l => l).ToList();
        Assert.True(all.Count == 0, "Script errors:\n" + string.Join("\n", all));
    }

    /// <summary>Waits until the page's hub connection is live (it has fetched the current state).</summary>
    public static Task WaitLiveAsync(IPage page) =>
        Assertions.Expect(page.Locator("#hub-status")).ToHaveAttributeAsync("data-state", "live");

    /// <summary>A full-page screenshot named docs/screenshots/console-NAME.png (in <see cref="ScreenshotDirectory"/>).</summary>
    public static async Task ScreenshotAsync(IPage page, string name, bool fullPage = true)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, $"console-{name}.png"), FullPage = fullPage });
    }

    /// <summary>Evaluates fetch in the page: the status of a call made with the page's cookies.</summary>
    public static Task<int> FetchStatusAsync(IPage page, string method, string url, bool withToken, object? body = null) =>
        page.EvaluateAsync<int>(
            """
            async ([method, url, withToken, body]) => {
              const headers = { 'Content-Type': 'application/json' };
              if (withToken) headers['X-CSRF-TOKEN'] = document.querySelector('meta[name="csrf-token"]').content;
              const r = await fetch(url, { method, headers, body: body === null ? undefined : JSON.stringify(body) });
              return r.status;
            }
            """,
            new object?[] { method, url, withToken, body });

    /// <summary>A small contest: two categories of two finalists each, Best In Show by ballot; returns the ids.</summary>
    public static async Task<SmallContest> ImportSmallContestAsync(HttpClient coordinator)
    {
        var file = new JsonObject
        {
            ["contest"] = new JsonObject { ["name"] = "Test Con AMV Contest", ["year"] = 2026 },
            ["categories"] = new JsonArray("Action", "Comedy"),
            ["finalists"] = new JsonArray(
                Finalist("Action", 1, "Blade Dance"), Finalist("Action", 2, "Steel Rain"),
                Finalist("Comedy", 1, "Pudding Heist"), Finalist("Comedy", 2, "Tea Time Tornado")),
        };
        var import = await ContestApi.ImportAsync(coordinator, file);
        Assert.True(import.Status == HttpStatusCode.OK, import.Describe());
        var contest = await ContestApi.GetContestAsync(coordinator);
        var categories = contest.GetProperty("categories").EnumerateArray().Select(c => c.GetProperty("id").GetInt32()).ToList();
        var entries = contest.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("id").GetInt32()).ToList();
        return new SmallContest(categories[0], categories[1], entries[0], entries[1], entries[2], entries[3]);
    }

    private static JsonObject Finalist(string category, int order, string title) => new()
    {
        ["category"] = category,
        ["order"] = order,
        ["title"] = title,
        ["editors"] = new JsonArray($"{title} Editor"),
        ["musicArtist"] = "Artist",
        ["musicTitle"] = "Song",
    };

    public static async Task<JsonElement> TalliesAsync(HttpClient coordinator) =>
        await coordinator.GetFromJsonAsync<JsonElement>("/api/tallies").WaitAsync(HubTesting.Bound);
}

/// <summary>Ids of <see cref="ConsoleSupport.ImportSmallContestAsync"/>: Action (A1, A2), Comedy (C1, C2).</summary>
internal sealed record SmallContest(int Action, int Comedy, int A1, int A2, int C1, int C2);
