using AmvScreening.Protocol;
using static AmvScreening.Protocol.ShowPhase;

namespace AmvScreening.Player.Show;

/// <summary>
/// Where the show is: one immutable value, changed only by <see cref="ShowMachine.Apply"/>. What the screen shows is a
/// function of it (<see cref="ShowMachine.ItemOf"/>, <see cref="ShowMachine.PhaseOf"/>).
/// </summary>
/// <param name="Step">The running-order cursor: a step of <see cref="Rundown.Steps"/>.</param>
/// <param name="VideoAt">Where the step's video starts when it is next played (a resume, or back from a blackout or a
/// winner slate laid over it).</param>
/// <param name="Cover">What is laid over the step.</param>
/// <param name="OnAir">The item is on screen (since it started), or null while it is still coming.</param>
/// <param name="Quit">The show is over (phase <see cref="ShowPhase.Idle"/>); nothing changes it any more.</param>
public sealed record SequencerState(int Step, TimeSpan VideoAt, Cover Cover, OnAir? OnAir = null, bool Quit = false);

/// <summary>
/// What is laid over the running-order step, in layers from the bottom: the difficulties slate (instead of the step's
/// video, which could not play), the blackout, a prizegiving slate (a winner or a category's nominees). The top layer is
/// on screen; when it goes, the one under it comes back. Every combination can happen (a winner shown during a blackout
/// goes back to black).
/// </summary>
public sealed record Cover(bool Difficulties = false, bool Blackout = false, Announcement? Announcement = null)
{
    public static Cover None { get; } = new();
}

/// <summary>A prizegiving slate (docs/prizegiving.md): a winner (<see cref="ShowPhase.Winner"/>: the entry, and the
/// prize's scope; null for <see cref="PlayerCommandKind.ShowWinner"/>, which shows the entry's latest revealed prize) or
/// a category's nominees (<see cref="ShowPhase.Nominees"/>: the category of the running order).</summary>
public sealed record Announcement(ShowPhase Phase, EntrySummary? Entry, PlaylistCategory? Category, string? Scope)
{
    public static Announcement WinnerOf(EntrySummary entry, string? scope = null) => new(ShowPhase.Winner, entry, null, scope);

    public static Announcement NomineesOf(PlaylistCategory category) =>
        new(ShowPhase.Nominees, null, category, ResultsContract.Scopes.Category(category.Id));
}

/// <summary>The item is on screen: since when, for how long (null: unknown), and whether it is paused.</summary>
public sealed record OnAir(DateTimeOffset At, TimeSpan? Length, bool Paused = false);

/// <summary>What is on screen: the player's own account of it, made by the machine (<see cref="ShowEffect.Report"/>),
/// raised after every change (<see cref="ShowSequencer.ScreenChanged"/>) and sent to the server as an
/// <see cref="OnScreenReport"/>.</summary>
/// <param name="Step">The running-order step on screen, or under the pause, blackout or winner slate.</param>
/// <param name="Position">Where in the item the screen is when the change happens.</param>
/// <param name="Scope">On a prizegiving slate, what it lists or announces (<see cref="OnScreenReport.Scope"/>).</param>
public sealed record OnScreen(
    ShowPhase Phase,
    EntrySummary? Entry,
    int? CategoryId,
    string? Category,
    int Step,
    DateTimeOffset StartedAt,
    TimeSpan? Duration,
    TimeSpan Position,
    string? Scope = null);

/// <summary>What happens to the show: its item starts or ends, the projectionist gives a command, or it is quit.</summary>
public abstract record ShowEvent
{
    /// <summary>The item's picture is on screen; <paramref name="Length"/> is its length when known.</summary>
    public sealed record Started(TimeSpan? Length) : ShowEvent;

    /// <summary>The item ended by itself, failed, or was stopped by someone else than the show.</summary>
    public sealed record Ended(PlaybackEnd End) : ShowEvent;

