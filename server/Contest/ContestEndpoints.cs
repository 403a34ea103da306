using AmvScreening.Server.Auth;
using AmvScreening.Server.Contest.Import;

namespace AmvScreening.Server.Contest;

public static class ContestEndpoints
{
    public static IServiceCollection AddContest(this IServiceCollection services) =>
        services.AddSingleton<ContestStore>().AddSingleton<ContestImporter>();

    public static IEndpointRouteBuilder MapContest(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/contest").WithTags("Contest");
        group.MapGet("/", async (ContestStore store, CancellationToken ct) => TypedResults.Ok(await store.GetAsync(ct)))
            .RequireAuthorization(Roles.Policies.Staff)
            .WithSummary("The whole contest: details, categories, finalists in show order, awards.");
        return app;
    }
}
