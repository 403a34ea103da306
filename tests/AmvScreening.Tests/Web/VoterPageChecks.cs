using System.Text.Json;
using AmvScreening.Tests.Support;
using Microsoft.Playwright;

namespace AmvScreening.Tests.Web;

/// <summary>What the voter app tests check on every screen: axe-core finds no violations; a screenshot at phone size.</summary>
internal static class VoterPageChecks
{
    /// <summary>voter-web/node_modules/axe-core (a dev dependency of the app: `npm ci --prefix voter-web`).</summary>
    private static readonly Lazy<string> AxeSource = new(() =>
    {
        var path = RepoPaths.Of("voter-web", "node_modules", "axe-core", "axe.min.js");
        Assert.True(File.Exists(path), $"{path} is missing: run `npm ci --prefix voter-web` (./amv build does).");
        return File.ReadAllText(path);
    });

    static VoterPageChecks() => Assertions.SetDefaultExpectTimeout((float)Browser.Bound.TotalMilliseconds);

    /// <summary>Call once before using Playwright's Expect in a test class (sets its timeout to the browser bound).</summary>
    public static void Init() { }

    /// <summary>Runs axe-core (WCAG 2.x A and AA rules and best practices) on the page as it is; fails listing every violation.</summary>
    public static async Task AssertAccessibleAsync(IPage page, string screen)
    {
        // Evaluated over the DevTools protocol: the page's Content-Security-Policy (script-src 'self') does not apply.
        await page.EvaluateAsync(AxeSource.Value).WaitAsync(Browser.Bound);
        var violations = await page.EvaluateAsync<JsonElement>("""
            async () => {
              const result = await axe.run(document, { resultTypes: ["violations"] });
              return result.violations.map(v => `${v.id} (${v.impact}): ${v.help}\n` +
                v.nodes.map(n => `    ${n.target.join(" ")}: ${n.failureSummary.replace(/\n/g, " ")}`).join("\n"));
            }
            """).WaitAsync(Browser.Bound);
        var found = violations.EnumerateArray().Select(v => v.GetString()).ToList();
        Assert.True(found.Count == 0, $"axe-core found {found.Count} violation(s) on the {screen} screen:\n{string.Join("\n", found)}");
    }

    /// <summary>Records everything the page's polite live region says, in order, as <c>window.__said</c> (a message can be
    /// replaced faster than a test polls). Call before the page opens.</summary>
    public static Task RecordAnnouncementsAsync(IPage page) => page.AddInitScriptAsync("""
        (() => {
          window.__said = [];
          new MutationObserver(() => {
            const text = document.querySelector("[role=status][aria-live=polite]")?.textContent.trim();
            if (text && text !== window.__said.at(-1)) window.__said.push(text);
          }).observe(document, { subtree: true, childList: true, characterData: true });
        })();
        """);

    /// <summary>Waits until the live region has said <paramref name="message"/> (<see cref="RecordAnnouncementsAsync"/>),
    /// bounded by the browser bound; fails with everything it said.</summary>
    public static async Task SaysAsync(IPage page, string message)
    {
        try
        {
            await page.WaitForFunctionAsync("m => window.__said.includes(m)", message, new() { Timeout = (float)Browser.Bound.TotalMilliseconds });
        }
        catch (TimeoutException)
        {
            Assert.Fail($"The live region never said \"{message}\"; it said: {await page.EvaluateAsync<string>("() => window.__said.join(' | ')")}");
        }
    }

    /// <summary>
    /// Saves the page as it shows (a phone: 390×844 CSS pixels) as {prefix}-{name}.png: into docs/screenshots when the environment
    /// variable AMV_UPDATE_SCREENSHOTS=1 (to refresh the documentation), else into a temporary folder.
    /// </summary>
    public static async Task ScreenshotAsync(IPage page, string name, string prefix = "voter")
    {
        var folder = Environment.GetEnvironmentVariable("AMV_UPDATE_SCREENSHOTS") == "1"
            ? RepoPaths.Of("docs", "screenshots")
            : Path.Combine(Path.GetTempPath(), "amv-voter-screenshots");
        Directory.CreateDirectory(folder);
        // The top of the page, nothing focused, fonts loaded, no animation: a stable picture of what a phone shows first.
        await page.EvaluateAsync("async () => { document.activeElement?.blur(); window.scrollTo(0, 0); await document.fonts.ready; }")
            .WaitAsync(Browser.Bound);
        await page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(folder, $"{prefix}-{name}.png"),
            Animations = ScreenshotAnimations.Disabled,
            Scale = ScreenshotScale.Css,
            Caret = ScreenshotCaret.Hide,
        }).WaitAsync(Browser.Bound);
    }
}