    /// <summary>A projectionist's command (any: it may be malformed), with the engine's position at that moment.</summary>
    public sealed record Command(PlayerCommand? Given, TimeSpan Position) : ShowEvent;

    /// <summary>The show is to stop (the booth's quit, or the player shutting down).</summary>
    public sealed record Quit : ShowEvent;
}

/// <summary>What the sequencer does after a transition, in order.</summary>
public abstract record ShowEffect
{
    /// <summary>Stops the item on screen: the show has moved on; the state's item is played next, and the stopped one's
    /// end is no event.</summary>
    public sealed record StopItem : ShowEffect;

    public sealed record PauseItem : ShowEffect;

    public sealed record ResumeItem : ShowEffect;

    /// <summary>What is on screen now: raised as <see cref="ShowSequencer.ScreenChanged"/> (and reported to the server).</summary>
    public sealed record Report(OnScreen Screen) : ShowEffect;

    public static ShowEffect Stop { get; } = new StopItem();
    public static ShowEffect Pause { get; } = new PauseItem();
    public static ShowEffect Resume { get; } = new ResumeItem();
}

/// <summary>The state after an event and what the sequencer must do. <paramref name="Ignored"/>: the event does not
/// apply to the state (nothing changed, nothing to do).</summary>
public sealed record Transition(SequencerState State, IReadOnlyList<ShowEffect> Effects, bool Ignored = false);

/// <summary>What the transitions read: the running order, the results revealed so far (a winner outside this
/// player's running order), the time of the event, and whether the end card ends the show (a demo).</summary>
public sealed record ShowContext(Rundown Rundown, PublicResults Results, DateTimeOffset Now, bool QuitAfterEndCard = false)
{
    /// <summary>An entry to show as a winner: one whose win has been revealed (a category, Best In Show or an award),
    /// found among the show's finalists or in the revealed results. Null for anything else: no false winner on screen.</summary>
    public EntrySummary? FindWinner(int entryId) =>
        Results.PrizesOf(entryId).Count == 0 ? null : Rundown.FindEntry(entryId)?.Entry ?? Results.FindEntry(entryId);

    /// <summary>The prizegiving slate a command asks for, when this player can show it: the nominees of a category in its
    /// running order (with finalists), or the winner of a prize already revealed (<see cref="PublicResults.WinnerOf"/>).</summary>
    public Announcement? FindAnnouncement(PlayerCommand command) => command switch
    {
        { Kind: PlayerCommandKind.ShowNominees, Scope: var scope } when ResultsContract.Scopes.CategoryIdOf(scope) is { } id =>
            Rundown.FindCategory(id) is { Entries.Count: > 0 } category ? Announcement.NomineesOf(category) : null,
        { Kind: PlayerCommandKind.ShowPrize, Scope: { } scope } => Results.WinnerOf(scope) is { } winner ? Announcement.WinnerOf(winner, scope) : null,
        _ => null,
    };
}

/// <summary>The item a state puts on screen (under a pause): its phase, and the finalist, entry and category it
/// concerns; on a prizegiving slate, the scope it lists or announces.</summary>
public sealed record ShowItem(ShowPhase Phase, Finalist? Finalist, EntrySummary? Entry, PlaylistCategory? Category, string? Scope = null);

/// <summary>
/// The show as a state machine: <see cref="Apply"/> is every transition, a pure function of the state, the event and
/// the context. It is total: an event that does not apply (a command of an unknown kind, without its entry, for an
/// entry nobody knows, or given while nothing is on screen yet) is ignored, never an error. docs/player.md prints the
/// table of transitions rendered from this code.
/// </summary>
public static class ShowMachine
{
    /// <summary>The state the show starts in: the step (kept within the running order), a video at the position.</summary>
    public static SequencerState Start(Rundown rundown, ShowStart start) =>
        new(Math.Clamp(start.Step, 0, rundown.End), start.Position, Cover.None);

