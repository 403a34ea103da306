using AmvScreening.Protocol;

namespace AmvScreening.Player.Show;

/// <summary>A finalist in show order. <paramref name="Index"/> counts from 0 over the whole show; <paramref name="VideoFile"/>
/// is the full path of its video (null when none was imported).</summary>
/// <param name="Loudness">What the latest pre-flight measured of its file; null when it was not measured.</param>
/// <param name="GainDb">The levelling gain its video plays with (<see cref="Levelling"/>).</param>
public sealed record Finalist(int Index, EntrySummary Entry, string? VideoFile, LoudnessMeasurement? Loudness = null, double GainDb = 0)
{
    /// <summary>Its number in the show, from 1 (what the booth types to jump to it).</summary>
    public int Number => Index + 1;
}

public enum StepKind { CategoryCard, Intro, Video, Outro, Intermission, End }

/// <summary>One item of the running order. Finalist steps carry their finalist; cards carry none.</summary>
public sealed record RundownStep(StepKind Kind, PlaylistCategory? Category, Finalist? Finalist);

/// <summary>How the running order is laid out.</summary>
/// <param name="CategoryCards">A title card before each category's first finalist.</param>
/// <param name="Categories">Play only the first N categories (the demo); null for all.</param>
/// <param name="IntermissionAfter">The category (1 = the first) after which the intermission card shows; null for none.</param>
public sealed record RundownOptions(bool CategoryCards = true, int? Categories = null, int? IntermissionAfter = null);

/// <summary>
/// The running order of the show: [category card] → (intro → video → outro) per finalist → … [intermission] … → end card,
/// and where the projectionist's commands lead in it.
/// </summary>
public sealed class Rundown
{
    private Rundown(string contestName, IReadOnlyList<Finalist> finalists, IReadOnlyList<RundownStep> steps)
    {
        ContestName = contestName;
        Finalists = finalists;
        Steps = steps;
    }

    public string ContestName { get; }

    public IReadOnlyList<Finalist> Finalists { get; }

    public IReadOnlyList<RundownStep> Steps { get; }

    /// <summary>The end card's step (always the last).</summary>
    public int End => Steps.Count - 1;

    /// <param name="mediaFolder">What relative video paths are relative to.</param>
    public static Rundown Build(PlayerShow show, RundownOptions options, string mediaFolder)
    {
        var finalists = new List<Finalist>();
        var steps = new List<RundownStep>();
        var categories = show.Categories.Take(options.Categories ?? int.MaxValue).ToList();
        for (var c = 0; c < categories.Count; c++)
        {
            var category = categories[c];
            if (category.Entries.Count > 0 && options.CategoryCards)
            {
                steps.Add(new RundownStep(StepKind.CategoryCard, category, null));
            }

            foreach (var entry in category.Entries)
            {
                var loudness = entry.Checked?.Loudness;
                var finalist = new Finalist(
                    finalists.Count, entry.Entry, entry.VideoPath is { Length: > 0 } path ? Path.Combine(mediaFolder, path) : null,
                    loudness, Levelling.GainDb(loudness, show.LoudnessTargetLufs));
                finalists.Add(finalist);
                steps.Add(new RundownStep(StepKind.Intro, category, finalist));
                steps.Add(new RundownStep(StepKind.Video, category, finalist));
                steps.Add(new RundownStep(StepKind.Outro, category, finalist));
            }

            if (options.IntermissionAfter == c + 1 && c + 1 < categories.Count)
            {
                steps.Add(new RundownStep(StepKind.Intermission, null, null));
            }
        }

        steps.Add(new RundownStep(StepKind.End, null, null));
        return new Rundown(show.ContestName, finalists, steps);
    }

    public Finalist? FindEntry(int entryId) => Finalists.FirstOrDefault(f => f.Entry.Id == entryId);

    /// <summary>A category of the running order (with its finalists in running order), or null.</summary>
    public PlaylistCategory? FindCategory(int categoryId) => Steps.Select(s => s.Category).FirstOrDefault(c => c?.Id == categoryId);

    /// <summary>The step of a finalist's intro slate; <see cref="End"/> for the index past the last finalist.</summary>
    public int IntroOf(int finalistIndex) => StepOf(StepKind.Intro, finalistIndex);

    /// <summary>The step of a finalist's video; <see cref="End"/> for the index past the last finalist.</summary>
    public int VideoOf(int finalistIndex) => StepOf(StepKind.Video, finalistIndex);

    /// <summary>Next: the next finalist's intro (from a card, the intro it leads to); the end card after the last.</summary>
    public int NextIntro(int step)
    {
        var current = Steps[step].Finalist;
        for (var s = step + 1; s < Steps.Count; s++)
        {
            if (Steps[s].Kind == StepKind.Intro && Steps[s].Finalist != current)
            {
                return s;
            }
        }

        return End;
    }

    /// <summary>Previous: the previous finalist's intro (the first finalist's own, at the start of the show).</summary>
    public int PreviousIntro(int step) => Finalists.Count == 0 ? End : IntroOf(Math.Max(0, UpcomingFinalist(step) - 1));

    /// <summary>Where the show goes on after a finalist whose video could not play: past its outro.</summary>
    public int AfterFinalist(int step)
    {
        var current = Steps[step].Finalist;
        var s = step + 1;
        while (s < End && current is not null && Steps[s].Finalist == current)
        {
            s++;
        }

        return s;
    }

    /// <summary>The finalist a step belongs to or leads to (a card: the next finalist); the count of finalists at the end.</summary>
    public int UpcomingFinalist(int step)
    {
        for (var s = step; s < Steps.Count; s++)
        {
            if (Steps[s].Finalist is { } finalist)
            {
                return finalist.Index;
            }
        }

        return Finalists.Count;
    }

    private int StepOf(StepKind kind, int finalistIndex)
    {
        for (var s = 0; s < Steps.Count; s++)
        {
            if (Steps[s].Kind == kind && Steps[s].Finalist?.Index == finalistIndex)
            {
                return s;
            }
        }

        return End;
    }
}
