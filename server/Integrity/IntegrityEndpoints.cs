using System.Security.Claims;
using AmvScreening.Protocol;
using AmvScreening.Server.Auth;
using AmvScreening.Server.Infrastructure;
using AmvScreening.Server.Results;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AmvScreening.Server.Integrity;

/// <summary>The coordinator's decisions about flagged clusters (docs/ballot-integrity.md). The clusters themselves are
/// in the tally (GET /api/tallies, <c>flags</c>).</summary>
public static class IntegrityEndpoints
{
    /// <summary>Why: required, shown in the audit export.</summary>
    public sealed record DecisionRequest(string? Note);

    public const int MaxNote = ResultsEndpoints.MaxNote;

    public static IServiceCollection AddIntegrity(this IServiceCollection services) => services.AddSingleton<IntegrityService>();

    public static IEndpointRouteBuilder MapIntegrity(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/integrity").WithTags("Ballot integrity").RequireAuthorization(Roles.Policies.Coordinator);
        group.MapPost("/clusters/{clusterId}/exclude", (string clusterId, DecisionRequest request, ClaimsPrincipal user, ResultsService results,
                CancellationToken ct) => DecideAsync(clusterId, exclude: true, request, user, results, ct))
            .WithSummary("Leave a flagged cluster's ballots out of the tally, with a note (409 reason already-revealed).");
        group.MapPost("/clusters/{clusterId}/include", (string clusterId, DecisionRequest request, ClaimsPrincipal user, ResultsService results,
                CancellationToken ct) => DecideAsync(clusterId, exclude: false, request, user, results, ct))
            .WithSummary("Count an excluded cluster's ballots again (undo), with a note (409 reason not-excluded, already-revealed).");
        group.MapGet("/decisions", async (IntegrityService integrity, CancellationToken ct) =>
                TypedResults.Ok((await integrity.AssessAsync(ct)).Decisions.Select(d => d.Decision).ToList()))
            .WithSummary("Every decision about flagged clusters, in order: who, when, what, why.");
        group.MapGet("/decisions.csv", async (IntegrityService integrity, CancellationToken ct) =>
                TypedResults.File(
                    ResultsCsv.Decisions((await integrity.AssessAsync(ct)).Decisions.Select(d => d.Decision).ToList()),
                    CsvFiles.ContentType, "flag-decisions.csv"))
            .WithSummary("The decisions about flagged clusters as CSV, for the audit.");
        return app;
    }

    private static async Task<Results<Ok<FlagCluster>, NotFound, ProblemHttpResult>> DecideAsync(
        string clusterId, bool exclude, DecisionRequest request, ClaimsPrincipal user, ResultsService results, CancellationToken ct)
    {
        var note = request.Note?.Trim() ?? "";
        if (note.Length is 0 or > MaxNote)
        {
            return Outcomes.Invalid("note", $"Say why, in 1 to {MaxNote} characters: the note is kept in the audit export.");
        }

        var decidedBy = user.FindFirstValue(ClaimTypes.Name) ?? Roles.Coordinator;
        return (await results.DecideFlagAsync(clusterId, exclude, note, decidedBy, ct)).ToOk();
    }
}
