using AmvScreening.Server.Contest.Import;

namespace AmvScreening.Server.Contest;

/// <summary>The contest's rules, whichever way the contest is changed: a contest file as read, whatever its format
/// (<see cref="Validate"/>, every problem reported), and the console's edits (<see cref="ContestEditor"/>) use the same
/// checks of the details (<see cref="CheckDetails"/>), a category's name (<see cref="CategoryNameProblem"/>,
/// <see cref="CategoryNames"/>), a finalist's own fields (<see cref="CheckFinalist"/>) and an award
/// (<see cref="CheckAward"/>). The database refuses the worst of the same things again through its constraints.</summary>
internal static class ContestValidator
{
    public const int MaxText = 300;
    public const int MaxCategoryName = 100;
    public const int MaxAwardName = 100;
    public const int MaxNote = 500;
    public const int MaxListItems = 20;
    public const int MaxMinutes = 24 * 60;

    /// <summary>How category names compare: two names that differ only in case are the same category.</summary>
    public static readonly StringComparer CategoryNames = StringComparer.OrdinalIgnoreCase;

    private const string Required = "Required.";
    private const string PositiveWholeNumber = "Must be a positive whole number (1, 2, 3…).";

    /// <summary>The file made ready to apply: category names spelled as the category list spells them. Only meaningful
    /// when <paramref name="issues"/> has no errors.</summary>
    /// <param name="mediaRoot">What relative video paths are resolved against.</param>
    public static ContestDocument Validate(ContestFile file, string mediaRoot, ImportIssues issues)
    {
        if (file.Contest is { } contest)
        {
            ValidateDetails(contest, issues);
        }

        var categories = ValidateCategories(file.Categories, issues);
        var finalists = ValidateFinalists(file.Finalists, categories, mediaRoot, issues);
        var awards = ValidateAwards(file.Awards, categories, [.. finalists.Select(f => (f.Category, f.Order))], issues);
        var filled = finalists.Select(f => f.Category).ToHashSet();
        foreach (var row in categories.Values.Where(c => !filled.Contains(c.Value.Name)))
        {
            issues.Warning(row.Where, $"Category '{row.Value.Name}' has no finalists.");
        }

        return new ContestDocument(file.Contest, [.. categories.Values.Select(c => c.Value)], finalists, awards);
    }

    private static List<FinalistRecord> ValidateFinalists(
        IReadOnlyList<FileRow<FinalistRecord>> rows, OrderedDictionary<string, FileRow<CategoryRecord>> categories, string mediaRoot, ImportIssues issues)
    {
        var taken = new Dictionary<(string Category, int Order), FileRow<FinalistRecord>>();
        var finalists = new List<FinalistRecord>();
        foreach (var row in rows)
        {
            var f = row.Value;
            var category = CategoryOf(row, f.Category, categories, issues);
            if (OrderOf(row, f.Order, issues) is { } order && category is not null && !taken.TryAdd((category, order), row))
            {
                issues.Error(row.Field("order"), $"Order {order} is used twice in '{category}' (also {taken[(category, order)].Where}).");
            }

            var fileRefused = false;
            CheckFinalist(f, mediaRoot, (field, message) =>
            {
                fileRefused |= field == "file";
                issues.Error(row.Field(field), message);
            });
            if (f.File is not null && !fileRefused && Path.Combine(mediaRoot, f.File) is var path && !File.Exists(path))
            {
                issues.Warning(row.Field("file"), $"Video file not found: {path}");
            }

            finalists.Add(f with { Category = category ?? f.Category });
        }

        return finalists;
    }

