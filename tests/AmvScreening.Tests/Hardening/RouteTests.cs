using System.Net;
using System.Net.Http.Json;
using AmvScreening.Protocol;
using AmvScreening.Tests.Support;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using static AmvScreening.Tests.Support.HubTesting;

namespace AmvScreening.Tests.Hardening;

/// <summary>Route matching and handlers agree: an action in a path does what it names, whatever its case; an action
/// the routes do not name is a 404; and every route answers only its own methods (any other is a 405).</summary>
public sealed class RouteTests : IDisposable
{
    private static readonly string[] Methods = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"];

    /// <summary>SignalR maps the hub without method metadata and answers 405 to other methods itself: negotiate takes
    /// POST; the connection GET (WebSockets, Server-Sent Events, long polling), POST (long-polling sends) and DELETE.</summary>
    private static readonly Dictionary<string, IReadOnlyCollection<string>> SignalREndpoints = new()
    {
        [ShowHubContract.Path + "/negotiate"] = ["POST"],
        [ShowHubContract.Path] = ["GET", "POST", "DELETE"],
    };

    private readonly AmvServer _server = new();

    public void Dispose() => _server.Dispose();

    /// <summary>Every spelling of each action's name, from "close" to "CLOSE" (all 2^n mixes of case).</summary>
    private static IEnumerable<string> Spellings(string action) =>
        Enumerable.Range(0, 1 << action.Length).Select(mask =>
            new string([.. action.Select((c, i) => (mask & (1 << i)) != 0 ? char.ToUpperInvariant(c) : c)]));

    [Fact]
    public async Task CategoryAction_InAnyCase_DoesWhatItNames()
    {
        var category = (await TestContest.SeedAsync(_server, categories: 1))[0];
        using var coordinator = await _server.CreateStaffClientAsync();
        var statusOf = new Dictionary<string, CategoryVotingStatus>
        {
            ["open"] = CategoryVotingStatus.Open, ["close"] = CategoryVotingStatus.Closed, ["auto"] = CategoryVotingStatus.Pending,
        };
        // From every status to every other, so that an action that did something else would show.
        foreach (var (action, expected) in statusOf)
        {
            foreach (var spelling in Spellings(action))
            {
                foreach (var start in statusOf.Keys.Where(k => k != action))
                {
                    await TestContest.SetVotingAsync(coordinator, category.Id, start);
                    var response = await coordinator.PostAsync($"/api/voting/categories/{category.Id}/{spelling}", null).WaitAsync(Bound);
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    var voting = await coordinator.GetFromJsonAsync<VotingSnapshot>("/api/voting", ShowJsonOptions).WaitAsync(Bound);
                    Assert.True(expected == voting!.Categories.Single().Status, $"{spelling} from {start}: {voting.Categories.Single().Status}");
                }
            }
        }
    }

    [Fact]
    public async Task BestInShowAction_InAnyCase_DoesWhatItNames()
    {
        await TestContest.SeedAsync(_server, categories: 1);
        using var coordinator = await _server.CreateStaffClientAsync();
        foreach (var (action, expected, start) in new[] { ("open", BallotStatus.Open, "close"), ("close", BallotStatus.Closed, "open") })
        {
            foreach (var spelling in Spellings(action))
            {
                await TestContest.SetBallotAsync(coordinator, start);
                Assert.Equal(HttpStatusCode.OK, (await coordinator.PostAsync($"/api/voting/best-in-show/{spelling}", null).WaitAsync(Bound)).StatusCode);
                var voting = await coordinator.GetFromJsonAsync<VotingSnapshot>("/api/voting", ShowJsonOptions).WaitAsync(Bound);
                Assert.True(expected == voting!.BestInShow, $"{spelling}: {voting.BestInShow}");
            }
        }
    }

    [Theory]
    [InlineData("/api/voting/categories/{id}/reopen")]
    [InlineData("/api/voting/categories/{id}/opened")]
    [InlineData("/api/voting/categories/{id}/clos")]
    [InlineData("/api/voting/categories/{id}/open%20")]
    [InlineData("/api/voting/categories/{id}/%C3%B6pen")]
    [InlineData("/api/voting/categories/{id}/open/close")]
    [InlineData("/api/voting/categories/{id}/")]
    [InlineData("/api/voting/categories/{id}/Ｏｐｅｎ")]
    [InlineData("/api/voting/best-in-show/reopen")]
    [InlineData("/api/voting/best-in-show/")]
    [InlineData("/api/voting/best-in-show/auto")]
    [InlineData("/api/voting/best-in-show/clos%C3%A9")]
    public async Task UnknownAction_Is404_AndChangesNothing(string path)
    {
        var category = (await TestContest.SeedAsync(_server, categories: 1))[0];
        using var coordinator = await _server.CreateStaffClientAsync();
        await TestContest.SetVotingAsync(coordinator, category.Id, "close");
        var before = await DatabaseDump.TakeAsync(_server.DatabasePath);

        var response = await coordinator.PostAsync(path.Replace("{id}", $"{category.Id}"), null).WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(DatabaseDump.Changed(before, await DatabaseDump.TakeAsync(_server.DatabasePath)));
    }

    [Fact]
    public async Task EveryRoute_AnswersAnyOtherMethodWith405()
    {
        var checkedRoutes = 0;
        using var client = _server.CreateAnonymousClient();
        foreach (var (path, allowed) in Routes())
        {
            Assert.True(allowed.Count > 0, $"{path} answers every method: give it its methods");
            foreach (var method in Methods.Except(allowed))
            {
                using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path)).WaitAsync(Bound);
                Assert.True(response.StatusCode == HttpStatusCode.MethodNotAllowed, $"{method} {path}: {(int)response.StatusCode}");
                checkedRoutes++;
            }
        }

        Assert.True(checkedRoutes > 100, $"only {checkedRoutes} route and method pairs checked");
    }

    [Fact]
    public async Task PutHealthz_Is405()
    {
        using var client = _server.CreateAnonymousClient();
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await client.PutAsync("/healthz", null).WaitAsync(Bound)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz").WaitAsync(Bound)).StatusCode);
    }

    /// <summary>Every route the server maps, as a path to request (route values filled in), with the methods its
    /// endpoints accept between them (empty: an endpoint that accepts any method).</summary>
    private IEnumerable<(string Path, IReadOnlyCollection<string> Allowed)> Routes()
    {
        var endpoints = _server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        foreach (var group in endpoints.GroupBy(e => e.RoutePattern.RawText))
        {
            var methods = group.Select(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods).ToList();
            IReadOnlyCollection<string> allowed = methods.Any(m => m is null or { Count: 0 }) ? [] : [.. methods.SelectMany(m => m!).Distinct()];
            if (allowed.Count == 0 && SignalREndpoints.TryGetValue(group.Key!, out var own))
            {
                allowed = own;
            }

            yield return (PathOf(group.First().RoutePattern), allowed);
        }
    }

    private static string PathOf(RoutePattern pattern) =>
        "/" + string.Join('/', pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternParameterPart parameter => parameter.ParameterPolicies.Any(p => p.Content == "int") ? "1" : "x",
            RoutePatternSeparatorPart separator => separator.Content,
            _ => "",
        }))));
}
