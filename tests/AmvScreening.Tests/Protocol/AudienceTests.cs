using AmvScreening.Protocol;
using AmvScreening.Server.Auth;
using AmvScreening.Tests.Support;
using Microsoft.AspNetCore.SignalR.Client;

namespace AmvScreening.Tests.Protocol;

/// <summary>Voters online: the player and the booth hear how many phones are connected; phones do not.</summary>
public sealed class AudienceTests
{
    [Fact]
    public async Task PhonesConnectingAndLeaving_AreCountedForThePlayerAndTheBooth()
    {
        await using var server = new AmvServer();
        await using var player = server.CreatePlayerHub();
        await using var booth = await server.CreateStaffHubAsync(Roles.Booth);
        var playerCounts = player.Received<int>(ShowHubMethods.VotersOnline);
        var boothCounts = booth.Received<int>(ShowHubMethods.VotersOnline);
        await player.StartAndSyncAsync();
        await booth.StartAndSyncAsync();

        var first = server.CreateVoterHub();
        await using var second = server.CreateVoterHub();
        var phoneCounts = second.Received<int>(ShowHubMethods.VotersOnline);
        await first.StartAndSyncAsync();
        await second.StartAndSyncAsync();
        await playerCounts.NextMatchingAsync(n => n == 2);
        await boothCounts.NextMatchingAsync(n => n == 2);

        await first.DisposeAsync();

        await playerCounts.NextMatchingAsync(n => n == 1);
        Assert.False(phoneCounts.TryRead(out _), "a phone was told the count");

        // The screen view (a lobby screen, a stream overlay) hears the show but is not a phone: a booth joining after it
        // is told 1, the one phone still there.
        await using var screen = new HubConnectionBuilder().WithShowHub(new Uri(server.HubUrl + "?audience=screen"), null).Build();
        await screen.StartAndSyncAsync();
        await using var lateBooth = await server.CreateStaffHubAsync(Roles.Booth);
        var lateCounts = lateBooth.Received<int>(ShowHubMethods.VotersOnline);
        await lateBooth.StartAndSyncAsync();
        Assert.Equal(1, await lateCounts.NextAsync());
    }
}
