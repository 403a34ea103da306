using System.Globalization;
using System.Text.Json.Serialization;

namespace AmvScreening.Server.Entries;

/// <summary>When and how editors may enter the contest (docs/entries.md, "Entry portal"), as the contest file and the
/// console carry it: <c>entries: { opensAt, deadline, timeZone, premieredAfter, maxPerPerson, maxPerPersonPerCategory }</c>.
/// Instants are text: a date and time with its offset (<c>2026-08-15T23:59:00-07:00</c>), or without one, read in
/// <see cref="TimeZone"/> (<c>2026-08-15T23:59</c>); the contest answers them with the zone's offset. Left out, entries
/// are open at once and have no deadline.</summary>
/// <param name="TimeZone">An IANA time zone (<c>America/Los_Angeles</c>): the deadline as the rules page states it.</param>
/// <param name="PremieredAfter">yyyy-MM-dd: an entry must have premiered after this day (say, the previous convention).</param>
/// <param name="MaxPerPerson">Entries per person (a person is their normalised contact email, <see cref="EntryRules.Person"/>).</param>
/// <param name="MaxPerPersonPerCategory">Entries per person in one category.</param>
public sealed record EntrySettings(
    string? OpensAt = null,
    string? Deadline = null,
    string TimeZone = "UTC",
    string? PremieredAfter = null,
    int MaxPerPerson = 3,
    int MaxPerPersonPerCategory = 1)
{
    public const int MaxLimit = 100;

    private static readonly string[] LocalFormats = ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss"];
    private static readonly string[] OffsetFormats =
        ["yyyy-MM-dd'T'HH:mmzzz", "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", "yyyy-MM-dd'T'HH:mm'Z'", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'"];

    /// <summary>As the import and the console take them: texts without the spaces around them, empty ones null.</summary>
    public EntrySettings Tidied() => this with
    {
        OpensAt = Blank(OpensAt),
        Deadline = Blank(Deadline),
        TimeZone = TimeZone?.Trim() ?? "",
        PremieredAfter = Blank(PremieredAfter),
    };

    /// <summary>The time zone, or null when <see cref="TimeZone"/> is not an IANA zone this machine knows.</summary>
    public TimeZoneInfo? Zone() =>
        TimeZone is { Length: > 0 and <= 64 } id && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) && zone.HasIanaId ? zone : null;

    /// <summary>When entries open, or null (open until the deadline). Only meaningful once validated.</summary>
    [JsonIgnore]
    public DateTimeOffset? OpensAtInstant => Instant(OpensAt, Zone());

    /// <summary>When entries close, or null (no deadline). Only meaningful once validated.</summary>
    [JsonIgnore]
    public DateTimeOffset? DeadlineInstant => Instant(Deadline, Zone());

    /// <summary>The first day an entry may have premiered on is the day after this one, or null (any day).</summary>
    [JsonIgnore]
    public DateOnly? PremieredAfterDay => Day(PremieredAfter);

    /// <summary>An instant as text: with its offset, or a local date and time in <paramref name="zone"/> (a time that the
    /// zone skips at a clock change is refused). Null when blank or not readable.</summary>
    public static DateTimeOffset? Instant(string? text, TimeZoneInfo? zone)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (DateTimeOffset.TryParseExact(text, OffsetFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var withOffset))
        {
            return withOffset;
        }

        if (zone is null || !DateTime.TryParseExact(text, LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            || zone.IsInvalidTime(local))
        {
            return null;
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    /// <summary>A yyyy-MM-dd day, or null.</summary>
    public static DateOnly? Day(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;

    /// <summary>An instant as the contest states it: in its time zone, with the offset (2026-08-15T23:59:00-07:00).</summary>
    public static string Format(DateTimeOffset instant, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(instant, zone).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>The settings' problems by field ("deadline"); <paramref name="error"/> gets each.</summary>
    public void Check(Action<string, string> error)
    {
        var zone = Zone();
        if (zone is null)
        {
            error("timeZone", $"Unknown time zone '{TimeZone}': give an IANA time zone such as America/Los_Angeles, Europe/Berlin, Asia/Tokyo or UTC.");
        }

        const string InstantHint = "Must be a date and time such as 2026-08-15T23:59 (in the time zone given) or with its offset (2026-08-15T23:59-07:00); or left out.";
        if (OpensAt is not null && Instant(OpensAt, zone ?? TimeZoneInfo.Utc) is null)
        {
            error("opensAt", InstantHint);
        }

        if (Deadline is not null && Instant(Deadline, zone ?? TimeZoneInfo.Utc) is null)
        {
            error("deadline", InstantHint);
        }
        else if (Instant(OpensAt, zone) is { } opens && Instant(Deadline, zone) is { } deadline && deadline <= opens)
        {
            error("deadline", "Must be after opensAt.");
        }

        if (PremieredAfter is not null && Day(PremieredAfter) is null)
        {
            error("premieredAfter", "Must be a day written yyyy-MM-dd (2025-09-01), or left out.");
        }

        if (MaxPerPerson is < 1 or > MaxLimit)
        {
            error("maxPerPerson", $"Must be a whole number from 1 to {MaxLimit}.");
        }

        if (MaxPerPersonPerCategory < 1 || MaxPerPersonPerCategory > MaxPerPerson)
        {
            error("maxPerPersonPerCategory", $"Must be a whole number from 1 to maxPerPerson ({MaxPerPerson}).");
        }
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
