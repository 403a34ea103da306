using System.Security.Claims;
using AmvScreening.Protocol;
using AmvScreening.Server.Auth;
using AmvScreening.Server.Contest.Import;
using AmvScreening.Server.Results;
using AmvScreening.Server.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AmvScreening.Server.Contest;

public static class ContestEndpoints
{
    /// <summary>What the import endpoint answers when the file applied (or would, in a dry run).</summary>
    public sealed record ImportResponse(bool Applied, int Categories, int Finalists, IReadOnlyList<ImportIssue> Warnings);

    private const string NotImported = "The contest file was not imported.";

    public static IServiceCollection AddContest(this IServiceCollection services) =>
        services.AddSingleton<ContestStore>().AddSingleton<ContestImporter>().AddSingleton<ContestEditor>();

    public static IEndpointRouteBuilder MapContest(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/contest").WithTags("Contest");
        group.MapGet("/", GetContest)
            .RequireAuthorization(Roles.Policies.Staff)
            .WithSummary("The whole contest: details, categories, finalists in show order, awards (for the booth: only once they are revealed).");
        group.MapGet("/export", async (ContestStore store, CancellationToken ct) =>
                TypedResults.File(ContestJson.Write(await ExportAsync(store, ct)), "application/json", "contest.json"))
            .RequireAuthorization(Roles.Policies.Coordinator)
            .WithSummary("The whole contest as a JSON contest file (docs/import-formats.md); importing it gives the same contest.");
        group.MapGet("/export.csv", async (ContestStore store, CancellationToken ct) =>
                TypedResults.File(ContestCsv.Write((await ExportAsync(store, ct)).Finalists), CsvFiles.ContentType, "finalists.csv"))
            .RequireAuthorization(Roles.Policies.Coordinator)
            .WithSummary("The finalists as a CSV file (docs/import-formats.md).");
        group.MapPost("/import", Import)
            .RequireAuthorization(Roles.Policies.Coordinator)
            .WithMetadata(new RequestSizeLimitAttribute(ContestImporter.MaxFileBytes))
            .WithSummary("Imports a contest file, all or nothing: JSON (the whole contest) or CSV (the finalists). ?dryRun=true only checks it.");
        return app.MapContestEditing();
    }

    /// <summary>The judges' awards are results: the booth sees them only once they are revealed, the coordinators always.</summary>
    private static async Task<Ok<ContestView>> GetContest(ClaimsPrincipal user, ContestStore store, ResultsService results, CancellationToken ct)
    {
        var contest = await store.GetAsync(ct);
        if (user.IsInRole(Roles.Coordinator))
        {
            return TypedResults.Ok(contest);
        }

        var revealed = (await results.GetPublicAsync(ct)).Awards?.Awards.Select(a => a.Id).ToHashSet() ?? [];
        return TypedResults.Ok(contest with { Awards = contest.Awards.Where(a => revealed.Contains(a.Id)).ToList() });
    }

    private static async Task<ContestDocument> ExportAsync(ContestStore store, CancellationToken ct) => ContestDocument.From(await store.GetAsync(ct));

    private static async Task<Results<Ok<ImportResponse>, ProblemHttpResult>> Import(
        HttpRequest request, ContestImporter importer, CancellationToken ct, bool dryRun = false)
    {
        ContestFileFormat? format = TextFiles.MediaType(request) switch
        {
            "application/json" => ContestFileFormat.Json,
            "text/csv" => ContestFileFormat.Csv,
            _ => null,
        };
        if (format is null)
        {
            return new Refusal(StatusCodes.Status415UnsupportedMediaType, "Unsupported file type.",
                "Send the whole contest as application/json or the finalists as text/csv.").ToProblem();
        }

        if (await TextFiles.ReadUtf8Async(request, ct) is not { } text)
        {
            return Outcomes.Invalid("body", TextFiles.NotUtf8, NotImported);
        }

        var result = await importer.ImportAsync(text, format.Value, dryRun, ct);
        if (result.Errors.Count > 0)
        {
            return Outcomes.Invalid(
                result.Errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
                title: NotImported,
                detail: $"{result.Errors.Count} problem(s) found; nothing was changed.",
                extensions: new Dictionary<string, object?> { ["warnings"] = result.Warnings });
        }

        return TypedResults.Ok(new ImportResponse(result.Applied, result.Categories, result.Finalists, result.Warnings));
    }
}
