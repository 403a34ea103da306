using AmvScreening.Protocol;
using AmvScreening.Server.Auth;
using AmvScreening.Server.Contest;
using AmvScreening.Server.Infrastructure;
using AmvScreening.Server.Show;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using QRCoder;

namespace AmvScreening.Server.Room;

public static class RoomEndpoints
{
    public static IEndpointRouteBuilder MapRoom(this IEndpointRouteBuilder app)
    {
        var room = app.MapGroup("/api/room").WithTags("Room code");
        room.MapGet("/", async (JoinLinks links, HttpRequest request, CancellationToken ct) => TypedResults.Ok(await links.GetAsync(request, ct)))
            .RequireAuthorization(Roles.Policies.CoordinatorOrPlayer)
            .WithSummary("The current room code and join URL (coordinator, or the player for its outro slates).");
        room.MapPost("/rotate", async (JoinLinks links, RoomCodes codes, IHubContext<ShowHub, IShowClient> hub, HttpRequest request, CancellationToken ct) =>
        {
            await codes.RotateAsync(ct);
            var info = await links.GetAsync(request, ct);
            await hub.Clients.Groups(ShowHubContract.Groups.Players, ShowHubContract.Groups.Booth, ShowHubContract.Groups.Coordinators).RoomChanged(info);
            return TypedResults.Ok(info);
        }).RequireAuthorization(Roles.Policies.Coordinator).WithSummary("Retires the room code and makes a new one; phones that already joined keep voting.");

        // The QR of the join URL, as shown on the outro slates and the poster.
        var qr = app.MapGroup("/").WithTags("Room code");
        qr.MapGet("/qr.svg", async (JoinLinks links, HttpRequest request, CancellationToken ct) =>
            TypedResults.Text(new SvgQRCode(await QrDataAsync(links, request, ct)).GetGraphic(10), "image/svg+xml"))
            .WithSummary("QR code of the join URL, SVG.");
        qr.MapGet("/qr.png", async (JoinLinks links, HttpRequest request, CancellationToken ct) =>
            TypedResults.File(new PngByteQRCode(await QrDataAsync(links, request, ct)).GetGraphic(12), "image/png"))
            .WithSummary("QR code of the join URL, PNG.");
        qr.MapGet("/qr.txt", async (JoinLinks links, HttpRequest request, CancellationToken ct) =>
            TypedResults.Text(new AsciiQRCode(await QrDataAsync(links, request, ct)).GetGraphicSmall() + "\n", "text/plain; charset=utf-8"))
            .WithSummary("QR code of the join URL drawn with block characters, for a terminal.");
        return app;
    }

    private static async Task<QRCodeData> QrDataAsync(JoinLinks links, HttpRequest request, CancellationToken ct)
    {
        var info = await links.GetAsync(request, ct);
        using var generator = new QRCodeGenerator();
        return generator.CreateQrCode(info.JoinUrl, QRCodeGenerator.ECCLevel.M);
    }
}

/// <summary>Builds the join URL: the configured public base URL, else the contest's, else the one the request came to.</summary>
public sealed class JoinLinks(RoomCodes codes, ContestStore contest, IOptions<AmvOptions> options)
{
    public async Task<RoomInfo> GetAsync(HttpRequest? request, CancellationToken ct = default)
    {
        var code = await codes.GetCurrentAsync(ct);
        var baseUrl = options.Value.PublicBaseUrl
            ?? (await contest.GetDetailsAsync(ct)).PublicBaseUrl
            ?? (request is null ? "http://localhost" : $"{request.Scheme}://{request.Host}{request.PathBase}");
        return new RoomInfo(code, $"{baseUrl.TrimEnd('/')}/v/{code}");
    }
}
