using AmvScreening.Player.Booth;
using AmvScreening.Player.Show;
using AmvScreening.Tests.Support;
using static AmvScreening.Protocol.ShowPhase;

namespace AmvScreening.Tests.Player;

/// <summary>Keys typed in the projector window act on the show; quitting needs q twice.</summary>
[Trait("Kind", "Unit")]
public sealed class ProjectorKeysTests
{
    [Fact]
    public async Task N_GoesToTheNextFinalist_AndSpacePausesThenResumes()
    {
        await using var rig = new ShowRig(ShowRig.Playlist(2), new RundownOptions(CategoryCards: false)).Start();
        var keys = new ProjectorKeys(rig.Sequencer);
        (await rig.ExpectAsync(IntroSlate, 1)).End();
        await rig.ExpectAsync(Video, 1);

        keys.OnKey(' ');
        await rig.NextScreenAsync(); // Paused
        Assert.Equal(Paused, rig.Sequencer.Current!.Phase);
        keys.OnKey(' ');
        await rig.NextScreenAsync();
        Assert.Equal(Video, rig.Sequencer.Current!.Phase);
        keys.OnKey('N');

        await rig.ExpectAsync(IntroSlate, 2);
    }

    [Fact]
    public async Task Q_Once_DoesNotQuit_QTwiceWithinThreeSeconds_Does()
    {
        var clock = new ManualClock(DateTimeOffset.UnixEpoch);
        await using var rig = new ShowRig(ShowRig.Playlist(1)).Start();
        var keys = new ProjectorKeys(rig.Sequencer, clock);
        await rig.ExpectAsync(CategoryCard);

        keys.OnKey('q');
        clock.Advance(TimeSpan.FromSeconds(4));
        keys.OnQuitRequested(); // the window's close button, too late to count as the second
        Assert.False(rig.Running.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(2));
        keys.OnKey('q');

        await rig.Running.WaitAsync(HubTesting.Bound);
    }

    [Fact]
    public async Task Q_Once_AsksInThePlayersLogForASecondQ()
    {
        var log = new LogLines();
        await using var rig = new ShowRig(ShowRig.Playlist(1)).Start();
        var keys = new ProjectorKeys(rig.Sequencer, logger: log.CreateLogger("keys"));
        await rig.ExpectAsync(CategoryCard);

        keys.OnKey('q');

        Assert.Equal("INFORMATION Quit? Press q again within 3 s to end the show.", log.ToString());
        Assert.False(rig.Running.IsCompleted);
    }
}
