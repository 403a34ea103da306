using AmvScreening.Protocol;
using AmvScreening.Server.Voting;
using Microsoft.AspNetCore.Http.HttpResults;
using Http = Microsoft.AspNetCore.Http.Results;
using AmvScreening.Server.Infrastructure;

namespace AmvScreening.Server.VoterWeb;

/// <summary>
/// The phone app (docs/voter-web.md): its page at <c>/v/{room code}</c> (never cached, so a new build reaches phones at
/// once), its service worker at <c>/v/sw.js</c> (the offline shell, for every page under /v/; never cached either), its
/// hashed bundle under <c>/voter/</c> (cached for a year, immutable), all Brotli or gzip compressed; and the public list
/// of finalists for the Best In Show ballot.
/// </summary>
public static class VoterWebEndpoints
{
    public const string PagePath = "/v";
    public const string AssetsPath = "/voter";
    public const string ImmutableCache = "public, max-age=31536000, immutable";
    public const string PageCache = "no-cache";

    public static IServiceCollection AddVoterWeb(this IServiceCollection services) =>
        services.AddSingleton(_ => new VoterWebAssets(VoterWebAssets.DefaultRoot))
            .AddSingleton<Finalists>();

    public static IEndpointRouteBuilder MapVoterWeb(this IEndpointRouteBuilder app)
    {
        // A literal segment: chosen over the room-code route below.
        app.MapGet(PagePath + "/" + VoterWebAssets.ServiceWorkerName, (VoterWebAssets assets, HttpContext context) =>
                assets.Find(VoterWebAssets.ServiceWorkerName) is { } worker ? Serve(context, worker, PageCache) : Http.NotFound())
            .ExcludeFromDescription();
        app.MapGet(PagePath + "/{code?}", (string? code, VoterWebAssets assets, HttpContext context) =>
                assets.Index is { } index ? Serve(context, index, PageCache, assets.PagePolicy) : NotBuilt(assets))
            .WithTags("Voter")
            .WithSummary("The voter page for a room code (public).")
            .ExcludeFromDescription();
        app.MapGet(AssetsPath + "/{name}", (string name, VoterWebAssets assets, HttpContext context) =>
                !name.EndsWith(".html", StringComparison.OrdinalIgnoreCase) && name != VoterWebAssets.ServiceWorkerName && assets.Find(name) is { } asset
                    ? Serve(context, asset, ImmutableCache)
                    : Http.NotFound())
            .WithTags("Voter")
            .ExcludeFromDescription();
        app.MapGet("/api/finalists", GetFinalists)
            .WithTags("Voting")
            .WithSummary("Every finalist in the running, in show order, for the Best In Show ballot (public, once the ballot has opened).");
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<EntrySummary>>, ProblemHttpResult>> GetFinalists(
        VotingState voting, Finalists finalists, CancellationToken ct)
    {
        var snapshot = voting.Snapshot();
        if (snapshot.BestInShowMethod != Contest.VotingSettings.Ballot || snapshot.BestInShow == BallotStatus.NotOpen)
        {
            return new Refusal(StatusCodes.Status403Forbidden, "Not open yet.", "The finalists are listed once the Best In Show ballot opens.",
                "ballot-not-open").ToProblem();
        }

        return TypedResults.Ok(await finalists.GetAsync(ct));
    }

    /// <summary>A built page of its own (the screen view, the entry portal) with the policy it was built with, never
    /// cached; 503 when the app was not built.</summary>
    public static IResult ServePage(HttpContext context, VoterWebAssets assets, string name) =>
        assets.Find(name) is { } page ? Serve(context, page, PageCache, VoterWebAssets.PolicyOf(page)) : NotBuilt(assets);

    /// <summary>A built file with its cache policy, its ETag and its compressed form; a page with its policy.</summary>
    public static IResult Serve(HttpContext context, VoterWebAssets.Asset asset, string cacheControl, string? policy = null)
    {
        var (body, encoding, etag) = asset.For(context.Request.Headers.AcceptEncoding);
        var headers = context.Response.Headers;
        headers.CacheControl = cacheControl;
        headers.Vary = "Accept-Encoding";
        headers.ETag = etag;
        headers.XContentTypeOptions = "nosniff";
        if (policy is not null)
        {
            headers.ContentSecurityPolicy = policy;
            headers["Referrer-Policy"] = "no-referrer";
        }

        if (asset.Matches(context.Request.Headers.IfNoneMatch))
        {
            return Http.StatusCode(StatusCodes.Status304NotModified);
        }

        if (encoding is not null)
        {
            headers.ContentEncoding = encoding;
        }

        return Http.Bytes(body, asset.ContentType);
    }

    public static IResult NotBuilt(VoterWebAssets assets) => new Refusal(StatusCodes.Status503ServiceUnavailable, "The voter app is not built.",
        $"No {VoterWebAssets.IndexName} in {assets.Root}: build it with `npm ci --prefix voter-web && npm run build --prefix voter-web` (./amv build does), then rebuild the server.")
        .ToProblem();
}
