using AmvScreening.Player.Booth;
using AmvScreening.Player.Show;
using AmvScreening.Protocol;
using FsCheck;
using FsCheck.Fluent;
using static AmvScreening.Protocol.ShowPhase;

namespace AmvScreening.Tests.Player;

/// <summary>The levelling gain (target − integrated, limited by the true peak), the master volume, and how the show
/// uses both (docs/loudness.md, "Levelling").</summary>
[Trait("Kind", "Unit")]
public sealed class LevellingTests
{
    private const double Target = Loudness.DefaultTargetLufs;

    private static LoudnessMeasurement Measured(double integrated, double truePeak) => new(integrated, 5, truePeak);

    [Theory]
    [InlineData(-30, -12, 7)]       // quiet, peaks low enough: raised all the way to the target
    [InlineData(-30, -4, 3)]        // quiet, peaks high: raised only until its true peak reaches -1 dBTP
    [InlineData(-23, -1, 0)]        // on target with its peak at the limit: left alone
    [InlineData(-23, 0.5, -1.5)]    // on target but peaking above the limit: lowered until it does not
    [InlineData(-10, -0.1, -13)]    // loud: cut freely
    [InlineData(-2, 0, -20)]        // absurdly loud: cut at most 20 dB
    [InlineData(-45, -40, 15.9)]    // very quiet: raised at most 15.9 dB (what libvlc's equalizer reaches)
    [InlineData(-70, -200, 15.9)]   // silence as ebur128 measures it
    public void TheGain_BringsAFileToTheTarget_AsFarAsItsTruePeakAllows(double integrated, double truePeak, double gain)
    {
        Assert.Equal(gain, Levelling.GainDb(Measured(integrated, truePeak), Target), precision: 6);
    }

    [Fact]
    public void NoMeasurement_OrOneThatCannotBeRight_PlaysAtUnityGain()
    {
        Assert.Equal(0, Levelling.GainDb(null, Target));
        Assert.Equal(0, Levelling.GainDb(new LoudnessMeasurement(double.NaN, 5, -3), Target));
        Assert.Equal(0, Levelling.GainDb(new LoudnessMeasurement(-20, 5, double.PositiveInfinity), Target));
        Assert.Equal(0, Levelling.GainDb(new LoudnessMeasurement(-2300, 5, -3), Target));
        Assert.Equal(0, Levelling.GainDb(Measured(-30, -12), double.NaN));
    }

