namespace AmvScreening.Server.Contest.Import;

/// <summary>Checks a contest file as read, whatever its format, and reports every problem it finds; the database
/// refuses the same things again through its constraints.</summary>
internal static class ContestValidator
{
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
        foreach (var row in categories.Values.Where(c => !filled.Contains(c.Value)))
        {
            issues.Warning(row.Where, $"Category '{row.Value}' has no finalists.");
        }

        return new ContestDocument(file.Contest, [.. categories.Values.Select(c => c.Value)], finalists, awards);
    }

    private static List<FinalistRecord> ValidateFinalists(
        IReadOnlyList<FileRow<FinalistRecord>> rows, OrderedDictionary<string, FileRow<string>> categories, string mediaRoot, ImportIssues issues)
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

            RequireText(row, "title", f.Title, issues);
            if (f.Editors.Count == 0)
            {
                issues.Error(row.Field("editors"), "At least one editor is required.");
            }

            RequireText(row, "musicArtist", f.MusicArtist, issues);
            RequireText(row, "musicTitle", f.MusicTitle, issues);
            if (f.File is not null && Path.Combine(mediaRoot, f.File) is var path && !File.Exists(path))
            {
                issues.Warning(row.Field("file"), $"Video file not found: {path}");
            }

            finalists.Add(f with { Category = category ?? f.Category });
        }

        return finalists;
    }

    private static List<AwardRecord> ValidateAwards(
        IReadOnlyList<FileRow<AwardRecord>> rows, OrderedDictionary<string, FileRow<string>> categories,
        HashSet<(string Category, int? Order)> finalists, ImportIssues issues)
    {
        var awards = new List<AwardRecord>();
        foreach (var row in rows)
        {
            var a = row.Value;
            RequireText(row, "name", a.Name, issues);
            var category = CategoryOf(row, a.Category, categories, issues);
            if (OrderOf(row, a.Order, issues) is { } order && category is not null && !finalists.Contains((category, order)))
            {
                issues.Error(row.Field("order"), $"There is no finalist {order} in '{category}'.");
            }

            awards.Add(a with { Category = category ?? a.Category });
        }

        return awards;
    }

    /// <summary>The longest contest name and the most minutes a rotation or an auto-close may wait.</summary>
    public const int MaxName = 300;
    public const int MaxMinutes = 24 * 60;

    private static void ValidateDetails(ContestDetails contest, ImportIssues issues) =>
        CheckDetails(contest, (field, message) => issues.Error($"contest.{field}", message));

    /// <summary>The rules of a contest's details, for the import and the console's editor alike: each problem goes to
    /// <paramref name="error"/> with its field ("voting.scoreMax", "roomCode.rotateEveryMinutes").</summary>
    public static void CheckDetails(ContestDetails contest, Action<string, string> error)
    {
        if (contest.Name.Trim().Length == 0)
        {
            error("name", Required);
        }
        else if (contest.Name.Length > MaxName)
        {
            error("name", $"At most {MaxName} characters.");
        }

        if (contest.Year is < 1900 or > 9999)
        {
            error("year", "Must be a year between 1900 and 9999.");
        }

        if (contest.PublicBaseUrl is { } url && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)))
        {
            error("publicBaseUrl", "Must be an absolute http:// or https:// address, or left out.");
        }

        var voting = contest.Voting;
        if (voting.ScoreMin is < 0 or > 9)
        {
            error("voting.scoreMin", "Must be a whole number from 0 to 9.");
        }

        if (voting.ScoreMax <= voting.ScoreMin || voting.ScoreMax > 10)
        {
            error("voting.scoreMax", $"Must be more than the lowest score ({voting.ScoreMin}) and at most 10.");
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

        if (contest.RoomCode.RotateEveryMinutes is <= 0 or > MaxMinutes)
        {
            error("roomCode.rotateEveryMinutes", $"Minutes from 1 to {MaxMinutes}, or left out to rotate the screen code only at category cards or by hand.");
        }

        if (contest.Limits.MaxFileMegabytes <= 0)
        {
            error("limits.maxFileMegabytes", PositiveWholeNumber);
        }

        if (contest.Limits.MaxDurationSeconds <= 0)
        {
            error("limits.maxDurationSeconds", PositiveWholeNumber);
        }
    }

    /// <summary>The valid categories in show order, by name (names compare ignoring case, as the database does).</summary>
    private static OrderedDictionary<string, FileRow<string>> ValidateCategories(IReadOnlyList<FileRow<string>> rows, ImportIssues issues)
    {
        var categories = new OrderedDictionary<string, FileRow<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var row in rows)
        {
            if (row.Value.Length == 0)
            {
                issues.Error(row.Where, "A category needs a name.");
            }
            else if (!categories.TryAdd(row.Value, row))
            {
                issues.Error(row.Where, $"Duplicate category '{row.Value}' (also {categories[row.Value].Where}).");
            }
        }

        return categories;
    }

    /// <summary>The category's name as the category list spells it, or null (reported) when there is no such category.</summary>
    private static string? CategoryOf<T>(FileRow<T> row, string name, OrderedDictionary<string, FileRow<string>> categories, ImportIssues issues)
    {
        if (name.Length == 0)
        {
            issues.Error(row.Field("category"), Required);
            return null;
        }

        if (categories.TryGetValue(name, out var category))
        {
            return category.Value;
        }

        issues.Error(row.Field("category"), categories.Count == 0
            ? $"Unknown category '{name}'. There are no categories yet: import a JSON contest file that lists them first."
            : $"Unknown category '{name}'. Known: {string.Join(", ", categories.Values.Select(c => c.Value))}.");
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

    private static void RequireText<T>(FileRow<T> row, string field, string value, ImportIssues issues)
    {
        if (value.Length == 0)
        {
            issues.Error(row.Field(field), Required);
        }
    }
}
