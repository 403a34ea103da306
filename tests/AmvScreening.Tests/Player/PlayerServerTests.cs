using AmvScreening.Player.Show;
using AmvScreening.Protocol;
using AmvScreening.Server.Auth;
using AmvScreening.Slates;
using AmvScreening.Tests.Support;
using Microsoft.AspNetCore.SignalR.Client;
using static AmvScreening.Protocol.ShowPhase;
using static AmvScreening.Tests.Support.HubTesting;

namespace AmvScreening.Tests.Player;

/// <summary>The whole player (host, sequencer, server link, saved state) on the fake engine against the real server on
/// loopback, with the sample contest.</summary>
public sealed class PlayerServerTests : IDisposable
{
    private static readonly Dictionary<string, string?> Sample = new() { ["Amv:ImportOnFirstStart"] = RepoPaths.Of("samples", "kumoricon-2023.json") };

    private readonly string _folder = Directory.CreateTempSubdirectory("amv-player-test-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Reports_ReachAVoterInOrder_AndTheBoothsCommandsActOnTheShow()
    {
        await using var server = new AmvServer(Sample);
        await using var voter = server.CreateVoterHub();
        var shows = voter.Received<ShowState>(ShowHubMethods.ShowChanged);
        await voter.StartAndSyncAsync();
        await using var booth = await server.CreateStaffHubAsync(Roles.Booth);
        await booth.StartAndSyncAsync();
        await using var player = await PlayerRun.StartAsync(server, State("player"));
        var (first, second, third) = (player.Finalist(0), player.Finalist(1), player.Finalist(2));

        // Each item stays on screen until the engine ends it: the voter hears every change, in order.
        var seen = new List<ShowState> { await shows.NextAsync() };
        Assert.Equal((CategoryCard, first.CategoryId), (seen[0].Phase, seen[0].CategoryId));
        (ShowPhase, int)[] walk = [(IntroSlate, first.Id), (Video, first.Id), (OutroSlate, first.Id), (IntroSlate, second.Id), (Video, second.Id)];
        foreach (var (phase, entry) in walk)
        {
            (await player.Engine.NextAsync()).End();
            seen.Add(await shows.NextAsync());
            Assert.Equal((phase, entry), (seen[^1].Phase, seen[^1].Entry?.Id));
        }

        var video = await player.Engine.NextAsync();
        player.Engine.Position = TimeSpan.FromSeconds(20);
        await SendAsync(booth, PlayerCommandKind.Pause);
        seen.Add(await shows.NextAsync());
        Assert.Equal((Paused, second.Id, 20.0), (seen[^1].Phase, seen[^1].Entry?.Id, seen[^1].PositionSeconds));
        await SendAsync(booth, PlayerCommandKind.Resume);
        seen.Add(await shows.NextAsync());
        Assert.Equal((Video, second.Id), (seen[^1].Phase, seen[^1].Entry?.Id));
        await SendAsync(booth, PlayerCommandKind.Next);
        seen.Add(await shows.NextAsync());
        Assert.Equal((IntroSlate, third.Id), (seen[^1].Phase, seen[^1].Entry?.Id));
        Assert.Equal(PlaybackEnd.Stopped, (await video.Done.WaitAsync(Bound)).End);
        Assert.Equal(["pause", "resume"], player.Engine.Calls);

        Assert.Equal(seen.Select(s => s.Sequence).Order(), seen.Select(s => s.Sequence));
        Assert.Equal(seen.Count, seen.Select(s => s.Sequence).Distinct().Count());
    }

    [Fact]
    public async Task ServerDown_TheShowGoesOn_AndOnlyTheLatestStateIsSentWhenItIsBack()
    {
        var data = Directory.CreateDirectory(Path.Combine(_folder, "server")).FullName;
        var firstServer = new AmvServer(Sample, data);
        var port = firstServer.BaseAddress.Port;
        await using var player = await PlayerRun.StartAsync(firstServer, State("player"));
        var (first, second) = (player.Finalist(0), player.Finalist(1));
        (await player.Engine.NextAsync()).End(); // the category card
        var intro = await player.Engine.NextAsync();
        var before = await WaitForServerStateAsync(firstServer, s => s is { Phase: IntroSlate } && s.Entry?.Id == first.Id);

        await firstServer.DisposeAsync().AsTask().WaitAsync(2 * Bound); // a graceful stop, slower when the machine is busy
        intro.End();
        (await player.Engine.NextAsync()).End(); // the video
        (await player.Engine.NextAsync()).End(); // the outro
        await player.Engine.NextAsync(); // the next intro, on screen while the server is down
        Assert.Equal((IntroSlate, second.Id), (player.Host.Sequencer!.Current!.Phase, player.Host.Sequencer.Current.Entry?.Id));

        await using var secondServer = new AmvServer(Sample, data, port);
        await using var voter = secondServer.CreateVoterHub();
        var shows = voter.Received<ShowState>(ShowHubMethods.ShowChanged);
        var state = await voter.StartAndSyncAsync();
        var pushed = new List<ShowState>();
        while (!(state.Phase == IntroSlate && state.Entry?.Id == second.Id))
        {
            pushed.Add(state = await shows.NextAsync());
        }

        // Heard at once (the player was back first) or as the one push after the state the server kept.
        Assert.True(pushed.Count <= 1, string.Join(", ", pushed.Select(s => s.Phase)));
        Assert.True(state.Sequence > before.Sequence, $"{state.Sequence} after {before.Sequence}");
    }

    [Fact]
    public async Task PlayerRestart_WithResume_StartsAtTheSavedFinalistsIntro_OrItsVideoPosition()
    {
        await using var server = new AmvServer(Sample);
        var state = State("player");
        EntrySummary second;
        string secondVideo;
        await using (var player = await PlayerRun.StartAsync(server, state))
        {
            (second, secondVideo) = (player.Finalist(1), player.Host.Sequencer!.Rundown.Finalists[1].VideoFile!);
            foreach (var _ in Enumerable.Range(0, 5))
            {
                (await player.Engine.NextAsync()).End(); // card, intro, video, outro, intro
            }

            await player.Engine.NextAsync(); // the second finalist's video
            player.Engine.Position = TimeSpan.FromSeconds(42);
            player.Host.Sequencer!.Post(new PlayerCommand(Guid.NewGuid(), PlayerCommandKind.Pause));
            await WaitForServerStateAsync(server, s => s.Phase == Paused);
        }

        Assert.Equal(Idle, (await server.GetShowOverHttpAsync()).Phase); // a quit says so

        await using (var atPosition = await PlayerRun.StartAsync(server, state, s => s with { Resume = true, ResumePosition = true }))
        {
            var video = await atPosition.Engine.NextAsync();
            Assert.Equal(TimeSpan.FromSeconds(42), video.Item.StartAt);
            Assert.Equal(Path.Combine(ShowRig.Media, "upbeat-fun/02-snack-time-party-time.mp4"), video.Item.Path);
            Assert.Equal(secondVideo, video.Item.Path);
            Assert.Equal(second.Id, (await WaitForServerStateAsync(server, s => s.Phase == Video)).Entry?.Id);
        }

        // Saved in the video again: a plain --resume goes to the intro.
        await using var resumed = await PlayerRun.StartAsync(server, state, s => s with { Resume = true });
        Assert.Equal(FakeSlates.PathOf(SlateKind.Intro, second.Id), (await resumed.Engine.NextAsync()).Item.Path);
        var shown = await WaitForServerStateAsync(server, s => s.Phase == IntroSlate);
        Assert.Equal(second.Id, shown.Entry?.Id);
    }

    [Fact]
    public async Task PlayerWithoutSavedState_WithResume_StartsAtTheFinalistTheServerLastHeardOf_AboveItsSequence()
    {
        await using var server = new AmvServer(Sample);
        var third = (await PlayerApiShowAsync(server)).Categories.SelectMany(c => c.Entries).ElementAt(2).Entry;
        await using (var earlier = server.CreatePlayerHub())
        {
            await earlier.StartAndSyncAsync();
            await earlier.InvokeAsync<ShowState>(ShowHubMethods.ReportOnScreen, Report(1000, Video, third.Id)).WaitAsync(Bound);
        }

        await using var player = await PlayerRun.StartAsync(server, State("fresh"), s => s with { Resume = true });

        Assert.Equal(FakeSlates.PathOf(SlateKind.Intro, third.Id), (await player.Engine.NextAsync()).Item.Path);
        var shown = await WaitForServerStateAsync(server, s => s.Phase == IntroSlate);
        Assert.Equal(third.Id, shown.Entry?.Id);
        Assert.True(shown.Sequence > 1000);
    }

    private string State(string name) => Path.Combine(_folder, name);

    private static Task SendAsync(HubConnection booth, PlayerCommandKind kind) =>
        booth.InvokeAsync(ShowHubMethods.SendPlayerCommand, new PlayerCommand(Guid.NewGuid(), kind)).WaitAsync(Bound);

    private static async Task<PlayerShow> PlayerApiShowAsync(AmvServer server)
    {
        using var api = new PlayerApi(server.BaseAddress, AmvServer.PlayerApiKey);
        return await api.GetShowAsync().WaitAsync(Bound);
    }

    /// <summary>The server's show state once it matches, heard through a voter connection (its answer to GetShow, or a
    /// push after it).</summary>
    private static async Task<ShowState> WaitForServerStateAsync(AmvServer server, Func<ShowState, bool> match)
    {
        await using var voter = server.CreateVoterHub();
        var shows = voter.Received<ShowState>(ShowHubMethods.ShowChanged);
        var state = await voter.StartAndSyncAsync();
        return match(state) ? state : await shows.NextMatchingAsync(match);
    }
}

/// <summary>A player host running on the fake engine against a test server; disposing quits it.</summary>
internal sealed class PlayerRun : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task _run = Task.CompletedTask;