    /// <summary>What the screen shows in <paramref name="state"/>.</summary>
    public static ShowPhase PhaseOf(SequencerState state, Rundown rundown) =>
        state.OnAir is { Paused: true } ? Paused : ItemOf(state, rundown).Phase;

    /// <summary>The item <paramref name="state"/> puts on screen: the top layer of its cover, else its step.</summary>
    public static ShowItem ItemOf(SequencerState state, Rundown rundown)
    {
        if (state.Quit)
        {
            return new ShowItem(Idle, null, null, null);
        }

        if (state.Cover.Announcement is { } announced)
        {
            return new ShowItem(announced.Phase, null, announced.Entry, announced.Category, announced.Scope);
        }

        if (state.Cover.Blackout)
        {
            return new ShowItem(Blackout, null, null, null);
        }

        var step = rundown.Steps[state.Step];
        var (finalist, category) = (step.Finalist, step.Category);
        var phase = state.Cover.Difficulties ? Difficulties : step.Kind switch
        {
            StepKind.CategoryCard => CategoryCard,
            StepKind.Intro => IntroSlate,
            StepKind.Video => Video,
            StepKind.Outro => OutroSlate,
            StepKind.Intermission => Intermission,
            _ => EndCard,
        };
        return new ShowItem(phase, finalist, finalist?.Entry, category);
    }

    /// <summary>The state after <paramref name="e"/> and what the sequencer must do.</summary>
    public static Transition Apply(SequencerState state, ShowEvent? e, ShowContext context)
    {
        if (state.Quit)
        {
            return Ignore(state); // the show is over
        }

        return e switch
        {
            ShowEvent.Started started when state.OnAir is null => OnStarted(state, started.Length, context),
            ShowEvent.Ended ended => AfterEnd(state, ended.End, context),
            ShowEvent.Command { Given: { } command } given when state.OnAir is { } onAir => OnCommand(state, onAir, command, given.Position, context),
            ShowEvent.Quit => QuitShow(state, context, ShowEffect.Stop),
            _ => Ignore(state),
        };
    }

    private static Transition OnStarted(SequencerState state, TimeSpan? length, ShowContext context)
    {
        var onAir = new OnAir(context.Now, length);
        var item = ItemOf(state, context.Rundown);
        return new Transition(state with { OnAir = onAir }, [Report(state, onAir, item, item.Phase, item.Phase == Video ? state.VideoAt : TimeSpan.Zero)]);
    }

    /// <summary>The item ended by itself (or its slate was skipped): what comes next, to be played.</summary>
    private static Transition AfterEnd(SequencerState state, PlaybackEnd end, ShowContext context)
    {
        var rundown = context.Rundown;
        var phase = ItemOf(state, rundown).Phase;
        if (phase == Video && state.OnAir is null)
        {
            end = PlaybackEnd.Failed; // never reached the screen: it did not play, whatever the engine says
        }

        var next = phase switch
        {
            Winner or Nominees => state with { Cover = state.Cover with { Announcement = null } },
            EndCard when end == PlaybackEnd.Ended && context.QuitAfterEndCard => null,
            Blackout or EndCard => state, // held: shown again
            Video when end == PlaybackEnd.Failed => state with { Cover = state.Cover with { Difficulties = true } },
            Difficulties => GoTo(rundown, rundown.AfterFinalist(state.Step)),
            _ => GoTo(rundown, state.Step + 1),
        };
        return next is null ? QuitShow(state, context) : new Transition(next with { OnAir = null }, []);
    }

