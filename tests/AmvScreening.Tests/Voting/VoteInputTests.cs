using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AmvScreening.Protocol;
using AmvScreening.Server.Data;
using AmvScreening.Server.Voting;
using AmvScreening.Tests.Support;
using Dapper;

namespace AmvScreening.Tests.Voting;

/// <summary>Bad input to the voting API: each answered with a precise 4xx, and nothing recorded.</summary>
public sealed class VoteInputTests : IClassFixture<VoteInputTests.Contest>
{
    /// <summary>The sample contest with its first category opened by hand.</summary>
    public sealed class Contest : IAsyncLifetime
    {
        public AmvServer Server { get; } = new(new Dictionary<string, string?> { ["Amv:ImportOnFirstStart"] = RepoPaths.Of("samples", "kumoricon-2023.json") });

        public VotingSnapshot Voting { get; private set; } = null!;

        public HttpClient Coordinator { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Coordinator = await Server.CreateStaffClientAsync();
            var first = (await Coordinator.GetFromJsonAsync<VotingSnapshot>("/api/voting"))!.Categories[0];
            (await Coordinator.PostAsync($"/api/voting/categories/{first.CategoryId}/open", null)).EnsureSuccessStatusCode();
            Voting = (await Coordinator.GetFromJsonAsync<VotingSnapshot>("/api/voting"))!;
        }

        /// <summary>The current room code (a test rotates it).</summary>
        public async Task<string> RoomCodeAsync() => (await Coordinator.GetFromJsonAsync<RoomInfo>("/api/room"))!.Code;

        public Task DisposeAsync()
        {
            Coordinator.Dispose();
            Server.Dispose();
            return Task.CompletedTask;
        }
    }

    private readonly Contest _contest;

    public VoteInputTests(Contest contest) => _contest = contest;

    private int OpenEntry => _contest.Voting.Categories[0].VotableEntries[0].Id;

