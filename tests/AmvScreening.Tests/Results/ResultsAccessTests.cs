using System.Net;
using AmvScreening.Server.Auth;
using AmvScreening.Tests.Support;

namespace AmvScreening.Tests.Results;

public sealed class ResultsAccessTests : IClassFixture<ResultsAccessTests.Server>
{
    public sealed class Server : IDisposable
    {
        public AmvServer Amv { get; } = new();
        public void Dispose() => Amv.Dispose();
    }

    private readonly AmvServer _server;

    public ResultsAccessTests(Server server) => _server = server.Amv;

    public static TheoryData<string, string> CoordinatorOnly { get; } = new()
    {
        { "GET", "/api/tallies" },
        { "GET", "/api/results/export.json" },
        { "GET", "/api/results/export.csv" },
        { "GET", "/api/votes/export.csv" },
        { "GET", "/api/awards" },
        { "POST", "/api/awards" },
        { "DELETE", "/api/awards/1" },
        { "PUT", "/api/entries/1/paper" },
        { "POST", "/api/results/ties" },
        { "POST", "/api/results/reveal/categories/1" },
        { "POST", "/api/results/reveal/best-in-show" },
        { "POST", "/api/results/reveal/awards" },
    };

    [Theory]
    [MemberData(nameof(CoordinatorOnly))]
    public async Task CoordinatorOnlyEndpoints_AreRefusedToAnonymousClients(string method, string path)
    {
        using var client = _server.CreateAnonymousClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path))).StatusCode);
    }

    [Theory]
    [MemberData(nameof(CoordinatorOnly))]
    public async Task CoordinatorOnlyEndpoints_AreRefusedToTheBooth(string method, string path)
    {
        using var client = await _server.CreateStaffClientAsync(Roles.Booth);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path))).StatusCode);
    }

    [Fact]
    public async Task PublicResults_AnswerWithoutSignIn_EmptyBeforeAnyReveal()
    {
        using var client = _server.CreateAnonymousClient();
        Assert.Equal("""{"categories":[],"bestInShow":null,"awards":null}""", await client.GetStringAsync("/api/results"));
    }
}
