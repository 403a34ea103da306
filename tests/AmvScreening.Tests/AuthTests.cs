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
}
