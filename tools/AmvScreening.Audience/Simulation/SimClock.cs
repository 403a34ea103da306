using System.Diagnostics;

namespace AmvScreening.Audience.Simulation;

/// <summary>
/// The simulation's time: the actors (the player, each phone) wait on it for their next step. Either real time,
/// possibly faster than life (<see cref="RealTime"/>: the server's flag rules must then be told the same scale), or
/// virtual time (<see cref="Virtual"/>) that jumps from one step to the next once every actor is waiting, moving the
/// server's own clock with it (tests give the server a clock they control).
/// </summary>
public abstract class SimClock
{
    /// <summary>Time on the simulation's timeline.</summary>
    public abstract TimeSpan Now { get; }

    /// <summary>Waits until <paramref name="at"/> on the timeline.</summary>
    public abstract Task UntilAsync(TimeSpan at, CancellationToken ct = default);

    /// <summary>Runs every actor to its end.</summary>
    public abstract Task RunAsync(IReadOnlyList<Func<Task>> actors, CancellationToken ct = default);

    /// <summary>Real time, <paramref name="scale"/> times faster than life.</summary>
    public static SimClock RealTime(double scale = 1) => new RealTimeClock(scale);

    /// <summary>Virtual time in steps of <paramref name="resolution"/>; <paramref name="advanceTo"/> sets the server's
    /// clock to the start plus the given time before the actors waiting for it go on.</summary>
    public static SimClock Virtual(Action<TimeSpan> advanceTo, TimeSpan resolution) => new VirtualClock(advanceTo, resolution);

    private sealed class RealTimeClock(double scale) : SimClock
    {
        private readonly Stopwatch _watch = new();

        public override TimeSpan Now => _watch.Elapsed * scale;

        public override async Task UntilAsync(TimeSpan at, CancellationToken ct = default)
        {
            var wait = at / scale - _watch.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, ct);
            }
        }

        public override Task RunAsync(IReadOnlyList<Func<Task>> actors, CancellationToken ct = default)
        {
            _watch.Start();
            return Task.WhenAll(actors.Select(actor => Task.Run(actor, ct)));
        }
    }

    /// <summary>Counts the actors that are busy (not waiting on the clock). When none is, time jumps to the earliest
    /// step any of them waits for, and those go on; so every request made "at" a time is answered before the time moves.</summary>
    private sealed class VirtualClock(Action<TimeSpan> advanceTo, TimeSpan resolution) : SimClock
    {
        private readonly Lock _lock = new();
        private readonly PriorityQueue<TaskCompletionSource, TimeSpan> _waiting = new();
        private TaskCompletionSource _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _busy;
        private TimeSpan _now;

        public override TimeSpan Now
        {
            get
            {
                lock (_lock)
                {
                    return _now;
                }
            }
        }

        public override Task UntilAsync(TimeSpan at, CancellationToken ct = default)
        {
            // Steps are whole multiples of the resolution, rounded up: never earlier than asked.
            at = resolution * Math.Ceiling(at / resolution);
            lock (_lock)
            {
                if (at <= _now)
                {
                    return Task.CompletedTask;
                }

                var step = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiting.Enqueue(step, at);
                Idle();
                return step.Task;
            }
        }

        public override async Task RunAsync(IReadOnlyList<Func<Task>> actors, CancellationToken ct = default)
        {
            lock (_lock)
            {
                _busy = actors.Count;
            }

            var running = actors.Select(actor => Task.Run(async () =>
            {
                try
                {
                    await actor();
                }
                finally
                {
                    lock (_lock)
                    {
                        Idle();
                    }
                }
            }, ct)).ToList();

            while (true)
            {
                Task idle;
                lock (_lock)
                {
                    idle = _busy == 0 ? Task.CompletedTask : _idle.Task;
                }

                await idle.WaitAsync(ct);
                var release = new List<TaskCompletionSource>();
                TimeSpan next;
                lock (_lock)
                {
                    if (!_waiting.TryPeek(out _, out next))
                    {
                        break;
                    }

                    while (_waiting.TryPeek(out _, out var when) && when <= next)
                    {
                        release.Add(_waiting.Dequeue());
                    }

                    _now = next;
                    _busy += release.Count;
                    _idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }

                advanceTo(next);
                release.ForEach(step => step.SetResult());
            }

            await Task.WhenAll(running);
        }

        /// <summary>One actor less is busy. Call holding the lock.</summary>
        private void Idle()
        {
            if (--_busy == 0)
            {
                _idle.TrySetResult();
            }
        }
    }
}
