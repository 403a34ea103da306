using AmvScreening.Server.Cards;
using AmvScreening.Server.Infrastructure;
using AmvScreening.Server.Room;
using Microsoft.AspNetCore.Http.HttpResults;
using static AmvScreening.Server.Voting.VotingEndpoints;

namespace AmvScreening.Server.Voting;

/// <summary>
/// A phone joins (POST /api/voters) with the screen code, a poster's code, or a ballot card's key, and gets its voter
/// token (docs/room-codes-and-cards.md). Each join is recorded with how it came (<see cref="VoterRegistry"/>); failed
/// guesses are slowed down by <see cref="JoinGuard"/>. Nothing here writes a code or key to a log.
/// </summary>
public sealed class VoterJoin(RoomCodes codes, BallotCards cards, VoterTokens tokens, VoterRegistry registry, JoinGuard guard)
{
    /// <summary>Refusal reasons (the problem's <c>reason</c>), for the phone to say what to do.</summary>
    public static class Reasons
    {
        public const string CodeExpired = "code-expired";
        public const string PosterRevoked = "poster-revoked";
        public const string CardRevoked = "card-revoked";
        public const string CardInUse = "card-in-use";
        public const string CardMoved = "card-moved";
    }

    public async Task<Results<Created<JoinResponse>, ProblemHttpResult>> JoinAsync(JoinRequest request, HttpContext context, CancellationToken ct)
    {
        if ((request.RoomCode is null) == (request.CardKey is null))
        {
            return Refuse(StatusCodes.Status400BadRequest, "Nothing to join with.",
                "Send the room code (6 characters) or a ballot card's key (16 characters), not both.", "roomCode");
        }

        string? code = null, key = null;
        if (request.CardKey is { } typedKey)
        {
            if ((key = CardKeys.Normalize(typedKey)) is null)
            {
                return Malformed(typedKey, CardKeys.Length, "A ballot card's key", "cardKey");
            }

            if (request.Device is not { } device || !CardKeys.IsDevice(device))
            {
                return Refuse(StatusCodes.Status400BadRequest, "Which phone is this?",
                    $"Send with a card's key the phone's own id: {CardKeys.MinDevice} to {CardKeys.MaxDevice} letters, digits, - or _, the same every time.", "device");
            }
        }
        else if ((code = RoomCodes.Normalize(request.RoomCode!)) is null)
        {
            return Malformed(request.RoomCode!, RoomCodes.Length, "A room code", "roomCode");
        }

        var address = context.Connection.RemoteIpAddress;
        if (guard.WaitFor(address) is { } wait && wait > TimeSpan.Zero)
        {
            return RateLimits.TooManyRequests(context, wait, "Too many codes that do not exist came from this network.", "Too many wrong codes.");
        }

        return key is not null ? await WithCardAsync(key, request.Device!, context, ct) : await WithCodeAsync(code!, context, ct);
    }

    private async Task<Results<Created<JoinResponse>, ProblemHttpResult>> WithCodeAsync(string code, HttpContext context, CancellationToken ct)
    {
        var match = await codes.CheckAsync(code, ct);
        switch (match.Kind)
        {
            case CodeKind.RetiredScreen:
                return Refuse(StatusCodes.Status410Gone, "This room code has expired.", "Scan the code on the screen again.", "roomCode", Reasons.CodeExpired);
            case CodeKind.RevokedPoster:
                return Refuse(StatusCodes.Status410Gone, "This poster's code has been withdrawn.",
                    "Scan the code on the screen, or ask a staff member.", "roomCode", Reasons.PosterRevoked);
            case CodeKind.Unknown:
                guard.Failed(context.Connection.RemoteIpAddress);
                return Refuse(StatusCodes.Status404NotFound, "Unknown room code.", "Check the code, or scan the code on the screen again.", "roomCode");
        }

        var (voter, token) = tokens.Mint();
        var via = match.Kind == CodeKind.Poster ? JoinVia.Poster : JoinVia.Screen;
        await registry.RecordJoinAsync(voter, via, match.PosterId, cardId: null, context, ct);
        return Joined(token, via, context);
    }

    private async Task<Results<Created<JoinResponse>, ProblemHttpResult>> WithCardAsync(string key, string device, HttpContext context, CancellationToken ct)
    {
        var claim = await cards.ClaimAsync(key, device, ct);
        switch (claim.Status)
        {
            case BallotCards.ClaimStatus.UnknownKey:
                guard.Failed(context.Connection.RemoteIpAddress);
                return Refuse(StatusCodes.Status404NotFound, "Unknown ballot card.", "Check the key printed on your card, or scan its QR code.", "cardKey");
            case BallotCards.ClaimStatus.Revoked:
                return Refuse(StatusCodes.Status410Gone, "This ballot card has been withdrawn.",
                    "This ballot card has been withdrawn: ask a staff member for a new one.", "cardKey", Reasons.CardRevoked);
            case BallotCards.ClaimStatus.InUse:
                return Refuse(StatusCodes.Status409Conflict, "This card is in use on another phone.",
                    "This card is in use on another phone: ask a staff member.", "cardKey", Reasons.CardInUse);
            case BallotCards.ClaimStatus.Moved:
                return Refuse(StatusCodes.Status409Conflict, "This card is now on another phone.",
                    "Staff moved this card to another phone: ask a staff member.", "cardKey", Reasons.CardMoved);
        }

        await registry.RecordJoinAsync(claim.Voter, JoinVia.Card, posterId: null, claim.CardId, context, ct);
        return Joined(claim.Token, JoinVia.Card, context);
    }

    private static Created<JoinResponse> Joined(string token, string via, HttpContext context)
    {
        context.Response.Cookies.Append(VoterTokens.CookieName, token, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = context.Request.IsHttps,
            MaxAge = TimeSpan.FromDays(7),
            Path = "/",
        });
        return TypedResults.Created("/api/votes", new JoinResponse(token, via));
    }

    /// <summary>400 naming the field: a look-alike character named, or the length expected.</summary>
    private static ProblemHttpResult Malformed(string typed, int length, string what, string field)
    {
        var clean = RoomCodes.Clean(typed);
        return Refuse(StatusCodes.Status400BadRequest, $"{what} is not like that.",
            RoomCodes.ExplainCharacters(clean) ?? $"{what} has {length} characters ({clean.Length} given).", field);
    }

    private static ProblemHttpResult Refuse(int status, string title, string detail, string field, string? reason = null) =>
        new Refusal(status, title, detail, reason, field).ToProblem();
}
