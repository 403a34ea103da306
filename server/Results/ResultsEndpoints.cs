using AmvScreening.Protocol;
using AmvScreening.Server.Auth;
using AmvScreening.Server.Contest;
using AmvScreening.Server.Infrastructure;
using AmvScreening.Server.Voting;
using Microsoft.AspNetCore.Http.HttpResults;
using static AmvScreening.Protocol.ResultsContract;

namespace AmvScreening.Server.Results;

public static class ResultsEndpoints
{
    /// <summary>Paper ballots of one entry: score → number of ballots.</summary>
    public sealed record PaperRequest(IReadOnlyDictionary<int, int> Counts);

    /// <summary>An award for one finalist; <paramref name="EntryId"/> left out or 0 is refused as "choose a finalist".</summary>
    public sealed record AwardRequest(string Name, int? EntryId, string? Note = null);

    /// <summary>The coordinator's choice among entries tied at the top: scope <c>category:{id}</c> or <c>best-in-show</c>.</summary>
    public sealed record TieDecisionRequest(string Scope, int EntryId, string? Note = null);

    public const int MaxPaperCount = 1_000_000;
    /// <summary>The longest note of a tie decision or a flag decision: as long as an award's.</summary>
    public const int MaxNote = ContestValidator.MaxNote;

    public static IServiceCollection AddResults(this IServiceCollection services) =>
        services.AddSingleton<ResultsService>()
            .AddSingleton(Ceremony.CreateRenderer)
            .AddSingleton<Ceremony>()
            .AddSingleton<TallyPusher>()
            .AddHostedService(sp => sp.GetRequiredService<TallyPusher>());

    public static IEndpointRouteBuilder MapResults(this IEndpointRouteBuilder app)
    {
        var open = app.MapGroup("/api/results").WithTags("Results");
        open.MapGet("/", async (ResultsService results, CancellationToken ct) => TypedResults.Ok(await results.GetPublicAsync(ct)))
            .WithSummary("What has been revealed: category winners, Best In Show, awards (public; nothing about scores).");
        open.MapGet("/categories/{categoryId:int}", GetCategory)
            .WithSummary("A category's winner once revealed (public); 403 before.");

        var results = app.MapGroup("/api/results").WithTags("Results").RequireAuthorization(Roles.Policies.Coordinator);
        results.MapPost("/reveal/categories/{categoryId:int}", (int categoryId, ResultsService service, CancellationToken ct) =>
                RevealAsync(service, Scopes.Category(categoryId), ct))
            .WithSummary("Reveal a category's winner (409 reason: category-open, no-votes, tie-undecided, best-in-show-undecided).");
        results.MapPost("/reveal/best-in-show", (ResultsService service, CancellationToken ct) => RevealAsync(service, Scopes.BestInShow, ct))
            .WithSummary("Reveal Best In Show (409 reason: categories-not-revealed, ballot-open, no-votes, tie-undecided).");
        results.MapPost("/reveal/awards", (ResultsService service, CancellationToken ct) => RevealAsync(service, Scopes.Awards, ct))
            .WithSummary("Reveal every judges' award at once, and any given after.");
        results.MapPost("/reveal/awards/{awardId:int}", (int awardId, ResultsService service, CancellationToken ct) =>
                RevealAsync(service, Scopes.Award(awardId), ct))
            .WithSummary("Reveal one judges' award (the prizegiving reveals them one by one); 404 for an award not given.");
        results.MapPost("/ties", DecideTie)
            .WithSummary("Decide a tie at the top of a prize not yet revealed (409 reason: not-tied, already-revealed).");
        results.MapGet("/export.json", async (ResultsService service, CancellationToken ct) => TypedResults.Ok(await service.ExportAsync(ct)))
            .WithSummary("Every ranked finalist: category, title, editors, mean, count, votes by score online and on paper, rank, awards, Best In Show picks.");
        results.MapGet("/export.csv", async (ResultsService service, VotingState voting, CancellationToken ct) =>
                TypedResults.File(ResultsCsv.Results(await service.ExportAsync(ct), voting.ScoreMin, voting.ScoreMax), CsvFiles.ContentType, "results.csv"))
            .WithSummary("The results export as CSV.");

        app.MapGet("/api/turnout", async (ResultsService service, CancellationToken ct) => TypedResults.Ok(ResultsService.TurnoutOf((await service.GetAsync(ct)).Tally)))
            .WithTags("Results").RequireAuthorization(Roles.Policies.Staff)
            .WithSummary("Turnout for the booth and coordinators: votes per finalist, phones that voted per category; no score.");

        var coordinator = app.MapGroup("/api").WithTags("Results").RequireAuthorization(Roles.Policies.Coordinator);
        coordinator.MapGet("/tallies", async (ResultsService service, CancellationToken ct) => TypedResults.Ok((await service.GetAsync(ct)).Tally))
            .WithSummary("The full tally: per category status, ranking, votes by score, ties and winner; Best In Show; awards.");
        coordinator.MapPut("/entries/{entryId:int}/paper", SetPaper)
            .WithSummary("Replace an entry's paper ballot counts: { \"counts\": { \"5\": 10, \"4\": 3 } } (409 reason already-revealed).");
        coordinator.MapGet("/awards", async (ResultsService service, CancellationToken ct) => TypedResults.Ok((await service.GetAsync(ct)).Tally.Awards))
            .WithSummary("The awards given and the names the console offers.");
        coordinator.MapPost("/awards", AddAward).WithSummary("Give an award (any name; see the presets).");
        coordinator.MapDelete("/awards/{awardId:int}", async Task<Results<NoContent, NotFound>> (int awardId, ResultsService service, CancellationToken ct) =>
                await service.RemoveAwardAsync(awardId, ct) ? TypedResults.NoContent() : TypedResults.NotFound())
            .WithSummary("Take an award back.");
        coordinator.MapGet("/ceremony", async (Ceremony ceremony, CancellationToken ct) => TypedResults.Ok(await ceremony.GetAsync(ct)))
            .WithSummary("The prizegiving's steps: per category its nominees then its winner, Best In Show, the awards; each with the presenter's line.");
        coordinator.MapGet("/ceremony/slate.svg", async Task<Results<ContentHttpResult, NotFound, ProblemHttpResult>> (
                string kind, string scope, Ceremony ceremony, CancellationToken ct) =>
                (await ceremony.PreviewAsync(new CeremonyStepRequest(kind, scope), ct)) switch
                {
                    { Value: { } svg } => TypedResults.Text(svg, "image/svg+xml"),
                    { Refusal: { } refusal } => refusal.ToProblem(),
                    _ => TypedResults.NotFound(),
                })
            .WithSummary("A step's slate, privately (rehearsal): the SVG the player will show (?kind=nominees|prize&scope=category:3).");
        coordinator.MapPost("/ceremony/show", async (CeremonyStepRequest request, Ceremony ceremony, CancellationToken ct) =>
                (await ceremony.ShowAsync(request, ct)).ToOk())
            .WithSummary("Put a step on the projector; a prize is revealed first (409 reasons as the reveal's).");
        coordinator.MapGet("/votes/export.csv", async (ResultsService service, CancellationToken ct) =>
                TypedResults.File(ResultsCsv.Ballots(await service.ExportBallotsAsync(ct)), CsvFiles.ContentType, "votes.csv"))
            .WithSummary("Every vote and Best In Show pick for audit, voters by pseudonym.");
        return app;
    }

