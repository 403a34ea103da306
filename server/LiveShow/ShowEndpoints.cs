namespace AmvScreening.Server.LiveShow;

public static class ShowEndpoints
{
    public static IEndpointRouteBuilder MapShow(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/show", (ShowService show) => TypedResults.Ok(show.Current))
            .WithTags("Show")
            .WithSummary("What is on screen now (public).");
        return app;
    }
}
