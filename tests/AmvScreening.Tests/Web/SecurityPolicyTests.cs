using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using AmvScreening.Protocol;
using AmvScreening.Server.Auth;
using AmvScreening.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AmvScreening.Tests.Web;

/// <summary>The pages work under their Content-Security-Policy in real Chromium (nothing they need is blocked), and no
/// other page can frame them.</summary>
public sealed class SecurityPolicyTests(Browser browser, SecurityPolicyTests.Server fixture)
    : IClassFixture<Browser>, IClassFixture<SecurityPolicyTests.Server>
{
    public sealed class Server : IDisposable
    {
        public AmvServer Amv { get; } = new(new Dictionary<string, string?> { ["Amv:ImportOnFirstStart"] = RepoPaths.Of("samples", "kumoricon-2023.json") });

        public void Dispose() => Amv.Dispose();
    }

    /// <summary>Records every policy violation and every print, before the page's own scripts run.</summary>
    private const string Watch = """
        window.__violations = [];
        document.addEventListener('securitypolicyviolation', e => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
        window.__printed = 0;
        window.print = () => { window.__printed++; };
        """;

    private readonly AmvServer _server = fixture.Amv;

    [Fact]
    public async Task EveryConsolePage_RunsUnderItsPolicy_WithoutAViolation()
    {
        var page = await browser.NewLaptopAsync(_server.BaseAddress);
        await page.Context.AddInitScriptAsync(Watch);
        var errors = ConsoleSupport.CollectErrors(page);
        await ConsoleSupport.SignInAsync(page, then: "/console/live");

        foreach (var path in ConsoleAccessTests.Pages())
        {
            await page.GotoAsync(path);
            if (await page.Locator("#hub-status").CountAsync() > 0)
            {
                await ConsoleSupport.WaitLiveAsync(page); // connected over the WebSocket and fetched its state
            }

            Assert.Empty(await page.EvaluateAsync<string[]>("() => window.__violations"));
        }

        // The print buttons and the poster choice work without inline handlers.
        using var coordinator = await _server.CreateStaffClientAsync();
        var poster = await (await coordinator.PostAsJsonAsync("/api/room/posters", new { label = "Policy door" })).Content.ReadFromJsonAsync<JsonElement>();
        await page.GotoAsync("/console/room/poster");
        await page.GetByLabel("Poster:").SelectOptionAsync(poster.GetProperty("id").GetInt32().ToString(CultureInfo.InvariantCulture));
        await page.WaitForURLAsync("**poster=*");
        var batch = await (await coordinator.PostAsJsonAsync("/api/cards/batches", new { label = "Policy", size = 2 })).Content.ReadFromJsonAsync<JsonElement>();
        var cards = $"/console/cards/print?batch={batch.GetProperty("id").GetInt64()}";
        foreach (var (path, button) in new[] { ("/console/results", "Print the announcer’s sheet"), (page.Url, "Print"), (cards, "Print") })
        {
            await page.GotoAsync(path);
            await page.GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).ClickAsync();
            Assert.Equal(1, await page.EvaluateAsync<int>("() => window.__printed"));
        }

        Assert.Empty(await page.EvaluateAsync<string[]>("() => window.__violations"));

        ConsoleSupport.AssertNoErrors(errors);
    }

    [Fact]
    public async Task SignInPage_WorksUnderItsPolicy_AndSaysWhenThePasswordIsWrong()
    {
        var page = await browser.NewPhoneAsync(_server.BaseAddress);
        await page.Context.AddInitScriptAsync(Watch);
        await page.GotoAsync("/console/sign-in?returnUrl=%2Fconsole%2Fqr");
        await Expect(page.Locator("#sign-in")).ToHaveAttributeAsync("data-ready", "true");
        await page.GetByLabel("Booth", new() { Exact = true }).CheckAsync(new() { Force = true });
        await page.GetByLabel("Password").FillAsync("not-the-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("That is not the booth password.");
        await Expect(page.GetByLabel("Password")).ToHaveAttributeAsync("aria-invalid", "true");

        await page.GetByLabel("Password").FillAsync(AmvServer.BoothPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync("**/console/qr");
        Assert.Empty(await page.EvaluateAsync<string[]>("() => window.__violations"));
    }

    public static TheoryData<string> FramedPages() => ["/v/{code}", "/console/sign-in", "/console/qr"];

    [Theory]
    [MemberData(nameof(FramedPages))]
    public async Task AnotherPage_CannotFrameIt(string path)
    {
        using var coordinator = await _server.CreateStaffClientAsync(Roles.Coordinator);
        var room = (await coordinator.GetFromJsonAsync<RoomInfo>("/api/room"))!;
        var url = new Uri(_server.BaseAddress, path.Replace("{code}", room.Code, StringComparison.Ordinal));
        var page = await browser.NewLaptopAsync(_server.BaseAddress);

        var refused = page.WaitForConsoleMessageAsync(new()
        {
            Predicate = m => m.Text.Contains("frame-ancestors 'none'", StringComparison.Ordinal) || m.Text.Contains("X-Frame-Options", StringComparison.Ordinal),
        });
        await page.SetContentAsync($"<iframe src=\"{url}\" title=\"framed\"></iframe>");
        var message = await refused.WaitAsync(Browser.Bound);
        Assert.Contains(url.GetLeftPart(UriPartial.Authority), message.Text); // Chromium names the origin refused
    }
}