    private readonly IMediaEngine _engine;

    private PlayerRun(PlayerHost host, IMediaEngine engine) => (Host, _engine) = (host, engine);

    public PlayerHost Host { get; }

    /// <summary>The fake engine (for runs started by <see cref="StartAsync"/>).</summary>
    public FakeMediaEngine Engine => (FakeMediaEngine)_engine;

    /// <summary>The show's run: completes when the player quits.</summary>
    public Task Running => _run;

    public EntrySummary Finalist(int index) => Host.Sequencer!.Rundown.Finalists[index].Entry;

    /// <summary>The player on the fake engine: each item stays on screen until the test ends it.</summary>
    public static Task<PlayerRun> StartAsync(AmvServer server, string stateFolder, Func<PlayerSettings, PlayerSettings>? configure = null) =>
        StartAsync(server, stateFolder, configure, new FakeMediaEngine(), new FakeSlates());

    /// <summary>The real player: libvlc headless (or with <paramref name="engine"/>'s options) and the SVG slates.</summary>
    public static Task<PlayerRun> StartRealAsync(
        AmvServer server, string stateFolder, Func<PlayerSettings, PlayerSettings>? configure = null, AmvScreening.Player.Vlc.VlcEngineOptions? engine = null) =>
        StartAsync(server, stateFolder, configure,
            new AmvScreening.Player.Vlc.VlcEngine(engine ?? new AmvScreening.Player.Vlc.VlcEngineOptions { Headless = true }),
            new SvgSlateRenderer(outputFolder: Path.Combine(stateFolder, "slates")));

    private static async Task<PlayerRun> StartAsync(
        AmvServer server, string stateFolder, Func<PlayerSettings, PlayerSettings>? configure, IMediaEngine engine, ISlateRenderer slates)
    {
        var settings = new PlayerSettings
        {
            Server = server.BaseAddress,
            ApiKey = AmvServer.PlayerApiKey,
            MediaFolder = ShowRig.Media,
            StateFolder = stateFolder,
            Retry = new ReconnectPolicy([TimeSpan.FromMilliseconds(100)]),
        };
        var run = new PlayerRun(new PlayerHost(configure?.Invoke(settings) ?? settings, engine, slates), engine);
        run._run = run.Host.RunAsync(run._stop.Token);
        if (await Task.WhenAny(run.Host.Ready, run._run).WaitAsync(HubTesting.Bound) == run._run)
        {
            await run._run; // it ended before the show started: its failure surfaces here
        }

        return run;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run.WaitAsync(HubTesting.Bound);
        _stop.Dispose();
        await _engine.DisposeAsync();
    }
}
