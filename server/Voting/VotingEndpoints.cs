using AmvScreening.Protocol;
using AmvScreening.Server.Auth;
using AmvScreening.Server.Infrastructure;
using AmvScreening.Server.Results;
using Dapper;
using AmvScreening.Server.Data;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AmvScreening.Server.Voting;

public static class VotingEndpoints
{
    /// <summary>Join with the screen code or a poster's code (<c>roomCode</c>), or with a ballot card's key
    /// (<c>cardKey</c>, with <c>device</c>: the phone's own id, the same every time).</summary>
    public sealed record JoinRequest(string? RoomCode = null, string? CardKey = null, string? Device = null);

    /// <summary>The voter token and how the phone joined: <c>screen</c>, <c>poster</c> or <c>card</c>.</summary>
    public sealed record JoinResponse(string Token, string Via);

    /// <summary>A score. <c>sequence</c> (optional) is the phone's own counter: a retried older request never replaces a newer vote.</summary>
    public sealed record VoteRequest(int Score, long Sequence = 0);

    public sealed record PickRequest(int EntryId, long Sequence = 0);

    public sealed record VoteResponse(int EntryId, int Score, DateTimeOffset SavedAt);

    public sealed record PickResponse(int EntryId, DateTimeOffset SavedAt);

    /// <summary>A voter's own ballots: entry id → score, and the Best In Show pick.</summary>
    public sealed record MyVotes(IReadOnlyDictionary<int, int> Scores, int? BestInShow);

    public static IServiceCollection AddVoting(this IServiceCollection services) =>
        services.AddSingleton<VoterTokens>()
            .AddSingleton<VoterRegistry>()
            .AddSingleton<JoinGuard>()
            .AddSingleton<VoterJoin>()
            .AddHostedService(sp => sp.GetRequiredService<VoterRegistry>())
            .AddSingleton<VotingState>()
            .AddSingleton<VoteWriter>()
            .AddHostedService(sp => sp.GetRequiredService<VoteWriter>())
            .AddHostedService<VotingState.AutoCloser>();

    public static IEndpointRouteBuilder MapVoting(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/voters", Join).WithTags("Voting").RequireRateLimiting(RateLimits.Join)
            .WithSummary("Join with the screen or poster code, or a ballot card's key: returns a voter token (also set as an HttpOnly cookie).");
        app.MapGet("/api/voting", (VotingState voting) => TypedResults.Ok(voting.Snapshot())).WithTags("Voting")
            .WithSummary("What takes votes now: the scale, each category's status and votable entries, the Best In Show ballot (public).");

        var voter = app.MapGroup("/api").WithTags("Voting").AddEndpointFilter(RequireVoter).RequireRateLimiting(RateLimits.Voter);
        voter.MapGet("/votes", GetMine).WithSummary("The voter's own scores and Best In Show pick.");
        voter.MapPut("/votes/{entryId:int}", Vote)
            .WithSummary("Rate an entry (idempotent: the same request again counts once; voting again replaces the score).");
        voter.MapPut("/best-in-show", Pick).WithSummary("Pick a Best In Show (one per voter, changeable while the ballot is open).");

        // One literal route per action, each bound to its own mode: an action the routes do not name is a 404, and the
        // path is matched ignoring case like every other path (…/CLOSE closes).
        var coordinator = app.MapGroup("/api/voting").WithTags("Voting control").RequireAuthorization(Roles.Policies.Coordinator);
        coordinator.MapPost("/categories/{categoryId:int}/open", (int categoryId, VotingState voting, ResultsService results, CancellationToken ct) =>
                SetCategory(categoryId, VotingState.Mode.Open, voting, results, ct))
            .WithSummary("Open a category by hand: all its entries take votes.");
        coordinator.MapPost("/categories/{categoryId:int}/close", (int categoryId, VotingState voting, ResultsService results, CancellationToken ct) =>
                SetCategory(categoryId, VotingState.Mode.Closed, voting, results, ct))
            .WithSummary("Close a category's voting.");
        coordinator.MapPost("/categories/{categoryId:int}/auto", (int categoryId, VotingState voting, ResultsService results, CancellationToken ct) =>
                SetCategory(categoryId, VotingState.Mode.Auto, voting, results, ct))
            .WithSummary("Go back to opening a category's entries as they play.");
        coordinator.MapPost("/best-in-show/open", (VotingState voting, ResultsService results, CancellationToken ct) =>
                SetBallot(BallotStatus.Open, voting, results, ct))
            .WithSummary("Open the Best In Show ballot.");
        coordinator.MapPost("/best-in-show/close", (VotingState voting, ResultsService results, CancellationToken ct) =>
                SetBallot(BallotStatus.Closed, voting, results, ct))
            .WithSummary("Close the Best In Show ballot.");
        return app;
    }

    private static Task<Results<Created<JoinResponse>, ProblemHttpResult>> Join(
        JoinRequest request, VoterJoin join, HttpContext context, CancellationToken ct) => join.JoinAsync(request, context, ct);