    [Theory]
    [InlineData("{\"score\":0}", "score")]
    [InlineData("{\"score\":6}", "score")]
    [InlineData("{\"score\":2.5}", "score")]
    [InlineData("{\"score\":\"abc\"}", "score")]
    [InlineData("{\"score\":4,\"weight\":10}", "weight")]
    [InlineData("{\"score\":", "body")]
    [InlineData("{}", "score")]
    public async Task BadScore_Is400NamingTheField_AndRecordsNothing(string body, string field)
    {
        var voter = await JoinAsync();
        var response = await voter.SendAsync(HttpMethod.Put, $"/api/votes/{OpenEntry}", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Equal(0, await VotesOfAsync(voter));
    }

    [Fact]
    public async Task OversizeBody_Is413_AndRecordsNothing()
    {
        var voter = await JoinAsync();
        var body = "{\"score\":4,\"pad\":\"" + new string('x', 100_000) + "\"}";
        var response = await voter.SendAsync(HttpMethod.Put, $"/api/votes/{OpenEntry}", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, await VotesOfAsync(voter));
    }

    [Fact]
    public async Task UnknownEntry_Is404()
    {
        var voter = await JoinAsync();
        var response = await voter.VoteAsync(999_999, 4);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(0, await VotesOfAsync(voter));
    }

    [Fact]
    public async Task EntryNotYetShown_Is409WithAReason()
    {
        var voter = await JoinAsync();
        var unshown = _contest.Voting.Categories[1];
        Assert.Empty(unshown.VotableEntries);
        var contest = await _contest.Coordinator.GetFromJsonAsync<JsonElement>("/api/contest");
        var entryId = contest.GetProperty("entries").EnumerateArray()
            .First(e => e.GetProperty("categoryId").GetInt32() == unshown.CategoryId).GetProperty("id").GetInt32();

        var response = await voter.VoteAsync(entryId, 4);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("not-open-yet", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("garbage")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAA.not-this-contest.c2lnbmF0dXJl")]
    public async Task MissingOrMalformedToken_Is401(string? token)
    {
        using var http = _contest.Server.CreateAnonymousClient();
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/votes/{OpenEntry}") { Content = JsonContent.Create(new { score = 4 }) };
        if (token is not null)
        {
            request.Headers.Add(VoterTokens.HeaderName, token);
        }

        var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("token", out _));
    }

    [Fact]
    public async Task ForgedToken_Is401_AndRecordsNothing()
    {
        var voter = await JoinAsync();
        var parts = voter.Token.Split('.');
        var forged = $"{parts[0][..^1]}{(parts[0][^1] == 'A' ? 'B' : 'A')}.{parts[1]}.{parts[2]}";
        var response = await new VoterClient(_contest.Server.CreateAnonymousClient(), forged).VoteAsync(OpenEntry, 4);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task AnotherContestsToken_Is401()
    {
        using var other = new AmvServer();
        using var otherCoordinator = await other.CreateStaffClientAsync();
        var otherCode = (await otherCoordinator.GetFromJsonAsync<RoomInfo>("/api/room"))!.Code;
        var stranger = await VoterClient.JoinAsync(other.CreateAnonymousClient(), otherCode);

        var response = await new VoterClient(_contest.Server.CreateAnonymousClient(), stranger.Token).VoteAsync(OpenEntry, 4);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("another contest", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task WrongRoomCode_Is404_AndExpiredCode_Is410_ButTokensMintedBeforeARotationStillVote()
    {
        using var http = _contest.Server.CreateAnonymousClient();
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsJsonAsync("/api/voters", new { roomCode = "XXXXXX" })).StatusCode);

        var before = await _contest.RoomCodeAsync();
        var early = await VoterClient.JoinAsync(http, before);
        var after = (await (await _contest.Coordinator.PostAsync("/api/room/rotate", null)).Content.ReadFromJsonAsync<RoomInfo>())!.Code;

        var expired = await http.PostAsJsonAsync("/api/voters", new { roomCode = before });
        Assert.Equal(HttpStatusCode.Gone, expired.StatusCode);
        Assert.Contains("scan", (await expired.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsJsonAsync("/api/voters", new { roomCode = after.ToLowerInvariant() })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await early.VoteAsync(OpenEntry, 3)).StatusCode);
    }

    [Fact]
    public async Task Join_SetsAnHttpOnlyCookie_ThatAloneIsEnoughToVote()
    {
        using var http = _contest.Server.CreateAnonymousClient();
        var join = await http.PostAsJsonAsync("/api/voters", new { roomCode = await _contest.RoomCodeAsync() });
        var cookie = join.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(VoterTokens.CookieName + "=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);

        var vote = await http.PutAsJsonAsync($"/api/votes/{OpenEntry}", new { score = 2 });
        Assert.Equal(HttpStatusCode.OK, vote.StatusCode);
    }

    [Fact]
    public async Task ManyRequestsFromOneToken_Get429WithRetryAfter_WhileOtherVotersBehindTheSameAddressVoteOn()
    {
        var greedy = await JoinAsync();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 100 && limited is null; i++)
        {
            var response = await greedy.VoteAsync(OpenEntry, 1 + i % 5, sequence: i);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited = response;
            }
        }

        Assert.NotNull(limited);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero, "a 429 says when to retry");
        var neighbour = await JoinAsync();
        Assert.Equal(HttpStatusCode.OK, (await neighbour.VoteAsync(OpenEntry, 5)).StatusCode);
    }

    [Fact]
    public async Task SameRequestRetried_CountsOnce_AndAnOlderRetryNeverReplacesANewerVote()
    {
        var voter = await JoinAsync();
        Assert.Equal(HttpStatusCode.OK, (await voter.VoteAsync(OpenEntry, 4, sequence: 1)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await voter.VoteAsync(OpenEntry, 4, sequence: 1)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await voter.VoteAsync(OpenEntry, 5, sequence: 2)).StatusCode);
        var stale = await voter.VoteAsync(OpenEntry, 4, sequence: 1);

        Assert.Equal(5, (await stale.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("score").GetInt32());
        Assert.Equal(1, await VotesOfAsync(voter));
    }

    [Fact]
    public async Task ImportingAContest_OnceVotesExist_IsRefused_AndTheVotesStay()
    {
        var voter = await JoinAsync();
        Assert.Equal(HttpStatusCode.OK, (await voter.VoteAsync(OpenEntry, 4)).StatusCode);
        var sample = await File.ReadAllTextAsync(RepoPaths.Of("samples", "kumoricon-2023.json"));

        var response = await _contest.Coordinator.PostAsync("/api/contest/import", new StringContent(sample, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("contest", out _));
        Assert.Equal(1, await VotesOfAsync(voter));
    }

    private async Task<VoterClient> JoinAsync() => await VoterClient.JoinAsync(_contest.Server.CreateAnonymousClient(), await _contest.RoomCodeAsync());

    private async Task<int> VotesOfAsync(VoterClient voter)
    {
        _contest.Server.Services.GetRequiredService<VoterTokens>().TryValidate(voter.Token, out var id, out _);
        await using var connection = await _contest.Server.Services.GetRequiredService<Db>().OpenAsync();
        return await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM votes WHERE voter = @id", new { id });
    }
}
