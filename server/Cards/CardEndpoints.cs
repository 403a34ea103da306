using AmvScreening.Server.Auth;
using AmvScreening.Server.Infrastructure;
using AmvScreening.Server.Results;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AmvScreening.Server.Cards;

/// <summary>Ballot cards from the console (docs/room-codes-and-cards.md): batches made, listed and revoked by the
/// coordinator, a card released from a lost phone by staff. The printable sheet is the console page
/// /console/cards/print.</summary>
public static class CardEndpoints
{
    public sealed record BatchRequest(string Label, int Size);

    public sealed record ReleasedCard(long BatchId, int Number);

    public static IServiceCollection AddCards(this IServiceCollection services) =>
        services.AddSingleton<CardKeys>().AddSingleton<CardBindings>().AddSingleton<BallotCards>();

    public static IEndpointRouteBuilder MapCards(this IEndpointRouteBuilder app)
    {
        var batches = app.MapGroup("/api/cards/batches").WithTags("Ballot cards");
        batches.MapGet("/", async (BallotCards cards, CancellationToken ct) => TypedResults.Ok(await cards.GetBatchesAsync(ct)))
            .RequireAuthorization(Roles.Policies.Staff)
            .WithSummary("The batches of ballot cards: size, cards used, cards that voted, ballots cast and counted (staff: the booth releases cards).");
        batches.MapPost("/", CreateBatch)
            .RequireAuthorization(Roles.Policies.Coordinator)
            .WithSummary($"A new batch of 1 to {BallotCards.MaxBatch} ballot cards, numbered from 1 (print them at /console/cards/print?batch={{id}}).");
        batches.MapPost("/{batchId:long}/revoke", async Task<Results<Ok<CardBatch>, NotFound>> (
                long batchId, BallotCards cards, ResultsService results, CancellationToken ct) =>
            {
                if (await cards.RevokeAsync(batchId, ct) is not { } batch)
                {
                    return TypedResults.NotFound();
                }

                results.NotifyBallotsChanged();
                return TypedResults.Ok(batch);
            })
            .RequireAuthorization(Roles.Policies.Coordinator)
            .WithSummary("Revokes a batch for good: its cards stop voting, their ballots leave every result not yet revealed.");
        batches.MapPost("/{batchId:long}/cards/{number:int}/release", Release)
            .RequireAuthorization(Roles.Policies.Staff)
            .WithSummary("Releases a card from the phone holding it (lost, dead): that phone stops voting with it, the next other phone that brings it continues its ballot (409 never-used).");
        return app;
    }

    private static async Task<Results<Created<CardBatch>, ProblemHttpResult>> CreateBatch(BatchRequest request, BallotCards cards, CancellationToken ct)
    {
        var label = request.Label.Trim();
        if (BallotCards.Check(label, request.Size) is { Count: > 0 } errors)
        {
            return Outcomes.Invalid(errors);
        }

        var batch = await cards.CreateBatchAsync(label, request.Size, ct);
        return TypedResults.Created($"/api/cards/batches/{batch.Id}", batch);
    }

    private static async Task<Results<Ok<ReleasedCard>, NotFound, ProblemHttpResult>> Release(
        long batchId, int number, BallotCards cards, CancellationToken ct) => await cards.ReleaseAsync(batchId, number, ct) switch
    {
        BallotCards.ReleaseStatus.Released => TypedResults.Ok(new ReleasedCard(batchId, number)),
        BallotCards.ReleaseStatus.NeverUsed => Refusal.Conflict("never-used",
            "This card is on no phone yet: any phone can take it, nothing to release.", title: "Nobody has used this card yet.").ToProblem(),
        _ => TypedResults.NotFound(),
    };
}
