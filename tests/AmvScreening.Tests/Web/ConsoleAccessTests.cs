using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using AmvScreening.Server.Auth;
using AmvScreening.Tests.Support;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AmvScreening.Tests.Web;

/// <summary>Who may open which console page and call which action; sessions that end; cross-site request forgery.</summary>
public sealed class ConsoleAccessTests(Browser browser, ConsoleAccessTests.Server fixture) : IClassFixture<Browser>, IClassFixture<ConsoleAccessTests.Server>
{
    /// <summary>One server for the class: these tests read, sign in and out, and rotate the room code; nothing else changes.</summary>
    public sealed class Server : IDisposable
    {
        private Task<HttpClient>? _booth;

        public AmvServer Amv { get; } = new(new Dictionary<string, string?> { ["Amv:ImportOnFirstStart"] = RepoPaths.Of("samples", "kumoricon-2023.json") });

        /// <summary>One booth session for the whole class (sign-ins are limited per address and minute).</summary>
        public Task<HttpClient> BoothAsync() => _booth ??= Amv.CreateStaffClientAsync(Roles.Booth);

        public void Dispose() => Amv.Dispose();
    }

    private readonly AmvServer _server = fixture.Amv;

    public static TheoryData<string> Pages() =>
    [
        "/console", "/console/setup", "/console/finalists", "/console/import", "/console/entries", "/console/room", "/console/room/poster",
        "/console/cards/print", "/console/qr", "/console/live", "/console/booth", "/console/reveal", "/console/results",
        "/console/judging", "/console/selection",
    ];

    public static TheoryData<string> CoordinatorPages() =>
    [
        "/console/setup", "/console/finalists", "/console/import", "/console/entries", "/console/room", "/console/room/poster",
        "/console/cards/print", "/console/live", "/console/reveal", "/console/results", "/console/judging", "/console/selection",
    ];

