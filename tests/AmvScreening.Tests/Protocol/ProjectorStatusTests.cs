using AmvScreening.Protocol;
using AmvScreening.Server.Auth;
using AmvScreening.Tests.Support;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Hosting;
using static AmvScreening.Tests.Support.HubTesting;

namespace AmvScreening.Tests.Protocol;

/// <summary>The show state says whether the projector is reporting (<see cref="ShowState.Projector"/>), so phones and
/// consoles never present a stale state as what is on screen. (The real player process: PlayerProcessTests.)</summary>
public sealed class ProjectorStatusTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("amv-projector-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task TheLastPlayerConnectionClosing_TellsEveryoneTheProjectorIsLost_KeepingWhatItLastShowed()
    {
        await using var server = new AmvServer();
        var entry = await server.InsertEntryAsync("Action", "Blade Dance");
        var player = server.CreatePlayerHub();
        await using var spare = server.CreatePlayerHub();
        await using var voter = server.CreateVoterHub();
        await using var booth = await server.CreateStaffHubAsync(Roles.Booth);
        var phone = voter.Received<ShowState>(ShowHubMethods.ShowChanged);
        var console = booth.Received<ShowState>(ShowHubMethods.ShowChanged);
        foreach (var connection in new[] { player, spare, voter, booth })
        {
            await connection.StartAndSyncAsync();
        }

        var live = await player.InvokeAsync<ShowState>(ShowHubMethods.ReportOnScreen, Report(1, ShowPhase.Video, entry)).WaitAsync(Bound);
        Assert.Equal(ProjectorStatus.Live, live.Projector);
        Assert.Equal((1L, ProjectorStatus.Live), Of(await phone.NextAsync()));

        // One of two player connections going leaves the other reporting: nothing to tell.
        await player.DisposeAsync();
        await spare.InvokeAsync<ShowState>(ShowHubMethods.ReportOnScreen, Report(2, ShowPhase.Video, entry)).WaitAsync(Bound);
        Assert.Equal((2L, ProjectorStatus.Live), Of(await phone.NextAsync()));
        Assert.Equal((2L, ProjectorStatus.Live), Of(await console.NextMatchingAsync(s => s.Sequence == 2)));

        await spare.DisposeAsync();

        var lost = await phone.NextAsync();
        Assert.Equal((2L, ShowPhase.Video, (int?)entry, ProjectorStatus.Lost), (lost.Sequence, lost.Phase, lost.Entry?.Id, lost.Projector));
        Assert.Equal((2L, ProjectorStatus.Lost), Of(await console.NextAsync()));
        Assert.Equal((2L, ProjectorStatus.Lost), Of(await server.GetShowOverHttpAsync()));
    }

    private static (long, ProjectorStatus) Of(ShowState state) => (state.Sequence, state.Projector);

    [Fact]
    public async Task AfterAServerRestart_TheSavedStateIsLost_UntilThePlayerReportsAgain()
    {
        int entry, port;
        await using (var before = new AmvServer(dataDirectory: _data))
        {
            port = before.BaseAddress.Port;
            entry = await before.InsertEntryAsync("Action", "Blade Dance");
            await using var player = before.CreatePlayerHub();
            await player.StartAndSyncAsync();
            await player.InvokeAsync<ShowState>(ShowHubMethods.ReportOnScreen, Report(7, ShowPhase.Video, entry)).WaitAsync(Bound);
        }

        await using var after = new AmvServer(dataDirectory: _data, port: port);
        var saved = await after.GetShowOverHttpAsync();
        Assert.Equal((7L, ShowPhase.Video, (int?)entry, ProjectorStatus.Lost), (saved.Sequence, saved.Phase, saved.Entry?.Id, saved.Projector));

        // Connected is not reporting: the projector is live once the player says what is on screen.
        await using var back = after.CreatePlayerHub();
        Assert.Equal(ProjectorStatus.Lost, (await back.StartAndSyncAsync()).Projector);
        var reported = await back.InvokeAsync<ShowState>(ShowHubMethods.ReportOnScreen, Report(8, ShowPhase.Video, entry)).WaitAsync(Bound);
        Assert.Equal(ProjectorStatus.Live, reported.Projector);
        Assert.Equal(ProjectorStatus.Live, (await after.GetShowOverHttpAsync()).Projector);
    }

    [Fact]
    public async Task AStoppingServer_ClosesAConnectionThatArrivesMeanwhile_SoItDoesNotHoldUpTheStop()
    {
        var server = new AmvServer();
        var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var goOn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Holds the stop after it began and before Kestrel stops accepting, as a busy machine does for a moment: a
        // player reconnects within about 0.25 s and can arrive just then. The connection must be closed while the stop
        // is held (left open, it would hold up the stop until Kestrel's shutdown timeout).
        server.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(() =>
        {
            stopping.TrySetResult();
            goOn.Task.Wait(3 * Bound);
        });
        var stop = Task.Run(() => server.DisposeAsync().AsTask());
        try
        {
            await stopping.Task.WaitAsync(Bound);
            await using var player = server.CreatePlayerHub();
            var closed = player.WhenClosed();

            // Refused during the handshake, or closed right after it: either way not left open.
            var refused = await Record.ExceptionAsync(() => player.StartAsync().WaitAsync(Bound));
            Assert.IsNotType<TimeoutException>(refused);
            if (refused is null)
            {
                await closed.WaitAsync(Bound);
            }

            Assert.Equal(HubConnectionState.Disconnected, player.State);
        }
        finally
        {
            goOn.TrySetResult();
        }

        await stop.WaitAsync(Bound);
    }
}
