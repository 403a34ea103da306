using System.Threading.Channels;
using AmvScreening.Protocol;
using AmvScreening.Slates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using static AmvScreening.Protocol.ShowPhase;

namespace AmvScreening.Player.Show;

/// <summary>Where the show starts: a step of the running order, and for a video the position to start it at.</summary>
public sealed record ShowStart(int Step, TimeSpan Position = default);

/// <summary>
/// Runs the show: a thin loop around <see cref="ShowMachine"/>. It plays the item the state puts on screen through
/// <see cref="IMediaEngine.PlayAsync"/>, feeds what happens (the item started or ended, the projectionist's commands,
/// quit) to <see cref="ShowMachine.Apply"/>, carries out the effects on the engine and raises
/// <see cref="ScreenChanged"/>, all on the loop. Which commands apply where, and what they do, is the machine's.
/// </summary>
/// <remarks>
/// Commands wait while the item is coming and act once it is on screen, in order, up to the first that moves the show
/// on (the rest wait for the next item). <see cref="Quit"/> ends the show (phase Idle).
/// </remarks>
public sealed class ShowSequencer(
    IMediaEngine engine,
    ISlateRenderer slates,
    Rundown rundown,
    LiveInfo live,
    ShowOptions? options = null,
    TimeProvider? clock = null,
    ILogger<ShowSequencer>? logger = null)
{
    private readonly ShowOptions _options = options ?? new ShowOptions();
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly ILogger _logger = logger ?? NullLogger<ShowSequencer>.Instance;
    private readonly Channel<PlayerCommand> _commands = Channel.CreateUnbounded<PlayerCommand>(new UnboundedChannelOptions { SingleReader = true });

    // Read and written by the loop only.
    private SequencerState _state = new(0, TimeSpan.Zero, Cover.None);
    private bool _stopped; // the machine stopped the item: its end is no event, the state's next item comes
    private Task<bool>? _commandReady;
    private CancellationTokenSource? _hold;
    private OnScreen? _current;
    private readonly Lock _audioLock = new();
    private PlayerAudio _audio = PlayerAudio.Default;

    /// <summary>Raised on the show's loop after every change of what is on screen.</summary>
    public event Action<OnScreen>? ScreenChanged;

    /// <summary>Raised after the master volume changed (on the thread of the command that changed it).</summary>
    public event Action<PlayerAudio>? AudioChanged;

    /// <summary>The master volume now (the same for every item until a volume command changes it).</summary>
    public PlayerAudio Audio
    {
        get
        {
            lock (_audioLock)
            {
                return _audio;
            }
        }
    }

    public Rundown Rundown => rundown;

    /// <summary>What is on screen now (null before the first item).</summary>
    public OnScreen? Current => Volatile.Read(ref _current);

    /// <summary>Position in the item on screen.</summary>
    public TimeSpan Position => engine.Position;

    /// <summary>Queues a command; it acts once the item now starting is on screen. A volume command acts at once.</summary>
    /// <remarks>A command that is not well-formed (<see cref="PlayerCommandRules"/>), from the server or anywhere, is
    /// logged and ignored (false): nothing a command carries stops the show.</remarks>
    public bool Post(PlayerCommand? command)
    {
        if (PlayerCommandRules.Problem(command) is { } problem)
        {
            _logger.LogWarning("Command ignored: {Problem} ({Command})", problem, command);
            return false;
        }

        if (PlayerAudio.IsVolumeCommand(command!.Kind))
        {
            ChangeAudio(command.Kind);
            return true;
        }

        return _commands.Writer.TryWrite(command);
    }

    /// <summary>Sets the master volume on the engine and tells <see cref="AudioChanged"/>; a command that changes
    /// nothing (up at the top, mute when muted) is logged only.</summary>
    private void ChangeAudio(PlayerCommandKind kind)
    {
        PlayerAudio after;
        lock (_audioLock)
        {
            after = _audio.After(kind);
            if (after == _audio)
            {
                _logger.LogInformation("Command {Kind}: the volume stays at {Percent} %{Muted}", kind, after.VolumePercent, after.Muted ? " (muted)" : "");
                return;
            }

            _audio = after;
            engine.SetAudio(after); // under the lock: two commands at once reach the engine in the order they were taken
        }

        _logger.LogInformation("Volume {Percent} %{Muted}", after.VolumePercent, after.Muted ? ", muted" : "");
        AudioChanged?.Invoke(after);
    }

    /// <summary>Ends the show: the item stops, the screen is reported Idle and <see cref="RunAsync"/> returns.</summary>
    public void Quit() => _commands.Writer.TryComplete();

    /// <summary>Plays the show from <paramref name="start"/> until <see cref="Quit"/> (or <paramref name="ct"/>).</summary>
    public async Task RunAsync(ShowStart start, CancellationToken ct = default)
    {
        await using var quitOnCancel = ct.Register(Quit);
        lock (_audioLock)
        {
            engine.SetAudio(_audio);
        }

        _state = ShowMachine.Start(rundown, start);
        while (!_state.Quit)
        {
            await ShowAsync(Decide(ShowMachine.ItemOf(_state, rundown)));
        }
    }

    /// <summary>An item to put on screen. <see cref="Item"/> is null for a video without a file or a slate that could
    /// not be drawn.</summary>
    private sealed record Showing(ShowPhase Phase, MediaItem? Item, TimeSpan? Duration);

    /// <summary>What to play for the item the state puts on screen.</summary>
    private Showing Decide(ShowItem showing)
    {
        var (name, entry, category) = (rundown.ContestName, showing.Entry, showing.Category);
        return showing.Phase switch
        {
            Winner => Slate(Winner, showing.Scope is { } scope
                ? PrizegivingSlates.Prize(name, live.Results, scope) ?? new SlateData(SlateKind.Black, name)
                : new SlateData(SlateKind.Winner, name, entry!.Category, entry, Prize: live.PrizeOf(entry.Id)), _options.Winner),
            Nominees => Slate(Nominees, PrizegivingSlates.Nominees(name, category!.Name, [.. category.Entries.Select(e => e.Entry)]), _options.Winner),
            Blackout => Slate(Blackout, new SlateData(SlateKind.Black, name), _options.Hold),
            Difficulties => Slate(Difficulties, new SlateData(SlateKind.Difficulties, name, category?.Name, entry, Message: _options.DifficultiesMessage), _options.Difficulties),
            CategoryCard => Slate(CategoryCard, new SlateData(SlateKind.CategoryCard, name, category!.Name), _options.CategoryCard),
            IntroSlate => Slate(IntroSlate, new SlateData(SlateKind.Intro, name, category!.Name, entry, live.Room), _options.Intro),
            Video => new Showing(Video, showing.Finalist!.VideoFile is { } file ? new MediaItem(file, StartAt: _state.VideoAt, GainDb: Levelled(showing.Finalist)) : null, null),
            OutroSlate => Slate(OutroSlate, new SlateData(SlateKind.Outro, name, category!.Name, entry, live.Room), _options.Outro),
            Intermission => Slate(Intermission, new SlateData(SlateKind.Intermission, name, Room: live.Room, Message: _options.IntermissionMessage), _options.Intermission),
            // The end card's QR code opens the phones' page, where the results appear as they are revealed.
            _ => Slate(EndCard, new SlateData(SlateKind.End, name, Room: live.Room), _options.QuitAfterEndCard ?? _options.Hold),
        };
    }

    /// <summary>The finalist's levelling gain, said in the log as it plays.</summary>
    private double Levelled(Finalist finalist)
    {
        if (finalist.Loudness is { } m)
        {
            _logger.LogInformation("{Title}: measured {Integrated:0.0} LUFS, true peak {Peak:0.0} dBTP; plays at {Gain:+0.0;-0.0;0.0} dB",
                finalist.Entry.Title, m.IntegratedLufs, m.TruePeakDbtp, finalist.GainDb);
        }
        else
        {
            _logger.LogWarning("{Title}: no loudness measurement (run the pre-flight check); plays as it is, without levelling", finalist.Entry.Title);
        }

        return finalist.GainDb;
    }

    private Showing Slate(ShowPhase phase, SlateData slate, TimeSpan duration)
    {
        MediaItem? item = null;
        try
        {
            item = new MediaItem(slates.Render(slate), StillFor: duration);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "The {Slate} slate could not be drawn; the screen keeps what it shows for {Seconds} s", slate.Kind, duration.TotalSeconds);
        }

        return new Showing(phase, item, duration);
    }

    /// <summary>Puts the item on screen and feeds what happens to it to the machine, until it ends or is stopped.</summary>
    private async Task ShowAsync(Showing showing)
    {
        _stopped = false;
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var playing = PlayAsync(showing, () => started.TrySetResult());
        using var startWait = new CancellationTokenSource();
        var startTimeout = Task.Delay(_options.StartTimeout, _clock, startWait.Token);
        var isStarted = false;
        while (!playing.IsCompleted)
        {
            if (!isStarted)
            {
                await Task.WhenAny(playing, started.Task, startTimeout);
                if (started.Task.IsCompleted)
                {
                    isStarted = true;
                    startWait.Cancel();
                    Apply(new ShowEvent.Started(showing.Duration ?? engine.Length));
                }
                else if (startTimeout.IsCompletedSuccessfully)
                {
                    _logger.LogWarning("{Item} did not start within {Seconds} s", showing.Item?.Path, _options.StartTimeout.TotalSeconds);
                    StopItem();
                    await playing;
                    Ended(showing, new PlaybackResult(PlaybackEnd.Failed, "did not start"));
                    return;
                }
            }
            else if (_stopped)
            {
                await playing;
            }
            else
            {
                var ready = _commandReady ??= _commands.Reader.WaitToReadAsync().AsTask();
                await Task.WhenAny(playing, ready);
                if (ready.IsCompleted)
                {
                    _commandReady = null;
                    if (await ready)
                    {
                        TakeCommands();
                    }
                    else
                    {
                        Apply(new ShowEvent.Quit());
                    }
                }
            }
        }

        if (!isStarted && started.Task.IsCompleted)
        {
            Apply(new ShowEvent.Started(showing.Duration ?? engine.Length));
        }

        var result = await playing;
        if (!_stopped)
        {
            Ended(showing, result);
        }
    }

    private Task<PlaybackResult> PlayAsync(Showing showing, Action onStarted)
    {
        _hold?.Dispose();
        _hold = null;
        if (showing.Item is { } item)
        {
            return engine.PlayAsync(item, onStarted);
        }

        if (showing.Phase == Video)
        {
            return Task.FromResult(new PlaybackResult(PlaybackEnd.Failed, "no video file"));
        }

        _hold = new CancellationTokenSource();
        return HoldAsync(showing.Duration ?? TimeSpan.Zero, onStarted, _hold.Token);
    }

    /// <summary>A slate that could not be drawn: nothing new to show, its time passes all the same.</summary>
    private async Task<PlaybackResult> HoldAsync(TimeSpan duration, Action onStarted, CancellationToken stop)
    {
        onStarted();
        try
        {
            await Task.Delay(duration, _clock, stop);
            return new PlaybackResult(PlaybackEnd.Ended);
        }
        catch (OperationCanceledException)
        {
            return new PlaybackResult(PlaybackEnd.Stopped);
        }
    }

    private void StopItem()
    {
        _hold?.Cancel();
        engine.Stop();
    }

    /// <summary>Feeds the commands waiting, up to the first that stops the item (the rest wait for the next item).</summary>
    private void TakeCommands()
    {
        while (!_stopped && _commands.Reader.TryRead(out var command))
        {
            var phase = ShowMachine.PhaseOf(_state, rundown);
            _logger.LogInformation("Command {Kind} {Entry} on {Phase}", command?.Kind, command?.EntryId, phase);
            if (Apply(new ShowEvent.Command(command, engine.Position)).Ignored)
            {
                _logger.LogInformation("Command ignored: {Kind} {Entry} does not apply on {Phase}", command?.Kind, command?.EntryId, phase);
            }
        }
    }

    /// <summary>The item ended by itself, failed or was stopped by someone else than the show.</summary>
    private void Ended(Showing showing, PlaybackResult result)
    {
        var title = ShowMachine.ItemOf(_state, rundown).Entry?.Title;
        var after = Apply(new ShowEvent.Ended(result.End));
        if (showing.Phase == Video && after.State.Cover.Difficulties)
        {
            _logger.LogWarning("{Title}: the video could not play ({Error}); showing the difficulties slate", title, result.Error ?? "never on screen");
        }
        else if (result.End == PlaybackEnd.Failed)
        {
            _logger.LogWarning("The {Phase} slate could not play ({Error}); going on", showing.Phase, result.Error);
        }
    }

    /// <summary>Moves the machine on by one event and carries out its effects.</summary>
    private Transition Apply(ShowEvent e)
    {
        var transition = ShowMachine.Apply(_state, e, new ShowContext(rundown, live.Results, _clock.GetUtcNow(), _options.QuitAfterEndCard is not null));
        _state = transition.State;
        foreach (var effect in transition.Effects)
        {
            switch (effect)
            {
                case ShowEffect.StopItem:
                    _stopped = true;
                    StopItem();
                    break;
                case ShowEffect.PauseItem:
                    engine.Pause();
                    break;
                case ShowEffect.ResumeItem:
                    engine.Resume();
                    break;
                case ShowEffect.Report { Screen: var screen }:
                    Volatile.Write(ref _current, screen);
                    ScreenChanged?.Invoke(screen);
                    break;
            }
        }

        return transition;
    }
}