    private static async Task<Results<Ok<RevealedCategory>, NotFound, ProblemHttpResult>> GetCategory(
        int categoryId, ResultsService service, ContestStore contest, CancellationToken ct)
    {
        if (!await contest.CategoryExistsAsync(categoryId, ct))
        {
            return TypedResults.NotFound();
        }

        return (await service.GetPublicAsync(ct)).Categories.FirstOrDefault(c => c.CategoryId == categoryId) is { } revealed
            ? TypedResults.Ok(revealed)
            : new Refusal(StatusCodes.Status403Forbidden, "Not revealed yet.", "This category's winner has not been announced yet.").ToProblem();
    }

    private static async Task<Results<Ok<PublicResults>, NotFound, ProblemHttpResult>> RevealAsync(ResultsService service, string scope, CancellationToken ct) =>
        (await service.RevealAsync(scope, ct)).ToOk();

    private static async Task<Results<Ok<PrizeOutcome>, NotFound, ProblemHttpResult>> DecideTie(
        TieDecisionRequest request, ResultsService service, CancellationToken ct)
    {
        var isCategory = request.Scope.StartsWith(Scopes.CategoryPrefix, StringComparison.Ordinal)
            && int.TryParse(request.Scope.AsSpan(Scopes.CategoryPrefix.Length), System.Globalization.NumberStyles.None, null, out _);
        if (!isCategory && request.Scope != Scopes.BestInShow)
        {
            return Outcomes.Invalid("scope", $"The scope is '{Scopes.CategoryPrefix}{{category id}}' or '{Scopes.BestInShow}'.");
        }

        return request.Note?.Length > MaxNote
            ? Outcomes.Invalid("note", $"At most {MaxNote} characters.")
            : (await service.DecideTieAsync(request.Scope, request.EntryId, Blank(request.Note), ct)).ToOk();
    }

    private static async Task<Results<Ok<PaperCounts>, NotFound, ProblemHttpResult>> SetPaper(
        int entryId, PaperRequest request, ResultsService service, VotingState voting, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        foreach (var (score, count) in request.Counts)
        {
            if (score < voting.ScoreMin || score > voting.ScoreMax)
            {
                errors[$"counts.{score}"] = [$"Scores run from {voting.ScoreMin} to {voting.ScoreMax}."];
            }
            else if (count is < 0 or > MaxPaperCount)
            {
                errors[$"counts.{score}"] = [$"A count is a whole number from 0 to {MaxPaperCount}."];
            }
        }

        return errors.Count > 0 ? Outcomes.Invalid(errors) : (await service.SetPaperCountsAsync(entryId, request.Counts, ct)).ToOk();
    }

    private static async Task<Results<Created<AwardSummary>, ProblemHttpResult>> AddAward(
        AwardRequest request, ResultsService service, CancellationToken ct)
    {
        var (name, note) = (request.Name?.Trim() ?? "", Blank(request.Note));
        if (ContestValidator.ByField(error =>
            {
                ContestValidator.CheckAward(name, note, error);
                if (request.EntryId is not > 0)
                {
                    error("entryId", "Choose the finalist who gets the award.");
                }
            }) is { } errors)
        {
            return Outcomes.Invalid(errors);
        }

        var added = await service.AddAwardAsync(name, request.EntryId!.Value, note, ct);
        return added.Value is { } award
            ? TypedResults.Created($"/api/awards/{award.Id}", award)
            : Outcomes.Invalid("entryId", "There is no finalist with that id.");
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
