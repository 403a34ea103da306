using System.Net;
using AmvScreening.Player.Show;
using AmvScreening.Protocol;
using AmvScreening.Server.Auth;
using AmvScreening.Tests.Player.Vlc;
using AmvScreening.Tests.Support;
using Microsoft.AspNetCore.SignalR.Client;
using static AmvScreening.Protocol.ShowPhase;
using static AmvScreening.Tests.Support.HubTesting;

namespace AmvScreening.Tests.Player;

/// <summary>The real player — libvlc headless playing ffmpeg clips, the SVG slates, the sequencer and its server link —
/// against the real server on loopback, watched by a voter's SignalR connection.</summary>
[Collection(LibVlcCollection.Name)]
public sealed class RealPlayerTests : IAsyncLifetime
{
    private static readonly TimeSpan Show = TimeSpan.FromSeconds(60);

    private readonly string _folder = Directory.CreateTempSubdirectory("amv-real-player-").FullName;
    private readonly AmvServer _server = new(TestMedia.ServerSettings);
    private HubConnection _voter = null!;
    private System.Threading.Channels.ChannelReader<ShowState> _shows = null!;

    public async Task InitializeAsync()
    {
        _voter = _server.CreateVoterHub();
        _shows = _voter.Received<ShowState>(ShowHubMethods.ShowChanged);
        await _voter.StartAndSyncAsync();
    }