    /// <summary>The state-changing actions the consoles call (method, path, JSON body or null).</summary>
    public static TheoryData<string, string, string?> Actions() => new()
    {
        { "PUT", "/api/contest/details", """{"name":"X","year":2026,"voting":{}}""" },
        { "POST", "/api/contest/categories", """{"name":"New"}""" },
        { "PUT", "/api/contest/categories/1", """{"name":"Renamed"}""" },
        { "DELETE", "/api/contest/categories/1", null },
        { "PUT", "/api/contest/categories/order", """{"categoryIds":[1]}""" },
        { "PUT", "/api/contest/categories/1/order", """{"entryIds":[1]}""" },
        { "POST", "/api/contest/entries", """{"categoryId":1,"title":"T","editors":["E"],"musicArtist":"A","musicTitle":"S"}""" },
        { "PUT", "/api/contest/entries/1", """{"categoryId":1,"title":"T","editors":["E"],"musicArtist":"A","musicTitle":"S"}""" },
        { "DELETE", "/api/contest/entries/1", null },
        { "POST", "/api/contest/entries/1/move-to-end", null },
        { "POST", "/api/contest/import", """{}""" },
        { "POST", "/api/room/rotate", null },
        { "POST", "/api/room/posters", """{"label":"Door"}""" },
        { "POST", "/api/room/posters/1/revoke", null },
        { "POST", "/api/cards/batches", """{"label":"Saturday","size":10}""" },
        { "POST", "/api/cards/batches/1/revoke", null },
        { "POST", "/api/voting/categories/1/close", null },
        { "POST", "/api/voting/best-in-show/open", null },
        { "PUT", "/api/entries/1/paper", """{"counts":{"5":1}}""" },
        { "POST", "/api/awards", """{"name":"Judges' Choice","entryId":1}""" },
        { "POST", "/api/results/ties", """{"scope":"category:1","entryId":1}""" },
        { "POST", "/api/results/reveal/categories/1", null },
        { "POST", "/api/results/reveal/best-in-show", null },
        { "POST", "/api/results/reveal/awards", null },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task ConsolePage_WithoutSignIn_RedirectsToSignIn(string path)
    {
        using var client = NoRedirects();
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/console/sign-in?returnUrl={Uri.EscapeDataString(path)}", response.Headers.Location!.PathAndQuery);
    }

    [Theory]
    [MemberData(nameof(Actions))]
    public async Task Action_WithoutSignIn_IsRefused_AndWithTheBoothAccountIsForbidden(string method, string path, string? body)
    {
        using var anonymous = _server.CreateAnonymousClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(anonymous, method, path, body)).StatusCode);
        var booth = await fixture.BoothAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(booth, method, path, body)).StatusCode);
    }

    [Fact]
    public async Task SignIn_FromARedirect_ReturnsToThePage_AndAWrongPasswordSaysSo()
    {
        var page = await browser.NewLaptopAsync(_server.BaseAddress);
        await page.GotoAsync("/console/results");
        Assert.Contains("/console/sign-in?returnUrl=%2Fconsole%2Fresults", page.Url);
        await ConsoleSupport.ScreenshotAsync(page, "sign-in");

        await page.GetByLabel("Password").FillAsync("not-the-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("That is not the coordinator password.");
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "amv.staff");

        await page.GetByLabel("Password").FillAsync(AmvServer.CoordinatorPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync("**/console/results");

        // Signing out ends the session: the page is closed to it again, and so is a copy of its cookie taken before.
        var copy = (await page.Context.CookiesAsync()).Single(c => c.Name == "amv.staff").Value;
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync("**/console/sign-in");
        await page.GotoAsync("/console/live");
        Assert.Contains("/console/sign-in?returnUrl=%2Fconsole%2Flive", page.Url);
        using var copied = NoRedirects();
        copied.DefaultRequestHeaders.Add("Cookie", $"amv.staff={copy}");
        Assert.Equal(HttpStatusCode.Unauthorized, (await copied.GetAsync("/api/auth/me")).StatusCode);
    }

    [Theory]
    [MemberData(nameof(CoordinatorPages))]
    public async Task BoothAccount_OnACoordinatorPage_SeesNoControls(string path)
    {
        var page = await browser.NewPhoneAsync(_server.BaseAddress);
        await ConsoleSupport.SignInAsync(page, Roles.Booth);
        var response = await page.GotoAsync(path);
        Assert.Contains("/console/denied", page.Url);
        Assert.Equal(200, response!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not for this account" })).ToBeVisibleAsync();
        await Expect(page.Locator("form:not([action='/console/sign-out']), [data-reveal], #rotate")).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Navigation)).Not.ToContainTextAsync("Reveal");
    }

    [Fact]
    public async Task BoothAccount_FromItsOwnPage_CannotChangeTheContestOrReveal()
    {
        var page = await browser.NewPhoneAsync(_server.BaseAddress);
        await ConsoleSupport.SignInAsync(page, Roles.Booth);
        await page.WaitForURLAsync("**/console/booth");
        Assert.Equal(403, await ConsoleSupport.FetchStatusAsync(page, "POST", "/api/results/reveal/awards", withToken: true));
        Assert.Equal(403, await ConsoleSupport.FetchStatusAsync(page, "POST", "/api/contest/categories", withToken: true, new { name = "Sneaky" }));
        Assert.Equal(403, await ConsoleSupport.FetchStatusAsync(page, "POST", "/api/room/rotate", withToken: true));
    }

    [Fact]
    public async Task BrowserCall_WithoutTheAntiforgeryToken_IsRefused_WithItIsTaken()
    {
        var page = await browser.NewLaptopAsync(_server.BaseAddress);
        await ConsoleSupport.SignInAsync(page, then: "/console/room");
        Assert.Equal(403, await ConsoleSupport.FetchStatusAsync(page, "POST", "/api/room/rotate", withToken: false));
        Assert.Equal(200, await ConsoleSupport.FetchStatusAsync(page, "POST", "/api/room/rotate", withToken: true));

        // A form post without its token is refused too (Razor Pages' check).
        var status = await page.EvaluateAsync<int>("async () => (await fetch('/console/sign-out', { method: 'POST', body: new URLSearchParams() })).status");
        Assert.Equal(400, status);
    }

    [Fact]
    public async Task CallFromAnotherOrigin_WithTheStaffCookie_IsRefused()
    {
        using var coordinator = await _server.CreateStaffClientAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/room/rotate");
        request.Headers.Add("Origin", "http://evil.example");
        var response = await coordinator.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("csrf", (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("reason").GetString());

        // A program without a browser's headers (curl, the tests, ./amv demo) needs no token.
        Assert.Equal(HttpStatusCode.OK, (await coordinator.PostAsync("/api/room/rotate", null)).StatusCode);
    }

    [Fact]
    public async Task ExpiredSession_RedirectsPagesToSignIn_AndTheApiAnswers401()
    {
        // A genuine session cookie of this server whose lifetime is over.
        var options = _server.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(Roles.Schemes.StaffCookie);
        var stamp = _server.Services.GetRequiredService<SecretStore>().SessionStamp(Roles.Coordinator)!;
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, Roles.Coordinator), new Claim(ClaimTypes.Role, Roles.Coordinator), new Claim(StaffSessions.StampClaim, stamp)],
            Roles.Schemes.StaffCookie);
        var ticket = new AuthenticationTicket(new ClaimsPrincipal(identity), new AuthenticationProperties
        {
            IssuedUtc = DateTimeOffset.UtcNow.AddHours(-13),
            ExpiresUtc = DateTimeOffset.UtcNow.AddHours(-1),
        }, Roles.Schemes.StaffCookie);
        var expired = options.TicketDataFormat.Protect(ticket);

        using var client = NoRedirects();
        client.DefaultRequestHeaders.Add("Cookie", $"amv.staff={expired}");
        var page = await client.GetAsync("/console/live");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/console/sign-in", page.Headers.Location!.PathAndQuery);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/tallies")).StatusCode);

        // The same cookie, not yet expired, is a session: the test made a real one.
        ticket.Properties.ExpiresUtc = DateTimeOffset.UtcNow.AddHours(1);
        using var fresh = NoRedirects();
        fresh.DefaultRequestHeaders.Add("Cookie", $"amv.staff={options.TicketDataFormat.Protect(ticket)}");
        Assert.Equal(HttpStatusCode.OK, (await fresh.GetAsync("/console/live")).StatusCode);
    }

    [Fact]
    public async Task ExpiredSession_OnAnOpenPage_SendsThePersonToSignIn()
    {
        var page = await browser.NewLaptopAsync(_server.BaseAddress);
        await ConsoleSupport.SignInAsync(page, then: "/console/setup");
        await Expect(page.Locator("#details")).ToHaveAttributeAsync("data-ready", "true");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle); // no response still on its way to set the cookie again
        await page.Context.ClearCookiesAsync(new() { Name = "amv.staff" });
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "amv.staff");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save details and rules" }).ClickAsync();
        await page.WaitForURLAsync("**/console/sign-in?returnUrl=%2Fconsole%2Fsetup&expired=1");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Your session has ended");
    }

    private HttpClient NoRedirects() =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = _server.BaseAddress };

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string path, string? body)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }

        return client.SendAsync(request).WaitAsync(HubTesting.Bound);
    }
}
