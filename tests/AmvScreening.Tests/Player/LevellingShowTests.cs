using System.Net;
using System.Net.Http.Json;
using AmvScreening.Player.Preflight;
using AmvScreening.Player.Show;
using AmvScreening.Player.Vlc;
using AmvScreening.Protocol;
using AmvScreening.Protocol.Media;
using AmvScreening.Server.Auth;
using AmvScreening.Tests.Player.Vlc;
using AmvScreening.Tests.Support;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Xunit.Abstractions;
using static AmvScreening.Tests.Support.HubTesting;

namespace AmvScreening.Tests.Player;

/// <summary>The real show, levelled: a quiet, a loud and a normal finalist measured by ffmpeg's ebur128, the measurements
/// given to the server as a pre-flight report, the show played by real libvlc headless with <c>--audio-out</c>, and each
/// video's stretch of the recording measured again.</summary>
[Collection(LibVlcCollection.Name)]
public sealed class LevellingShowTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Show = TimeSpan.FromSeconds(90);
    private const int ClipSeconds = 5;

    private readonly string _folder = Directory.CreateTempSubdirectory("amv-levelling-").FullName;
    private readonly AmvServer _server = new(TestMedia.ServerSettings);

    public void Dispose()
    {
        _server.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Theory]
    [InlineData(-23)]
    [InlineData(-28)]
    public async Task QuietLoudAndNormalFinalists_PlayAtTheTarget_WithTheirTruePeakAtMostMinusOne(int target)
    {
        // A quiet (-38 LUFS, peaks near -37 dBTP), a loud (-10 LUFS) and a normal (about -22 LUFS) finalist.
        string[] clips = [await TestMedia.ToneClipAsync(ClipSeconds, -16), await TestMedia.ToneClipAsync(ClipSeconds, 12), await TestMedia.ToneClipAsync(ClipSeconds, 0)];
        // Measured by the pre-flight's own analyzer, as on the day; the recording below by ffmpeg's ebur128 directly.
        var analyzer = FfmpegAnalyzer.Create();
        var measured = new List<LoudnessMeasurement>();
        foreach (var clip in clips)
        {
            measured.Add((await analyzer.AnalyzeAsync(clip)).Loudness!);
        }

        Assert.InRange(measured[0].IntegratedLufs, -40, -36);
        Assert.InRange(measured[1].IntegratedLufs, -11, -9);
        var ids = await PlayerContest.ImportAsync(_server, clips);
        await SetTargetAsync(target);
        await SendPreflightAsync(ids, measured);
        var wav = Path.Combine(_folder, "show.wav");

        await using (var player = await PlayerRun.StartRealAsync(_server, State(), Quick, new VlcEngineOptions { Headless = true, AudioOut = wav }))
        {
            await player.Running.WaitAsync(Show);
        }

        var spans = await TestLoudness.SoundedSpansAsync(wav, minSeconds: ClipSeconds - 1);
        Assert.Equal(3, spans.Count);
        for (var i = 0; i < spans.Count; i++)
        {
            var (start, end) = spans[i];
            var played = await TestLoudness.MeasureAsync(wav, start, end);
            output.WriteLine($"finalist {i + 1}: measured {measured[i].IntegratedLufs} LUFS / {measured[i].TruePeakDbtp} dBTP, played {played.IntegratedLufs} LUFS / {played.TruePeakDbtp} dBTP ({start:0.00}–{end:0.00} s)");
            Assert.InRange(played.IntegratedLufs, target - 1, target + 1);
            Assert.True(played.TruePeakDbtp <= Loudness.MaxTruePeakDbtp, $"finalist {i + 1} peaks at {played.TruePeakDbtp} dBTP");
            Assert.InRange(end - start, ClipSeconds - 0.5, ClipSeconds + 0.5);
        }
    }

    [Fact]
    public async Task WithoutAMeasurement_AFinalistPlaysAsItIs()
    {
        var clip = await TestMedia.ToneClipAsync(ClipSeconds, -16);
        var measured = await TestLoudness.MeasureAsync(clip);
        await PlayerContest.ImportAsync(_server, clip);
        var wav = Path.Combine(_folder, "show.wav");

        await using (var player = await PlayerRun.StartRealAsync(_server, State(), Quick, new VlcEngineOptions { Headless = true, AudioOut = wav }))
        {
            await player.Running.WaitAsync(Show);
        }

        var (start, end) = Assert.Single(await TestLoudness.SoundedSpansAsync(wav, minSeconds: ClipSeconds - 1));
        Assert.InRange((await TestLoudness.MeasureAsync(wav, start, end)).IntegratedLufs, measured.IntegratedLufs - 1, measured.IntegratedLufs + 1);
    }

    [Fact]
    public async Task TheMasterVolume_IsInTheRecording_AndStaysFromFinalistToFinalist()
    {
        var clip = await TestMedia.ToneClipAsync(ClipSeconds, 0);
        var measured = await TestLoudness.MeasureAsync(clip);
        var ids = await PlayerContest.ImportAsync(_server, clip, clip);
        await SendPreflightAsync(ids, [measured, measured]);
        var wav = Path.Combine(_folder, "show.wav");

        await using (var player = await PlayerRun.StartRealAsync(_server, State(), Quick, new VlcEngineOptions { Headless = true, AudioOut = wav }))
        {
            for (var i = 0; i < 10; i++)
            {
                player.Host.Sequencer!.Post(new PlayerCommand(Guid.NewGuid(), PlayerCommandKind.VolumeDown)); // 50 %: -18 dB
            }

            await player.Running.WaitAsync(Show);
        }

        var spans = await TestLoudness.SoundedSpansAsync(wav, minSeconds: ClipSeconds - 1);
        Assert.Equal(2, spans.Count);
        foreach (var (start, end) in spans)
        {
            Assert.InRange((await TestLoudness.MeasureAsync(wav, start, end)).IntegratedLufs, Loudness.DefaultTargetLufs - 19, Loudness.DefaultTargetLufs - 17);
        }
    }

    [Fact]
    public async Task VolumeCommands_FromTheBoothRemote_ReachThePlayer_AndTheBoothSeesTheLevel()
    {
        var ids = await PlayerContest.ImportAsync(_server, await TestMedia.ToneClipAsync(30, 0));
        await using var booth = await _server.CreateStaffHubAsync(Roles.Booth);
        var shows = booth.Received<ShowState>(ShowHubMethods.ShowChanged);
        await booth.StartAndSyncAsync();
        await using var player = await PlayerRun.StartRealAsync(_server, State(), settings => settings with
        {
            Show = new ShowOptions { Intro = TimeSpan.FromSeconds(30), CategoryCard = TimeSpan.FromSeconds(30) },
        });
        var first = await shows.NextMatchingAsync(s => s.Phase == ShowPhase.CategoryCard);
        Assert.Equal(PlayerAudio.Default, first.Audio);

        await SendAsync(booth, PlayerCommandKind.VolumeDown);
        var down = await shows.NextMatchingAsync(s => s.Audio != PlayerAudio.Default);
        await SendAsync(booth, PlayerCommandKind.Mute);
        var muted = await shows.NextMatchingAsync(s => s.Audio?.Muted == true);
        await SendAsync(booth, PlayerCommandKind.SkipSlate);
        var intro = await shows.NextMatchingAsync(s => s.Phase == ShowPhase.IntroSlate);

        Assert.Equal((ShowPhase.CategoryCard, new PlayerAudio(95, false)), (down.Phase, down.Audio));
        Assert.Equal(new PlayerAudio(95, true), muted.Audio);
        Assert.Equal((ids[0], new PlayerAudio(95, true)), (intro.Entry?.Id, intro.Audio)); // the volume stays
        Assert.Equal(new PlayerAudio(95, true), player.Host.Sequencer!.Audio);
        Assert.Equal(new PlayerAudio(95, true), (await booth.InvokeAsync<ShowState>(ShowHubMethods.GetShow).WaitAsync(Bound)).Audio);
    }

    [Fact]
    public async Task AReportWithAVolumeOutOfRange_IsRefused()
    {
        await using var hub = _server.CreatePlayerHub();
        await hub.StartAsync().WaitAsync(Bound);
        var report = new OnScreenReport(1, ShowPhase.EndCard, null, null, DateTimeOffset.UtcNow, null, 0, new PlayerAudio(PlayerAudio.MaxPercent + 1, false));

        var refused = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<ShowState>(ShowHubMethods.ReportOnScreen, report).WaitAsync(Bound));

        Assert.Contains("volumePercent", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    [InlineData(-6)]
    [InlineData(15.9)]
    [InlineData(-20)]
    public void ThePreamp_ForAGain_IsWithinWhatLibvlcTakes(double gain)
    {
        var preamp = VlcEngine.PreampFor(gain);
        Assert.InRange(preamp, -20, 20);
        Assert.Equal(gain, 2 * (preamp - VlcEngine.EqualizerUnityPreampDb), precision: 4);
    }

    [Theory]
    [InlineData(new string[0], false)]
    [InlineData(new[] { "null", "default" }, false)]
    [InlineData(new[] { "default", "sysdefault:CARD=PCH", "hw:CARD=PCH,DEV=0" }, true)]
    [InlineData(new[] { "alsa_output.pci-0000_00_1f.3.analog-stereo" }, true)]
    public void ASoundDevice_IsOneBesidesAlsasNullAndDefault(string[] devices, bool found)
    {
        Assert.Equal(found, VlcEngine.HasSoundDevice(devices));
    }

    private static Func<PlayerSettings, PlayerSettings> Quick => settings => settings with
    {
        Show = new ShowOptions
        {
            Intro = TimeSpan.FromSeconds(1),
            Outro = TimeSpan.FromSeconds(1),
            CategoryCard = TimeSpan.FromSeconds(1),
            QuitAfterEndCard = TimeSpan.FromSeconds(1),
        },
    };

    private async Task SetTargetAsync(int target)
    {
        using var coordinator = await _server.CreateStaffClientAsync();
        var contest = await coordinator.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>("/api/contest");
        var details = contest!["contest"]!.AsObject();
        details["limits"]!["loudnessTargetLufs"] = target;
        Assert.Equal(HttpStatusCode.OK, (await coordinator.PutAsJsonAsync("/api/contest/details", details)).StatusCode);
    }

    /// <summary>What the player's pre-flight sends, with these measurements.</summary>
    private async Task SendPreflightAsync(int[] ids, List<LoudnessMeasurement> measured)
    {
        using var player = _server.CreatePlayerClient();
        var report = new
        {
            summary = new { total = ids.Length, ok = ids.Length, warnings = 0, errors = 0 },
            entries = ids.Select((id, i) => new { entryId = id, status = "ok", loudness = measured[i] }).ToArray(),
        };
        Assert.Equal(HttpStatusCode.NoContent, (await player.PostAsJsonAsync("/api/preflight", report, ShowJsonOptions)).StatusCode);
    }

    private static readonly System.Text.Json.JsonSerializerOptions ShowJsonOptions = CreateJson();

    private static System.Text.Json.JsonSerializerOptions CreateJson()
    {
        var options = new System.Text.Json.JsonSerializerOptions();
        ShowJson.Configure(options);
        return options;
    }

    private string State() => Directory.CreateDirectory(Path.Combine(_folder, $"state-{Guid.NewGuid():N}")).FullName;

    private static Task SendAsync(HubConnection booth, PlayerCommandKind kind) =>
        booth.InvokeAsync(ShowHubMethods.SendPlayerCommand, new PlayerCommand(Guid.NewGuid(), kind)).WaitAsync(Bound);
}
