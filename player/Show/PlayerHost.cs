using AmvScreening.Protocol;
using AmvScreening.Slates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AmvScreening.Player.Show;

/// <summary>The player's settings (from the command line, <c>run</c>).</summary>
public sealed record PlayerSettings
{
    public required Uri Server { get; init; }
    public required string ApiKey { get; init; }
    /// <summary>What relative video paths are relative to.</summary>
    public string MediaFolder { get; init; } = Directory.GetCurrentDirectory();
    /// <summary>Where the player keeps its saved state and the last playlist it read.</summary>
    public string StateFolder { get; init; } = DefaultStateFolder;
    /// <summary>For the engine: no window (libvlc's dummy video output).</summary>
    public bool Headless { get; init; }
    /// <summary>For the engine: a window instead of fullscreen.</summary>
    public bool Windowed { get; init; }
    /// <summary>For the engine: which display (0 = the first).</summary>
    public int Display { get; init; }
    /// <summary>For the engine: record the show's sound to this WAV file instead of playing it on a sound card.</summary>
    public string? AudioOut { get; init; }
    /// <summary>For the slates: a folder of templates to use instead of the built-in ones.</summary>
    public string? TemplatesFolder { get; init; }
    /// <summary>Start where the show was (the saved state, else the server's) instead of at the beginning.</summary>
    public bool Resume { get; init; }
    /// <summary>With <see cref="Resume"/>: go back into the video at its saved position rather than to its intro slate.</summary>
    public bool ResumePosition { get; init; }
    public ShowOptions Show { get; init; } = new();
    public RundownOptions Rundown { get; init; } = new();
    /// <summary>Waits between attempts to reach the server (the hub connection and the first read of the playlist).</summary>
    public ReconnectPolicy Retry { get; init; } = new();

    public static string DefaultStateFolder { get; } =
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "AmvScreening", "player");
}

/// <summary>
/// Puts the player together around an engine and a slate renderer: reads the playlist, decides where to start, runs
/// the sequencer with the server link, saves the state after each change (and every 2 s of video), and compares the
/// files with what their pre-flight check saw (<see cref="CheckedFiles"/>).
/// </summary>
public sealed class PlayerHost(PlayerSettings settings, IMediaEngine engine, ISlateRenderer slates, ILoggerFactory? logs = null, TimeProvider? clock = null)
{
    private static readonly TimeSpan SavePeriod = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan FlushBound = TimeSpan.FromSeconds(3);

    private readonly ILoggerFactory _logs = logs ?? NullLoggerFactory.Instance;
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _saveLock = new();
    private TimeSpan _videoPosition;

    /// <summary>Completes when the show is about to start (<see cref="Sequencer"/> and <see cref="Reporter"/> are set).</summary>
    public Task Ready => _ready.Task;

    public ShowSequencer? Sequencer { get; private set; }

    public ShowReporter? Reporter { get; private set; }

    /// <summary>Whether each finalist's file is still the one its pre-flight check saw (compared in the background).</summary>
    public CheckedFiles? Checked { get; private set; }

    /// <summary>What the server tells the running show (room, results, voters online).</summary>
    public LiveInfo? Live { get; private set; }

    /// <summary>Runs the show until it is quit (<see cref="ShowSequencer.Quit"/>) or <paramref name="ct"/> is cancelled.</summary>
    /// <exception cref="PlayerApiKeyException">The server refused the API key.</exception>
    public async Task RunAsync(CancellationToken ct = default)
    {
        var logger = _logs.CreateLogger<PlayerHost>();
        using var api = new PlayerApi(settings.Server, settings.ApiKey);
        var store = new PlayerStateStore(settings.StateFolder);
        var show = await LoadShowAsync(api, store, logger, ct);
        var rundown = Rundown.Build(show, settings.Rundown, settings.MediaFolder);
        var saved = store.LoadState();
        var server = await TryGetShowStateAsync(api, logger, ct);
        var start = StartOf(rundown, saved, server);
        logger.LogInformation("{Contest}: {Finalists} finalists; starting at step {Step} ({Position})", rundown.ContestName, rundown.Finalists.Count, start.Step, start.Position);

        var live = Live = new LiveInfo(show.Room);
        var sequencer = new ShowSequencer(engine, slates, rundown, live, settings.Show, _clock, _logs.CreateLogger<ShowSequencer>());
        await using var reporter = new ShowReporter(
            api, settings.ApiKey, live, command => sequencer.Post(command),
            () => sequencer.Current, () => sequencer.Position,
            Math.Max(saved?.Sequence ?? 0, server?.Sequence ?? 0), settings.Retry, _clock, _logs, () => sequencer.Audio);
        sequencer.AudioChanged += _ => reporter.ReportAudioChanged();
        sequencer.ScreenChanged += screen =>
        {
            var report = reporter.Report(screen);
            lock (_saveLock)
            {
                Save(store, rundown, screen, report.Sequence, screen.Position);
            }
        };

        using var stopLink = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var link = reporter.RunAsync(stopLink.Token);
        var saving = SaveVideoPositionAsync(store, rundown, sequencer, reporter, stopLink.Token);
        var files = Checked = CheckedFiles.Start(show, rundown, _logs.CreateLogger<CheckedFiles>(), stopLink.Token, api.PostChangedFilesAsync);
        (Sequencer, Reporter) = (sequencer, reporter);
        _ready.TrySetResult();
        try
        {
            await sequencer.RunAsync(start, ct);
            using var flush = new CancellationTokenSource(FlushBound);
            await reporter.FlushAsync(flush.Token);
        }
        finally
        {
            await stopLink.CancelAsync();
            await Task.WhenAll(link, saving, files.Completion);
        }
    }

