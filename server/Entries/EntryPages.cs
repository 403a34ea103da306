using AmvScreening.Server.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using AmvScreening.Server.VoterWeb;

namespace AmvScreening.Server.Entries;

/// <summary>
/// The public entry portal (docs/entries.md, "Entry portal"): its page at <c>/enter</c> (the rules and the submission
/// form) and <c>/enter/e/{secret}</c> (an entrant's private entry page), built with the phone app
/// (voter-web/dist/enter.html, its bundle under /voter/), and the API they read under <c>/api/enter</c>. Public and
/// rate-limited per address (<see cref="RateLimits.EntryRead"/>, <see cref="RateLimits.EntrySubmit"/>).
/// </summary>
public static class EntryPages
{
    public const string PagePath = "/enter";
    public const string PageName = "enter.html";

    public static string EntryPagePath(string secret) => $"{PagePath}/e/{secret}";

    public static IServiceCollection AddEntryPortal(this IServiceCollection services) =>
        services.AddSingleton<EntryPortal>()
            .AddSingleton<DeadlineEnforcer>().AddHostedService(sp => sp.GetRequiredService<DeadlineEnforcer>());

    public static IEndpointRouteBuilder MapEntryPortal(this IEndpointRouteBuilder app)
    {
        app.MapGet(PagePath, ServePage).ExcludeFromDescription().RequireRateLimiting(RateLimits.EntryRead);
        // The same page: it reads the secret from its address. The page is no secret; the entry is read through the API.
        app.MapGet(PagePath + "/e/{secret}", ServePage).ExcludeFromDescription().RequireRateLimiting(RateLimits.EntryRead);

        var api = app.MapGroup("/api" + PagePath).WithTags("Entry portal");
        api.MapGet("/rules", async (EntryPortal portal, CancellationToken ct) => TypedResults.Ok(await portal.GetRulesAsync(ct)))
            .RequireRateLimiting(RateLimits.EntryRead)
            .WithSummary("The contest's entry rules: categories with their descriptions, limits, when entries open and close (public).");
        api.MapPost("/submissions", async (EntryRules.SubmissionForm form, EntryPortal portal, CancellationToken ct) =>
                (await portal.SubmitAsync(form, ct)).ToCreated(s => s.EntryUrl))
            .RequireRateLimiting(RateLimits.EntrySubmit)
            .WithSummary("Submit an entry (public): 201 with the private entry page's secret and address, answered only this once; "
                + "400 naming the field; 400/409 refused by a rule, named in `reason` (docs/entries.md).");
        api.MapGet("/entries/{secret}", async Task<Results<Ok<EntryPortal.EntrantView>, NotFound>> (string secret, EntryPortal portal, CancellationToken ct) =>
                await portal.GetAsync(secret, ct) is { } entry ? TypedResults.Ok(entry) : TypedResults.NotFound())
            .RequireRateLimiting(RateLimits.EntryRead)
            .WithSummary("An entrant's own entry by its page's secret: status, file, check, outcome once published (404 for any other secret).");
        api.MapPost("/entries/{secret}/withdraw", async (string secret, EntryPortal portal, CancellationToken ct) =>
                (await portal.WithdrawAsync(secret, ct)).ToOk())
            .RequireRateLimiting(RateLimits.EntrySubmit)
            .WithSummary("Withdraw the entry (409 promoted: it is a finalist in the show already).");
        return app;
    }

    private static IResult ServePage(VoterWebAssets assets, HttpContext context) => VoterWebEndpoints.ServePage(context, assets, PageName);
}