    public async Task DisposeAsync()
    {
        await _voter.DisposeAsync();
        _server.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task ThreeFinalists_PlayInOrder_AndEveryChangeReachesThePhones()
    {
        var clip = await TestMedia.ClipAsync(seconds: 1);
        var ids = await ImportAsync(clip, clip, clip);
        await using var player = await PlayerRun.StartRealAsync(_server, State(), Quick(quitAfterEnd: true));

        await player.Running.WaitAsync(Show);

        ShowPhase[] finalist = [IntroSlate, Video, OutroSlate];
        var seen = await SeenAsync(until: Idle);
        Assert.Equal([CategoryCard, .. finalist, .. finalist, .. finalist, EndCard, Idle], seen.Select(s => s.Phase));
        Assert.Equal([null, ids[0], ids[0], ids[0], ids[1], ids[1], ids[1], ids[2], ids[2], ids[2], null, null], seen.Select(s => s.Entry?.Id));
        Assert.Equal(seen.Select(s => s.Sequence).Order(), seen.Select(s => s.Sequence));
    }

    [Fact]
    public async Task MissingAndCorruptFiles_ShowTheDifficultiesSlate_AndTheShowGoesOn()
    {
        var clip = await TestMedia.ClipAsync(seconds: 1);
        var ids = await ImportAsync(clip, TestMedia.Missing, await TestMedia.CorruptAsync(), clip);
        await using var player = await PlayerRun.StartRealAsync(_server, State(), Quick(quitAfterEnd: true));

        await player.Running.WaitAsync(Show);

        var seen = (await SeenAsync(until: Idle)).Where(s => s.Entry is not null).Select(s => (s.Phase, s.Entry!.Id)).ToList();
        Assert.Equal(
            [
                (IntroSlate, ids[0]), (Video, ids[0]), (OutroSlate, ids[0]),
                (IntroSlate, ids[1]), (Difficulties, ids[1]),
                (IntroSlate, ids[2]), (Difficulties, ids[2]),
                (IntroSlate, ids[3]), (Video, ids[3]), (OutroSlate, ids[3]),
            ],
            seen);
    }

    [Fact]
    public async Task BoothCommands_PauseNextPreviousBlackoutAndJump_ActOnPlayback()
    {
        var clip = await TestMedia.ClipAsync(seconds: 30);
        var ids = await ImportAsync(clip, clip, clip);
        await using var booth = await _server.CreateStaffHubAsync(Roles.Booth);
        await booth.StartAndSyncAsync();
        await using var player = await PlayerRun.StartRealAsync(_server, State(), settings => settings with
        {
            Show = new ShowOptions { Intro = TimeSpan.FromSeconds(30), Outro = TimeSpan.FromSeconds(30) },
            Rundown = new RundownOptions(CategoryCards: false),
        });
        await NextAsync(IntroSlate, ids[0]);

        await SendAsync(booth, PlayerCommandKind.SkipSlate);
        await NextAsync(Video, ids[0]);
        await SendAsync(booth, PlayerCommandKind.Pause);
        await NextAsync(Paused, ids[0]);
        await SendAsync(booth, PlayerCommandKind.Resume);
        await NextAsync(Video, ids[0]);
        await SendAsync(booth, PlayerCommandKind.BlackoutOn);
        await NextAsync(Blackout, null);
        await SendAsync(booth, PlayerCommandKind.BlackoutOff);
        await NextAsync(Video, ids[0]);
        await SendAsync(booth, PlayerCommandKind.Next);
        await NextAsync(IntroSlate, ids[1]);
        await SendAsync(booth, PlayerCommandKind.Previous);
        await NextAsync(IntroSlate, ids[0]);
        await SendAsync(booth, PlayerCommandKind.JumpToEntry, ids[2]);
        await NextAsync(IntroSlate, ids[2]);
    }

    [Fact]
    public async Task PlayerRestart_ResumesAtTheEntryItWasShowing()
    {
        var clip = await TestMedia.ClipAsync(seconds: 4);
        var ids = await ImportAsync(clip, clip, clip);
        var state = State();
        await using (var first = await PlayerRun.StartRealAsync(_server, state, Quick(quitAfterEnd: false)))
        {
            await NextAsync(Video, ids[1], skipOthers: true);
        }

        // The first run stopped (it reports Idle as it goes); a new one with --resume starts at that entry's intro.
        await using var second = await PlayerRun.StartRealAsync(_server, state, settings => Quick(quitAfterEnd: false)(settings) with { Resume = true });
        await NextAsync(IntroSlate, ids[1], skipOthers: true, skip: s => s.Phase == Idle);
    }

    /// <summary>Short slates; optionally the end card for a moment, then quit.</summary>
    private static Func<PlayerSettings, PlayerSettings> Quick(bool quitAfterEnd) => settings => settings with
    {
        Show = new ShowOptions
        {
            Intro = TimeSpan.FromSeconds(0.5),
            Outro = TimeSpan.FromSeconds(0.5),
            CategoryCard = TimeSpan.FromSeconds(0.5),
            Difficulties = TimeSpan.FromSeconds(0.5),
            QuitAfterEndCard = quitAfterEnd ? TimeSpan.FromSeconds(0.5) : null,
        },
    };

    private string State() => Directory.CreateDirectory(Path.Combine(_folder, $"state-{Guid.NewGuid():N}")).FullName;

    private Task<int[]> ImportAsync(params string[] files) => PlayerContest.ImportAsync(_server, files);

    private async Task<List<ShowState>> SeenAsync(ShowPhase until)
    {
        var seen = new List<ShowState>();
        do
        {
            seen.Add(await _shows.NextAsync());
        }
        while (seen[^1].Phase != until);

        return seen;
    }

    /// <summary>The next change the phones hear is <paramref name="phase"/> of <paramref name="entryId"/>.</summary>
    private async Task NextAsync(ShowPhase phase, int? entryId, bool skipOthers = false, Func<ShowState, bool>? skip = null)
    {
        using var timeout = new CancellationTokenSource(Show);
        while (true)
        {
            var state = await _shows.ReadAsync(timeout.Token);
            if (state.Phase == phase && state.Entry?.Id == entryId)
            {
                return;
            }

            Assert.True(skipOthers || skip?.Invoke(state) == true, $"expected {phase} of {entryId}, the phones heard {state.Phase} of {state.Entry?.Id}");
        }
    }

    private static Task SendAsync(HubConnection booth, PlayerCommandKind kind, int? entryId = null) =>
        booth.InvokeAsync(ShowHubMethods.SendPlayerCommand, new PlayerCommand(Guid.NewGuid(), kind, entryId)).WaitAsync(Bound);
}
