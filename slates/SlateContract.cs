using AmvScreening.Protocol;

namespace AmvScreening.Slates;

/// <summary>The stills the player shows between videos.</summary>
public enum SlateKind
{
    /// <summary>A category's title card.</summary>
    CategoryCard,
    /// <summary>Before a finalist: category, title, editors, music, sources, content note.</summary>
    Intro,
    /// <summary>After a finalist: the title again, "vote now", the QR code, the short URL and room code.</summary>
    Outro,
    /// <summary>The intermission card: a message, and the join URL when a room is given.</summary>
    Intermission,
    /// <summary>The end of the show.</summary>
    End,
    /// <summary>"Technical difficulties", shown instead of a file that cannot play.</summary>
    Difficulties,
    /// <summary>A winner during the reveal: the prize (category name, "Best In Show" or an award) and the entry; a
    /// category's placings as bars when the contest shows them.</summary>
    Winner,
    /// <summary>The prizegiving's nominees: every finalist of a category, in running order.</summary>
    Nominees,
    /// <summary>Plain black (blackout).</summary>
    Black,
}

/// <summary>What a slate shows. Entry and Room are set where the kind needs them.</summary>
/// <param name="Prize">For <see cref="SlateKind.Winner"/>: what was won.</param>
/// <param name="Message">Free text, e.g. the intermission's or the difficulties slate's line.</param>
/// <param name="Nominees">For <see cref="SlateKind.Nominees"/>: the finalists, in running order.</param>
/// <param name="Placings">For <see cref="SlateKind.Winner"/>: the category's placings, by rank (shown as bars).</param>
public sealed record SlateData(
    SlateKind Kind,
    string ContestName,
    string? Category = null,
    EntrySummary? Entry = null,
    RoomInfo? Room = null,
    string? Prize = null,
    string? Message = null,
    IReadOnlyList<EntrySummary>? Nominees = null,
    IReadOnlyList<Placing>? Placings = null);

/// <summary>Fills a slate template and writes it as a 1920×1080 SVG file that libvlc plays as a still
/// (<c>:demux=image</c>, <c>:image-duration=…</c>). Implemented by <see cref="SvgSlateRenderer"/>; docs/slates.md
/// describes the templates.</summary>
public interface ISlateRenderer
{
    /// <summary>Writes the slate and returns the SVG file's full path.</summary>
    string Render(SlateData slate);
}
