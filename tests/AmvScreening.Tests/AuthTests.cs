using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AmvScreening.Server.Auth;
using AmvScreening.Tests.Support;

namespace AmvScreening.Tests;

public sealed class AuthTests : IClassFixture<AuthTests.Server>
{
    public sealed class Server() : IDisposable
    {
        public AmvServer Amv { get; } = new();
        public void Dispose() => Amv.Dispose();
    }

    private readonly AmvServer _server;

    public AuthTests(Server server) => _server = server.Amv;

    [Fact]
    public async Task CoordinatorLogin_WithRightPassword_OpensCoordinatorEndpoints()
    {
        using var client = await _server.CreateStaffClientAsync(Roles.Coordinator);
        var me = await client.GetFromJsonAsync<JsonElement>("/api/auth/me");
        Assert.Equal("coordinator", me.GetProperty("role").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/contest")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/room")).StatusCode);
    }

    [Fact]
    public async Task Login_WithWrongPassword_IsRefusedAndSetsNoCookie()
    {
        using var client = _server.CreateAnonymousClient();
        var response = await client.PostAsJsonAsync("/api/auth/login", new { role = "coordinator", password = AmvServer.BoothPassword });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(response.Headers.Contains("Set-Cookie"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/contest")).StatusCode);
    }

    [Fact]
    public async Task Login_WithUnknownRole_NamesTheField()
    {
        using var client = _server.CreateAnonymousClient();
        var response = await client.PostAsJsonAsync("/api/auth/login", new { role = "player", password = AmvServer.PlayerApiKey });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("role", out _));
    }

    [Theory]
    [InlineData("{\"role\":\"coordinator\",\"password\":\"x\",\"admin\":true}", "admin")]
    [InlineData("{\"role\":\"coordinator\"}", "password")]
    [InlineData("{\"role\":\"coordinator\",\"password\":42}", "password")]
    [InlineData("{\"role\":\"coordinator\",\"password\":null}", "password")]
    [InlineData("{\"role\":", "body")]
    public async Task Login_WithMalformedBody_Is400NamingTheField(string body, string field)
    {
        using var client = _server.CreateAnonymousClient();
        var response = await client.PostAsync("/api/auth/login", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task OversizeBody_Is413ProblemDetails()
    {
        using var client = _server.CreateAnonymousClient();
        var body = "{\"role\":\"coordinator\",\"password\":\"" + new string('x', 200_000) + "\"}";
        var response = await client.PostAsync("/api/auth/login", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("GET", "/api/contest")]
    [InlineData("GET", "/api/room")]
    [InlineData("POST", "/api/room/rotate")]
    [InlineData("GET", "/api/auth/me")]
    public async Task Anonymous_CannotReachStaffEndpoints(string method, string path)
    {
        using var client = _server.CreateAnonymousClient();
        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Booth_CannotRotateTheRoomCode()
    {
        using var client = await _server.CreateStaffClientAsync(Roles.Booth);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/contest")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync("/api/room/rotate", null)).StatusCode);
    }

    [Fact]
    public async Task Player_WithWrongApiKey_IsRefused()
    {
        using var client = _server.CreateAnonymousClient();
        client.DefaultRequestHeaders.Add(AmvScreening.Protocol.ShowHubContract.ApiKeyHeader, "not-the-key-0000000000");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/contest")).StatusCode);
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    [InlineData("/api/show")]
    [InlineData("/openapi/v1.json")]
    public async Task PublicEndpoints_AnswerWithoutSignIn(string path)
    {
        using var client = _server.CreateAnonymousClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(path)).StatusCode);
    }

    /// <summary>After signing in, the page goes on only to a well-formed console page of this server; anything else —
    /// other hosts, scripts, header injection, non-ASCII, the API — goes to the console's home.</summary>
    [Theory]
    [InlineData("/console/results", "/console/results")]
    [InlineData("/console/live?tab=2&x=%20y", "/console/live?tab=2&x=%20y")]
    [InlineData("/console/r%C3%A9sultats", "/console/r%C3%A9sultats")]
    [InlineData("/console/résultats", "/console")]
    [InlineData("/console/live\r\nSet-Cookie: a=b", "/console")]
    [InlineData("/console/live\nLocation: http://evil.example", "/console")]
    [InlineData("/console/live\u0000", "/console")]
    [InlineData("/console/live x", "/console")]
    [InlineData("//evil.example/console", "/console")]
    [InlineData("/\\evil.example/console", "/console")]
    [InlineData("https://evil.example/console", "/console")]
    [InlineData("javascript:alert(1)", "/console")]
    [InlineData("/api/results/export.csv", "/console")]
    [InlineData("/console/assets/console.js", "/console")]
    [InlineData("/console/../api/tallies", "/console")]
    [InlineData("/console/sign-in?returnUrl=/console/live", "/console")]
    [InlineData("/consolex", "/console")]
    [InlineData("console/live", "/console")]
    [InlineData("", "/console")]
    public async Task SignInPage_GoesOnOnlyToAWellFormedConsolePage(string returnUrl, string expected)
    {
        using var client = _server.CreateAnonymousClient();
        var response = await client.GetAsync($"/console/sign-in?returnUrl={Uri.EscapeDataString(returnUrl)}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var next = System.Text.RegularExpressions.Regex.Match(await response.Content.ReadAsStringAsync(), "data-next=\"([^\"]*)\"").Groups[1].Value;
        Assert.Equal(expected, WebUtility.HtmlDecode(next));
        Assert.Equal(expected, ConsolePaths.SafeReturnUrl(returnUrl));
    }

    /// <summary>The redirects to sign-in and to "not for this account" carry the address asked for: whatever it holds,
    /// they stay redirects with an encoded address, never a 500 for a header Kestrel refuses.</summary>
    [Theory]
    [InlineData("/console/live?x=%0D%0ASet-Cookie:%20a=b")]
    [InlineData("/console/live?x=%C3%A9%F0%9F%98%80")]
    [InlineData("/console/r%C3%A9sultats")]
    [InlineData("/console/live?returnUrl=%0A%00")]
    [InlineData("/console/sign-in/..%2F..%2Fapi")]
    public async Task ConsoleAddress_WithAnyCharacters_RedirectsCleanly(string path)
    {
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _server.BaseAddress };
        var response = await anonymous.GetAsync(path);
        Assert.True((int)response.StatusCode is 302 or 404 or 200, $"{path}: {(int)response.StatusCode}");
        Assert.True(response.Headers.Location is null || response.Headers.Location.OriginalString.All(c => c is > ' ' and < '\u007f'));

        var cookies = new CookieContainer();
        using var _ = await _server.CreateStaffClientAsync(Roles.Booth, cookies);
        using var booth = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies }) { BaseAddress = _server.BaseAddress };
        var denied = await booth.GetAsync(path);
        Assert.True((int)denied.StatusCode is 302 or 404 or 200, $"{path} as booth: {(int)denied.StatusCode}");
    }

    /// <summary>Generated return URLs of every kind of character: the answer is the URL itself only when it is printable
    /// ASCII under /console, and is always a value a Location header or a page could carry.</summary>
    [Fact]
    public void SafeReturnUrl_OfAnyString_IsAConsolePathOfPrintableAscii()
    {
        var random = new Random(20261130);
        const string pieces = "/console/live?=&#%2e.\\ \r\n\t\u0000\u007fé😀:@";
        for (var i = 0; i < 5_000; i++)
        {
            var url = (random.Next(3) == 0 ? "" : "/console/") + new string(Enumerable.Range(0, random.Next(0, 24)).Select(_ => pieces[random.Next(pieces.Length)]).ToArray());
            var safe = ConsolePaths.SafeReturnUrl(url);
            Assert.True(safe == "/console" || safe == url, url);
            Assert.StartsWith("/console", safe);
            Assert.All(safe, c => Assert.InRange(c, '!', '~'));
            Assert.DoesNotContain("/.", safe.Split('?', '#')[0]);
        }
    }
}
