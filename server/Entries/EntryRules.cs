using System.Globalization;
using AmvScreening.Server.Contest;
using AmvScreening.Server.Contest.Import;

namespace AmvScreening.Server.Entries;

/// <summary>
/// The contest's entry rules in one place (docs/entries.md, "Entry portal"), as pure functions: what the submission
/// form checks (<see cref="CheckForm"/>, <see cref="CheckSubmission"/>), who a person is (<see cref="Person"/>), and
/// what is checked again at the deadline (<see cref="AtDeadline"/>). A refusal names its rule (<see cref="Rules"/>, the
/// ProblemDetails' <c>reason</c>) and the field at fault.
/// </summary>
public static class EntryRules
{
    /// <summary>The rules by name, as refusals carry them.</summary>
    public static class Rules
    {
        public const string NotOpen = "entries-not-open";
        public const string DeadlinePassed = "deadline-passed";
        public const string PerPerson = "per-person-limit";
        public const string PerCategory = "per-category-limit";
        public const string PremiereDate = "premiere-date";
        public const string Permission = "permission";
        public const string NoFile = "no-file";
        public const string FileFailed = "file-failed";
    }

    public const int MaxEmail = 254;

    /// <summary>One rule broken: the rule, the field at fault (null when no field is: the deadline) and the message.</summary>
    public sealed record Breach(string Rule, string? Field, string Message);

    /// <summary>The submission form as the portal sends it (<c>POST /api/enter/submissions</c>).</summary>
    /// <param name="PremieredOn">yyyy-MM-dd: when the video was first shown anywhere, as its editor attests.</param>
    /// <param name="Permission">The editor grants the contest permission to show the video (must be true).</param>
    public sealed record SubmissionForm(
        int CategoryId,
        string Title,
        IReadOnlyList<string> Editors,
        string ContactEmail,
        string MusicArtist,
        string MusicTitle,
        IReadOnlyList<string>? Sources,
        string PremieredOn,
        bool Permission,
        string? ContentNote = null)
    {
        /// <summary>As a finalist's fields, for the contest's own checks of them (<see cref="ContestValidator.CheckFinalist"/>):
        /// texts trimmed, blank names left out.</summary>
        public FinalistRecord ToRecord() => new ContestEditor.EntryFields(CategoryId, Title, Editors, MusicArtist, MusicTitle, Sources, null, ContentNote)
            .ToRecord();
    }

    /// <summary>What a person (<see cref="Person"/>) has entered so far, withdrawn entries left out: the category of each.</summary>
    public sealed record PersonsEntries(IReadOnlyList<int> CategoryIds);

    /// <summary>
    /// A person, from their contact email: the address in lower case, with what mail services ignore taken out of the
    /// part before the '@' so that one person's spellings count as one: a '+tag' and everything after it
    /// ("ann+amv@x.org" is "ann@x.org") and the dots ("a.nn@x.org" is "ann@x.org"); googlemail.com is gmail.com. Two
    /// different people whose addresses differ only in dots would count as one: rare, and the contest would rather
    /// that than a fourth entry under a dotted spelling. Null when the address is not one (<see cref="EmailProblem"/>).
    /// </summary>
    public static string? Person(string email)
    {
        if (EmailProblem(email) is not null)
        {
            return null;
        }

        var address = email.Trim().ToLowerInvariant();
        var at = address.LastIndexOf('@');
        var local = address[..at];
        var domain = address[(at + 1)..].TrimEnd('.');
        if (local.IndexOf('+') is > 0 and var plus)
        {
            local = local[..plus];
        }

        local = local.Replace(".", "", StringComparison.Ordinal);
        return $"{(local.Length > 0 ? local : address[..at])}@{(domain == "googlemail.com" ? "gmail.com" : domain)}";
    }

