using System.Diagnostics;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using AmvScreening.Protocol;
using AmvScreening.Server.Auth;
using AmvScreening.Server.LiveShow;
using AmvScreening.Tests.Player.Vlc;
using AmvScreening.Tests.Support;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static AmvScreening.Protocol.ShowPhase;
using static AmvScreening.Tests.Support.HubTesting;

namespace AmvScreening.Tests.Player;

/// <summary>The built player as its own process (headless libvlc, the SVG slates, its server link), against the real
/// server on loopback: what it does with messages it cannot use, and what phones hear when it or the server goes away.</summary>
[Collection(LibVlcCollection.Name)]
public sealed partial class PlayerProcessTests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>Long enough to start .NET and libvlc and put the first slate on screen on a busy machine.</summary>
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(60);

    private readonly string _folder = Directory.CreateTempSubdirectory("amv-player-process-").FullName;
    private readonly List<IAsyncDisposable> _owned = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            await owned.DisposeAsync();
        }

        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task EveryMalformedMessageTheHubCanDeliver_IsLoggedAndIgnored_AndThePlayerStillObeysNext()
    {
        var server = Own(new AmvServer(TestMedia.ServerSettings));
        var ids = await ImportAsync(server);
        var phone = await WatchAsync(server);
        var player = StartPlayer(server);
        await phone.NextAsync(s => s is { Phase: IntroSlate, Projector: ProjectorStatus.Live } && s.Entry?.Id == ids[0], Startup, player);

        // Straight through the server's hub context: the server's own edge (which refuses all of these) is passed by.
        var players = server.Services.GetRequiredService<IHubContext<ShowHub>>().Clients.Group(ShowHubContract.Groups.Players);
        var generator = new MalformedMessages(seed: 20261130);
        var messages = generator.Commands(400, missingEntry: 999_999, unrevealedEntry: ids[1])
            .Concat(generator.OtherPushes(150))
            .OrderBy(_ => Random.Shared.Next())
            .ToList();
        foreach (var message in messages)
        {
            await players.SendCoreAsync(message.Method, [.. message.Arguments]).WaitAsync(Bound);
        }

        Assert.False(player.HasExited, $"the player exited:\n{player.Log}");
        await using var booth = await server.CreateStaffHubAsync(Roles.Booth);
        await booth.StartAndSyncAsync();
        await booth.InvokeAsync(ShowHubMethods.SendPlayerCommand, new PlayerCommand(Guid.NewGuid(), PlayerCommandKind.JumpToEntry, ids[2])).WaitAsync(Bound);

        // The first change the phones hear after the burst is the jump's: no message moved the show (a stray `next`
        // would have shown the second finalist), none made the player drop its connection (it would have reported its
        // screen again on reconnecting). Then `next` still works.
        var jumped = await phone.Shows.NextAsync();
        Assert.Equal((IntroSlate, ids[2], ProjectorStatus.Live), (jumped.Phase, jumped.Entry?.Id, jumped.Projector));
        await booth.InvokeAsync(ShowHubMethods.SendPlayerCommand, new PlayerCommand(Guid.NewGuid(), PlayerCommandKind.Next)).WaitAsync(Bound);
        Assert.Equal(EndCard, (await phone.Shows.NextAsync()).Phase);
        var logged = await player.WaitForLinesAsync(IsRefusal, messages.Count, Bound);
        Assert.False(player.HasExited);
        output.WriteLine($"{messages.Count} malformed messages delivered to the player process ({Describe(messages)}); it logged {logged} refusals, " +
            "ignored every one, and obeyed a jump and `next` afterwards.");
        Assert.True(logged == messages.Count, $"{logged} refusals logged for {messages.Count} messages:\n{player.Log}");
    }

    [Fact]
    public async Task PlayerKilled_PhonesHearWithinSecondsThatTheProjectorIsLost_WithWhatItLastShowed()
    {
        var server = Own(new AmvServer(TestMedia.ServerSettings));
        var ids = await ImportAsync(server);
        var phone = await WatchAsync(server);
        var player = StartPlayer(server);
        await phone.NextAsync(s => s is { Phase: IntroSlate, Projector: ProjectorStatus.Live } && s.Entry?.Id == ids[0], Startup, player);

        var clock = Stopwatch.StartNew();
        await player.KillAsync();
        var lost = await phone.Shows.NextAsync();

        output.WriteLine($"Phones heard the projector was lost {clock.ElapsedMilliseconds} ms after the player was killed.");
        Assert.Equal((ProjectorStatus.Lost, IntroSlate, ids[0]), (lost.Projector, lost.Phase, lost.Entry?.Id));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"{clock.Elapsed}");
        Assert.Equal(ProjectorStatus.Lost, (await server.GetShowOverHttpAsync()).Projector);
    }

    [Fact]
    public async Task ServerRestart_ThePlayerIsBackWithinThreeSeconds_AndReportsWhatIsOnScreen()
    {
        var data = Directory.CreateDirectory(Path.Combine(_folder, "server")).FullName;
        var first = new AmvServer(TestMedia.ServerSettings, dataDirectory: data);
        var port = first.BaseAddress.Port;
        var ids = await ImportAsync(first);
        await using (var phone = await WatchAsync(first))
        {
            var player = StartPlayer(first);
            await phone.NextAsync(s => s is { Phase: IntroSlate, Projector: ProjectorStatus.Live } && s.Entry?.Id == ids[0], Startup, player);
        }

        var stopping = Stopwatch.StartNew();
        await first.DisposeAsync().AsTask().WaitAsync(2 * Bound); // not held up by the player reconnecting meanwhile
        output.WriteLine($"The first server stopped in {stopping.ElapsedMilliseconds} ms.");
        var second = Own(new AmvServer(TestMedia.ServerSettings, dataDirectory: data, port: port));
        var clock = Stopwatch.StartNew();
        var again = await WatchAsync(second);
        var live = again.First.Projector == ProjectorStatus.Live
            ? again.First
            : await again.NextAsync(s => s.Projector == ProjectorStatus.Live, Bound);

        output.WriteLine($"The player reported again {clock.ElapsedMilliseconds} ms after the server was back " +
            $"(phones first heard: {again.First.Phase}, {again.First.Projector}).");
        Assert.Equal((IntroSlate, ids[0]), (live.Phase, live.Entry?.Id));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"{clock.Elapsed}");
    }

    private T Own<T>(T disposable) where T : IAsyncDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    /// <summary>Three 30 s finalists; returns their entry ids.</summary>
    private static async Task<int[]> ImportAsync(AmvServer server)
    {
        var clip = await TestMedia.ClipAsync(seconds: 30);
        return await PlayerContest.ImportAsync(server, clip, clip, clip);
    }

    /// <summary>The player with intro slates long enough that nothing changes on screen unless commanded.</summary>
    private ChildProcess StartPlayer(AmvServer server) => Own(PlayerProcess.Start(
        server.BaseAddress, Directory.CreateDirectory(Path.Combine(_folder, $"player-{Guid.NewGuid():N}")).FullName,
        "--intro", "600", "--no-category-cards"));

    private async Task<Phone> WatchAsync(AmvServer server)
    {
        var connection = server.CreateVoterHub();
        var shows = connection.Received<ShowState>(ShowHubMethods.ShowChanged);
        var first = await connection.StartAndSyncAsync();
        return Own(new Phone(connection, shows, first));
    }

    /// <summary>A line the player writes for a message it ignores: its own ("… ignored: why"), or the SignalR client's
    /// for arguments it could not bind at all.</summary>
    private static bool IsRefusal(string line) => RefusalLine().IsMatch(line);

    [GeneratedRegex("ignored:|Failed to bind arguments")]
    private static partial Regex RefusalLine();

    private static string Describe(IEnumerable<MalformedMessages.Message> messages) =>
        string.Join(", ", messages.GroupBy(m => m.Method).Select(g => $"{g.Count()} {g.Key}"));

    /// <summary>A voter's connection: what GetShow answered, then every ShowChanged.</summary>
    private sealed record Phone(HubConnection Connection, ChannelReader<ShowState> Shows, ShowState First) : IAsyncDisposable
    {
        /// <summary>The first state (the answer to GetShow, then each push) that matches, within <paramref name="bound"/>;
        /// fails at once with the player's log if the player exits meanwhile.</summary>
        public async Task<ShowState> NextAsync(Func<ShowState, bool> match, TimeSpan bound, ChildProcess? player = null)
        {
            if (match(First))
            {
                return First;
            }

            using var timeout = new CancellationTokenSource(bound);
            try
            {
                await foreach (var state in Shows.ReadAllAsync(timeout.Token))
                {
                    if (match(state))
                    {
                        return state;
                    }

                    Assert.False(player?.HasExited == true, $"the player exited:\n{player?.Log}");
                }
            }
            catch (OperationCanceledException)
            {
            }

            throw new TimeoutException($"No matching show state within {bound.TotalSeconds} s. Player log:\n{player?.Log}");
        }

        public ValueTask DisposeAsync() => Connection.DisposeAsync();
    }
}
