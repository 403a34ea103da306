using AmvScreening.Protocol;
using AmvScreening.Server.Entries;

namespace AmvScreening.Server.Contest;

/// <summary>The contest's own details and rules.</summary>
public sealed record ContestDetails(
    string Name,
    int Year,
    string? PublicBaseUrl,
    VotingSettings Voting,
    ShowLimits Limits)
{
    /// <summary>When the screen code rotates by itself (left out: only by hand).</summary>
    public RoomCodeSettings RoomCode { get; init; } = new();

    /// <summary>How the judges score the entries before the show (docs/entries.md, "Judges").</summary>
    public JudgingSettings Judging { get; init; } = new();
    /// <summary>When and how editors enter the contest (the entry portal's rules; left out: the defaults).</summary>
    public EntrySettings Entries { get; init; } = new();
    /// <summary>What the prizegiving shows per category (docs/prizegiving.md): <see cref="PrizegivingModes.Winners"/> or
    /// <see cref="PrizegivingModes.Placings"/>.</summary>
    public string Prizegiving { get; init; } = PrizegivingModes.Winners;

    /// <summary>As the import and the console take it: the name trimmed; the address without the spaces around it, or
    /// null when that leaves nothing (a line break or other control character stays, for
    /// <see cref="ContestValidator.CheckDetails"/> to refuse).</summary>
    public ContestDetails Tidied() => this with
    {
        Name = Name.Trim(),
        PublicBaseUrl = PublicBaseUrl?.Trim(' ') is { Length: > 0 } url ? url : null,
        Entries = Entries?.Tidied()!, // a JSON null stays null, for the validator to refuse
    };
}

/// <summary>How the audience votes. Defaults: 1–5 stars, a Best In Show ballot, the Best In Show winner keeps its
/// category prize, categories close only by hand, any phone that joined votes (no ballot cards).</summary>
/// <param name="RequireCards">Only phones that joined with a ballot card vote (docs/room-codes-and-cards.md).</param>
public sealed record VotingSettings(
    int ScoreMin = 1,
    int ScoreMax = 5,
    string BestInShowMethod = VotingSettings.Ballot,
    bool BestInShowKeepsCategoryPrize = true,
    int? AutoCloseMinutes = null,
    bool RequireCards = false)
{
    public const string Ballot = "ballot";
    public const string TopScore = "top-score";
    public static readonly IReadOnlyList<string> Methods = [Ballot, TopScore];
}

/// <summary>The prizegiving's choices: each category's winner alone, or the full placings (runners-up with their mean and
/// vote count, as bars on the winner slate and the phones' podium).</summary>
public static class PrizegivingModes
{
    public const string Winners = "winners";
    public const string Placings = "placings";
    public static readonly IReadOnlyList<string> Modes = [Winners, Placings];
}

/// <summary>When the screen code (the one on the outro slates and the full-screen QR) rotates by itself: as each
/// category's title card comes on screen, and/or every so many minutes. The coordinator can always rotate it by hand.</summary>
/// <param name="ShowOnScreenView">Whether the public screen view (<c>/screen</c>, docs/screen.md) shows the join QR, as the
/// outro slates do: for a stream whose remote viewers may join. Off by default: then nothing public carries the code.</param>
public sealed record RoomCodeSettings(bool RotateAtCategoryCard = false, int? RotateEveryMinutes = null, bool ShowOnScreenView = false);

/// <summary>The judges' scale (whole numbers from <paramref name="Min"/> to <paramref name="Max"/>: 1–10, or -2…+2 as
/// at Otakon) and whether judging is blind (judges never see who edited an entry).</summary>
public sealed record JudgingSettings(int Min = 1, int Max = 10, bool Blind = false)
{
    /// <summary>The scale's widest bounds (the database's too).</summary>
    public const int Lowest = -100;
    public const int Highest = 100;
}

/// <summary>What a finalist's file may be (checked by the player's pre-flight), and the loudness the player levels
/// every finalist to (docs/loudness.md).</summary>
/// <param name="LoudnessTargetLufs">Integrated loudness, whole LUFS from <see cref="MinLoudnessTargetLufs"/> to
/// <see cref="MaxLoudnessTargetLufs"/> (EBU R128's -23 unless the coordinator picks another).</param>
public sealed record ShowLimits(int MaxFileMegabytes = 330, int MaxDurationSeconds = 330, int LoudnessTargetLufs = (int)Loudness.DefaultTargetLufs)
{
    /// <inheritdoc cref="Loudness.MinTargetLufs"/>
    public const int MinLoudnessTargetLufs = Loudness.MinTargetLufs;

    /// <inheritdoc cref="Loudness.MaxTargetLufs"/>
    public const int MaxLoudnessTargetLufs = Loudness.MaxTargetLufs;
}

// Rows that Dapper maps (SQLite integers arrive as Int64; property setters convert them, constructors would not).

public sealed record Category
{
    public required int Id { get; init; }
    public required int Position { get; init; }
    public required string Name { get; init; }
    /// <summary>What the category is for, on the entry portal's rules page.</summary>
    public string Description { get; init; } = "";
    /// <summary>How many finalists the judges may select in it.</summary>
    public int FinalistLimit { get; init; } = CategoryRecord.DefaultFinalistLimit;
}

/// <summary>A category as a contest file and the console carry it: its name, and what the entry portal and the judges'
/// selection use (a file may give the name alone: the description empty, the default limit).</summary>
public sealed record CategoryRecord(string Name, string Description = "", int FinalistLimit = CategoryRecord.DefaultFinalistLimit)
{
    public const int DefaultFinalistLimit = 6;
    public const int MaxFinalistLimit = 100;
    public const int MaxDescription = 1000;
}

/// <summary>A finalist.</summary>
public sealed record Entry
{
    public required int Id { get; init; }
    public required int CategoryId { get; init; }
    /// <summary>Order within its category, from 1.</summary>
    public required int Position { get; init; }
    public required string Title { get; init; }
    public required IReadOnlyList<string> Editors { get; init; }
    public required string MusicArtist { get; init; }
    public required string MusicTitle { get; init; }
    public required IReadOnlyList<string> Sources { get; init; }
    /// <summary>As imported; a relative path is resolved against the media root.</summary>
    public string? VideoPath { get; init; }
    public string? ContentNote { get; init; }
    public bool Disqualified { get; init; }

    /// <summary>What phones and consoles may show of it.</summary>
    public EntrySummary ToSummary(string category) =>
        new(Id, CategoryId, category, Title, Editors, MusicArtist, MusicTitle, Sources, ContentNote);
}

/// <summary>A judges' or coordinators' award (Judges' Choice, Technical Effects, …).</summary>
public sealed record Award
{
    public required int Id { get; init; }
    public required string Name { get; init; }
    public required int EntryId { get; init; }
    public string? Note { get; init; }
}

/// <summary>The whole contest as staff see it. Entries in show order (category position, then entry position).</summary>
public sealed record ContestView(
    ContestDetails Contest,
    IReadOnlyList<Category> Categories,
    IReadOnlyList<Entry> Entries,
    IReadOnlyList<Award> Awards)
{
    /// <summary>Every entry's public summary, by entry id.</summary>
    public IReadOnlyDictionary<int, EntrySummary> Summaries()
    {
        var names = Categories.ToDictionary(c => c.Id, c => c.Name);
        return Entries.ToDictionary(e => e.Id, e => e.ToSummary(names[e.CategoryId]));
    }
}
