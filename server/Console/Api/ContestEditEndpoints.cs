using AmvScreening.Server.Auth;
using AmvScreening.Server.Contest;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AmvScreening.Server.Consoles.Api;

/// <summary>Editing the contest from the console: details and voting rules, categories, finalists (coordinators).</summary>
public static class ContestEditEndpoints
{
    public sealed record CategoryRequest(string Name);

    public sealed record CategoryOrderRequest(IReadOnlyList<int> CategoryIds);

    public sealed record EntryOrderRequest(IReadOnlyList<int> EntryIds);

    public static IEndpointRouteBuilder MapContestEditing(this IEndpointRouteBuilder app)
    {
        var contest = app.MapGroup("/api/contest").WithTags("Contest setup").RequireAuthorization(Roles.Policies.Coordinator);
        contest.MapPut("/details", async (ContestDetails request, ContestEditor editor, CancellationToken ct) =>
                Answer(await editor.SetDetailsAsync(Trim(request), ct)))
            .WithSummary("Replace the contest's details and voting rules (409 votes-recorded: the scale once anyone voted; already-revealed: the Best In Show rules after a reveal).");

        contest.MapPost("/categories", async Task<Results<Created<Category>, ProblemHttpResult>> (CategoryRequest request, ContestEditor editor, CancellationToken ct) =>
            {
                var outcome = await editor.AddCategoryAsync(request.Name, ct);
                return outcome.Value is { } category ? TypedResults.Created($"/api/contest/categories/{category.Id}", category) : Problem(outcome);
            })
            .WithSummary("Add a category at the end of the show.");
        contest.MapPut("/categories/{categoryId:int}", async (int categoryId, CategoryRequest request, ContestEditor editor, CancellationToken ct) =>
                Answer(await editor.RenameCategoryAsync(categoryId, request.Name, ct)))
            .WithSummary("Rename a category.");
        contest.MapDelete("/categories/{categoryId:int}", async (int categoryId, ContestEditor editor, CancellationToken ct) =>
                NoContent(await editor.DeleteCategoryAsync(categoryId, ct)))
            .WithSummary("Delete an empty category (409 has-finalists).");
        contest.MapPut("/categories/order", async (CategoryOrderRequest request, ContestEditor editor, CancellationToken ct) =>
                NoContent(await editor.OrderCategoriesAsync(request.CategoryIds, ct)))
            .WithSummary("Put the categories in a new show order: every category id once.");
        contest.MapPut("/categories/{categoryId:int}/order", async (int categoryId, EntryOrderRequest request, ContestEditor editor, CancellationToken ct) =>
                NoContent(await editor.OrderEntriesAsync(categoryId, request.EntryIds, ct)))
            .WithSummary("Put a category's finalists in a new order: every finalist id of the category once.");

        contest.MapPost("/entries", async Task<Results<Created<Entry>, ProblemHttpResult>> (ContestEditor.EntryFields request, ContestEditor editor, CancellationToken ct) =>
            {
                var outcome = await editor.AddEntryAsync(request.Trimmed(), ct);
                return outcome.Value is { } entry ? TypedResults.Created($"/api/contest/entries/{entry.Id}", entry) : Problem(outcome);
            })
            .WithSummary("Add a finalist at the end of its category.");
        contest.MapPut("/entries/{entryId:int}", async (int entryId, ContestEditor.EntryFields request, ContestEditor editor, CancellationToken ct) =>
                Answer(await editor.UpdateEntryAsync(entryId, request.Trimmed(), ct)))
            .WithSummary("Replace a finalist's fields, disqualified included (409 votes-recorded: moving a finalist already shown; already-revealed).");
        contest.MapPost("/entries/{entryId:int}/move-to-end", async (int entryId, ContestEditor editor, CancellationToken ct) =>
                NoContent(await editor.MoveEntryToEndAsync(entryId, ct)))
            .WithSummary("Move a finalist to the end of its category (one whose file failed its pre-flight check): 204, 404.");
        contest.MapDelete("/entries/{entryId:int}", async (int entryId, ContestEditor editor, CancellationToken ct) =>
                NoContent(await editor.DeleteEntryAsync(entryId, ct)))
            .WithSummary("Delete a finalist without votes or awards (409 votes-recorded: disqualify it instead; has-awards).");
        return app;
    }

    private static ContestDetails Trim(ContestDetails details) => details with
    {
        Name = details.Name.Trim(),
        // Spaces around are trimmed; a line break or other control character stays, to be refused.
        PublicBaseUrl = string.IsNullOrWhiteSpace(details.PublicBaseUrl) ? null : details.PublicBaseUrl.Trim(' '),
    };

    private static Results<Ok<T>, NotFound, ProblemHttpResult> Answer<T>(EditOutcome<T> outcome) =>
        outcome.Missing ? TypedResults.NotFound()
        : outcome.Errors is not null || outcome.Refusal is not null ? Problem(outcome)
        : TypedResults.Ok(outcome.Value!);

    private static Results<NoContent, NotFound, ProblemHttpResult> NoContent(EditOutcome<bool> outcome) =>
        outcome.Missing ? TypedResults.NotFound()
        : outcome.Errors is not null || outcome.Refusal is not null ? Problem(outcome)
        : TypedResults.NoContent();

    /// <summary>400 with the errors by field, or 409 with the <c>reason</c> and the field at fault.</summary>
    private static ProblemHttpResult Problem<T>(EditOutcome<T> outcome) => outcome.Refusal is { } reason
        ? TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { [outcome.RefusalField!] = [outcome.Detail!] })
        {
            Title = "Not now.",
            Detail = outcome.Detail,
            Status = StatusCodes.Status409Conflict,
            Extensions = { ["reason"] = reason },
        })
        : TypedResults.Problem(new HttpValidationProblemDetails((outcome.Errors ?? new Dictionary<string, string[]>()).ToDictionary())
        {
            Title = "The request is not valid.",
            Status = StatusCodes.Status400BadRequest,
        });
}
