using AmvScreening.Protocol;
using AmvScreening.Server.Auth;
using AmvScreening.Server.Infrastructure;
using AmvScreening.Server.Results;
using AmvScreening.Server.Room;
using Dapper;
using AmvScreening.Server.Data;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AmvScreening.Server.Voting;

public static class VotingEndpoints
{
    public sealed record JoinRequest(string RoomCode);

    public sealed record JoinResponse(string Token);

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
            .AddHostedService(sp => sp.GetRequiredService<VoterRegistry>())
            .AddSingleton<VotingState>()
            .AddSingleton<VoteWriter>()
            .AddHostedService(sp => sp.GetRequiredService<VoteWriter>())
            .AddHostedService<VotingState.AutoCloser>();

    public static IEndpointRouteBuilder MapVoting(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/voters", Join).WithTags("Voting").RequireRateLimiting(RateLimits.Join)
            .WithSummary("Join with the room code from the QR: returns a voter token (also set as an HttpOnly cookie).");
        app.MapGet("/api/voting", (VotingState voting) => TypedResults.Ok(voting.Snapshot())).WithTags("Voting")
            .WithSummary("What takes votes now: the scale, each category's status and votable entries, the Best In Show ballot (public).");

        var voter = app.MapGroup("/api").WithTags("Voting").AddEndpointFilter(RequireVoter).RequireRateLimiting(RateLimits.Voter);
        voter.MapGet("/votes", GetMine).WithSummary("The voter's own scores and Best In Show pick.");
        voter.MapPut("/votes/{entryId:int}", Vote)
            .WithSummary("Rate an entry (idempotent: the same request again counts once; voting again replaces the score).");
        voter.MapPut("/best-in-show", Pick).WithSummary("Pick a Best In Show (one per voter, changeable while the ballot is open).");

        var coordinator = app.MapGroup("/api/voting").WithTags("Voting control").RequireAuthorization(Roles.Policies.Coordinator);
        coordinator.MapPost("/categories/{categoryId:int}/{action:regex(^(open|close|auto)$)}", SetCategory)
            .WithSummary("Open a category by hand (all its entries), close it, or go back to opening entries as they play (auto).");
        coordinator.MapPost("/best-in-show/{action:regex(^(open|close)$)}", SetBallot).WithSummary("Open or close the Best In Show ballot.");
        return app;
    }

    private static async Task<Results<Created<JoinResponse>, ProblemHttpResult>> Join(
        JoinRequest request, RoomCodes codes, VoterTokens tokens, VoterRegistry registry, HttpContext context, CancellationToken ct)
    {
        switch (await codes.CheckAsync(request.RoomCode, ct))
        {
            case RoomCodes.Status.Retired:
                return Problem(StatusCodes.Status410Gone, "This room code has expired.", "Scan the code on the screen again.", "roomCode");
            case RoomCodes.Status.Unknown:
                return Problem(StatusCodes.Status404NotFound, "Unknown room code.", "Check the code, or scan the code on the screen again.", "roomCode");
        }

        var (voter, token) = tokens.Mint();
        await registry.RecordJoinAsync(voter, JoinVia.Screen, posterId: null, cardId: null, context, ct);
        context.Response.Cookies.Append(VoterTokens.CookieName, token, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = context.Request.IsHttps,
            MaxAge = TimeSpan.FromDays(7),
            Path = "/",
        });
        return TypedResults.Created("/api/votes", new JoinResponse(token));
    }

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
        int categoryId, string action, VotingState voting, ResultsService results, CancellationToken ct)
    {
        var mode = action switch { "open" => VotingState.Mode.Open, "close" => VotingState.Mode.Closed, _ => VotingState.Mode.Auto };
        if (mode != VotingState.Mode.Closed && await results.IsRevealedAsync(ResultsContract.Scopes.Category(categoryId), ct))
        {
            return AlreadyRevealed();
        }

        return await voting.SetCategoryAsync(categoryId, mode, ct) ? TypedResults.Ok(voting.Snapshot()) : TypedResults.NotFound();
    }

    private static async Task<Results<Ok<VotingSnapshot>, ProblemHttpResult>> SetBallot(
        string action, VotingState voting, ResultsService results, CancellationToken ct)
    {
        if (action == "open" && await results.IsRevealedAsync(ResultsContract.Scopes.BestInShow, ct))
        {
            return AlreadyRevealed();
        }

        await voting.SetBallotAsync(action == "open" ? BallotStatus.Open : BallotStatus.Closed, ct);
        return TypedResults.Ok(voting.Snapshot());
    }

    /// <summary>A revealed result is final: its voting does not reopen.</summary>
    private static ProblemHttpResult AlreadyRevealed() =>
        Conflict(ResultsContract.Reasons.AlreadyRevealed, "Its result has been revealed: voting cannot reopen.");

    /// <summary>Every voter endpoint needs a valid voter token (header or cookie).</summary>
    private static async ValueTask<object?> RequireVoter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var tokens = http.RequestServices.GetRequiredService<VoterTokens>();
        if (!tokens.TryValidate(VoterTokens.FromRequest(http.Request), out var voter, out var failure))
        {
            return Problem(StatusCodes.Status401Unauthorized, "No valid voter token.", VoterTokens.Explain(failure), "token");
        }

        http.Items[VoterKey] = voter;
        return await next(context);
    }

    private const string VoterKey = "amv.voter";

    private static string VoterOf(HttpContext context) => (string)context.Items[VoterKey]!;

    private static ProblemHttpResult Refused(VotingState.Refusal refusal, VotingState voting) => refusal switch
    {
        VotingState.Refusal.UnknownEntry => Problem(StatusCodes.Status404NotFound, "Unknown entry.", "There is no finalist with that id.", "entryId"),
        VotingState.Refusal.OutOfScale => Problem(StatusCodes.Status400BadRequest, "Score out of range.",
            $"The score must be a whole number from {voting.ScoreMin} to {voting.ScoreMax}.", "score"),
        VotingState.Refusal.NotOpenYet => Conflict("not-open-yet", "Voting for this entry has not opened: it opens when its video starts."),
        VotingState.Refusal.Closed => Conflict("closed", "Voting for this category has closed."),
        VotingState.Refusal.Disqualified => Conflict("disqualified", "This entry is not in the running."),
        _ => Conflict("ballot-not-open", "The Best In Show ballot is not open."),
    };

    private static ProblemHttpResult Conflict(string reason, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status409Conflict, title: "Voting is not open for this.",
            extensions: new Dictionary<string, object?> { ["reason"] = reason });

    private static ProblemHttpResult Problem(int status, string title, string detail, string field) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title,
            extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [field] = [detail] } });
}
