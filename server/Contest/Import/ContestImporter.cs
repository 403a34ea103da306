namespace AmvScreening.Server.Contest.Import;

public enum ContestFileFormat { Json, Csv }

/// <summary>A problem with one field of one row of a contest file: Field names both, e.g. "row 4: category".</summary>
public sealed record ImportIssue(string Field, string Message);

public sealed record ImportResult(
    bool Applied, IReadOnlyList<ImportIssue> Errors, IReadOnlyList<ImportIssue> Warnings, int Categories, int Finalists);

/// <summary>Imports a contest file, all or nothing. (Stub: being written.)</summary>
public sealed class ContestImporter
{
    public static ContestFileFormat FormatOf(string path) =>
        Path.GetExtension(path).Equals(".csv", StringComparison.OrdinalIgnoreCase) ? ContestFileFormat.Csv : ContestFileFormat.Json;

    public Task<ImportResult> ImportAsync(string text, ContestFileFormat format, bool dryRun, CancellationToken ct = default) =>
        throw new NotImplementedException();
}
