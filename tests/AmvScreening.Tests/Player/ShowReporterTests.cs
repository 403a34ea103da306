using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using AmvScreening.Player.Show;
using AmvScreening.Protocol;
using AmvScreening.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;
using static AmvScreening.Tests.Support.HubTesting;

namespace AmvScreening.Tests.Player;

/// <summary>The player's link to the show hub (<see cref="ShowReporter"/>) on its own, against the real server and
/// against servers that fail it: what it logs, and how it gets the connection back.</summary>
public sealed class ShowReporterTests(ITestOutputHelper output)
{
    private static readonly ReconnectPolicy Quick = new([TimeSpan.FromMilliseconds(50)]);

    [Fact]
    public async Task NothingListening_ThePlayersMessageNamesTheHubAddress_AndItKeepsTrying()
    {
        var port = FreePort();
        await using var link = Link.Start(new Uri($"http://127.0.0.1:{port}/"));

        var first = await link.NextWarningAsync();
        var second = await link.NextWarningAsync();

        output.WriteLine(first);
        Assert.Contains($"Cannot reach the show hub at http://127.0.0.1:{port}/hubs/show", first);
        Assert.Contains($"http://127.0.0.1:{port}/hubs/show", second);
    }

    [Fact]
    public async Task WrongServer_ThePlayersMessageNamesTheHubAddressAndTheStatus()
    {
        // Another web server where the show's server was expected: it answers 404 to everything.
        await using var other = await StandIn.StartAsync(context =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
        await using var link = Link.Start(other.Address);

        var warning = await link.NextWarningAsync();

        output.WriteLine(warning);
        Assert.Contains($"Cannot reach the show hub at {new Uri(other.Address, ShowHubContract.Path)}", warning);
        Assert.Contains("404", warning);
    }

    [Fact]
    public async Task ServerThatNeverAnswers_EachAttemptGivesUpAfterTheConnectTimeout_NamingTheHubAddress()
    {
        // Takes TCP connections (the backlog) but never answers the upgrade request, like a machine that hangs.
        var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        try
        {
            var port = ((IPEndPoint)silent.LocalEndpoint).Port;
            var clock = Stopwatch.StartNew();
            await using var link = Link.Start(new Uri($"http://127.0.0.1:{port}/"));

            var warning = await link.NextWarningAsync(ShowHubClient.ConnectTimeout + Bound);

            output.WriteLine($"{clock.ElapsedMilliseconds} ms: {warning}");
            Assert.Contains($"http://127.0.0.1:{port}/hubs/show", warning);
            Assert.Contains($"No answer within {ShowHubClient.ConnectTimeout.TotalSeconds} s", warning);
            Assert.InRange(clock.Elapsed, ShowHubClient.ConnectTimeout * 0.9, ShowHubClient.ConnectTimeout + Bound);
        }
        finally
        {
            silent.Stop();
        }
    }

    [Fact]
    public async Task ServerClosingWithoutAllowingAReconnect_ThePlayerConnectsAgain()
    {
        // A hub that accepts the handshake, then sends the close message a server sends when it does not allow the
        // client to reconnect (the client's automatic reconnect then gives up: the player must not).
        var connections = Channel.CreateUnbounded<DateTimeOffset>();
        await using var hub = await StandIn.StartAsync(async context =>
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            connections.Writer.TryWrite(DateTimeOffset.UtcNow);
            await socket.ReceiveAsync(new byte[1024], context.RequestAborted); // {"protocol":"json","version":1}␞
            await SendAsync(socket, "{}\u001e", context.RequestAborted);
            await SendAsync(socket, "{\"type\":7,\"allowReconnect\":false}\u001e", context.RequestAborted);
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, context.RequestAborted);
        });
        await using var link = Link.Start(hub.Address);

        await connections.Reader.NextAsync();
        var closed = await link.Logs.Lines.NextMatchingAsync(l => l.Contains("closed the connection without allowing a reconnect"));
        await connections.Reader.NextAsync();

