using AmvScreening.Protocol;
using AmvScreening.Server.Auth;
using AmvScreening.Server.Contest;
using AmvScreening.Server.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using QRCoder;

namespace AmvScreening.Server.Room;

/// <summary>The codes phones join with (docs/room-codes-and-cards.md). Nothing here is public: the screen code and its
/// QR are for the player (slates) and staff (consoles, the full-screen QR page), the posters for the coordinator.</summary>
public static class RoomEndpoints
{
    public sealed record PosterRequest(string Label);

    /// <summary>A poster code with the address its QR opens.</summary>
    public sealed record PosterView(long Id, string Code, string Label, string JoinUrl, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt, int Joined);

    public static IServiceCollection AddRoom(this IServiceCollection services) =>
        services.AddSingleton<RoomCodes>()
            .AddSingleton<JoinLinks>()
            .AddSingleton<RoomRotation>()
            .AddHostedService<RoomRotation.Timer>();

    public static IEndpointRouteBuilder MapRoom(this IEndpointRouteBuilder app)
    {
        var room = app.MapGroup("/api/room").WithTags("Room code");
        room.MapGet("/", async (JoinLinks links, HttpRequest request, CancellationToken ct) => TypedResults.Ok(await links.GetAsync(request, ct)))
            .RequireAuthorization(Roles.Policies.CoordinatorOrPlayer)
            .WithSummary("The screen code and its join URL (coordinator, or the player for its outro slates).");
        room.MapPost("/rotate", async (RoomRotation rotation, HttpRequest request, CancellationToken ct) =>
                TypedResults.Ok(await rotation.RotateByHandAsync(request, ct)))
            .RequireAuthorization(Roles.Policies.Coordinator)
            .WithSummary("Retires the screen code at once and makes a new one (pushed as RoomChanged); phones that joined keep voting, posters keep working.");

        var posters = room.MapGroup("/posters").RequireAuthorization(Roles.Policies.Coordinator);
        posters.MapGet("/", async (RoomCodes codes, JoinLinks links, HttpRequest request, CancellationToken ct) =>
            {
                var baseUrl = await links.BaseUrlAsync(request, ct);
                return TypedResults.Ok((await codes.GetPostersAsync(ct)).Select(p => View(p, baseUrl)).ToList());
            })
            .WithSummary("The poster codes, revoked ones included, with how many phones joined with each.");
        posters.MapPost("/", CreatePoster).WithSummary("A new poster code with a label (e.g. \"Main entrance\"): valid until revoked.");
        posters.MapPost("/{posterId:long}/revoke", async Task<Results<Ok<PosterView>, NotFound>> (
                long posterId, RoomCodes codes, JoinLinks links, HttpRequest request, CancellationToken ct) =>
                await codes.RevokePosterAsync(posterId, ct) is { } poster
                    ? TypedResults.Ok(View(poster, await links.BaseUrlAsync(request, ct)))
                    : TypedResults.NotFound())
            .WithSummary("Revokes a poster's code for good: joining with it is refused (410); phones that joined with it keep voting.");

        // The QR of the screen code's join URL, as on the outro slates and the full-screen QR page.
        var qr = app.MapGroup("/").WithTags("Room code").RequireAuthorization(Roles.Policies.StaffOrPlayer);
        qr.MapGet("/qr.svg", async (JoinLinks links, HttpRequest request, CancellationToken ct) =>
                TypedResults.Text(QrImages.Svg((await links.GetAsync(request, ct)).JoinUrl), "image/svg+xml"))
            .WithSummary("QR code of the screen code's join URL, SVG (staff or player).");
        qr.MapGet("/qr.png", async (JoinLinks links, HttpRequest request, CancellationToken ct) =>
                TypedResults.File(new PngByteQRCode(QrImages.Data((await links.GetAsync(request, ct)).JoinUrl)).GetGraphic(12), "image/png"))
            .WithSummary("QR code of the screen code's join URL, PNG (staff or player).");
        qr.MapGet("/qr.txt", async (JoinLinks links, HttpRequest request, CancellationToken ct) =>
                TypedResults.Text(new AsciiQRCode(QrImages.Data((await links.GetAsync(request, ct)).JoinUrl)).GetGraphicSmall() + "\n", "text/plain; charset=utf-8"))
            .WithSummary("QR code of the screen code's join URL drawn with block characters, for a terminal (staff or player).");
        return app;
    }

    private static async Task<Results<Created<PosterView>, ProblemHttpResult>> CreatePoster(
        PosterRequest request, RoomCodes codes, JoinLinks links, HttpRequest http, CancellationToken ct)
    {
        var label = request.Label.Trim();
        if (RoomCodes.CheckLabel(label, "Main entrance") is { } problem)
        {
            return Outcomes.Invalid("label", problem);
        }

        var poster = await codes.CreatePosterAsync(label, ct);
        return TypedResults.Created($"/api/room/posters/{poster.Id}", View(poster, await links.BaseUrlAsync(http, ct)));
    }

    private static PosterView View(PosterCode p, string baseUrl) =>
        new(p.Id, p.Code, p.Label, JoinLinks.JoinUrl(baseUrl, p.Code), p.CreatedAt, p.RevokedAt, p.Joined);
}

/// <summary>QR codes (QRCoder), for the endpoints above and the printed pages.</summary>
public static class QrImages
{
    public static QRCodeData Data(string text)
    {
        using var generator = new QRCodeGenerator();
        return generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
    }

    /// <summary>An SVG that scales to its box (a viewBox, no fixed size), for pages that size it with CSS.</summary>
    public static string Svg(string text) =>
        new SvgQRCode(Data(text)).GetGraphic(new System.Drawing.Size(10, 10), "#000000", "#ffffff", drawQuietZones: true,
            sizingMode: SvgQRCode.SizingMode.ViewBoxAttribute);
}

/// <summary>Builds join URLs on the base URL phones reach the server at: the configured public base URL, else the
/// contest's, else the one the request came to (without a request, the last one seen: set a public base URL for
/// rotations the server makes by itself).</summary>
public sealed class JoinLinks(RoomCodes codes, ContestStore contest, IOptions<AmvOptions> options)
{
    private string _lastRequestBase = "http://localhost";

    /// <summary>The screen code and its join URL.</summary>
    public async Task<RoomInfo> GetAsync(HttpRequest? request, CancellationToken ct = default)
    {
        var code = await codes.GetCurrentAsync(ct);
        return new RoomInfo(code, JoinUrl(await BaseUrlAsync(request, ct), code));
    }

    public async Task<string> BaseUrlAsync(HttpRequest? request, CancellationToken ct = default)
    {
        if (request is not null)
        {
            Volatile.Write(ref _lastRequestBase, $"{request.Scheme}://{request.Host}{request.PathBase}");
        }

        var baseUrl = options.Value.PublicBaseUrl ?? (await contest.GetDetailsAsync(ct)).PublicBaseUrl ?? Volatile.Read(ref _lastRequestBase);
        return baseUrl.TrimEnd('/');
    }

    /// <summary>The phone app opened with a room or poster code.</summary>
    public static string JoinUrl(string baseUrl, string code) => $"{baseUrl}/v/{code}";

    /// <summary>The phone app opened with a ballot card's key, in the fragment: browsers never send it, so it reaches
    /// no server or proxy log.</summary>
    public static string CardUrl(string baseUrl, string key) => $"{baseUrl}/v#card={key}";
}
