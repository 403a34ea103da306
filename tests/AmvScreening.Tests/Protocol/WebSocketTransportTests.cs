using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using AmvScreening.Protocol;
using AmvScreening.Tests.Support;
using Microsoft.AspNetCore.SignalR.Client;
using static AmvScreening.Tests.Support.HubTesting;

namespace AmvScreening.Tests.Protocol;

/// <summary>The .NET hub connection over <see cref="WebSocketTransport"/>, against the real server on loopback.</summary>
public sealed class WebSocketTransportTests
{
    [Fact]
    public async Task Connection_InvokesGetShow_AndGetsTheResult()
    {
        await using var server = new AmvServer();
        await using var connection = server.CreateVoterHub();

        var show = await connection.StartAndSyncAsync();

        Assert.Equal(HubConnectionState.Connected, connection.State);
        Assert.Equal(ShowState.Idle, show);
    }

    [Fact]
    public async Task ServerPush_ReachesTheConnection()
    {
        await using var server = new AmvServer();
        await using var player = server.CreatePlayerHub();
        var pushes = player.Received<ShowState>(ShowHubMethods.ShowChanged);
        await player.StartAndSyncAsync();

        var state = await player.InvokeAsync<ShowState>(ShowHubMethods.ReportOnScreen, Report(1, ShowPhase.Intermission)).WaitAsync(Bound);

        Assert.Equal(state, await pushes.NextAsync());
    }

    [Fact]
    public async Task EveryPhase_RoundTripsBetweenClientAndServer()
    {
        await using var server = new AmvServer();
        await using var player = server.CreatePlayerHub();
        await player.StartAndSyncAsync();

        var sequence = 0L;
        // Every phase but the winner slate, which needs an entry whose win is revealed (RevealedOnlyTests).
        foreach (var phase in Enum.GetValues<ShowPhase>().Where(p => p != ShowPhase.Winner))
        {
            var state = await player.InvokeAsync<ShowState>(ShowHubMethods.ReportOnScreen, Report(++sequence, phase)).WaitAsync(Bound);
            Assert.Equal((sequence, phase), (state.Sequence, state.Phase));
        }
    }

    [Fact]
    public async Task ServerStopping_RaisesClosed()
    {
        var server = new AmvServer();
        await using var connection = server.CreateVoterHub();
        var closed = connection.WhenClosed();
        await connection.StartAndSyncAsync();

        await server.DisposeAsync().AsTask().WaitAsync(Bound);

        await closed.WaitAsync(Bound);
        Assert.Equal(HubConnectionState.Disconnected, connection.State);
    }

    [Fact]
    public async Task Dispose_ClosesCleanly()
    {
        await using var server = new AmvServer();
        var connection = server.CreateVoterHub();
        var closed = connection.WhenClosed();
        await connection.StartAndSyncAsync();

        await connection.DisposeAsync().AsTask().WaitAsync(Bound);

        Assert.Null(await closed.WaitAsync(Bound));
        Assert.Equal(HubConnectionState.Disconnected, connection.State);
    }

    [Fact]
    public async Task WrongHubPath_FailsNamingTheUrlAndTheStatus()
    {
        await using var server = new AmvServer();
        await using var connection = new HubConnectionBuilder().WithWebSocketTransport(new Uri(server.BaseAddress, "/hubs/nope")).Build();

        var error = await Assert.ThrowsAsync<WebSocketException>(() => connection.StartAsync().WaitAsync(Bound));

        Assert.Contains($"ws://127.0.0.1:{server.BaseAddress.Port}/hubs/nope", error.Message);
        Assert.Contains("404", error.Message);
    }

    [Fact]
    public async Task NothingListening_FailsNamingTheUrl()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await using var connection = new HubConnectionBuilder().WithWebSocketTransport(new Uri($"http://127.0.0.1:{port}/hubs/show")).Build();

        var error = await Assert.ThrowsAsync<WebSocketException>(() => connection.StartAsync().WaitAsync(Bound));

        Assert.Contains($"ws://127.0.0.1:{port}/hubs/show", error.Message);
    }

    [Fact]
    public async Task Start_HonoursCancellation_WhenTheServerNeverAnswers()
    {
        // Accepts TCP connections (the backlog) but never answers the upgrade request.
        var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        try
        {
            var port = ((IPEndPoint)silent.LocalEndpoint).Port;
            await using var connection = new HubConnectionBuilder().WithWebSocketTransport(new Uri($"http://127.0.0.1:{port}/hubs/show")).Build();
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => connection.StartAsync(cancel.Token).WaitAsync(Bound));
            Assert.Equal(HubConnectionState.Disconnected, connection.State);
        }
        finally
        {
            silent.Stop();
        }
    }

    [Fact]
    public async Task AutomaticReconnect_ReconnectsWithItsApiKey_WhenTheServerComesBack()
    {
        var first = new AmvServer();
        var port = first.BaseAddress.Port;
        await using var player = first.CreatePlayerHub(reconnectDelays: Enumerable.Repeat(TimeSpan.FromMilliseconds(100), 100).ToArray());
        var reconnecting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        player.Reconnecting += _ =>
        {
            reconnecting.TrySetResult();
            return Task.CompletedTask;
        };
        player.Reconnected += _ =>
        {
            reconnected.TrySetResult();
            return Task.CompletedTask;
        };
        await player.StartAndSyncAsync();

        await first.DisposeAsync().AsTask().WaitAsync(Bound);
        await reconnecting.Task.WaitAsync(Bound);
        await using var second = new AmvServer(port: port);
        await reconnected.Task.WaitAsync(Bound);

        // The API key header went along on the new socket: the second server takes the player's report.
        await player.InvokeAsync<ShowState>(ShowHubMethods.ReportOnScreen, Report(1, ShowPhase.EndCard)).WaitAsync(Bound);
        Assert.Equal(ShowPhase.EndCard, (await second.GetShowOverHttpAsync()).Phase);
    }
}
