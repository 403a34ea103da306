using System.Text.Json;
using System.Text.Json.Serialization;

namespace AmvScreening.Server.Contest.Import;

/// <summary>A contest file (docs/import-formats.md): what export writes and what a validated import applies.
/// <see cref="Contest"/> is null for a finalists-only (CSV) import, which keeps the contest's details and categories.</summary>
public sealed record ContestDocument(
    ContestDetails? Contest,
    IReadOnlyList<CategoryRecord> Categories,
    IReadOnlyList<FinalistRecord> Finalists,
    IReadOnlyList<AwardRecord> Awards)
{
    /// <summary>The stored contest as a file: finalists name their category and order, awards the finalist's.</summary>
    public static ContestDocument From(ContestView view)
    {
        var categories = view.Categories.ToDictionary(c => c.Id, c => c.Name);
        var finalists = view.Entries.Select(e => new FinalistRecord(
            categories[e.CategoryId], e.Position, e.Title, e.Editors, e.MusicArtist, e.MusicTitle, e.Sources,
            e.VideoPath, e.ContentNote, e.Disqualified)).ToList();
        var byEntryId = view.Entries.Zip(finalists).ToDictionary(pair => pair.First.Id, pair => pair.Second);
        return new ContestDocument(
            view.Contest,
            [.. view.Categories.Select(c => new CategoryRecord(c.Name, c.Description, c.FinalistLimit))],
            finalists,
            [.. view.Awards.Select(a => new AwardRecord(a.Name, byEntryId[a.EntryId].Category, byEntryId[a.EntryId].Order, a.Note))]);
    }
}

/// <summary>A finalist: its category by name and its order within the category (from 1), as in a CSV row.</summary>
public sealed record FinalistRecord(
    string Category,
    int? Order,
    string Title,
    IReadOnlyList<string> Editors,
    string MusicArtist,
    string MusicTitle,
    IReadOnlyList<string> Sources,
    string? File = null,
    string? ContentNote = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool Disqualified = false);

/// <summary>A judges' or coordinators' award, naming its finalist by category and order.</summary>
public sealed record AwardRecord(string Name, string Category, int? Order, string? Note = null);

/// <summary>A value read from a contest file and where it stood, to name its fields in the file's own terms:
/// "row 4: music_artist" in a CSV file (line 4), "finalists[3].musicArtist" in a JSON file.</summary>
internal sealed record FileRow<T>(T Value, string Where, ContestFileFormat Format)
{
    /// <summary>The field by its JSON name; CSV columns are the same names in snake_case.</summary>
    public string Field(string jsonName) => Format == ContestFileFormat.Csv
        ? $"{Where}: {JsonNamingPolicy.SnakeCaseLower.ConvertName(jsonName)}"
        : $"{Where}.{jsonName}";
}

/// <summary>A contest file as read, before validation: text trimmed, values of the wrong type left empty (the reader
/// has reported them). <see cref="Contest"/> is null for CSV, whose categories are the stored ones.</summary>
internal sealed record ContestFile(
    ContestDetails? Contest,
    IReadOnlyList<FileRow<CategoryRecord>> Categories,
    IReadOnlyList<FileRow<FinalistRecord>> Finalists,
    IReadOnlyList<FileRow<AwardRecord>> Awards)
{
    /// <summary>Left by some editors at the start of a UTF-8 file; the readers skip it.</summary>
    public const char ByteOrderMark = '\uFEFF';
}

/// <summary>The problems found in a file. One error per field, the first found: a value of the wrong type is not also
/// reported as out of range.</summary>
internal sealed class ImportIssues
{
    private readonly List<ImportIssue> _errors = [];
    private readonly List<ImportIssue> _warnings = [];

    public IReadOnlyList<ImportIssue> Errors => _errors;
    public IReadOnlyList<ImportIssue> Warnings => _warnings;

    public void Error(string field, string message)
    {
        if (!_errors.Exists(e => e.Field == field))
        {
            _errors.Add(new ImportIssue(field, message));
        }
    }

    public void Warning(string field, string message) => _warnings.Add(new ImportIssue(field, message));
}
