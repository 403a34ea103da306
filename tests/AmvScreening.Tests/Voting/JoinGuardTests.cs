using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AmvScreening.Protocol;
using AmvScreening.Server.Room;
using AmvScreening.Server.Voting;
using AmvScreening.Tests.Support;

namespace AmvScreening.Tests.Voting;

/// <summary>Joining with a typed code, and the brake on guessing: only codes and keys that do not exist cost; a hall of
/// phones behind one address joining with the right code is never slowed.</summary>
public sealed class JoinGuardTests : IAsyncLifetime
{
    private readonly ManualClock _clock = new();
    private readonly AmvServer _server;
    private HttpClient _coordinator = null!;
    private string _code = "";

    public JoinGuardTests() => _server = new AmvServer(clock: _clock);

    public async Task InitializeAsync()
    {
        _coordinator = await _server.CreateStaffClientAsync();
        _code = (await _coordinator.GetFromJsonAsync<RoomInfo>("/api/room"))!.Code;
    }

    public Task DisposeAsync()
    {
        _coordinator.Dispose();
        _server.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task ATypedCode_JoinsInAnyCaseWithBlanksAndDashes_ALookAlikeOrAWrongLength_IsNamed()
    {
        foreach (var typed in new[] { _code.ToLowerInvariant(), $" {_code[..3]} {_code[3..]} ", $"{_code[..3]}-{_code[3..].ToLowerInvariant()}" })
        {
            Assert.Equal(HttpStatusCode.Created, (await JoinAsync(new { roomCode = typed })).StatusCode);
        }

        foreach (var (typed, says) in new[]
        {
            ("O" + _code[1..], "0, O, D and Q look alike"),
            (_code[..5] + "1", "1, I and L look alike"),
            (_code[..5] + "S", "5 and S look alike"),
            (_code[..5] + "V", "U and V look alike"),
            (_code[..5] + "!", "letters and digits only"),
            (_code[..5], "6 characters (5 given)"),
            ("", "6 characters (0 given)"),
        })
        {
            var response = await JoinAsync(new { roomCode = typed });
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Contains(says, problem.GetProperty("errors").GetProperty("roomCode")[0].GetString());
        }
    }

    [Fact]
    public async Task WrongCodes_AreSlowedDown_PerAddress_WhileRightOnesNeverCost()
    {
        // A hall behind one address: 500 phones join with the right code, none refused, none counted against it.
        var hall = await Task.WhenAll(Enumerable.Range(0, 500).Select(_ => JoinAsync(new { roomCode = _code })));
        Assert.All(hall, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));

        // A guesser from the same address: every wrong code costs, a wrong card key too.
        var batch = await CardTesting.CreateBatchAsync(_coordinator, 1);
        for (var i = 0; i < JoinGuard.PerAddress - 1; i++)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await JoinAsync(new { roomCode = Wrong(i) })).StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await JoinAsync(new { cardKey = "ACEFHJKMNPRTWXY3", device = CardTesting.NewDevice() })).StatusCode);

        // Spent: now even the right code waits, so a refusal tells a guesser nothing.
        var refused = await JoinAsync(new { roomCode = _code });
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await JoinAsync(new { roomCode = Wrong(999) })).StatusCode);
        var key = (await CardTesting.PrintAsync(_coordinator, batch.GetProperty("id").GetInt64()))[0].Key;
        Assert.Equal(HttpStatusCode.TooManyRequests, (await JoinAsync(new { cardKey = key, device = CardTesting.NewDevice() })).StatusCode);

        // Failures drain, one every half second: the hall gets in again.
        _clock.Advance(JoinGuard.PerAddressEvery);
        Assert.Equal(HttpStatusCode.Created, (await JoinAsync(new { roomCode = _code })).StatusCode);
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.Created, (await JoinAsync(new { cardKey = key, device = CardTesting.NewDevice() })).StatusCode);
    }

    /// <summary>A well-formed code that is not the screen code.</summary>
    private string Wrong(int i)
    {
        var code = string.Concat(Enumerable.Range(0, 6).Select(p => RoomCodes.Alphabet[(i / (int)Math.Pow(19, p) + p) % 19]));
        return code == _code ? "AAAAAA" : code;
    }

    private Task<HttpResponseMessage> JoinAsync(object body) =>
        _server.CreateAnonymousClient().PostAsJsonAsync("/api/voters", body).WaitAsync(HubTesting.Bound);
}