    private static List<AwardRecord> ValidateAwards(
        IReadOnlyList<FileRow<AwardRecord>> rows, OrderedDictionary<string, FileRow<CategoryRecord>> categories,
        HashSet<(string Category, int? Order)> finalists, ImportIssues issues)
    {
        var awards = new List<AwardRecord>();
        foreach (var row in rows)
        {
            var a = row.Value;
            CheckAward(a.Name, a.Note, (field, message) => issues.Error(row.Field(field), message));
            var category = CategoryOf(row, a.Category, categories, issues);
            if (OrderOf(row, a.Order, issues) is { } order && category is not null && !finalists.Contains((category, order)))
            {
                issues.Error(row.Field("order"), $"There is no finalist {order} in '{category}'.");
            }

            awards.Add(a with { Category = category ?? a.Category });
        }

        return awards;
    }

    private static void ValidateDetails(ContestDetails contest, ImportIssues issues) =>
        CheckDetails(contest, (field, message) => issues.Error($"contest.{field}", message));

    /// <summary>The contest's details and voting rules; <paramref name="error"/> gets each problem by field
    /// ("voting.scoreMax").</summary>
    public static void CheckDetails(ContestDetails contest, Action<string, string> error)
    {
        CheckText("name", contest.Name, required: true, error);
        if (contest.Year is < 1900 or > 9999)
        {
            error("year", "Must be a year between 1900 and 9999.");
        }

        if (contest.PublicBaseUrl is { } url && PublicBaseUrlProblem(url) is { } problem)
        {
            error("publicBaseUrl", problem);
        }

        var voting = contest.Voting;
        if (voting.ScoreMin is < 0 or > 9)
        {
            error("voting.scoreMin", "Must be a whole number from 0 to 9.");
        }

        if (voting.ScoreMax <= voting.ScoreMin || voting.ScoreMax > 10)
        {
            error("voting.scoreMax", $"Must be more than scoreMin ({voting.ScoreMin}) and at most 10.");
        }

        if (!VotingSettings.Methods.Contains(voting.BestInShowMethod))
        {
            error("voting.bestInShowMethod",
                $"Unknown method '{voting.BestInShowMethod}'. Use {string.Join(" or ", VotingSettings.Methods.Select(m => $"'{m}'"))}.");
        }

        if (voting.AutoCloseMinutes is <= 0 or > MaxMinutes)
        {
            error("voting.autoCloseMinutes", $"Minutes from 1 to {MaxMinutes}, or left out to close categories by hand.");
        }

        // An init-only property: a JSON null reaches it past the serializer's nullability check.
        if (contest.RoomCode is null)
        {
            error("roomCode", "Must be an object, or left out.");
        }
        else if (contest.RoomCode.RotateEveryMinutes is <= 0 or > MaxMinutes)
        {
            error("roomCode.rotateEveryMinutes", $"Minutes from 1 to {MaxMinutes}, or left out to rotate the screen code only at category cards or by hand.");
        }

        if (contest.Judging is null)
        {
            error("judging", "Must be an object, or left out.");
        }
        else if (JudgingScaleProblem(contest.Judging) is { } scale)
        {
            error(scale.Field, scale.Problem);
        }

        if (contest.Entries is null)
        {
            error("entries", "Must be an object, or left out.");
        }
        else
        {
            contest.Entries.Check((field, message) => error($"entries.{field}", message));
        }

        if (!PrizegivingModes.Modes.Contains(contest.Prizegiving))
        {
            error("prizegiving", $"Unknown choice '{contest.Prizegiving}'. Use {string.Join(" or ", PrizegivingModes.Modes.Select(m => $"'{m}'"))}.");
        }

        if (contest.Limits.MaxFileMegabytes <= 0)
        {
            error("limits.maxFileMegabytes", PositiveWholeNumber);
        }

        if (contest.Limits.MaxDurationSeconds <= 0)
        {
            error("limits.maxDurationSeconds", PositiveWholeNumber);
        }

        if (contest.Limits.LoudnessTargetLufs is < ShowLimits.MinLoudnessTargetLufs or > ShowLimits.MaxLoudnessTargetLufs)
        {
            error("limits.loudnessTargetLufs",
                $"Must be a whole number of LUFS from {ShowLimits.MinLoudnessTargetLufs} to {ShowLimits.MaxLoudnessTargetLufs} (EBU R128: -23).");
        }
    }