    [Fact]
    public void WhateverTheNumbers_TheGainIsFinite_InRange_AndNeverPushesTheTruePeakAboveTheLimit()
    {
        var anyDouble = ArbMap.Default.GeneratorFor<double>();
        var sensible = Gen.Choose(-1000, 200).Select(i => i / 10.0);
        var number = Gen.Frequency((3, sensible), (1, anyDouble));
        Prop.ForAll(Arb.From(number), Arb.From(number), Arb.From(number), (integrated, truePeak, target) =>
        {
            var measured = Measured(integrated, truePeak);
            var gain = Levelling.GainDb(measured, target);
            var peakAfter = truePeak + gain;
            return double.IsFinite(gain)
                && gain >= -Levelling.MaxCutDb && gain <= Levelling.MaxBoostDb
                && (!Loudness.IsPlausible(measured) || gain <= 0 || peakAfter <= Loudness.MaxTruePeakDbtp + 1e-9);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public async Task AMeasuredFinalist_PlaysWithItsGain_AnUnmeasuredOne_AtUnity()
    {
        var show = ShowRig.Playlist(2);
        var entries = show.Categories[0].Entries;
        show = show with
        {
            LoudnessTargetLufs = -16,
            Categories = [show.Categories[0] with { Entries = [entries[0] with { Checked = new CheckedFile("ok", null, 10, Measured(-30, -20)) }, entries[1]] }],
        };
        await using var rig = new ShowRig(show, new RundownOptions(CategoryCards: false)).Start();

        (await rig.ExpectAsync(IntroSlate, 1)).End();
        Assert.Equal(14, (await rig.ExpectAsync(Video, 1)).Item.GainDb, precision: 6);
        rig.Send(PlayerCommandKind.Next);
        var intro = await rig.ExpectAsync(IntroSlate, 2);
        Assert.Equal(0, intro.Item.GainDb);
        intro.End();
        Assert.Equal(0, (await rig.ExpectAsync(Video, 2)).Item.GainDb);
    }

    [Fact]
    public async Task VolumeCommands_ActAtOnce_OnEveryPhase_AndTheVolumeStaysFromItemToItem()
    {
        await using var rig = new ShowRig(ShowRig.Playlist(2), new RundownOptions(CategoryCards: false)).Start();
        var changes = new List<PlayerAudio>();
        rig.Sequencer.AudioChanged += changes.Add;
        await rig.ExpectAsync(IntroSlate, 1);
        Assert.Equal(PlayerAudio.Default, rig.Engine.Audio);

        rig.Send(PlayerCommandKind.VolumeDown);
        rig.Send(PlayerCommandKind.VolumeDown);
        rig.Send(PlayerCommandKind.Mute);
        rig.Send(PlayerCommandKind.Mute); // already muted: no change

        Assert.Equal(new PlayerAudio(90, true), rig.Sequencer.Audio);
        Assert.Equal(rig.Sequencer.Audio, rig.Engine.Audio);
        Assert.Equal([new(95, false), new(90, false), new(90, true)], changes);
        Assert.Equal(IntroSlate, rig.Sequencer.Current!.Phase); // the show did not move
        rig.Send(PlayerCommandKind.Next);
        await rig.ExpectAsync(IntroSlate, 2);
        Assert.Equal(new PlayerAudio(90, true), rig.Engine.Audio);
        rig.Send(PlayerCommandKind.Unmute);
        Assert.Equal(new PlayerAudio(90, false), rig.Engine.Audio);
    }

    [Fact]
    public void TheVolume_StaysWithinItsRange()
    {
        var audio = PlayerAudio.Default;
        for (var i = 0; i < 100; i++)
        {
            audio = audio.After(PlayerCommandKind.VolumeUp);
        }

        Assert.Equal(PlayerAudio.MaxPercent, audio.VolumePercent);
        for (var i = 0; i < 100; i++)
        {
            audio = audio.After(PlayerCommandKind.VolumeDown);
        }

        Assert.Equal(0, audio.VolumePercent);
        Assert.Null(PlayerAudio.Problem(audio));
        Assert.NotNull(PlayerAudio.Problem(new PlayerAudio(PlayerAudio.MaxPercent + 1, false)));
        Assert.NotNull(PlayerAudio.Problem(new PlayerAudio(-1, false)));
    }

    [Theory]
    [InlineData('+', false, PlayerCommandKind.VolumeUp)]
    [InlineData('=', false, PlayerCommandKind.VolumeUp)]
    [InlineData('-', false, PlayerCommandKind.VolumeDown)]
    [InlineData('m', false, PlayerCommandKind.Mute)]
    [InlineData('M', true, PlayerCommandKind.Unmute)]
    public void TheVolumeKeys_AreTheSameInTheBoothAndTheProjectorWindow(char key, bool muted, PlayerCommandKind kind)
    {
        Assert.Equal(kind, Keys.ForKey(key, Video, muted));
        Assert.Equal(kind, Keys.ForKey(key, Paused, muted));
    }

    [Fact]
    public async Task ProjectorKeys_PlusMinusAndM_SetTheMasterVolume()
    {
        await using var rig = new ShowRig(ShowRig.Playlist(1)).Start();
        var keys = new ProjectorKeys(rig.Sequencer);
        await rig.ExpectAsync(CategoryCard);

        keys.OnKey('+');
        keys.OnKey('=');
        keys.OnKey('-');
        keys.OnKey('m');
        Assert.Equal(new PlayerAudio(105, true), rig.Engine.Audio);
        keys.OnKey('m');

        Assert.Equal(new PlayerAudio(105, false), rig.Engine.Audio);
        Assert.Equal("MUTED (volume 105 %)", BoothTerminal.Volume(new PlayerAudio(105, true)));
    }
}
