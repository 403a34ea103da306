using AmvScreening.Server.Auth;
using AmvScreening.Server.Infrastructure;

namespace AmvScreening.Server.Contest;

/// <summary>Editing the contest from the console: details and voting rules, categories, finalists (coordinators).</summary>
public static class ContestEditEndpoints
{
    /// <summary>A category's name; its description and finalist limit when given (left out: as they were).</summary>
    public sealed record CategoryRequest(string Name, string? Description = null, int? FinalistLimit = null);

    public sealed record CategoryOrderRequest(IReadOnlyList<int> CategoryIds);

    public sealed record EntryOrderRequest(IReadOnlyList<int> EntryIds);

    public static IEndpointRouteBuilder MapContestEditing(this IEndpointRouteBuilder app)
    {
        var contest = app.MapGroup("/api/contest").WithTags("Contest setup").RequireAuthorization(Roles.Policies.Coordinator);
        contest.MapPut("/details", async (ContestDetails request, ContestEditor editor, CancellationToken ct) =>
                (await editor.SetDetailsAsync(request, ct)).ToOk())
            .WithSummary("Replace the contest's details and voting rules (409 votes-recorded: the scale once anyone voted; already-revealed: the Best In Show rules after a reveal).");

        contest.MapPost("/categories", async (CategoryRequest request, ContestEditor editor, CancellationToken ct) =>
                (await editor.AddCategoryAsync(request.Name, request.Description, request.FinalistLimit, ct)).ToCreated(category => $"/api/contest/categories/{category.Id}"))
            .WithSummary("Add a category at the end of the show.");
        contest.MapPut("/categories/{categoryId:int}", async (int categoryId, CategoryRequest request, ContestEditor editor, CancellationToken ct) =>
                (await editor.RenameCategoryAsync(categoryId, request.Name, request.Description, request.FinalistLimit, ct)).ToOk())
            .WithSummary("Rename a category; set its description (on the entry portal's rules page) and finalist limit when given.");
        contest.MapDelete("/categories/{categoryId:int}", async (int categoryId, ContestEditor editor, CancellationToken ct) =>
                (await editor.DeleteCategoryAsync(categoryId, ct)).ToNoContent())
            .WithSummary("Delete an empty category (409 has-finalists).");
        contest.MapPut("/categories/order", async (CategoryOrderRequest request, ContestEditor editor, CancellationToken ct) =>
                (await editor.OrderCategoriesAsync(request.CategoryIds, ct)).ToNoContent())
            .WithSummary("Put the categories in a new show order: every category id once.");
        contest.MapPut("/categories/{categoryId:int}/order", async (int categoryId, EntryOrderRequest request, ContestEditor editor, CancellationToken ct) =>
                (await editor.OrderEntriesAsync(categoryId, request.EntryIds, ct)).ToNoContent())
            .WithSummary("Put a category's finalists in a new order: every finalist id of the category once.");

        contest.MapPost("/entries", async (ContestEditor.EntryFields request, ContestEditor editor, CancellationToken ct) =>
                (await editor.AddEntryAsync(request, ct)).ToCreated(entry => $"/api/contest/entries/{entry.Id}"))
            .WithSummary("Add a finalist at the end of its category.");
        contest.MapPut("/entries/{entryId:int}", async (int entryId, ContestEditor.EntryFields request, ContestEditor editor, CancellationToken ct) =>
                (await editor.UpdateEntryAsync(entryId, request, ct)).ToOk())
            .WithSummary("Replace a finalist's fields, disqualified included (409 votes-recorded: moving a finalist already shown; already-revealed).");
        contest.MapPost("/entries/{entryId:int}/move-to-end", async (int entryId, ContestEditor editor, CancellationToken ct) =>
                (await editor.MoveEntryToEndAsync(entryId, ct)).ToNoContent())
            .WithSummary("Move a finalist to the end of its category (one whose file failed its pre-flight check): 204, 404.");
        contest.MapDelete("/entries/{entryId:int}", async (int entryId, ContestEditor editor, CancellationToken ct) =>
                (await editor.DeleteEntryAsync(entryId, ct)).ToNoContent())
            .WithSummary("Delete a finalist without votes or awards (409 votes-recorded: disqualify it instead; has-awards).");
        return app;
    }
}
