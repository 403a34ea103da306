using System.Text;
using System.Text.Json;
using AmvScreening.Player.Show;
using AmvScreening.Protocol;

namespace AmvScreening.Tests.Player;

/// <summary>
/// A state of each kind and each event, over a small show, and the Markdown table of what <see cref="ShowMachine.Apply"/>
/// does with them: docs/player.md prints it (<see cref="ShowMachineTests"/> keeps the two the same).
/// </summary>
/// <remarks>The show: Category 1 with finalists #1 and #2, the intermission, Category 2 with finalist #3 (entry ids are
/// the finalists' numbers), with category cards.</remarks>
public static class ShowMachineTable
{
    public static readonly Rundown Example = Rundown.Build(ShowRig.Playlist(2, 1), new RundownOptions(IntermissionAfter: 1), ShowRig.Media);

    /// <summary>When the item on screen appeared; events happen at <see cref="Now"/>.</summary>
    public static readonly DateTimeOffset Then = new(2026, 11, 28, 20, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset Now = Then.AddSeconds(10);

    /// <summary>Where the engine is when a command comes.</summary>
    public static readonly TimeSpan Position = TimeSpan.FromSeconds(5);

    /// <summary>Where the video under a blackout or winner slate was when it was covered.</summary>
    public static readonly TimeSpan Covered = TimeSpan.FromSeconds(83);

    /// <summary>The context of every example: finalist #3 has won its category (revealed), #1 and #2 nothing yet.</summary>
    public static ShowContext Context { get; } = new(Example, new PublicResults([new RevealedCategory(102, "Category 2", Entry(3), Then)], null, null), Now);

    public static EntrySummary Entry(int number) => Example.Finalists[number - 1].Entry;

    /// <summary>Category 2 (id 102) and its finalists, as the prizegiving's nominees slate lists them.</summary>
    public static Announcement Nominees2 { get; } = Announcement.NomineesOf(Example.FindCategory(102)!);

    /// <summary>The prize slate of category 2, revealed: finalist #3.</summary>
    public static Announcement Prize2 { get; } = Announcement.WinnerOf(Entry(3), "category:102");

    /// <summary>The step of a kind, of finalist <paramref name="number"/> (or of category <paramref name="number"/> for a
    /// card; none for the intermission and the end).</summary>
    public static int StepOf(StepKind kind, int? number = null)
    {
        for (var s = 0; s < Example.Steps.Count; s++)
        {
            var step = Example.Steps[s];
            if (step.Kind == kind && (number is null || step.Finalist?.Number == number || (step.Finalist is null && step.Category?.Id == 100 + number)))
            {
                return s;
            }
        }

        throw new ArgumentException($"No {kind} {number} in the example show.");
    }

    /// <summary>A state whose item is coming (chosen, not yet on screen).</summary>
    public static SequencerState Coming(int step, TimeSpan videoAt = default, Cover? cover = null) => new(step, videoAt, cover ?? Cover.None);

    /// <summary>The same state with its item on screen since <see cref="Then"/>.</summary>
    public static SequencerState OnAir(this SequencerState state, bool paused = false) => state with { OnAir = new OnAir(Then, TimeSpan.FromMinutes(3), paused) };

    /// <summary>A state of every phase, each with its item on screen (and two where layers meet: a paused slate, a winner
    /// shown during a blackout).</summary>
    public static IReadOnlyList<SequencerState> States { get; } =
    [
        Coming(StepOf(StepKind.CategoryCard, 2)).OnAir(),
        Coming(StepOf(StepKind.Intro, 2)).OnAir(),
        Coming(StepOf(StepKind.Video, 2)).OnAir(),
        Coming(StepOf(StepKind.Outro, 2)).OnAir(),
        Coming(StepOf(StepKind.Intermission)).OnAir(),
        Coming(StepOf(StepKind.Video, 2), cover: new Cover(Difficulties: true)).OnAir(),
        Coming(StepOf(StepKind.End)).OnAir(),
        Coming(StepOf(StepKind.Video, 2)).OnAir(paused: true),
        Coming(StepOf(StepKind.Intro, 2)).OnAir(paused: true),
        Coming(StepOf(StepKind.Video, 2), Covered, new Cover(Blackout: true)).OnAir(),
        Coming(StepOf(StepKind.Video, 2), Covered, new Cover(Announcement: Announcement.WinnerOf(Entry(3)))).OnAir(),
        Coming(StepOf(StepKind.Video, 2), Covered, new Cover(Blackout: true, Announcement: Announcement.WinnerOf(Entry(3)))).OnAir(),
        Coming(StepOf(StepKind.Video, 2)) with { Quit = true },
        Coming(StepOf(StepKind.Video, 2), Covered, new Cover(Announcement: Nominees2)).OnAir(),
    ];

    /// <summary>Every kind of event, named as the table shows it.</summary>
    public static IReadOnlyList<(string Name, ShowEvent? Event)> Events { get; } =
    [
        ("started", new ShowEvent.Started(TimeSpan.FromMinutes(3))),
        ("ended", new ShowEvent.Ended(PlaybackEnd.Ended)),
        ("stopped", new ShowEvent.Ended(PlaybackEnd.Stopped)),
        ("failed", new ShowEvent.Ended(PlaybackEnd.Failed)),
        Command(PlayerCommandKind.Pause),
        Command(PlayerCommandKind.Resume),
        Command(PlayerCommandKind.Next),
        Command(PlayerCommandKind.Previous),
        Command(PlayerCommandKind.Restart),
        Command(PlayerCommandKind.SkipSlate),
        Command(PlayerCommandKind.BlackoutOn),
        Command(PlayerCommandKind.BlackoutOff),
        Command(PlayerCommandKind.JumpToEntry, 1),
        Command(PlayerCommandKind.ShowWinner, 3),
        Prizegiving(PlayerCommandKind.ShowNominees, "category:102"),
        Prizegiving(PlayerCommandKind.ShowPrize, "category:102"),
        ("quit", new ShowEvent.Quit()),
    ];

    /// <summary>Events no state can use: commands without their entry, for an entry nobody knows, a winner slate for an
    /// entry whose win is not revealed, of an unknown kind, or missing altogether.</summary>
    public static IReadOnlyList<(string Name, ShowEvent? Event)> Malformed { get; } =
    [
        Command(PlayerCommandKind.JumpToEntry),
        Command(PlayerCommandKind.JumpToEntry, 99),
        Command(PlayerCommandKind.ShowWinner),
        Command(PlayerCommandKind.ShowWinner, 99),
        Command(PlayerCommandKind.ShowWinner, 1), // a finalist, but nothing it won is revealed
        Prizegiving(PlayerCommandKind.ShowNominees, null),
        Prizegiving(PlayerCommandKind.ShowNominees, "category:999"), // not in the running order
        Prizegiving(PlayerCommandKind.ShowNominees, "best-in-show"),
        Prizegiving(PlayerCommandKind.ShowPrize, null),
        Prizegiving(PlayerCommandKind.ShowPrize, "category:101"), // not revealed
        Prizegiving(PlayerCommandKind.ShowPrize, "best-in-show"), // not revealed
        Prizegiving(PlayerCommandKind.ShowPrize, "award:1"), // not revealed
        Prizegiving(PlayerCommandKind.ShowPrize, "category:x"),
        ("a command of an unknown kind", new ShowEvent.Command(new PlayerCommand(Guid.Empty, (PlayerCommandKind)99), Position)),
        ("no command", new ShowEvent.Command(null, Position)),
        ("no event", null),
    ];

    private static (string, ShowEvent?) Command(PlayerCommandKind kind, int? entryId = null) =>
        ($"{JsonNamingPolicy.CamelCase.ConvertName(kind.ToString())}{(entryId is { } id ? $" #{id}" : kind is PlayerCommandKind.JumpToEntry or PlayerCommandKind.ShowWinner ? " without an entry" : "")}",
            new ShowEvent.Command(new PlayerCommand(Guid.Empty, kind, entryId), Position));

    private static (string, ShowEvent?) Prizegiving(PlayerCommandKind kind, string? scope) =>
        ($"{JsonNamingPolicy.CamelCase.ConvertName(kind.ToString())} {scope ?? "without a scope"}",
            new ShowEvent.Command(new PlayerCommand(Guid.Empty, kind, Scope: scope), Position));

    /// <summary>A state in words: its layers from the top, then the running-order step under them.</summary>
    public static string Describe(SequencerState state)
    {
        if (state.Quit)
        {
            return "`idle`";
        }

        var step = Example.Steps[state.Step];
        var text = state.Cover.Difficulties ? $"`difficulties` #{step.Finalist?.Number}" : step.Kind switch
        {
            StepKind.CategoryCard => $"`categoryCard` {step.Category?.Name}",
            StepKind.Intro => $"`introSlate` #{step.Finalist?.Number}",
            StepKind.Video => $"`video` #{step.Finalist?.Number}",
            StepKind.Outro => $"`outroSlate` #{step.Finalist?.Number}",
            StepKind.Intermission => "`intermission`",
            _ => "`endCard`",
        };
        if (state.VideoAt != TimeSpan.Zero)
        {
            text += $" from {Time(state.VideoAt)}";
        }

        if (state.Cover.Blackout)
        {
            text = $"`blackout` over {text}";
        }

        text = state.Cover.Announcement switch
        {
            { Phase: ShowPhase.Nominees, Category: { } category } => $"`nominees` {category.Name} over {text}",
            { Entry: { } winner, Scope: { } scope } => $"`winner` #{winner.Id} ({scope}) over {text}",
            { Entry: { } winner } => $"`winner` #{winner.Id} over {text}",
            _ => text,
        };

        return state.OnAir is { Paused: true } ? $"`paused` {text}" : text;
    }

    /// <summary>Effects in words, in order: "stop", "pause", "resume", "report `phase` at m:ss".</summary>
    public static string Effects(IReadOnlyList<ShowEffect> effects) =>
        effects.Count == 0 ? "—" : string.Join(", ", effects.Select(effect => effect switch
        {
            ShowEffect.StopItem => "stop",
            ShowEffect.PauseItem => "pause",
            ShowEffect.ResumeItem => "resume",
            ShowEffect.Report { Screen: var screen } when screen.Phase == ShowPhase.Idle => "report `idle`",
            ShowEffect.Report { Screen: var screen } => $"report `{JsonNamingPolicy.CamelCase.ConvertName(screen.Phase.ToString())}` at {Time(screen.Position)}",
            _ => effect.ToString(),
        }));

    /// <summary>Where a transition leads, in words ("again" when the same item is played anew).</summary>
    public static string Next(SequencerState before, Transition transition) =>
        transition.Ignored ? "ignored" : Describe(transition.State) + (transition.State == before with { OnAir = null } ? " again" : "");

    /// <summary>The table docs/player.md prints under "The state machine".</summary>
    public static string Render()
    {
        var md = new StringBuilder();
        md.AppendLine("| On screen | Event | Next | Engine, report |");
        md.AppendLine("| --- | --- | --- | --- |");
        var changes = 0;
        foreach (var state in States)
        {
            var rows = Events
                .Select(e => (e.Name, Transition: ShowMachine.Apply(state, e.Event, Context)))
                .GroupBy(e => (Next: Next(state, e.Transition), Effects: Effects(e.Transition.Effects), e.Transition.Ignored))
                .OrderBy(g => g.Key.Ignored)
                .ToList();
            var first = true;
            foreach (var row in rows)
            {
                var events = string.Join(", ", row.Select(e => e.Name));
                md.AppendLine(row.Key.Ignored
                    ? $"| {(first ? Describe(state) : "")} | {events} | ignored | |"
                    : $"| {(first ? Describe(state) : "")} | {events} | {row.Key.Next} | {row.Key.Effects} |");
                changes += row.Key.Ignored ? 0 : row.Count();
                first = false;
            }
        }

        md.AppendLine();
        md.AppendLine($"{changes} transitions over {States.Count} states × {Events.Count} events; the rest are ignored.");
        md.AppendLine();
        md.AppendLine("An item is first *coming* (chosen and played, not yet on screen), then on screen from `started`:");
        md.AppendLine();
        md.AppendLine("| Coming | started | ended or stopped before it was on screen |");
        md.AppendLine("| --- | --- | --- |");
        var coming = States.Where(s => !s.Quit && s.OnAir is { Paused: false }).Select(s => s with { OnAir = null }).ToList();
        foreach (var state in coming)
        {
            var started = ShowMachine.Apply(state, Events.Single(e => e.Name == "started").Event, Context);
            var ended = ShowMachine.Apply(state, new ShowEvent.Ended(PlaybackEnd.Ended), Context);
            md.AppendLine($"| {Describe(state)} | {Effects(started.Effects)} | {Next(state, ended)} |");
        }

        var waiting = Events.Where(e => e.Event is ShowEvent.Command && coming.All(s => ShowMachine.Apply(s, e.Event, Context).Ignored)).Select(e => e.Name);
        md.AppendLine();
        md.AppendLine($"While an item is coming these are ignored (the sequencer holds commands until it is on screen): {string.Join(", ", waiting)}.");
        var everywhere = Malformed
            .Where(e => States.Concat(coming).All(s => ShowMachine.Apply(s, e.Event, Context).Ignored))
            .Select(e => e.Name);
        md.AppendLine($"Ignored in every state: {string.Join(", ", everywhere)}.");
        return md.ToString();
    }

    private static string Time(TimeSpan t) => $"{(int)t.TotalMinutes}:{t.Seconds:00}";
}
