using AmvScreening.Protocol;
using AmvScreening.Server.Contest;
using AmvScreening.Server.LiveShow;
using AmvScreening.Server.Results;
using AmvScreening.Server.Room;
using AmvScreening.Server.VoterWeb;
using Microsoft.AspNetCore.Http.HttpResults;
using Http = Microsoft.AspNetCore.Http.Results;

namespace AmvScreening.Server.Screen;

/// <summary>
/// The screen view (docs/screen.md): a public, read-only page at <c>/screen</c> that mirrors the projector for a stream
/// overlay or a lobby screen, built with the phone app (voter-web/dist/screen.html and its bundle under /voter/). It
/// reads what phones read (the hub, /api/show, /api/voting, /api/results). The join QR is the one exception: it exists
/// only while the contest allows it (<see cref="RoomCodeSettings.ShowOnScreenView"/>); otherwise both addresses answer
/// 404 and nothing public carries the screen code.
/// </summary>
public static class ScreenEndpoints
{
    public const string PagePath = "/screen";
    public const string PageName = "screen.html";

    /// <summary>The join URL, for the page to print under its QR.</summary>
    public sealed record ScreenJoin(string JoinUrl);

    public static IEndpointRouteBuilder MapScreen(this IEndpointRouteBuilder app)
    {
        app.MapGet(PagePath, (VoterWebAssets assets, HttpContext context) => VoterWebEndpoints.ServePage(context, assets, PageName))
            .WithTags("Screen")
            .ExcludeFromDescription();

        // Under /api: never kept by a browser or a proxy (SecurityHeaders), so a QR taken away is gone on the next read.
        var join = app.MapGroup("/api" + PagePath).WithTags("Screen");
        join.MapGet("/join", async Task<Results<Ok<ScreenJoin>, NotFound>> (ContestStore contest, JoinLinks links, CancellationToken ct) =>
                await AllowedJoinUrlAsync(contest, links, ct) is { } url ? TypedResults.Ok(new ScreenJoin(url)) : TypedResults.NotFound())
            .WithSummary("The screen code's join URL, only while the contest shows the join QR on the screen view (else 404).");
        join.MapGet("/qr.svg", async (ContestStore contest, JoinLinks links, CancellationToken ct) =>
                await AllowedJoinUrlAsync(contest, links, ct) is { } url
                    ? Http.Text(QrOf(url), "image/svg+xml")
                    : Http.NotFound())
            .WithSummary("The QR of that join URL, SVG, under the same condition.");
        join.MapGet("/nominees", async Task<Results<Ok<List<EntrySummary>>, NotFound>> (ShowService show, ContestStore contest, CancellationToken ct) =>
                show.Current is { Phase: ShowPhase.Nominees, Projector: ProjectorStatus.Live, Scope: var scope }
                    && ResultsContract.Scopes.CategoryIdOf(scope) is { } categoryId
                    ? TypedResults.Ok(Ceremony.NomineesOf(await contest.GetAsync(ct), categoryId))
                    : TypedResults.NotFound())
            .WithSummary("The finalists of the nominees slate on the projector now, in running order (else 404): what the projector shows, no more.");
        return app;
    }

    private sealed record DrawnQr(string Url, string Svg);

    private static DrawnQr? _lastQr;

    /// <summary>The QR of a join URL, drawn once per URL (the address is public while allowed: every request must not
    /// cost a drawing).</summary>
    private static string QrOf(string url)
    {
        if (Volatile.Read(ref _lastQr) is { } last && last.Url == url)
        {
            return last.Svg;
        }

        var svg = QrImages.Svg(url);
        Volatile.Write(ref _lastQr, new DrawnQr(url, svg));
        return svg;
    }

    /// <summary>The join URL when the contest allows it on the screen view, else null. Built without the request: an
    /// anonymous caller's Host header must never become the base of the URLs on the projector's slates.</summary>
    private static async Task<string?> AllowedJoinUrlAsync(ContestStore contest, JoinLinks links, CancellationToken ct) =>
        (await contest.GetDetailsAsync(ct)).RoomCode.ShowOnScreenView ? (await links.GetAsync(null, ct)).JoinUrl : null;
}
