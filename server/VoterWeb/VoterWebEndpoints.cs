using Microsoft.Extensions.FileProviders;

namespace AmvScreening.Server.VoterWeb;

/// <summary>Serves the phone app (the voter-web folder, copied beside the server at build) at /v/{room code}.</summary>
public static class VoterWebEndpoints
{
    public static IEndpointRouteBuilder MapVoterWeb(this IEndpointRouteBuilder app)
    {
        var root = Path.Combine(AppContext.BaseDirectory, "voter-web");
        var files = new PhysicalFileProvider(root);
        app.MapGet("/v/{code}", () => TypedResults.PhysicalFile(Path.Combine(root, "index.html"), "text/html; charset=utf-8"))
            .WithTags("Voter")
            .WithSummary("The voter page for a room code (public).");
        ((IApplicationBuilder)app).UseStaticFiles(new StaticFileOptions { FileProvider = files, RequestPath = "/voter" });
        return app;
    }
}
