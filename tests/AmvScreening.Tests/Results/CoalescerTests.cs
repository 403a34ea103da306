using System.Threading.Channels;
using AmvScreening.Server.Infrastructure;
using AmvScreening.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace AmvScreening.Tests.Results;

/// <summary>The tally push to coordinators goes through a <see cref="Coalescer"/> at most every 500 ms.</summary>
[Trait("Kind", "Unit")]
public sealed class CoalescerTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    private readonly ManualClock _clock = new();
    private readonly Channel<DateTimeOffset> _runs = Channel.CreateUnbounded<DateTimeOffset>();

    private Coalescer Create(Func<Task>? before = null) => new(Interval, _clock, async _ =>
    {
        _runs.Writer.TryWrite(_clock.GetUtcNow());
        await (before?.Invoke() ?? Task.CompletedTask);
    }, NullLogger.Instance);

    private async Task<DateTimeOffset> NextRunAsync() => await _runs.Reader.ReadAsync().AsTask().WaitAsync(Bound);

    [Fact]
    public async Task FirstSignal_RunsAtOnce_AndLeavesNoTimerBehind()
    {
        await using var coalescer = Create();
        var start = _clock.GetUtcNow();

        coalescer.Signal();

        Assert.Equal(start, await NextRunAsync());
        await coalescer.Pumping.WaitAsync(Bound);
        Assert.Equal(0, _clock.ActiveTimers);
        Assert.False(_runs.Reader.TryRead(out _));
    }

    [Fact]
    public async Task SignalsWithinTheInterval_FoldIntoOneRun_WhenTheIntervalIsOver()
    {
        await using var coalescer = Create();
        var start = _clock.GetUtcNow();
        coalescer.Signal();
        await NextRunAsync();

        for (var i = 0; i < 50; i++)
        {
            coalescer.Signal();
        }

        await _clock.WhenTimerSetAsync().WaitAsync(Bound);
        _clock.Advance(Interval - TimeSpan.FromMilliseconds(1));
        Assert.False(_runs.Reader.TryRead(out _));

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(start + Interval, await NextRunAsync());
        await coalescer.Pumping.WaitAsync(Bound);
        Assert.False(_runs.Reader.TryRead(out _));
        Assert.Equal(0, _clock.ActiveTimers);
    }

    [Fact]
    public async Task ASignalDuringARun_GetsARunOfItsOwn_AfterTheInterval()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var coalescer = Create(() => release.Task);
        var start = _clock.GetUtcNow();
        coalescer.Signal();
        await NextRunAsync();

        coalescer.Signal(); // while the first run is still going
        release.SetResult();
        await _clock.WhenTimerSetAsync().WaitAsync(Bound);
        _clock.Advance(Interval);

        Assert.Equal(start + Interval, await NextRunAsync());
    }

    [Fact]
    public async Task AFailedRun_DoesNotStopLaterOnes()
    {
        var fail = true;
        await using var coalescer = new Coalescer(Interval, _clock, _ =>
        {
            _runs.Writer.TryWrite(_clock.GetUtcNow());
            return fail ? throw new InvalidOperationException("push failed") : Task.CompletedTask;
        }, NullLogger.Instance);

        coalescer.Signal();
        await NextRunAsync();
        await coalescer.Pumping.WaitAsync(Bound);
        fail = false;

        _clock.Advance(Interval);
        coalescer.Signal();
        await NextRunAsync();
    }

    [Fact]
    public async Task Dispose_DropsAWaitingRun()
    {
        var coalescer = Create();
        coalescer.Signal();
        await NextRunAsync();
        coalescer.Signal();
        await _clock.WhenTimerSetAsync().WaitAsync(Bound);

        await coalescer.DisposeAsync().AsTask().WaitAsync(Bound);
        _clock.Advance(Interval);

        Assert.False(_runs.Reader.TryRead(out _));
        Assert.Equal(0, _clock.ActiveTimers);
    }
}