    private static Transition OnCommand(SequencerState state, OnAir onAir, PlayerCommand command, TimeSpan position, ShowContext context)
    {
        var rundown = context.Rundown;
        var item = ItemOf(state, rundown);
        var cover = state.Cover;
        switch (command.Kind)
        {
            case PlayerCommandKind.Pause when !onAir.Paused && item.Phase != Blackout:
                return new Transition(state with { OnAir = onAir with { Paused = true } }, [ShowEffect.Pause, Report(state, onAir, item, Paused, position)]);
            case PlayerCommandKind.Resume when onAir.Paused:
                return new Transition(state with { OnAir = onAir with { Paused = false } }, [ShowEffect.Resume, Report(state, onAir, item, item.Phase, position)]);
            case PlayerCommandKind.Next:
                return Move(GoTo(rundown, rundown.NextIntro(state.Step)));
            case PlayerCommandKind.Previous:
                return Move(GoTo(rundown, rundown.PreviousIntro(state.Step)));
            case PlayerCommandKind.JumpToEntry when command.EntryId is { } id && rundown.FindEntry(id) is { } finalist:
                return Move(GoTo(rundown, rundown.IntroOf(finalist.Index)));
            case PlayerCommandKind.Restart when item.Phase is Winner or Nominees:
                return Move(state); // the prizegiving slate again
            case PlayerCommandKind.Restart when item.Phase != Blackout:
                return Move(GoTo(rundown, state.Step)); // on the difficulties slate: the video again
            case PlayerCommandKind.SkipSlate when item.Phase is not (Video or Blackout or EndCard):
                return Move(AfterEnd(state, PlaybackEnd.Ended, context).State);
            case PlayerCommandKind.BlackoutOn when !cover.Blackout:
                return Move(Interrupted(state, item, position) with { Cover = cover with { Blackout = true, Announcement = null } });
            case PlayerCommandKind.BlackoutOff when cover.Blackout:
                var lifted = state with { Cover = cover with { Blackout = false } };
                // Under a winner slate the black is lifted unseen: the slate stays, then the item comes back.
                return item.Phase == Blackout ? Move(lifted) : new Transition(lifted, []);
            case PlayerCommandKind.ShowWinner when command.EntryId is { } id && context.FindWinner(id) is { } winner:
                return Move(Interrupted(state, item, position) with { Cover = cover with { Announcement = Announcement.WinnerOf(winner) } });
            case PlayerCommandKind.ShowNominees or PlayerCommandKind.ShowPrize when context.FindAnnouncement(command) is { } announcement:
                return Move(Interrupted(state, item, position) with { Cover = cover with { Announcement = announcement } });
            default:
                return Ignore(state);
        }
    }

    /// <summary>The cursor at a step, with nothing laid over it (navigation lifts a blackout, a winner or difficulties
    /// slate).</summary>
    private static SequencerState GoTo(Rundown rundown, int step) => new(Math.Clamp(step, 0, rundown.End), TimeSpan.Zero, Cover.None);

    /// <summary>A blackout or prizegiving slate comes over the item: a video comes back where it was.</summary>
    private static SequencerState Interrupted(SequencerState state, ShowItem item, TimeSpan position) =>
        item.Phase == Video ? state with { VideoAt = position } : state;

    /// <summary>The item on screen is stopped; <paramref name="next"/>'s item comes.</summary>
    private static Transition Move(SequencerState next) => new(next with { OnAir = null }, [ShowEffect.Stop]);

    private static Transition QuitShow(SequencerState state, ShowContext context, params ShowEffect[] first)
    {
        var idle = new OnScreen(Idle, null, null, null, state.Step, context.Now, null, TimeSpan.Zero);
        return new Transition(state with { OnAir = null, Quit = true }, [.. first, new ShowEffect.Report(idle)]);
    }

    private static Transition Ignore(SequencerState state) => new(state, [], Ignored: true);

    /// <summary>The report of <paramref name="item"/> on screen as <paramref name="phase"/>.</summary>
    private static ShowEffect Report(SequencerState state, OnAir onAir, ShowItem item, ShowPhase phase, TimeSpan position) =>
        new ShowEffect.Report(new OnScreen(
            phase, item.Entry, item.Category?.Id ?? item.Entry?.CategoryId, item.Category?.Name ?? item.Entry?.Category,
            state.Step, onAir.At, onAir.Length, position, item.Scope));
}
