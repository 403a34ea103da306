using AmvScreening.Player.Vlc;
using AmvScreening.Protocol;
using AmvScreening.Tests.Player.Vlc;
using AmvScreening.Tests.Support;
using static AmvScreening.Tests.Support.HubTesting;

namespace AmvScreening.Tests.Player;

/// <summary>The built player in its window (on Xvfb), with sound as on the projector machine: on a machine without a
/// sound card it says so once and plays on, silently, instead of logging an ALSA error per sound buffer.</summary>
[Collection(LibVlcCollection.Name)]
public sealed class SoundDeviceTests(XvfbFixture xvfb) : IClassFixture<XvfbFixture>, IDisposable
{
    private static readonly TimeSpan Show = TimeSpan.FromSeconds(90);
    private readonly string _folder = Directory.CreateTempSubdirectory("amv-sound-device-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task WithoutASoundDevice_ThePlayerWarnsOnce_AndPlaysTheShow_WithoutAlsaErrors()
    {
        var soundDevice = VlcEngine.HasSoundDevice(VlcEngine.AudioDevices());
        using var server = new AmvServer(TestMedia.ServerSettings);
        var ids = await PlayerContest.ImportAsync(server, await TestMedia.ToneClipAsync(4, 0));
        await using var phone = server.CreateVoterHub();
        var shows = phone.Received<ShowState>(ShowHubMethods.ShowChanged);
        await phone.StartAndSyncAsync();

        await using var player = PlayerProcess.StartOnScreen(server.BaseAddress, _folder, xvfb.Display.Name,
            "--intro", "1", "--outro", "1", "--no-category-cards", "--quit-after-end", "1");
        await shows.NextMatchingAsync(s => s.Phase == ShowPhase.Video && s.Entry?.Id == ids[0], Show);
        await shows.NextMatchingAsync(s => s.Phase == ShowPhase.EndCard, Show);
        await player.Exited.WaitAsync(Show);

        var warnings = player.Lines.Count(l => l.Contains("No sound device found", StringComparison.Ordinal));
        Assert.True(warnings == (soundDevice ? 0 : 1), $"{warnings} warnings with{(soundDevice ? "" : "out")} a sound device:\n{player.Log}");
        Assert.DoesNotContain(player.Lines, l => l.Contains("ALSA", StringComparison.Ordinal) || l.Contains("alsa", StringComparison.Ordinal));
    }
}
