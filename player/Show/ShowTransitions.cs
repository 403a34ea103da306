using AmvScreening.Protocol;
using static AmvScreening.Protocol.ShowPhase;

namespace AmvScreening.Player.Show;

/// <summary>
/// The legal changes of what is on screen, all in one place. The sequencer moves through <see cref="ShowPhaseMachine"/>,
/// which refuses (throws) any change not in this table, and asks it whether a command applies now.
/// </summary>
public static class ShowTransitions
{
    /// <summary>Phases that show an item of the running order (as opposed to a pause, a blackout or a winner slate
    /// laid over it).</summary>
    public static readonly IReadOnlySet<ShowPhase> RunningOrder =
        new HashSet<ShowPhase> { CategoryCard, IntroSlate, Video, OutroSlate, Intermission, Difficulties, EndCard };

    // Where the projectionist's commands lead from any item of the running order:
    // Next/Previous/Jump → a finalist's intro (Next past the last finalist → the end card); Pause; BlackoutOn; ShowWinner;
    // quit → Idle. Restart leads to the phase itself (and, from Difficulties, to the video it retries); the end card and
    // the blackout are held: shown again when their time is up.
    private static readonly ShowPhase[] Commands = [IntroSlate, EndCard, Paused, Blackout, Winner, Idle];

    private static readonly Dictionary<ShowPhase, ShowPhase[]> Table = new()
    {
        // Start: the beginning, a finalist's intro (resume), a video at a saved position (which may fail), the end.
        [Idle] = [CategoryCard, IntroSlate, Video, Difficulties, EndCard],

        // The running order, as items end by themselves (and what a failed video turns into).
        [CategoryCard] = [IntroSlate, .. Commands, CategoryCard],
        [IntroSlate] = [Video, Difficulties, .. Commands],
        [Video] = [OutroSlate, Difficulties, .. Commands, Video],
        [OutroSlate] = [CategoryCard, IntroSlate, Intermission, EndCard, .. Commands, OutroSlate],
        [Difficulties] = [CategoryCard, IntroSlate, Intermission, EndCard, .. Commands, Video, Difficulties],
        [Intermission] = [CategoryCard, IntroSlate, .. Commands, Intermission],
        [EndCard] = [.. Commands],

        // Laid over the running order. Each may also go back to the phase under it, or wherever that phase may go
        // (a paused slate skipped, a video resumed after a blackout that then fails): see IsLegal.
        [Paused] = [IntroSlate, EndCard, Blackout, Winner, Idle],
        [Blackout] = [IntroSlate, EndCard, Winner, Idle, Blackout],
        [Winner] = [IntroSlate, EndCard, Paused, Blackout, Winner, Idle],
    };

    /// <summary>Whether the screen may change from <paramref name="from"/> to <paramref name="to"/>;
    /// <paramref name="under"/> is the running-order phase under a pause, blackout or winner slate.</summary>
    public static bool IsLegal(ShowPhase from, ShowPhase under, ShowPhase to)
    {
        if (Table[from].Contains(to))
        {
            return true;
        }

        return from is Paused or Blackout or Winner && (to == under || (under != Idle && Table[under].Contains(to) && to is not (Paused or Blackout)));
    }
}

/// <summary>A change of screen that <see cref="ShowTransitions"/> does not allow: a bug in whoever asked for it.</summary>
public sealed class IllegalTransitionException(ShowPhase from, ShowPhase to)
    : InvalidOperationException($"The show cannot go from {from} to {to}.")
{
    public ShowPhase From { get; } = from;
    public ShowPhase To { get; } = to;
}

/// <summary>The phase on screen, changed only along <see cref="ShowTransitions"/>.</summary>
public sealed class ShowPhaseMachine
{
    public ShowPhase Phase { get; private set; } = Idle;

    /// <summary>The running-order phase on screen, or under the pause, blackout or winner slate.</summary>
    public ShowPhase Under { get; private set; } = Idle;

    public bool CanMoveTo(ShowPhase to) => ShowTransitions.IsLegal(Phase, Under, to);

    /// <exception cref="IllegalTransitionException">The table does not allow it.</exception>
    public void MoveTo(ShowPhase to)
    {
        if (!CanMoveTo(to))
        {
            throw new IllegalTransitionException(Phase, to);
        }

        Phase = to;
        if (to == Idle || ShowTransitions.RunningOrder.Contains(to))
        {
            Under = to;
        }
    }
}