        output.WriteLine(closed);
        Assert.Contains($"Cannot reach the show hub at {new Uri(hub.Address, ShowHubContract.Path)}", closed);
    }

    [Fact]
    public async Task ServerRestart_TheAutomaticReconnectBringsTheLinkBack_WithItsApiKey_AndReportsTheScreenAgain()
    {
        var first = new AmvServer();
        var port = first.BaseAddress.Port;
        var screen = new OnScreen(ShowPhase.Intermission, null, null, null, 0, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(10), TimeSpan.Zero);
        await using var link = Link.Start(first.BaseAddress, () => screen);
        await link.Logs.Lines.NextMatchingAsync(l => l.StartsWith("INFORMATION Connected to the show hub"));
        link.Reporter.Report(screen);
        Assert.Equal(ShowPhase.Intermission, (await WaitForLiveAsync(first)).Phase);

        await first.DisposeAsync().AsTask().WaitAsync(2 * Bound);
        await link.Logs.Lines.NextMatchingAsync(l => l.StartsWith($"WARNING Lost the show hub at {first.HubUrl}"));
        await using var second = new AmvServer(port: port);
        var clock = Stopwatch.StartNew();
        await link.Logs.Lines.NextMatchingAsync(l => l.StartsWith($"INFORMATION Reconnected to the show hub at {second.HubUrl}"));
        var live = await WaitForLiveAsync(second);

        // The new server knew nothing: the player's report (its API key went along on the new socket) made it live.
        output.WriteLine($"The link was back and had reported {clock.ElapsedMilliseconds} ms after the new server started.");
        Assert.Equal(ShowPhase.Intermission, live.Phase);
        Assert.True(live.Sequence > 1, $"{live.Sequence}");
    }

    private static async Task<ShowState> WaitForLiveAsync(AmvServer server)
    {
        await using var voter = server.CreateVoterHub();
        var shows = voter.Received<ShowState>(ShowHubMethods.ShowChanged);
        var state = await voter.StartAndSyncAsync();
        return state.Projector == ProjectorStatus.Live ? state : await shows.NextMatchingAsync(s => s.Projector == ProjectorStatus.Live);
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static Task SendAsync(WebSocket socket, string text, CancellationToken ct) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, ct);

    /// <summary>A player's link running against <paramref name="server"/>, its log lines kept; disposing stops it.</summary>
    private sealed class Link : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly ILoggerFactory _factory;
        private readonly PlayerApi _api;
        private Task _run = Task.CompletedTask;

        private Link(Uri server, Func<OnScreen?> screenNow)
        {
            _factory = Logs.CreateFactory();
            _api = new PlayerApi(server, AmvServer.PlayerApiKey);
            Reporter = new ShowReporter(_api, AmvServer.PlayerApiKey, new LiveInfo(ShowRig.Room), _ => { }, screenNow, () => TimeSpan.Zero, 0, Quick, logs: _factory);
        }

        public LogLines Logs { get; } = new();

        public ShowReporter Reporter { get; }

        public static Link Start(Uri server, Func<OnScreen?>? screenNow = null)
        {
            var link = new Link(server, screenNow ?? (() => null));
            link._run = link.Reporter.RunAsync(link._stop.Token);
            return link;
        }

        public Task<string> NextWarningAsync(TimeSpan? bound = null) =>
            Logs.Lines.NextMatchingAsync(l => l.StartsWith("WARNING Cannot reach the show hub"), bound);

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _run.WaitAsync(Bound);
            await Reporter.DisposeAsync();
            _api.Dispose();
            _factory.Dispose();
            _stop.Dispose();
        }
    }

    /// <summary>A web server on loopback that is not the show's: every request goes to the test's handler.</summary>
    private sealed class StandIn(WebApplication app, Uri address) : IAsyncDisposable
    {
        public Uri Address => address;

        public static async Task<StandIn> StartAsync(RequestDelegate handle)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            app.UseWebSockets();
            app.Run(handle);
            await app.StartAsync().WaitAsync(Bound);
            return new StandIn(app, new Uri(app.Urls.First()));
        }

        public ValueTask DisposeAsync() => app.DisposeAsync();
    }
}
