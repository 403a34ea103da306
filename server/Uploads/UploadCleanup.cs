namespace AmvScreening.Server.Uploads;

/// <summary>Deletes abandoned uploads (and their bytes) at start and every <see cref="Every"/>: see
/// <see cref="EntryUploads.DeleteExpiredAsync"/>.</summary>
public sealed class UploadCleanup(EntryUploads uploads, TimeProvider clock, ILogger<UploadCleanup> logger) : BackgroundService
{
    public static readonly TimeSpan Every = TimeSpan.FromMinutes(10);

    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the next sweep to start has ended.</summary>
    public Task NextSweepAsync() => Volatile.Read(ref _next).Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every, clock);
        do
        {
            var sweep = Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            try
            {
                var (expired, stray) = await uploads.DeleteExpiredAsync(stoppingToken);
                if (expired + stray > 0)
                {
                    logger.LogInformation("Deleted {Expired} expired uploads and {Stray} stray upload files", expired, stray);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Could not delete the expired uploads; trying again in {Minutes} minutes", Every.TotalMinutes);
            }
            finally
            {
                sweep.TrySetResult();
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
