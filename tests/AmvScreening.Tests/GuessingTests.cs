using System.Net;
using System.Net.Http.Json;
using AmvScreening.Protocol;
using AmvScreening.Server.Auth;
using AmvScreening.Tests.Support;

namespace AmvScreening.Tests;

/// <summary>
/// Guessing the player's API key or a staff password is throttled: failed attempts cost, successes do not, and a
/// throttled source is refused before its guess is checked (429 with Retry-After). The addresses are given with
/// X-Forwarded-For, which the server believes from loopback (its default trusted proxy), as it would from a proxy.
/// Block lengths are real seconds, so the counts allow for a slow machine: a block that ends mid-test lets one more
/// attempt through and doubles.
/// </summary>
public sealed class GuessingTests
{
    private const string HallAddress = "192.0.2.50";
    private const string PlayerAddress = "203.0.113.7";

    [Fact]
    public void Throttle_BlocksAfterTheFreeFailures_DoublingUpToTheCap_AndForgetsAfterAQuietSpell()
    {
        var clock = new ManualClock();
        var throttle = new GuessThrottle(clock);
        var limit = new GuessThrottle.Limit("test", Free: 3, Cap: TimeSpan.FromSeconds(5), ForgetAfter: TimeSpan.FromMinutes(1));
        var other = new GuessThrottle.Limit("other", Free: 3, Cap: TimeSpan.FromSeconds(5), ForgetAfter: TimeSpan.FromMinutes(1));

        for (var i = 0; i < 3; i++)
        {
            Fail(throttle, (limit, "a"));
        }

        foreach (var seconds in new[] { 1, 2, 4, 5, 5 })
        {
            Fail(throttle, (limit, "a"));
            Assert.Equal(TimeSpan.FromSeconds(seconds), throttle.TryBegin((limit, "a")));
            Assert.Equal(TimeSpan.FromSeconds(seconds), throttle.TryBegin((other, "a"), (limit, "a")));
            Assert.Null(throttle.TryBegin((limit, "b"), (other, "a"))); // other partitions go on
            throttle.End(false, (limit, "b"), (other, "a"));
            clock.Advance(TimeSpan.FromSeconds(seconds));
        }

        // Refused attempts did not count: after a quiet spell the partition has its free failures again.
        clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        for (var i = 0; i < 3; i++)
        {
            Fail(throttle, (limit, "a"));
        }

        Fail(throttle, (limit, "a"));
        Assert.NotNull(throttle.TryBegin((limit, "a")));
        throttle.Forget(limit, "a");
        Assert.Null(throttle.TryBegin((limit, "a")));
    }

