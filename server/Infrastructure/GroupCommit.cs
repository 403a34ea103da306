using System.Threading.Channels;

namespace AmvScreening.Server.Infrastructure;

/// <summary>
/// One writer for items that arrive together (group commit). Callers queue an item and wait for its result; the writer
/// takes everything queued and commits it in one transaction, so the cost of a commit (a disk sync, the database's
/// write lock) is shared by all the items that arrived meanwhile instead of queueing them one by one.
/// </summary>
public abstract class GroupCommit<TItem, TResult>(ILogger logger, int maxBatch = 1024, int capacity = 50_000) : BackgroundService
{
    private readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(
        new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    /// <summary>The most items committed in one transaction.</summary>
    public int MaxBatch => maxBatch;

    /// <summary>Raised after each committed batch.</summary>
    public event Action? Committed;

    /// <summary>Queues <paramref name="item"/> and returns its result once its batch is committed. The item is committed
    /// whatever happens to the caller: <paramref name="ct"/> only stops the wait for room in the queue.</summary>
    public async Task<TResult> SubmitAsync(TItem item, CancellationToken ct = default)
    {
        var pending = new Pending(item, new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        await _queue.Writer.WriteAsync(pending, ct);
        return await pending.Done.Task;
    }

    /// <summary>Commits a batch in one transaction; returns each item's result, in order.</summary>
    protected abstract Task<TResult[]> CommitAsync(IReadOnlyList<TItem> batch, CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>(maxBatch);
        while (await _queue.Reader.WaitToReadAsync(stoppingToken))
        {
            while (batch.Count < maxBatch && _queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            try
            {
                var results = await CommitAsync(batch.Select(p => p.Item).ToList(), stoppingToken);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Done.TrySetResult(results[i]);
                }

                Committed?.Invoke();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                if (StorageFull.Is(e))
                {
                    logger.LogWarning("A batch of {Count} {Item} was refused: the disk is full (the phones keep them and retry)", batch.Count, typeof(TItem).Name);
                }
                else
                {
                    logger.LogError(e, "A batch of {Count} {Item} failed to commit", batch.Count, typeof(TItem).Name);
                }

                batch.ForEach(p => p.Done.TrySetException(e));
            }

            batch.Clear();
        }
    }

    private sealed record Pending(TItem Item, TaskCompletionSource<TResult> Done);
}
