using System.Threading.Channels;
using AmvScreening.Player.Slates;
using AmvScreening.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using static AmvScreening.Protocol.ShowPhase;

namespace AmvScreening.Player.Show;

/// <summary>What is on screen, raised after every change (<see cref="ShowSequencer.ScreenChanged"/>).</summary>
/// <param name="Step">The running-order step on screen, or under the pause, blackout or winner slate.</param>
/// <param name="Position">Where in the item the screen is when the change happens.</param>
public sealed record OnScreen(
    ShowPhase Phase,
    EntrySummary? Entry,
    int? CategoryId,
    string? Category,
    int Step,
    DateTimeOffset StartedAt,
    TimeSpan? Duration,
    TimeSpan Position);

/// <summary>Where the show starts: a step of the running order, and for a video the position to start it at.</summary>
public sealed record ShowStart(int Step, TimeSpan Position = default);

/// <summary>
/// Runs the show: one loop plays the running order item by item through <see cref="IMediaEngine.PlayAsync"/>, and
/// between awaits takes the projectionist's commands from a channel. Every change of screen goes through
/// <see cref="ShowPhaseMachine"/> (illegal ones throw) and is raised as <see cref="ScreenChanged"/>, on the loop.
/// </summary>
/// <remarks>
/// Commands (each acts on what is on screen; one that does not apply there is ignored):
/// Pause/Resume pause the item in place. Next goes to the next finalist's intro slate (from a card: the intro it leads
/// to; after the last finalist: the end card), Previous to the previous finalist's intro (the first finalist's own at the
/// start), JumpToEntry to that finalist's intro; Restart plays the item again from its start (on the difficulties slate:
/// tries the video again); SkipSlate ends the slate now; BlackoutOn stops the item, remembers it (a video with its
/// position) and holds a black slate until BlackoutOff brings the item back; ShowWinner shows the entry's winner slate
/// (only for a win already revealed, <see cref="PublicResults.PrizesOf"/>), then goes back to what was on. Navigation
/// lifts a blackout. <see cref="Quit"/> ends the show (phase Idle). A command that is not well-formed, or names an entry
/// the show cannot use, is logged and ignored; so is one whose handling fails: nothing a command carries stops the show.
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
    private readonly ShowPhaseMachine _machine = new();

    // Where the show is; read and written by the loop only.
    private int _step;
    private TimeSpan _startAt;
    private bool _failed;
    private bool _blackout;
    /// <summary>The winner slate to show (the entry and its revealed prize), or null.</summary>
    private (EntrySummary Entry, string Prize)? _winner;
    private bool _quit;
    private Task<bool>? _commandReady;
    private CancellationTokenSource? _hold;
    private OnScreen? _current;

    /// <summary>Raised on the show's loop after every change of what is on screen.</summary>
    public event Action<OnScreen>? ScreenChanged;

    public Rundown Rundown => rundown;

    /// <summary>What is on screen now (null before the first item).</summary>
    public OnScreen? Current => Volatile.Read(ref _current);

    /// <summary>Position in the item on screen.</summary>
    public TimeSpan Position => engine.Position;

    /// <summary>Queues a command; it acts once the item now starting is on screen. A command that is not well-formed
    /// (<see cref="PlayerCommandRules"/>), from the server or anywhere, is logged and ignored: false.</summary>
    public bool Post(PlayerCommand? command)
    {
        if (PlayerCommandRules.Problem(command) is { } problem)
        {
            _logger.LogWarning("Command ignored: {Problem} ({Command})", problem, command);
            return false;
        }

        return _commands.Writer.TryWrite(command!);
    }

    /// <summary>Ends the show: the item stops, the screen is reported Idle and <see cref="RunAsync"/> returns.</summary>
    public void Quit() => _commands.Writer.TryComplete();

    /// <summary>Plays the show from <paramref name="start"/> until <see cref="Quit"/> (or <paramref name="ct"/>).</summary>
    public async Task RunAsync(ShowStart start, CancellationToken ct = default)
    {
        await using var quitOnCancel = ct.Register(Quit);
        Go(start.Step, start.Position);
        while (!_quit)
        {
            var showing = Decide();
            if (await ShowAsync(showing) is { } result)
            {
                AfterEnd(showing, result);
            }
        }

        if (_machine.Phase != Idle)
        {
            Change(Idle, new Showing(Idle, null, null, null, null) { StartedAt = _clock.GetUtcNow() }, TimeSpan.Zero);
        }
    }

    /// <summary>An item to put on screen. <see cref="Item"/> is null for a video without a file or a slate that could
    /// not be drawn.</summary>
    private sealed record Showing(ShowPhase Phase, MediaItem? Item, EntrySummary? Entry, PlaylistCategory? Category, TimeSpan? Duration)
    {
        public DateTimeOffset StartedAt { get; init; }
    }

    /// <summary>What the cursor puts on screen now.</summary>
    private Showing Decide()
    {
        var name = rundown.ContestName;
        if (_winner is { } shown)
        {
            return Slate(Winner, new SlateData(SlateKind.Winner, name, shown.Entry.Category, shown.Entry, Prize: shown.Prize), _options.Winner, shown.Entry, null);
        }

        if (_blackout)
        {
            return Slate(Blackout, new SlateData(SlateKind.Black, name), _options.Hold, null, null);
        }

        var step = rundown.Steps[_step];
        var (entry, category) = (step.Finalist?.Entry, step.Category);
        if (_failed)
        {
            return Slate(Difficulties, new SlateData(SlateKind.Difficulties, name, category?.Name, entry, Message: _options.DifficultiesMessage),
                _options.Difficulties, entry, category);
        }

        return step.Kind switch
        {
            StepKind.CategoryCard => Slate(CategoryCard, new SlateData(SlateKind.CategoryCard, name, category!.Name), _options.CategoryCard, null, category),
            StepKind.Intro => Slate(IntroSlate, new SlateData(SlateKind.Intro, name, category!.Name, entry, live.Room), _options.Intro, entry, category),
            StepKind.Video => new Showing(Video, step.Finalist!.VideoFile is { } file ? new MediaItem(file, StartAt: _startAt) : null, entry, category, null),
            StepKind.Outro => Slate(OutroSlate, new SlateData(SlateKind.Outro, name, category!.Name, entry, live.Room), _options.Outro, entry, category),
            StepKind.Intermission => Slate(Intermission, new SlateData(SlateKind.Intermission, name, Message: _options.IntermissionMessage), _options.Intermission, null, null),
            _ => Slate(EndCard, new SlateData(SlateKind.End, name), _options.QuitAfterEndCard ?? _options.Hold, null, null),
        };
    }

    private Showing Slate(ShowPhase phase, SlateData slate, TimeSpan duration, EntrySummary? entry, PlaylistCategory? category)
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

        return new Showing(phase, item, entry, category, duration);
    }

    /// <summary>Puts the item on screen and takes commands while it is there. Returns how it ended, or null when a
    /// command moved the show on.</summary>
    private async Task<PlaybackResult?> ShowAsync(Showing showing)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var playing = PlayAsync(showing, () => started.TrySetResult());
        using var startWait = new CancellationTokenSource();
        var startTimeout = Task.Delay(_options.StartTimeout, _clock, startWait.Token);
        var isStarted = false;
        var moved = false;
        while (!playing.IsCompleted)
        {
            if (!isStarted)
            {
                await Task.WhenAny(playing, started.Task, startTimeout);
                if (started.Task.IsCompleted)
                {
                    isStarted = true;
                    startWait.Cancel();
                    showing = Started(showing);
                }
                else if (startTimeout.IsCompletedSuccessfully)
                {
                    _logger.LogWarning("{Item} did not start within {Seconds} s", showing.Item?.Path, _options.StartTimeout.TotalSeconds);
                    StopItem();
                    await playing;
                    return new PlaybackResult(PlaybackEnd.Failed, "did not start");
                }
            }
            else if (moved)
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
                    moved = await ready ? HandleCommands(showing) : QuitNow();
                }
            }
        }

        if (!isStarted && started.Task.IsCompleted)
        {
            Started(showing);
            isStarted = true;
        }

        var result = await playing;
        if (moved)
        {
            return null;
        }

        // A video that never reached the screen did not play, whatever the engine says: voting must not open on it.
        return showing.Phase == Video && !isStarted ? result with { End = PlaybackEnd.Failed } : result;
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

    private Showing Started(Showing showing)
    {
        showing = showing with { StartedAt = _clock.GetUtcNow(), Duration = showing.Duration ?? engine.Length };
        Change(showing.Phase, showing, showing.Item?.StartAt ?? TimeSpan.Zero);
        return showing;
    }

    private bool QuitNow()
    {
        _quit = true;
        StopItem();
        return true;
    }

    /// <summary>Handles the commands waiting, up to the first that moves the show on (the item is then stopped; the
    /// rest wait for the next item).</summary>
    private bool HandleCommands(Showing showing)
    {
        while (_commands.Reader.TryRead(out var command))
        {
            bool moved;
            try
            {
                moved = Handle(command, showing);
            }
            catch (Exception e)
            {
                // A command the show cannot carry out must not stop it: what is on screen stays.
                _logger.LogError(e, "Command ignored: {Kind} failed on {Phase}", command.Kind, _machine.Phase);
                continue;
            }

            if (moved)
            {
                StopItem();
                return true;
            }
        }

        return false;
    }

    /// <summary>Acts on one command; true when the show moves on from the item on screen.</summary>
    private bool Handle(PlayerCommand command, Showing showing)
    {
        _logger.LogInformation("Command {Kind} {Entry} on {Phase}", command.Kind, command.EntryId, _machine.Phase);
        switch (command.Kind)
        {
            case PlayerCommandKind.Pause when _machine.CanMoveTo(Paused):
                engine.Pause();
                Change(Paused, showing, engine.Position);
                return false;
            case PlayerCommandKind.Resume when _machine.Phase == Paused:
                engine.Resume();
                Change(showing.Phase, showing, engine.Position);
                return false;
            case PlayerCommandKind.Next:
                Go(rundown.NextIntro(_step));
                return true;
            case PlayerCommandKind.Previous:
                Go(rundown.PreviousIntro(_step));
                return true;
            case PlayerCommandKind.JumpToEntry when rundown.FindEntry(command.EntryId!.Value) is { } finalist:
                Go(rundown.IntroOf(finalist.Index));
                return true;
            case PlayerCommandKind.JumpToEntry:
                _logger.LogWarning("Command ignored: jumpToEntry {Entry} is not a finalist in this running order", command.EntryId);
                return false;
            case PlayerCommandKind.Restart when showing.Phase != Blackout:
                if (showing.Phase != Winner)
                {
                    Go(_step);
                }

                return true;
            case PlayerCommandKind.SkipSlate when showing.Phase is not (Video or Blackout or EndCard):
                AfterEnd(showing, new PlaybackResult(PlaybackEnd.Ended));
                return true;
            case PlayerCommandKind.BlackoutOn when !_blackout:
                Interrupt(showing);
                _blackout = true;
                _winner = null;
                return true;
            case PlayerCommandKind.BlackoutOff when _blackout:
                _blackout = false;
                return showing.Phase == Blackout;
            case PlayerCommandKind.ShowWinner when live.PrizeOf(command.EntryId!.Value) is { } prize
                && (rundown.FindEntry(command.EntryId.Value)?.Entry ?? live.FindEntry(command.EntryId.Value)) is { } winner:
                Interrupt(showing);
                _winner = (winner, prize);
                return true;
            case PlayerCommandKind.ShowWinner:
                _logger.LogWarning("Command ignored: showWinner {Entry}, which has won nothing revealed", command.EntryId);
                return false;
            default:
                _logger.LogInformation("Command {Kind} does not apply on {Phase}: ignored", command.Kind, _machine.Phase);
                return false;
        }
    }

    /// <summary>A blackout or winner slate is coming over the item: a video comes back where it was.</summary>
    private void Interrupt(Showing showing)
    {
        if (showing.Phase == Video)
        {
            _startAt = engine.Position;
        }
    }

    /// <summary>The item ended by itself (or its slate was skipped): what comes next.</summary>
    private void AfterEnd(Showing showing, PlaybackResult result)
    {
        switch (showing.Phase)
        {
            case Winner:
                _winner = null;
                break;
            case EndCard when _options.QuitAfterEndCard is not null && result.End == PlaybackEnd.Ended:
                _quit = true;
                break;
            case Blackout or EndCard:
                break; // held: shown again
            case Video when result.End == PlaybackEnd.Failed:
                _logger.LogWarning("{Title}: the video could not play ({Error}); showing the difficulties slate", showing.Entry?.Title, result.Error);
                _failed = true;
                break;
            case Difficulties:
                Go(rundown.AfterFinalist(_step));
                break;
            default:
                if (result.End == PlaybackEnd.Failed)
                {
                    _logger.LogWarning("The {Phase} slate could not play ({Error}); going on", showing.Phase, result.Error);
                }

                Go(_step + 1);
                break;
        }
    }

    /// <summary>Moves the cursor to a step of the running order, leaving any blackout, winner slate or difficulties.</summary>
    private void Go(int step, TimeSpan position = default)
    {
        (_step, _startAt, _failed, _blackout, _winner) = (step, position, false, false, null);
    }

    private void Change(ShowPhase phase, Showing showing, TimeSpan position)
    {
        _machine.MoveTo(phase);
        var screen = new OnScreen(
            phase, showing.Entry, showing.Category?.Id ?? showing.Entry?.CategoryId, showing.Category?.Name ?? showing.Entry?.Category,
            _step, showing.StartedAt, showing.Duration, position);
        Volatile.Write(ref _current, screen);
        ScreenChanged?.Invoke(screen);
    }
}
