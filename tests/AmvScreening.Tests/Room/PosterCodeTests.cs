using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AmvScreening.Protocol;
using AmvScreening.Server.Auth;
using AmvScreening.Server.Data;
using AmvScreening.Tests.Support;
using Dapper;

namespace AmvScreening.Tests.Room;

/// <summary>Poster codes: one per printed poster, each with its label, valid until revoked; the screen code rotates
/// without touching them.</summary>
public sealed class PosterCodeTests : IAsyncLifetime
{
    private readonly AmvServer _server = new(new Dictionary<string, string?> { ["Amv:PublicBaseUrl"] = "https://amv.example.org" });
    private HttpClient _coordinator = null!;
    private IReadOnlyList<TestContest.Category> _categories = [];

    public async Task InitializeAsync()
    {
        _coordinator = await _server.CreateStaffClientAsync();
        _categories = await TestContest.SeedAsync(_server, categories: 1, entriesPerCategory: 1);
        await TestContest.SetVotingAsync(_coordinator, _categories[0].Id, "open");
    }

    public Task DisposeAsync()
    {
        _coordinator.Dispose();
        _server.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task PosterCodes_SurviveScreenCodeRotations_AndDieWhenRevoked_OneByOne()
    {
        var entrance = await CreateAsync("  Main entrance ");
        var tables = await CreateAsync("Tables");
        Assert.Equal("Main entrance", entrance.GetProperty("label").GetString());
        var code = entrance.GetProperty("code").GetString()!;
        Assert.Equal($"https://amv.example.org/v/{code}", entrance.GetProperty("joinUrl").GetString());
        Assert.NotEqual(code, tables.GetProperty("code").GetString());

        var early = await VoterClient.JoinAsync(_server.CreateAnonymousClient(), code.ToLowerInvariant());
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await _coordinator.PostAsync("/api/room/rotate", null)).StatusCode);
        }

        var late = await VoterClient.JoinAsync(_server.CreateAnonymousClient(), code);
        Assert.Equal(HttpStatusCode.OK, (await late.VoteAsync(_categories[0].Entries[0], 4)).StatusCode);

        var revoked = await _coordinator.PostAsync($"/api/room/posters/{entrance.GetProperty("id")}/revoke", null);
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        var refused = await _server.CreateAnonymousClient().PostAsJsonAsync("/api/voters", new { roomCode = code });
        Assert.Equal(HttpStatusCode.Gone, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("poster-revoked", problem.GetProperty("reason").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("roomCode", out _));

        // Phones that came in by the poster keep voting; the other poster is untouched.
        Assert.Equal(HttpStatusCode.OK, (await early.VoteAsync(_categories[0].Entries[0], 2)).StatusCode);
        await VoterClient.JoinAsync(_server.CreateAnonymousClient(), tables.GetProperty("code").GetString()!);

        var posters = (await _coordinator.GetFromJsonAsync<JsonElement>("/api/room/posters")).EnumerateArray().ToList();
        Assert.Equal([("Main entrance", 2, false), ("Tables", 1, true)],
            posters.Select(p => (p.GetProperty("label").GetString(), p.GetProperty("joined").GetInt32(), p.GetProperty("revokedAt").ValueKind == JsonValueKind.Null)));

        // Each join is recorded with the poster it came by.
        await using var connection = await _server.Services.GetRequiredService<Db>().OpenAsync();
        var via = (await connection.QueryAsync<(string Via, long? Poster)>("SELECT via, poster_id FROM voters ORDER BY joined_at")).ToList();
        Assert.Equal(3, via.Count(v => v.Via == "poster"));
        Assert.Equal(entrance.GetProperty("id").GetInt64(), via.First().Poster);
    }

    [Fact]
    public async Task PosterCodes_AreTheCoordinators_WithALabel()
    {
        foreach (var label in new[] { "", "   ", new string('x', 101) })
        {
            var response = await _coordinator.PostAsJsonAsync("/api/room/posters", new { label });
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("label", out _));
        }

        using var booth = await _server.CreateStaffClientAsync(Roles.Booth);
        Assert.Equal(HttpStatusCode.Forbidden, (await booth.PostAsJsonAsync("/api/room/posters", new { label = "Door" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await booth.GetAsync("/api/room/posters")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _coordinator.PostAsync("/api/room/posters/99/revoke", null)).StatusCode);

        // Poster codes and screen codes never share a value.
        var screen = (await _coordinator.GetFromJsonAsync<RoomInfo>("/api/room"))!.Code;
        var codes = new HashSet<string> { screen };
        for (var i = 0; i < 20; i++)
        {
            Assert.True(codes.Add((await CreateAsync($"Poster {i}")).GetProperty("code").GetString()!));
        }
    }

    private async Task<JsonElement> CreateAsync(string label)
    {
        var response = await _coordinator.PostAsJsonAsync("/api/room/posters", new { label });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