    /// <summary>Where the show starts: the beginning, or with --resume the saved finalist's intro (or its video at the
    /// saved position), else the finalist the server last heard of.</summary>
    private ShowStart StartOf(Rundown rundown, PlayerState? saved, ShowState? server)
    {
        if (!settings.Resume)
        {
            return new ShowStart(0);
        }

        int index;
        bool inVideo;
        TimeSpan position;
        if (saved is not null)
        {
            index = saved.EntryId is { } id && rundown.FindEntry(id) is { } finalist ? finalist.Index : Math.Clamp(saved.FinalistIndex, 0, rundown.Finalists.Count);
            (inVideo, position) = (saved.InVideo, TimeSpan.FromSeconds(saved.PositionSeconds));
        }
        else if (server is not null)
        {
            index = server switch
            {
                { Phase: ShowPhase.EndCard } => rundown.Finalists.Count,
                { Entry: { } entry } when rundown.FindEntry(entry.Id) is { } finalist => finalist.Index,
                { CategoryId: { } category } => rundown.Finalists.FirstOrDefault(f => f.Entry.CategoryId == category)?.Index ?? 0,
                _ => 0,
            };
            (inVideo, position) = (server.Phase == ShowPhase.Video, TimeSpan.FromSeconds(server.PositionSeconds));
        }
        else
        {
            return new ShowStart(0);
        }

        return settings.ResumePosition && inVideo && index < rundown.Finalists.Count
            ? new ShowStart(rundown.VideoOf(index), position)
            : new ShowStart(rundown.IntroOf(index));
    }

    /// <summary>Saves the state for <paramref name="screen"/> (the caller holds the save lock).</summary>
    private void Save(PlayerStateStore store, Rundown rundown, OnScreen screen, long sequence, TimeSpan position)
    {
        var inVideo = rundown.Steps[screen.Step].Kind == StepKind.Video;
        if (screen.Phase is ShowPhase.Video or ShowPhase.Paused && inVideo)
        {
            _videoPosition = position;
        }

        var index = rundown.UpcomingFinalist(screen.Step);
        var entryId = index < rundown.Finalists.Count ? rundown.Finalists[index].Entry.Id : (int?)null;
        try
        {
            store.SaveState(new PlayerState(
                sequence, index, entryId, screen.Phase, inVideo, inVideo ? _videoPosition.TotalSeconds : 0, _clock.GetUtcNow()));
        }
        catch (IOException e)
        {
            _logs.CreateLogger<PlayerHost>().LogError("Could not save the player's state in {Folder}: {Error}", store.Folder, e.Message);
        }
    }

    /// <summary>While a video plays, its position is saved every 2 s, for --resume-position after a crash.</summary>
    private async Task SaveVideoPositionAsync(PlayerStateStore store, Rundown rundown, ShowSequencer sequencer, ShowReporter reporter, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(SavePeriod, _clock);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                lock (_saveLock)
                {
                    if (sequencer.Current is { Phase: ShowPhase.Video } screen && reporter.Latest is { } latest)
                    {
                        Save(store, rundown, screen, latest.Sequence, sequencer.Position);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>The playlist from the server, kept in the state folder; when the server cannot be reached, the kept one
    /// (or, without one, the server again until it answers).</summary>
    private async Task<PlayerShow> LoadShowAsync(PlayerApi api, PlayerStateStore store, ILogger logger, CancellationToken ct)
    {
        for (var failed = 1L; ; failed++)
        {
            try
            {
                var show = await api.GetShowAsync(ct);
                store.SaveShow(show);
                return show;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                if (store.LoadShow() is { } kept)
                {
                    logger.LogWarning("Cannot reach the server at {Server} ({Error}): using the playlist kept in {Path}", api.Server, e.Message, store.ShowPath);
                    return kept;
                }

                var delay = settings.Retry.Delay(failed);
                logger.LogWarning("Cannot reach the server at {Server} ({Error}) and no playlist is kept; trying again in {Seconds} s", api.Server, e.Message, delay.TotalSeconds);
                await Task.Delay(delay, _clock, ct);
            }
        }
    }

    private static async Task<ShowState?> TryGetShowStateAsync(PlayerApi api, ILogger logger, CancellationToken ct)
    {
        try
        {
            return await api.GetShowStateAsync(ct);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            logger.LogWarning("Cannot read the show state from the server: {Error}", e.Message);
            return null;
        }
    }
}