    /// <summary>Why a contact email is refused, or null: one '@' with a name before it and a domain with a dot after
    /// it, no spaces, control characters, quotes or angle brackets, at most <see cref="MaxEmail"/> characters.</summary>
    public static string? EmailProblem(string email)
    {
        var address = email.Trim();
        var at = address.LastIndexOf('@');
        return address.Length == 0 ? "Required."
            : address.Length > MaxEmail ? $"At most {MaxEmail} characters."
            : at <= 0 || address.IndexOf('@') != at || at == address.Length - 1
              || !address[(at + 1)..].Contains('.') || address.EndsWith('.') || address[(at + 1)..].StartsWith('.')
              || address.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '"' or '<' or '>' or ',' or ';' or '(' or ')' or '[' or ']' or '\\')
                ? "Must be an email address such as name@example.org."
                : null;
    }

    /// <summary>The form's own fields, whatever the contest's state: the finalist's fields as the contest checks them,
    /// the contact email, the premiere date's form; <paramref name="error"/> gets each problem by field.</summary>
    public static void CheckForm(SubmissionForm form, Action<string, string> error)
    {
        ContestValidator.CheckFinalist(form.ToRecord(), "/", error);
        if (EmailProblem(form.ContactEmail) is { } email)
        {
            error("contactEmail", email);
        }

        if (EntrySettings.Day(form.PremieredOn.Trim()) is null)
        {
            error("premieredOn", "Must be a day written yyyy-MM-dd (2026-03-14).");
        }
    }

    /// <summary>The contest's rules for a well-formed form, in the order an editor meets them: entries open, the
    /// deadline, the permission, the premiere date, the per-person then the per-category limit. The first rule broken,
    /// or null.</summary>
    public static Breach? CheckSubmission(SubmissionForm form, EntrySettings settings, PersonsEntries before, DateTimeOffset now) =>
        CheckWindow(settings, now)
        ?? (form.Permission ? null : new Breach(Rules.Permission, "permission",
            "Grant the contest permission to show your video: entries cannot be accepted without it."))
        ?? PremiereBreach(EntrySettings.Day(form.PremieredOn.Trim()), settings)
        ?? LimitBreach(form.CategoryId, before, settings);

    /// <summary>Whether entries are taken now: after they open and before the deadline. Null when they are.</summary>
    public static Breach? CheckWindow(EntrySettings settings, DateTimeOffset now)
    {
        var zone = settings.Zone() ?? TimeZoneInfo.Utc;
        if (settings.OpensAtInstant is { } opens && now < opens)
        {
            return new Breach(Rules.NotOpen, null, $"Entries open on {Stated(opens, zone)}.");
        }

        return settings.DeadlineInstant is { } deadline && now >= deadline
            ? new Breach(Rules.DeadlinePassed, null, $"The deadline for entries was {Stated(deadline, zone)}.")
            : null;
    }

    /// <summary>Whether the deadline has passed (no deadline: never).</summary>
    public static bool DeadlinePassed(EntrySettings settings, DateTimeOffset now) => settings.DeadlineInstant is { } deadline && now >= deadline;

    /// <summary>One entry as the deadline's check sees it.</summary>
    /// <param name="CheckState">The file's pre-flight: none, queued, running, passed, failed.</param>
    public sealed record EntryFacts(long Id, string Person, int CategoryId, string PremieredOn, string SubmittedAt, bool HasFile, string CheckState, string? CheckMessage);

    /// <summary>
    /// The rules again at the deadline, for the coordinator (<see cref="DeadlineEnforcer"/>): each entry's first breach,
    /// by entry id. An entry must have a file that passed its check (a file still being checked is judged once its check
    /// ends: it is left out until then), must have premiered after the contest's day, and must be within the limits
    /// (the contest may have lowered them since: the latest entries beyond a limit breach it; an entry that breaks a
    /// rule does not count towards the limits). Withdrawn entries are not given.
    /// </summary>
    public static IReadOnlyDictionary<long, Breach> AtDeadline(IReadOnlyList<EntryFacts> entries, EntrySettings settings)
    {
        var breaches = new Dictionary<long, Breach>();
        var counted = new List<int>();
        foreach (var person in entries.GroupBy(e => e.Person))
        {
            counted.Clear();
            foreach (var entry in person.OrderBy(e => e.SubmittedAt, StringComparer.Ordinal).ThenBy(e => e.Id))
            {
                var breach = FileBreach(entry)
                    ?? PremiereBreach(EntrySettings.Day(entry.PremieredOn), settings)
                    ?? LimitBreach(entry.CategoryId, new PersonsEntries(counted), settings);
                if (breach is null)
                {
                    counted.Add(entry.CategoryId);
                }
                else
                {
                    breaches[entry.Id] = breach;
                }
            }
        }

        return breaches;
    }

    private static Breach? FileBreach(EntryFacts entry) => entry switch
    {
        { HasFile: false } => new Breach(Rules.NoFile, "file", "No file was uploaded by the deadline."),
        { CheckState: "failed" } => new Breach(Rules.FileFailed, "file",
            $"The file did not pass its check by the deadline{(entry.CheckMessage is { } message ? $": {message}" : ".")}"),
        _ => null,
    };

    private static Breach? PremiereBreach(DateOnly? premiered, EntrySettings settings) =>
        settings.PremieredAfterDay is { } after && premiered is { } day && day <= after
            ? new Breach(Rules.PremiereDate, "premieredOn",
                $"The video must have premiered after {after.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}; "
                + $"{day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} is too early.")
            : null;

    private static Breach? LimitBreach(int categoryId, PersonsEntries before, EntrySettings settings)
    {
        if (before.CategoryIds.Count >= settings.MaxPerPerson)
        {
            return new Breach(Rules.PerPerson, "contactEmail",
                $"At most {settings.MaxPerPerson} {(settings.MaxPerPerson == 1 ? "entry" : "entries")} per person: this email address has entered {before.CategoryIds.Count} already "
                + "(withdraw one from its entry page to enter another).");
        }

        var inCategory = before.CategoryIds.Count(id => id == categoryId);
        return inCategory >= settings.MaxPerPersonPerCategory
            ? new Breach(Rules.PerCategory, "categoryId",
                $"At most {settings.MaxPerPersonPerCategory} {(settings.MaxPerPersonPerCategory == 1 ? "entry" : "entries")} per person in a category: "
                + $"this email address has entered {inCategory} in this category already.")
            : null;
    }

    /// <summary>An instant as the rules state it: "2026-08-15 23:59 (America/Los_Angeles, UTC-07:00)".</summary>
    private static string Stated(DateTimeOffset instant, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        return $"{local.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} ({zone.Id}, UTC{local.ToString("zzz", CultureInfo.InvariantCulture)})";
    }
}