    [Fact]
    public void Throttle_ChecksNoMoreOfABurstThanOfAttemptsInTurn()
    {
        var clock = new ManualClock();
        var throttle = new GuessThrottle(clock);
        var limit = new GuessThrottle.Limit("test", Free: 3, Cap: TimeSpan.FromMinutes(1), ForgetAfter: TimeSpan.FromMinutes(15));

        // Sent at once, before any is answered: only the free ones are checked.
        var started = Enumerable.Range(0, 50).Count(_ => throttle.TryBegin((limit, "a")) is null);
        Assert.Equal(3, started);
        for (var i = 0; i < started; i++)
        {
            throttle.End(failed: true, (limit, "a"));
        }

        // Once the free failures are spent, one attempt at a time; its failure blocks, and after the block again one.
        Assert.Equal(1, Enumerable.Range(0, 50).Count(_ => throttle.TryBegin((limit, "a")) is null));
        throttle.End(failed: true, (limit, "a"));
        Assert.Equal(TimeSpan.FromSeconds(1), throttle.TryBegin((limit, "a")));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, Enumerable.Range(0, 50).Count(_ => throttle.TryBegin((limit, "a")) is null));
        throttle.End(failed: false, (limit, "a")); // a success costs nothing and frees the place
        Assert.Null(throttle.TryBegin((limit, "a")));
    }

    private static void Fail(GuessThrottle throttle, (GuessThrottle.Limit, string) partition)
    {
        Assert.Null(throttle.TryBegin(partition));
        throttle.End(failed: true, partition);
    }

    [Theory]
    [InlineData("198.51.100.1", "198.51.100.1")]
    [InlineData("::ffff:198.51.100.1", "198.51.100.1")]
    [InlineData("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2:ffff::1", "2001:db8:1:2::/64")]
    public void Addresses_AreCountedByHost_AndIPv6ByItsSlash64(string address, string partition) =>
        Assert.Equal(partition, GuessThrottle.AddressKey(IPAddress.Parse(address)));

    [Fact]
    public async Task WrongApiKeys_FromOneAddress_AreRefusedUnchecked_WhileThePlayerElsewhereIsNeverHeldBack()
    {
        using var server = new AmvServer();
        using var player = Client(server, PlayerAddress, AmvServer.PlayerApiKey);
        Assert.Equal(HttpStatusCode.OK, (await player.GetAsync("/api/room")).StatusCode);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 200; i++)
        {
            using var guesser = Client(server, "198.51.100.1", $"guess-{i:D4}-0123456789abcdef");
            var response = await guesser.GetAsync("/api/room");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.True(int.Parse(response.Headers.GetValues("Retry-After").Single()) >= 1);
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }

            if (i % 50 == 0)
            {
                Assert.Equal(HttpStatusCode.OK, (await player.GetAsync("/api/room")).StatusCode);
            }
        }

        var checkedGuesses = statuses.Count(s => s == HttpStatusCode.Unauthorized);
        Assert.InRange(checkedGuesses, 11, 16);
        Assert.Equal(200 - checkedGuesses, statuses.Count(s => s == HttpStatusCode.TooManyRequests));

        // The player's hub connection (from loopback here) and its reports are untouched by the flood.
        await using var hub = server.CreatePlayerHub();
        await hub.StartAsync().WaitAsync(HubTesting.Bound);
        Assert.Equal(HttpStatusCode.OK, (await player.GetAsync("/api/room")).StatusCode);

        // From the guesser's own address even the right key waits: answering it would answer every guess.
        using var sameAddress = Client(server, "198.51.100.1", AmvServer.PlayerApiKey);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await sameAddress.GetAsync("/api/room")).StatusCode);
    }

    [Fact]
    public async Task WrongApiKeys_SentAllAtOnce_GetNoMoreChecksThanSentInTurn()
    {
        using var server = new AmvServer();
        using var guesser = Client(server, "198.51.100.2");
        var answers = await Task.WhenAll(Enumerable.Range(0, 300).Select(async i =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/room");
            request.Headers.Add(ShowHubContract.ApiKeyHeader, $"guess-{i:D4}-0123456789abcdef");
            return (await guesser.SendAsync(request)).StatusCode;
        })).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.InRange(answers.Count(s => s == HttpStatusCode.Unauthorized), 1, 16);
        Assert.Equal(300, answers.Count(s => s is HttpStatusCode.Unauthorized or HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task WrongApiKeys_FromManyAddresses_ShareOneBudget_ThatThePlayersKnownAddressIsNotIn()
    {
        using var server = new AmvServer();
        using var player = Client(server, PlayerAddress, AmvServer.PlayerApiKey);
        Assert.Equal(HttpStatusCode.OK, (await player.GetAsync("/api/room")).StatusCode);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 120; i++)
        {
            using var guesser = Client(server, $"198.51.{100 + i / 200}.{1 + i % 200}", $"guess-{i:D4}-0123456789abcdef");
            statuses.Add((await guesser.GetAsync("/api/room")).StatusCode);
        }

        Assert.InRange(statuses.Count(s => s == HttpStatusCode.Unauthorized), 51, 56);
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        Assert.Equal(HttpStatusCode.OK, (await player.GetAsync("/api/room")).StatusCode);
    }

    [Fact]
    public async Task WrongPasswords_FromTheHallsAddress_AreThrottled_ButAStaffDeviceThatSignedInBeforeStillSignsIn()
    {
        using var server = new AmvServer();
        using var staffPhone = Client(server, HallAddress);
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(staffPhone, Roles.Booth, AmvServer.BoothPassword)).StatusCode);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 30; i++)
        {
            using var guesser = Client(server, HallAddress);
            statuses.Add((await SignInAsync(guesser, Roles.Booth, $"guess-{i}")).StatusCode);
        }

        Assert.InRange(statuses.Count(s => s == HttpStatusCode.Unauthorized), 11, 14);
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);

        // The phone that signed in as booth before is not held back by the flood from its own address…
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(staffPhone, Roles.Booth, AmvServer.BoothPassword)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync(staffPhone, Roles.Booth, "a wrong one")).StatusCode);
        // …a browser new to the role waits (it cannot be told from the guesser), and one elsewhere does not.
        using var newPhone = Client(server, HallAddress);
        var refused = await SignInAsync(newPhone, Roles.Booth, AmvServer.BoothPassword);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
        using var booth = Client(server, "203.0.113.99");
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(booth, Roles.Booth, AmvServer.BoothPassword)).StatusCode);
    }

    [Fact]
    public async Task WrongPasswords_FromManyAddresses_HitTheRolesOwnLimit_NotTheOtherRole_NorItsDevices()
    {
        using var server = new AmvServer();
        using var coordinatorLaptop = Client(server, "203.0.113.20");
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(coordinatorLaptop, Roles.Coordinator, AmvServer.CoordinatorPassword)).StatusCode);
        using var boothPhone = Client(server, "203.0.113.21");
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(boothPhone, Roles.Booth, AmvServer.BoothPassword)).StatusCode);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 45; i++)
        {
            using var guesser = Client(server, $"198.51.100.{i + 1}");
            statuses.Add((await SignInAsync(guesser, Roles.Coordinator, $"guess-{i}")).StatusCode);
        }

        Assert.InRange(statuses.Count(s => s == HttpStatusCode.Unauthorized), 31, 34);
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);

        using var newLaptop = Client(server, "203.0.113.30");
        Assert.Equal(HttpStatusCode.TooManyRequests, (await SignInAsync(newLaptop, Roles.Coordinator, AmvServer.CoordinatorPassword)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(newLaptop, Roles.Booth, AmvServer.BoothPassword)).StatusCode);
        // The booth phone's device cookie is for the booth: it does not open the coordinator's limit.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await SignInAsync(boothPhone, Roles.Coordinator, AmvServer.CoordinatorPassword)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(coordinatorLaptop, Roles.Coordinator, AmvServer.CoordinatorPassword)).StatusCode);
    }

    [Fact]
    public async Task TheConsolesSignInPage_PostsToTheOneSignInRoute_AndTakesNoPasswordItself()
    {
        using var server = new AmvServer();
        using var browser = server.CreateAnonymousClient();
        var page = await browser.GetStringAsync("/console/sign-in");
        Assert.Contains($"action=\"{AuthEndpoints.LoginPath}\"", page);

        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        var post = await browser.PostAsync("/console/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Role"] = Roles.Coordinator, ["Password"] = AmvServer.CoordinatorPassword, ["__RequestVerificationToken"] = token,
        }));
        Assert.False(post.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("amv.staff=", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/auth/me")).StatusCode);
    }

    /// <summary>A client as seen from <paramref name="address"/> (through the trusted proxy header), keeping its cookies.</summary>
    private static HttpClient Client(AmvServer server, string address, string? apiKey = null)
    {
        var client = server.CreateAnonymousClient();
        client.Timeout = HubTesting.Bound;
        client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add(ShowHubContract.ApiKeyHeader, apiKey);
        }

        return client;
    }

    private static Task<HttpResponseMessage> SignInAsync(HttpClient client, string role, string password) =>
        client.PostAsJsonAsync("/api/auth/login", new { role, password });
}
