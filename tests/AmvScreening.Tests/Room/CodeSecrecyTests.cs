using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AmvScreening.Protocol;
using AmvScreening.Server.Auth;
using AmvScreening.Tests.Support;
using Microsoft.AspNetCore.SignalR.Client;
using static AmvScreening.Tests.Support.HubTesting;

namespace AmvScreening.Tests.Room;

/// <summary>The codes stay in the room: nothing a phone or a stranger can read reveals the screen code or a poster's
/// code; the player and staff, who draw the slates, the QR screen and the posters, get them.</summary>
public sealed class CodeSecrecyTests : IAsyncLifetime
{
    private readonly AmvServer _server = new(new Dictionary<string, string?> { ["Amv:ImportOnFirstStart"] = RepoPaths.Of("samples", "kumoricon-2023.json") });
    private HttpClient _coordinator = null!;
    private string _screenCode = "";
    private string _posterCode = "";

    /// <summary>Every address that shows or carries a code (the phone app's own URL aside: the phone already has it).</summary>
    public static TheoryData<string> CodeSources() =>
    [
        "/qr.svg", "/qr.png", "/qr.txt", "/api/room", "/api/room/posters", "/api/player/show", "/api/contest", "/api/contest/export",
        "/api/cards/batches", "/console/room", "/console/qr", "/console/room/poster?poster=1", "/console/cards/print?batch=1",
    ];

    public async Task InitializeAsync()
    {
        _coordinator = await _server.CreateStaffClientAsync();
        _screenCode = (await _coordinator.GetFromJsonAsync<RoomInfo>("/api/room"))!.Code;
        var poster = await _coordinator.PostAsJsonAsync("/api/room/posters", new { label = "Main entrance" });
        _posterCode = (await poster.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!;
        await CardTesting.CreateBatchAsync(_coordinator, 2);
    }

    public Task DisposeAsync()
    {
        _coordinator.Dispose();
        _server.Dispose();
        return Task.CompletedTask;
    }

    [Theory]
    [MemberData(nameof(CodeSources))]
    public async Task EverySourceOfACode_IsClosedToStrangersAndToPhones(string path)
    {
        using var stranger = NoRedirects();
        using var phone = NoRedirects();
        var joined = await _server.CreateAnonymousClient().PostAsJsonAsync("/api/voters", new { roomCode = _screenCode });
        var token = (await joined.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        phone.DefaultRequestHeaders.Add("X-Voter-Token", token);
        phone.DefaultRequestHeaders.Add("Cookie", $"amv.voter={token}");

        foreach (var client in new[] { stranger, phone })
        {
            var response = await client.GetAsync(path).WaitAsync(Bound);
            var refused = response.StatusCode == HttpStatusCode.Unauthorized
                || (response.StatusCode == HttpStatusCode.Redirect && new Uri(_server.BaseAddress, response.Headers.Location!).AbsolutePath == "/console/sign-in");
            Assert.True(refused, $"{path}: {(int)response.StatusCode}");
            var body = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain(_screenCode, body);
            Assert.DoesNotContain(_posterCode, body);
        }
    }

    [Fact]
    public async Task WhatAPhoneReads_NeverCarriesACode()
    {
        using var phone = _server.CreateAnonymousClient();
        var voter = await VoterClient.JoinAsync(phone, _posterCode);
        await TestContest.SetBallotAsync(_coordinator, "open");
        foreach (var path in new[] { "/v", $"/v/{_posterCode}", "/api/show", "/api/voting", "/api/results", "/api/finalists", "/openapi/v1.json", "/healthz" })
        {
            var body = await phone.GetStringAsync(path).WaitAsync(Bound);
            Assert.DoesNotContain(_screenCode, body);
            Assert.True(path.Contains(_posterCode) || !body.Contains(_posterCode), path);
        }

        var mine = await (await voter.SendAsync(HttpMethod.Get, "/api/votes")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(_screenCode, mine);
    }

    [Fact]
    public async Task ARotation_IsPushedToThePlayerAndStaff_NeverToPhones()
    {
        await using var player = _server.CreatePlayerHub();
        await using var booth = await _server.CreateStaffHubAsync(Roles.Booth);
        await using var coordinator = await _server.CreateStaffHubAsync(Roles.Coordinator);
        await using var phone = _server.CreateVoterHub();
        var told = new[] { player, booth, coordinator }.Select(c => c.Received<RoomInfo>(ShowHubMethods.RoomChanged)).ToArray();
        var phoneRooms = phone.Received<RoomInfo>(ShowHubMethods.RoomChanged);
        var phoneVoting = phone.ReceivedVoting(_server);
        foreach (var connection in new[] { player, booth, coordinator, phone })
        {
            await connection.StartAndSyncAsync();
        }

        var rotated = (await (await _coordinator.PostAsync("/api/room/rotate", null)).Content.ReadFromJsonAsync<RoomInfo>())!;
        foreach (var audience in told)
        {
            Assert.Equal(rotated, await audience.NextAsync());
        }

        // Pushes reach a connection in order: once the phone has the voting change made after the rotation, a
        // RoomChanged sent to it would have arrived first.
        var contest = await ContestApiOf(_coordinator);
        await TestContest.SetVotingAsync(_coordinator, contest, "open");
        await phoneVoting.NextAsync();
        Assert.False(phoneRooms.TryRead(out _));
    }

    private static async Task<int> ContestApiOf(HttpClient coordinator) =>
        (await coordinator.GetFromJsonAsync<JsonElement>("/api/contest")).GetProperty("categories")[0].GetProperty("id").GetInt32();

    private HttpClient NoRedirects() =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = _server.BaseAddress };
}
