using AmvScreening.Protocol;
using AmvScreening.Server.Contest;
using AmvScreening.Server.LiveShow;

namespace AmvScreening.Server.Room;

/// <summary>
/// Rotates the screen code: by hand (the coordinator), as each category's title card comes on screen, and/or every so
/// many minutes (the contest's <see cref="RoomCodeSettings"/>). Every rotation is pushed as <c>RoomChanged</c> to the
/// player (its next outro slate shows the new code), the booth and the coordinators: never to phones.
/// </summary>
public sealed class RoomRotation(
    RoomCodes codes, JoinLinks links, ContestStore contest, Broadcaster broadcaster, ILogger<RoomRotation> logger,
    TimeProvider clock)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private int? _cardCategory;

    /// <summary>The coordinator rotates the code: the old one stops at once.</summary>
    public async Task<RoomInfo> RotateByHandAsync(HttpRequest request, CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            await codes.RotateAsync(byHand: true, ct);
            var room = await links.GetAsync(request, ct);
            broadcaster.RoomChanged(room);
            return room;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The player reported a phase: a category's title card (another category than the last card's) rotates
    /// the code when the contest says so.</summary>
    public async Task OnShowChangedAsync(ShowState show, CancellationToken ct = default)
    {
        if (show.Phase != ShowPhase.CategoryCard || show.CategoryId is not { } category)
        {
            return;
        }

        await _gate.WaitAsync(ct);
        try
        {
            if (_cardCategory == category || !(await contest.GetDetailsAsync(ct)).RoomCode.RotateAtCategoryCard)
            {
                return;
            }

            _cardCategory = category;
            await RotateByItselfAsync(ct);
        }
        finally
        {
            _gate.Release();
        }

        logger.LogInformation("Screen code rotated at the title card of category {Category}", category);
    }

    /// <summary>Rotates when the screen code is older than the contest's rotation interval.</summary>
    public async Task RotateIfDueAsync(CancellationToken ct = default)
    {
        if ((await contest.GetDetailsAsync(ct)).RoomCode.RotateEveryMinutes is not { } minutes)
        {
            return;
        }

        await _gate.WaitAsync(ct);
        try
        {
            if ((await codes.GetScreenCodeAsync(ct)).CreatedAt.AddMinutes(minutes) > clock.GetUtcNow())
            {
                return;
            }

            await RotateByItselfAsync(ct);
        }
        finally
        {
            _gate.Release();
        }

        logger.LogInformation("Screen code rotated after {Minutes} minutes", minutes);
    }

    /// <summary>A new code; the old one joins for <see cref="RoomCodes.RotationGrace"/> more.</summary>
    private async Task RotateByItselfAsync(CancellationToken ct)
    {
        await codes.RotateAsync(byHand: false, ct);
        broadcaster.RoomChanged(await links.GetAsync(request: null, ct));
    }

    /// <summary>Checks every few seconds whether the screen code is due for rotation.</summary>
    public sealed class Timer(RoomRotation rotation, TimeProvider clock, ILogger<Timer> logger) : BackgroundService
    {
        public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            using var timer = new PeriodicTimer(Interval, clock);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await rotation.RotateIfDueAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "Rotating the screen code failed; trying again at the next tick");
                }
            }
        }
    }
}
