using System.Net.WebSockets;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace AmvScreening.Protocol;

/// <summary>How a .NET client (the player, the tests) connects to the show hub with the official SignalR client:
/// WebSockets straight to the hub without the negotiate step, each attempt to open the socket limited to
/// <see cref="ConnectTimeout"/>, and the wire format read strictly (<see cref="ShowJson.ConfigureStrict"/>).
/// docs/protocol.md has the rest.</summary>
public static class ShowHubClient
{
    /// <summary>How long one attempt to open the socket may take. The client sets no limit of its own, and a server
    /// machine that is off or unplugged answers nothing: the system's TCP timeout (minutes) would hold up the next
    /// attempt.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Connects to the hub at <paramref name="hubUrl"/> (http/https; the client turns them into ws/wss).
    /// <paramref name="configure"/> adds what identifies the client: the player's
    /// <see cref="ShowHubContract.ApiKeyHeader"/> in <c>Headers</c>, or a staff session in <c>Cookies</c>.</summary>
    public static IHubConnectionBuilder WithShowHub(this IHubConnectionBuilder builder, Uri hubUrl, Action<HttpConnectionOptions>? configure = null) =>
        builder
            .WithUrl(hubUrl, HttpTransportType.WebSockets, o =>
            {
                o.SkipNegotiation = true;
                o.WebSocketFactory = OpenSocketAsync;
                configure?.Invoke(o);
            })
            .AddJsonProtocol(o => ShowJson.ConfigureStrict(o.PayloadSerializerOptions));

    /// <summary>Opens the socket as the client would, within <see cref="ConnectTimeout"/>. Of the options, the headers and
    /// cookies apply (the only ones the project sets).</summary>
    private static async ValueTask<WebSocket> OpenSocketAsync(WebSocketConnectionContext context, CancellationToken ct)
    {
        var socket = new ClientWebSocket();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ConnectTimeout);
        try
        {
            foreach (var (name, value) in context.Options.Headers)
            {
                socket.Options.SetRequestHeader(name, value);
            }

            socket.Options.Cookies = context.Options.Cookies;
            await socket.ConnectAsync(context.Uri, timeout.Token);
            return socket;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            socket.Dispose();
            throw new TimeoutException($"No answer within {ConnectTimeout.TotalSeconds} s.");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
