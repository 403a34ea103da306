using AmvScreening.Protocol;
using AmvScreening.Server.Auth;
using AmvScreening.Server.Contest;
using AmvScreening.Server.Contest.Import;
using AmvScreening.Server.Infrastructure;
using AmvScreening.Server.Preflight;
using AmvScreening.Server.Room;
using Microsoft.Extensions.Options;

namespace AmvScreening.Server.Player;

/// <summary>What the player reads from the server over HTTP (it reports and takes commands over the show hub).</summary>
public static class PlayerEndpoints
{
    public static IServiceCollection AddPlayerApi(this IServiceCollection services) =>
        services.AddSingleton<PlayerPlaylist>().AddSingleton<PreflightFacts>();

    public static IEndpointRouteBuilder MapPlayerApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(PlayerContract.ShowPath, async (PlayerPlaylist playlist, HttpRequest request, CancellationToken ct) =>
                TypedResults.Ok(await playlist.GetAsync(request, ct)))
            .RequireAuthorization(Roles.Policies.Player)
            .WithTags("Player")
            .WithSummary("The contest name, the room code and join URL, and the playlist: categories in show order with their non-disqualified finalists and video paths.");
        return app;
    }
}

/// <summary>Builds the player's view of the show from the contest. A video path outside the media root (stored before
/// that was refused at import and in the editor) is never handed over: the finalist gets the "technical difficulties"
/// slate instead. Each finalist carries what the latest pre-flight report found of its file.</summary>
public sealed class PlayerPlaylist(ContestStore contest, JoinLinks links, PreflightFacts preflight, IOptions<AmvOptions> options)
{
    public async Task<PlayerShow> GetAsync(HttpRequest? request, CancellationToken ct = default)
    {
        var view = await contest.GetAsync(ct);
        var room = await links.GetAsync(request, ct);
        var checkedFiles = await preflight.GetAsync(ct);
        var categories = view.Categories.Select(c => new PlaylistCategory(
                c.Id,
                c.Name,
                view.Entries.Where(e => e.CategoryId == c.Id && !e.Disqualified).Select(e => new PlaylistEntry(e.ToSummary(c.Name), SafePath(e.VideoPath), checkedFiles.GetValueOrDefault(e.Id)))
                    .ToList()))
            .ToList();
        return new PlayerShow(view.Contest.Name, room, categories, view.Contest.Limits.LoudnessTargetLufs);
    }

    private string? SafePath(string? path) =>
        path is not null && ContestValidator.VideoPathProblem(path, options.Value.MediaRootPath) is null ? path : null;
}
