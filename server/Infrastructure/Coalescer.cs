namespace AmvScreening.Server.Infrastructure;

/// <summary>
/// Runs an action after a signal, at most once per interval: the first signal after a quiet interval runs it at once,
/// signals that come while it waits or runs fold into one more run when the interval is over. Nothing runs, and no
/// timer is set, while no signal is pending.
/// </summary>
public sealed class Coalescer(TimeSpan interval, TimeProvider clock, Func<CancellationToken, Task> action, ILogger logger) : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stopping = new();
    private bool _pending;
    private DateTimeOffset? _lastRun;
    private Task? _pump;

    /// <summary>The runs in progress (and the ones they owe); a completed task when idle.</summary>
    internal Task Pumping
    {
        get
        {
            lock (_lock)
            {
                return _pump ?? Task.CompletedTask;
            }
        }
    }

    public void Signal()
    {
        lock (_lock)
        {
            _pending = true;
            if (_pump is null && !_stopping.IsCancellationRequested)
            {
                _pump = Task.Run(PumpAsync);
            }
        }
    }

    private async Task PumpAsync()
    {
        while (true)
        {
            TimeSpan wait;
            lock (_lock)
            {
                if (!_pending || _stopping.IsCancellationRequested)
                {
                    _pump = null;
                    return;
                }

                wait = _lastRun is { } last ? last + interval - clock.GetUtcNow() : TimeSpan.Zero;
            }

            try
            {
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, clock, _stopping.Token);
                }

                lock (_lock)
                {
                    _pending = false;
                    _lastRun = clock.GetUtcNow();
                }

                await action(_stopping.Token);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                logger.LogError(e, "A coalesced run failed");
            }
        }
    }

    /// <summary>Drops a run still waiting, waits for one in progress. May be called more than once; signals after it do nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        Task pumping;
        lock (_lock)
        {
            // Never disposed: a host may stop a service twice, and a token source without timers holds nothing to free.
            _stopping.Cancel();
            pumping = _pump ?? Task.CompletedTask;
        }

        await pumping;
    }
}