    private static async Task<Ok<MyVotes>> GetMine(HttpContext context, Db db, CancellationToken ct)
    {
        var voter = VoterOf(context);
        await using var connection = await db.OpenAsync(ct);
        var scores = (await connection.QueryAsync<(long EntryId, long Score)>(
            "SELECT entry_id, score FROM votes WHERE voter = @voter", new { voter })).ToDictionary(r => (int)r.EntryId, r => (int)r.Score);
        var pick = await connection.QuerySingleOrDefaultAsync<int?>("SELECT entry_id FROM best_in_show_picks WHERE voter = @voter", new { voter });
        return TypedResults.Ok(new MyVotes(scores, pick));
    }

    private static async Task<Results<Ok<VoteResponse>, ProblemHttpResult>> Vote(
        int entryId, VoteRequest request, HttpContext context, VoteWriter writer, CancellationToken ct)
    {
        var outcome = await writer.SubmitAsync(new Ballot(VoterOf(context), entryId, request.Score, request.Sequence), ct);
        return outcome.Refusal == VotingState.Refusal.None
            ? TypedResults.Ok(new VoteResponse(entryId, outcome.Stored!.Value, outcome.At!.Value))
            : Refused(outcome.Refusal, context.RequestServices.GetRequiredService<VotingState>());
    }

    private static async Task<Results<Ok<PickResponse>, ProblemHttpResult>> Pick(
        PickRequest request, HttpContext context, VoteWriter writer, CancellationToken ct)
    {
        var outcome = await writer.SubmitAsync(new Ballot(VoterOf(context), request.EntryId, null, request.Sequence), ct);
        return outcome.Refusal == VotingState.Refusal.None
            ? TypedResults.Ok(new PickResponse(outcome.Stored!.Value, outcome.At!.Value))
            : Refused(outcome.Refusal, context.RequestServices.GetRequiredService<VotingState>());
    }

    private static async Task<Results<Ok<VotingSnapshot>, NotFound, ProblemHttpResult>> SetCategory(
        int categoryId, VotingState.Mode mode, VotingState voting, ResultsService results, CancellationToken ct)
    {
        if (mode != VotingState.Mode.Closed && await results.IsRevealedAsync(ResultsContract.Scopes.Category(categoryId), ct))
        {
            return AlreadyRevealed();
        }

        return await voting.SetCategoryAsync(categoryId, mode, ct) ? TypedResults.Ok(voting.Snapshot()) : TypedResults.NotFound();
    }

    private static async Task<Results<Ok<VotingSnapshot>, ProblemHttpResult>> SetBallot(
        BallotStatus status, VotingState voting, ResultsService results, CancellationToken ct)
    {
        if (status == BallotStatus.Open && await results.IsRevealedAsync(ResultsContract.Scopes.BestInShow, ct))
        {
            return AlreadyRevealed();
        }

        await voting.SetBallotAsync(status, ct);
        return TypedResults.Ok(voting.Snapshot());
    }

    /// <summary>A revealed result is final: its voting does not reopen.</summary>
    private static ProblemHttpResult AlreadyRevealed() =>
        NotOpen(ResultsContract.Reasons.AlreadyRevealed, "Its result has been revealed: voting cannot reopen.").ToProblem();

    /// <summary>Every voter endpoint needs a valid voter token (header or cookie); in a contest that votes with ballot
    /// cards, only a card's token votes.</summary>
    private static async ValueTask<object?> RequireVoter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var tokens = http.RequestServices.GetRequiredService<VoterTokens>();
        if (!tokens.TryValidate(VoterTokens.FromRequest(http.Request), out var voter, out var card, out var failure))
        {
            return new Refusal(StatusCodes.Status401Unauthorized, "No valid voter token.", VoterTokens.Explain(failure), Field: "token").ToProblem();
        }

        if (!card && !HttpMethods.IsGet(http.Request.Method) && http.RequestServices.GetRequiredService<VotingState>().RequireCards)
        {
            return new Refusal(StatusCodes.Status403Forbidden, "This contest votes with ballot cards.",
                "This contest votes with ballot cards: ask a staff member for one.", CardRequired).ToProblem();
        }

        http.Items[VoterKey] = voter;
        return await next(context);
    }

    private const string VoterKey = "amv.voter";

    /// <summary>403 <c>reason</c>: a vote without a ballot card in a contest that votes with cards.</summary>
    public const string CardRequired = "card-required";

    private static string VoterOf(HttpContext context) => (string)context.Items[VoterKey]!;

    private static ProblemHttpResult Refused(VotingState.Refusal refusal, VotingState voting) => (refusal switch
    {
        VotingState.Refusal.UnknownEntry => new Refusal(StatusCodes.Status404NotFound, "Unknown entry.", "There is no finalist with that id.", Field: "entryId"),
        VotingState.Refusal.OutOfScale => new Refusal(StatusCodes.Status400BadRequest, "Score out of range.",
            $"The score must be a whole number from {voting.ScoreMin} to {voting.ScoreMax}.", Field: "score"),
        VotingState.Refusal.NotOpenYet => NotOpen("not-open-yet", "Voting for this entry has not opened: it opens when its video starts."),
        VotingState.Refusal.Closed => NotOpen("closed", "Voting for this category has closed."),
        VotingState.Refusal.Disqualified => NotOpen("disqualified", "This entry is not in the running."),
        _ => NotOpen("ballot-not-open", "The Best In Show ballot is not open."),
    }).ToProblem();

    private static Refusal NotOpen(string reason, string detail) => Refusal.Conflict(reason, detail, title: "Voting is not open for this.");
}
