using System.Net;
using AmvScreening.Server.Auth;
using AmvScreening.Tests.Support;
using Microsoft.AspNetCore.SignalR.Client;

namespace AmvScreening.Tests;

/// <summary>Staff sessions end when they should: signing out ends every session of the role (cookies copied before
/// included, hub connections closed), and so does a new password.</summary>
public sealed class SessionTests
{
    [Fact]
    public async Task CookieCopiedBeforeSignOut_IsRefusedAfter_ByEveryApiAndPage()
    {
        using var server = new AmvServer();
        var cookies = new CookieContainer();
        using var coordinator = await server.CreateStaffClientAsync(Roles.Coordinator, cookies);
        var copy = StaffCookie(cookies);
        using var thief = WithCookie(server, copy);
        Assert.Equal(HttpStatusCode.OK, (await thief.GetAsync("/api/tallies")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await coordinator.PostAsync("/api/auth/logout", null)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await thief.GetAsync("/api/tallies")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await thief.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await thief.PostAsync("/api/room/rotate", null)).StatusCode);
        var page = await thief.GetAsync("/console/live");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/console/sign-in", page.Headers.Location!.PathAndQuery);
        // An ended session cannot sign the role out again (only a live one can).
        Assert.Equal(HttpStatusCode.NoContent, (await thief.PostAsync("/api/auth/logout", null)).StatusCode);
    }

    [Fact]
    public async Task SignOut_EndsEverySessionOfThatRole_AndNoneOfTheOther()
    {
        using var server = new AmvServer();
        using var laptop = await server.CreateStaffClientAsync(Roles.Coordinator);
        using var tablet = await server.CreateStaffClientAsync(Roles.Coordinator);
        using var booth = await server.CreateStaffClientAsync(Roles.Booth);

        await laptop.PostAsync("/api/auth/logout", null);

        Assert.Equal(HttpStatusCode.Unauthorized, (await tablet.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await booth.GetAsync("/api/auth/me")).StatusCode);
        // Signing in again starts a new session that works.
        using var again = await server.CreateStaffClientAsync(Roles.Coordinator);
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/api/tallies")).StatusCode);
    }

    [Fact]
    public async Task SignOut_ClosesTheRolesHubConnections_AtOnce()
    {
        using var server = new AmvServer();
        await using var coordinatorHub = await server.CreateStaffHubAsync(Roles.Coordinator);
        await using var boothHub = await server.CreateStaffHubAsync(Roles.Booth);
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        coordinatorHub.Closed += e => { closed.TrySetResult(e); return Task.CompletedTask; };
        await coordinatorHub.StartAsync().WaitAsync(HubTesting.Bound);
        await boothHub.StartAsync().WaitAsync(HubTesting.Bound);
        await coordinatorHub.InvokeAsync<object>("GetPlayerPresence").WaitAsync(HubTesting.Bound);

        using var other = await server.CreateStaffClientAsync(Roles.Coordinator);
        await other.PostAsync("/api/auth/logout", null);

        await closed.Task.WaitAsync(HubTesting.Bound);
        Assert.Equal(HubConnectionState.Disconnected, coordinatorHub.State);
        await boothHub.InvokeAsync<object>("GetPlayerPresence").WaitAsync(HubTesting.Bound); // the booth's stays up
    }

    [Fact]
    public async Task HubConnection_WhoseSessionEnded_IsRefusedAndClosedAtItsNextCall()
    {
        using var server = new AmvServer();
        await using var hub = await server.CreateStaffHubAsync(Roles.Booth);
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.Closed += e => { closed.TrySetResult(e); return Task.CompletedTask; };
        await hub.StartAsync().WaitAsync(HubTesting.Bound);
        await hub.InvokeAsync<object>("GetPlayerPresence").WaitAsync(HubTesting.Bound);

        // Ended without going through sign-out (as a new password does), so nothing has closed the connection yet.
        await server.Services.GetRequiredService<SecretStore>().RevokeSessionsAsync(Roles.Booth);

        await Assert.ThrowsAnyAsync<Exception>(() => hub.InvokeAsync<object>("GetPlayerPresence").WaitAsync(HubTesting.Bound));
        await closed.Task.WaitAsync(HubTesting.Bound);
        Assert.Equal(HubConnectionState.Disconnected, hub.State);
    }

    [Fact]
    public async Task NewPassword_EndsOldSessions_AndARestartWithTheSamePasswordKeepsThem()
    {
        var data = Directory.CreateTempSubdirectory("amv-sessions-").FullName;
        try
        {
            string coordinatorCookie, boothCookie;
            using (var first = new AmvServer(dataDirectory: data))
            {
                CookieContainer coordinatorCookies = new(), boothCookies = new();
                using var _ = await first.CreateStaffClientAsync(Roles.Coordinator, coordinatorCookies);
                using var __ = await first.CreateStaffClientAsync(Roles.Booth, boothCookies);
                coordinatorCookie = StaffCookie(coordinatorCookies);
                boothCookie = StaffCookie(boothCookies);
            }

            using (var same = new AmvServer(dataDirectory: data))
            {
                using var coordinator = WithCookie(same, coordinatorCookie);
                Assert.Equal(HttpStatusCode.OK, (await coordinator.GetAsync("/api/auth/me")).StatusCode);
            }

            using (var changed = new AmvServer(new Dictionary<string, string?> { ["Amv:Auth:CoordinatorPassword"] = "a-new-coordinator-password" }, data))
            {
                using var coordinator = WithCookie(changed, coordinatorCookie);
                Assert.Equal(HttpStatusCode.Unauthorized, (await coordinator.GetAsync("/api/auth/me")).StatusCode);
                using var booth = WithCookie(changed, boothCookie);
                Assert.Equal(HttpStatusCode.OK, (await booth.GetAsync("/api/auth/me")).StatusCode);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>The session cookie a sign-in left in <paramref name="cookies"/>.</summary>
    private static string StaffCookie(CookieContainer cookies) => cookies.GetAllCookies().Single(c => c.Name == "amv.staff").Value;

    private static HttpClient WithCookie(AmvServer server, string cookie)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = server.BaseAddress };
        client.DefaultRequestHeaders.Add("Cookie", $"amv.staff={cookie}");
        return client;
    }
}