    /// <summary>Why the judges' scale is refused (the field and the problem), or null: whole numbers from
    /// <see cref="JudgingSettings.Lowest"/> to <see cref="JudgingSettings.Highest"/>, the highest above the lowest.</summary>
    public static (string Field, string Problem)? JudgingScaleProblem(JudgingSettings judging) =>
        judging.Min is < JudgingSettings.Lowest or >= JudgingSettings.Highest
            ? ("judging.min", $"Must be a whole number from {JudgingSettings.Lowest} to {JudgingSettings.Highest - 1} (e.g. 1 for 1–10, -2 for -2…+2).")
            : judging.Max <= judging.Min || judging.Max > JudgingSettings.Highest
                ? ("judging.max", $"Must be more than judging.min ({judging.Min}) and at most {JudgingSettings.Highest}.")
                : null;

    /// <summary>A finalist's own fields (not its category and order, which the import and the editor name differently);
    /// <paramref name="error"/> gets each problem by field ("musicTitle").</summary>
    public static void CheckFinalist(FinalistRecord f, string mediaRoot, Action<string, string> error)
    {
        CheckText("title", f.Title, required: true, error);
        CheckText("musicArtist", f.MusicArtist, required: true, error);
        CheckText("musicTitle", f.MusicTitle, required: true, error);
        CheckText("contentNote", f.ContentNote ?? "", required: false, error);
        if (f.Editors.Count == 0)
        {
            error("editors", "At least one editor is required.");
        }

        foreach (var (field, names) in new[] { ("editors", f.Editors), ("sources", f.Sources) })
        {
            if (names.Count > MaxListItems)
            {
                error(field, $"At most {MaxListItems} names.");
            }
            else if (names.Any(n => n.Contains(ContestCsv.ListSeparator) || n.Length > MaxText))
            {
                error(field, $"A name has at most {MaxText} characters and no '{ContestCsv.ListSeparator}' (the CSV list separator).");
            }
        }

        if (f.File is { } file && VideoPathProblem(file, mediaRoot) is { } problem)
        {
            error("file", problem);
        }
    }

    /// <summary>The first problem of each field a check reports (<see cref="CheckDetails"/>, <see cref="CheckFinalist"/>,
    /// <see cref="CheckAward"/>), as the errors of a 400; null when it reports none.</summary>
    public static Dictionary<string, string[]>? ByField(Action<Action<string, string>> check)
    {
        var errors = new Dictionary<string, string[]>();
        check((field, message) => errors.TryAdd(field, [message]));
        return errors.Count > 0 ? errors : null;
    }

    /// <summary>An award's name and note; <paramref name="error"/> gets each problem by field ("name", "note").</summary>
    public static void CheckAward(string name, string? note, Action<string, string> error)
    {
        CheckText("name", name, required: true, error, MaxAwardName);
        CheckText("note", note ?? "", required: false, error, MaxNote);
    }

    /// <summary>A category's description and finalist limit; <paramref name="error"/> gets each problem by field.</summary>
    public static void CheckCategory(CategoryRecord category, Action<string, string> error)
    {
        if (CategoryNameProblem(category.Name) is { } problem)
        {
            error("name", problem);
        }

        CheckText("description", category.Description, required: false, error, CategoryRecord.MaxDescription);
        if (category.FinalistLimit is < 1 or > CategoryRecord.MaxFinalistLimit)
        {
            error("finalistLimit", $"Must be a whole number from 1 to {CategoryRecord.MaxFinalistLimit}.");
        }
    }

    /// <summary>Why a category's name (trimmed) is refused, or null. Names are unique as <see cref="CategoryNames"/>
    /// compares them.</summary>
    public static string? CategoryNameProblem(string name) =>
        name.Length == 0 ? "A category needs a name." : name.Length > MaxCategoryName ? $"At most {MaxCategoryName} characters." : null;

