using System.Diagnostics;
using AmvScreening.Player.Show;
using AmvScreening.Player.Vlc;

namespace AmvScreening.Tests.Player.Vlc;

/// <summary>The libvlc tests run one at a time: they measure real playback time.</summary>
[CollectionDefinition(Name)]
public sealed class LibVlcCollection
{
    public const string Name = "libvlc";
}

/// <summary>
/// <see cref="VlcEngine"/> on the real libvlc, headless (--vout=dummy --aout=dummy: real decoding, timing and events).
/// A machine without libvlc fails these tests with the packages to install; they never skip.
/// </summary>
[Collection(LibVlcCollection.Name)]
public sealed class VlcEngineTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private VlcEngine _engine = null!;

    public Task InitializeAsync()
    {
        _engine = new VlcEngine(new VlcEngineOptions { Headless = true });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    [Fact]
    public async Task Clip_PlaysToTheEnd_AfterCallingOnStarted_AndKnowsItsLength()
    {
        var clip = await TestMedia.ClipAsync(seconds: 2);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var playing = _engine.PlayAsync(new MediaItem(clip), onStarted: () => started.TrySetResult());
        await started.Task.WaitAsync(Bound);
        Assert.False(playing.IsCompleted);
        var result = await playing.WaitAsync(Bound);

        Assert.Equal(new PlaybackResult(PlaybackEnd.Ended), result);
        Assert.InRange(_engine.Length!.Value.TotalSeconds, 1.8, 2.2);
    }

    [Fact]
    public async Task SvgStill_ShownForOneSecond_EndsAfterAboutOneSecond()
    {
        var slate = await TestMedia.SvgAsync();
        var started = false;
        var watch = Stopwatch.StartNew();

        var result = await _engine.PlayAsync(new MediaItem(slate, StillFor: TimeSpan.FromSeconds(1)), () => started = true).WaitAsync(Bound);

        Assert.Equal(PlaybackEnd.Ended, result.End);
        Assert.True(started);
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(0.7), $"ended after {watch.Elapsed.TotalSeconds:0.00} s");
    }

    [Fact]
    public async Task PngStill_ShownForOneSecond_Ends()
    {
        var still = await TestMedia.PngAsync();

        var result = await _engine.PlayAsync(new MediaItem(still, StillFor: TimeSpan.FromSeconds(1))).WaitAsync(Bound);

        Assert.Equal(PlaybackEnd.Ended, result.End);
    }

    [Fact]
    public async Task StillForInfiniteTime_StaysUntilStopped()
    {
        var slate = await TestMedia.SvgAsync();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var showing = _engine.PlayAsync(new MediaItem(slate, StillFor: Timeout.InfiniteTimeSpan), () => started.TrySetResult());
        await started.Task.WaitAsync(Bound);

        await Task.Delay(TimeSpan.FromSeconds(1.5)); // the time it stays up: the experiment, not a synchronisation
        Assert.False(showing.IsCompleted);
        _engine.Stop();

        Assert.Equal(PlaybackEnd.Stopped, (await showing.WaitAsync(Bound)).End);
    }

    [Fact]
    public async Task SlateVideoSlate_OnOneEngine_EachEnds()
    {
        var slate = new MediaItem(await TestMedia.SvgAsync(), StillFor: TimeSpan.FromSeconds(0.5));
        var clip = new MediaItem(await TestMedia.ClipAsync(seconds: 2));

        foreach (var item in new[] { slate, clip, slate, clip })
        {
            var result = await _engine.PlayAsync(item).WaitAsync(Bound);
            Assert.True(result.End == PlaybackEnd.Ended, $"{item.Path}: {result}");
        }
    }

    [Fact]
    public async Task MissingFile_FailsAtOnce_NamingThePath()
    {
        var watch = Stopwatch.StartNew();

        var result = await _engine.PlayAsync(new MediaItem(TestMedia.Missing)).WaitAsync(Bound);

        Assert.Equal(PlaybackEnd.Failed, result.End);
        Assert.Contains(TestMedia.Missing, result.Error);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed.TotalSeconds:0.00} s");
    }

    [Fact]
    public async Task CorruptFile_Fails_NamingThePath()
    {
        // libvlc itself reports Playing then EndReached with nothing on screen; no picture means Failed.
        var corrupt = await TestMedia.CorruptAsync();

        var result = await _engine.PlayAsync(new MediaItem(corrupt)).WaitAsync(Bound);

        Assert.Equal(PlaybackEnd.Failed, result.End);
        Assert.Contains(corrupt, result.Error);
    }

    [Fact]
    public async Task SvgStillWithoutXmlDeclaration_Fails_SayingWhatLibvlcNeeds()
    {
        var slate = await TestMedia.SvgWithoutDeclarationAsync();

        var result = await _engine.PlayAsync(new MediaItem(slate, StillFor: TimeSpan.FromSeconds(1))).WaitAsync(Bound);

        Assert.Equal(PlaybackEnd.Failed, result.End);
        Assert.Contains("<?xml version=", result.Error);
    }

    [Fact]
    public async Task Stop_DuringAVideo_EndsItStopped()
    {
        var clip = await TestMedia.ClipAsync(seconds: 4);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var playing = _engine.PlayAsync(new MediaItem(clip), () => started.TrySetResult());
        await started.Task.WaitAsync(Bound);

        _engine.Stop();

        Assert.Equal(PlaybackEnd.Stopped, (await playing.WaitAsync(Bound)).End);
        Assert.Equal(TimeSpan.Zero, _engine.Position);
    }

    [Fact]
    public async Task PlayAsync_WhileAnotherPlays_EndsTheFirstStopped()
    {
        var clip = await TestMedia.ClipAsync(seconds: 4);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = _engine.PlayAsync(new MediaItem(clip), () => started.TrySetResult());
        await started.Task.WaitAsync(Bound);

        var second = _engine.PlayAsync(new MediaItem(await TestMedia.SvgAsync(), StillFor: TimeSpan.FromSeconds(0.5)));

        Assert.Equal(PlaybackEnd.Stopped, (await first.WaitAsync(Bound)).End);
        Assert.Equal(PlaybackEnd.Ended, (await second.WaitAsync(Bound)).End);
    }

    [Fact]
    public async Task PauseThenResume_HoldsThePosition_AndPlaysOnFromIt()
    {
        var clip = await TestMedia.ClipAsync(seconds: 4);
        var playing = _engine.PlayAsync(new MediaItem(clip));
        await EventuallyAsync(() => _engine.Position >= TimeSpan.FromSeconds(0.5));

        _engine.Pause();
        var last = TimeSpan.MinValue; // libvlc updates the time every 300-600 ms while playing: paused = no change in 1 s
        await EventuallyAsync(() => last == (last = _engine.Position), every: TimeSpan.FromSeconds(1));
        var paused = _engine.Position;
        await Task.Delay(TimeSpan.FromSeconds(1)); // time passing while paused: the experiment, not a synchronisation
        var stillPaused = _engine.Position;
        _engine.Resume();
        await EventuallyAsync(() => _engine.Position > stillPaused);
        var resumed = _engine.Position;

        Assert.Equal(paused, stillPaused);
        Assert.True(resumed - paused < TimeSpan.FromSeconds(1), $"paused at {paused}, resumed at {resumed}");
        Assert.False(playing.IsCompleted);
        Assert.Equal(PlaybackEnd.Ended, (await playing.WaitAsync(Bound)).End);
    }

    [Fact]
    public async Task StartAt_ThreeSecondsIntoAFourSecondClip_EndsAfterAboutOneSecond()
    {
        // From the start the clip would take 4 s; the wide gap keeps the bound safe on a loaded machine.
        var clip = await TestMedia.ClipAsync(seconds: 4);
        var watch = new Stopwatch();

        var result = await _engine.PlayAsync(new MediaItem(clip, StartAt: TimeSpan.FromSeconds(3)), watch.Start).WaitAsync(Bound);

        Assert.Equal(PlaybackEnd.Ended, result.End);
        Assert.InRange(watch.Elapsed.TotalSeconds, 0.6, 2.5);
    }

    [Fact]
    public async Task CancellingPlayAsync_StopsTheItem_AndThrows()
    {
        var clip = await TestMedia.ClipAsync(seconds: 4);
        using var cancel = new CancellationTokenSource();
        var playing = _engine.PlayAsync(new MediaItem(clip), () => cancel.Cancel(), cancel.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => playing.WaitAsync(Bound));
        Assert.Equal(TimeSpan.Zero, _engine.Position);
    }

    [Fact]
    public async Task DisposeAsync_DuringAVideo_EndsItStopped_AndMayBeRepeated()
    {
        var clip = await TestMedia.ClipAsync(seconds: 4);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var playing = _engine.PlayAsync(new MediaItem(clip), () => started.TrySetResult());
        await started.Task.WaitAsync(Bound);

        await _engine.DisposeAsync();
        await _engine.DisposeAsync();

        Assert.Equal(PlaybackEnd.Stopped, (await playing.WaitAsync(Bound)).End);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => _engine.PlayAsync(new MediaItem(clip)));
    }

    [Fact]
    public async Task Probe_OfAClip_ReadsDurationTracksSizeAndFrameRate()
    {
        var probe = await _engine.ProbeAsync(await TestMedia.ClipAsync(seconds: 2)).WaitAsync(Bound);

        Assert.Null(probe.Error);
        Assert.InRange(probe.Duration!.Value.TotalSeconds, 1.9, 2.1);
        Assert.True(probe.HasVideo);
        Assert.True(probe.HasAudio);
        Assert.Equal((640, 360), (probe.Width, probe.Height));
        Assert.Equal(25, probe.FrameRate!.Value, precision: 2);
    }

    [Fact]
    public async Task Probe_OfAVideoOnlyClip_HasNoAudio()
    {
        var probe = await _engine.ProbeAsync(await TestMedia.ClipAsync(seconds: 2, audio: false)).WaitAsync(Bound);

        Assert.Null(probe.Error);
        Assert.True(probe.HasVideo);
        Assert.False(probe.HasAudio);
    }

    [Fact]
    public async Task Probe_OfACorruptFile_GivesAnError()
    {
        var corrupt = await TestMedia.CorruptAsync();

        var probe = await _engine.ProbeAsync(corrupt).WaitAsync(Bound);

        Assert.Contains(corrupt, probe.Error);
        Assert.False(probe.HasVideo);
    }

    [Fact]
    public async Task Probe_OfAMissingFile_GivesAnError()
    {
        var probe = await _engine.ProbeAsync(TestMedia.Missing).WaitAsync(Bound);

        Assert.Equal($"File not found: {TestMedia.Missing}", probe.Error);
    }

    [Fact]
    public async Task WindowOptions_AreAcceptedByLibvlc()
    {
        // Nothing is shown (no X server here): libvlc_new must accept the options the projector uses.
        await using var engine = new VlcEngine(new VlcEngineOptions { XWindow = 0x1234, Muted = true });

        Assert.Equal(TimeSpan.Zero, engine.Position);
        Assert.Throws<ArgumentException>(() => new VlcEngine(new VlcEngineOptions { Headless = true, XWindow = 0x1234 }));
    }

    /// <summary>Waits for <paramref name="condition"/>, checking it every 20 ms (or <paramref name="every"/>), at most
    /// <see cref="Bound"/>.</summary>
    private static async Task EventuallyAsync(Func<bool> condition, TimeSpan? every = null)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > Bound)
            {
                throw new TimeoutException($"Not true within {Bound.TotalSeconds} s.");
            }

            await Task.Delay(every ?? TimeSpan.FromMilliseconds(20));
        }
    }
}