    /// <summary>Why a finalist's video path is refused, or null. The player gets it as it is and resolves a relative path
    /// against its media folder, so it must lead to a file inside the media root: relative without a '..' that leads
    /// out (a '\' counts as a separator too, as on Windows), or absolute inside the root; no control characters.</summary>
    public static string? VideoPathProblem(string file, string mediaRoot)
    {
        if (file.Length > MaxText)
        {
            return $"At most {MaxText} characters.";
        }

        if (file.Any(char.IsControl))
        {
            return "A file path has no control characters (line breaks, tabs…).";
        }

        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(mediaRoot));
        var portable = file.Replace('\\', '/');
        // "C:…" is a drive on a Windows player even where it is a plain name to this server.
        var otherDrive = !OperatingSystem.IsWindows() && portable.Length > 1 && portable[1] == ':';
        var full = Path.GetFullPath(portable, root);
        var prefix = Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar;
        var inside = full.StartsWith(prefix, OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);
        return inside && !otherDrive
            ? null
            : $"The video must be inside the media folder ({root}): a path relative to it, with no '..' leading out of it.";
    }

    /// <summary>Why a public base URL is refused, or null: it must be an absolute http:// or https:// address with a host,
    /// no spaces or control characters, no query or fragment (the join URL is this address + "/v/{code}").</summary>
    public static string? PublicBaseUrlProblem(string url) =>
        url.Any(c => char.IsControl(c) || char.IsWhiteSpace(c))
        || !Uri.TryCreate(url, UriKind.Absolute, out var uri)
        || uri.Scheme is not ("http" or "https")
        || uri.Host.Length == 0
        || uri.Query.Length > 0
        || uri.Fragment.Length > 0
        || uri.UserInfo.Length > 0
            ? "Must be an absolute http:// or https:// address (such as http://192.168.1.10:5000), with no spaces, query or fragment; or left out."
            : null;

    /// <summary>The valid categories in show order, by name.</summary>
    private static OrderedDictionary<string, FileRow<CategoryRecord>> ValidateCategories(IReadOnlyList<FileRow<CategoryRecord>> rows, ImportIssues issues)
    {
        var categories = new OrderedDictionary<string, FileRow<CategoryRecord>>(CategoryNames);
        foreach (var row in rows)
        {
            var valid = true;
            CheckCategory(row.Value, (field, message) =>
            {
                valid = false;
                // The name is named by the category's place in the list, as when a file gives the name alone.
                issues.Error(field == "name" ? row.Where : $"{row.Where}.{field}", message);
            });
            if (valid && !categories.TryAdd(row.Value.Name, row))
            {
                issues.Error(row.Where, $"Duplicate category '{row.Value.Name}' (also {categories[row.Value.Name].Where}).");
            }
        }

        return categories;
    }

    /// <summary>The category's name as the category list spells it, or null (reported) when there is no such category.</summary>
    private static string? CategoryOf<T>(FileRow<T> row, string name, OrderedDictionary<string, FileRow<CategoryRecord>> categories, ImportIssues issues)
    {
        if (name.Length == 0)
        {
            issues.Error(row.Field("category"), Required);
            return null;
        }

        if (categories.TryGetValue(name, out var category))
        {
            return category.Value.Name;
        }

        issues.Error(row.Field("category"), categories.Count == 0
            ? $"Unknown category '{name}'. There are no categories yet: import a JSON contest file that lists them first."
            : $"Unknown category '{name}'. Known: {string.Join(", ", categories.Values.Select(c => c.Value.Name))}.");
        return null;
    }

    private static int? OrderOf<T>(FileRow<T> row, int? order, ImportIssues issues)
    {
        if (order is > 0)
        {
            return order;
        }

        issues.Error(row.Field("order"), PositiveWholeNumber);
        return null;
    }

    private static void CheckText(string field, string value, bool required, Action<string, string> error, int max = MaxText)
    {
        if (required && value.Length == 0)
        {
            error(field, Required);
        }
        else if (value.Length > max)
        {
            error(field, $"At most {max} characters.");
        }
    }
}
