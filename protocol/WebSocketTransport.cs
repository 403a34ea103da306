using System.IO.Pipelines;
using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace AmvScreening.Protocol;

/// <summary>
/// A WebSocket transport for the official .NET <see cref="HubConnection"/>. It exists only because
/// Microsoft.AspNetCore.SignalR.Client (its transports are in Microsoft.AspNetCore.Http.Connections.Client) does not
/// restore on this project's machines, while Microsoft.AspNetCore.SignalR.Client.Core does. When the official package
/// is reachable, swap <c>.WithWebSocketTransport(url, o => …)</c> for <c>.WithUrl(url, HttpTransportType.WebSockets,
/// o => { o.SkipNegotiation = true; o.Headers… })</c> and delete this file.
/// </summary>
/// <remarks>It opens a <see cref="ClientWebSocket"/> straight to the hub (ASP.NET Core accepts WebSockets without the
/// negotiate step) and pumps text frames (the JSON hub protocol) through two pipes. A new socket is opened for every
/// (re)connect, so it works with <c>WithAutomaticReconnect</c>.</remarks>
public static class WebSocketTransport
{
    /// <summary>Connects to <paramref name="hubUrl"/> (http/https become ws/wss). <paramref name="configure"/> runs for
    /// every (re)connect: set headers (<see cref="ShowHubContract.ApiKeyHeader"/>) or <c>Cookies</c> (staff) there.</summary>
    public static IHubConnectionBuilder WithWebSocketTransport(
        this IHubConnectionBuilder builder, Uri hubUrl, Action<ClientWebSocketOptions>? configure = null)
    {
        var scheme = hubUrl.Scheme switch
        {
            "http" or "ws" => "ws",
            "https" or "wss" => "wss",
            _ => throw new ArgumentException($"The hub URL must be http(s) or ws(s), not '{hubUrl}'.", nameof(hubUrl)),
        };
        builder.Services.AddSingleton<EndPoint>(new UriEndPoint(new UriBuilder(hubUrl) { Scheme = scheme }.Uri));
        builder.Services.AddSingleton<IConnectionFactory>(new Factory(configure));
        return builder;
    }

    private sealed class Factory(Action<ClientWebSocketOptions>? configure) : IConnectionFactory
    {
        /// <summary>How long one attempt to open the socket may take. A server machine that is off or unplugged
        /// answers nothing, and the system's own TCP timeout (minutes) would hold up the next attempt.</summary>
        private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

        public async ValueTask<ConnectionContext> ConnectAsync(EndPoint endpoint, CancellationToken ct = default)
        {
            var uri = ((UriEndPoint)endpoint).Uri;
            var socket = new ClientWebSocket();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(ConnectTimeout);
            try
            {
                configure?.Invoke(socket.Options);
                await socket.ConnectAsync(uri, timeout.Token);
                return new Connection(socket);
            }
            catch (WebSocketException e)
            {
                socket.Dispose();
                throw new WebSocketException(e.WebSocketErrorCode, $"Could not connect to the hub at {uri}: {e.Message}", e);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                socket.Dispose();
                throw new WebSocketException(WebSocketError.Faulted, $"Could not connect to the hub at {uri}: no answer within {ConnectTimeout.TotalSeconds} s.");
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
    }

    private sealed class Connection : ConnectionContext
    {
        private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);
        private readonly ClientWebSocket _socket;
        private readonly Pipe _received = new();
        private readonly Pipe _toSend = new();
        private readonly Task _pumps;

        public Connection(ClientWebSocket socket)
        {
            _socket = socket;
            Transport = new DuplexPipe(_received.Reader, _toSend.Writer);
            _pumps = Task.WhenAll(Task.Run(ReceiveAsync), Task.Run(SendAsync));
        }

        public override string ConnectionId { get; set; } = Guid.NewGuid().ToString("N");
        public override IFeatureCollection Features { get; } = new FeatureCollection();
        public override IDictionary<object, object?> Items { get; set; } = new Dictionary<object, object?>();
        public override IDuplexPipe Transport { get; set; }

        public override void Abort(ConnectionAbortedException abortReason) => _socket.Abort();

        /// <summary>Sends what is left and a close frame, waits (bounded) for the server's close, then frees the socket.</summary>
        public override async ValueTask DisposeAsync()
        {
            await _toSend.Writer.CompleteAsync();
            try
            {
                await _pumps.WaitAsync(CloseTimeout);
            }
            catch (TimeoutException)
            {
                _socket.Abort();
            }

            _socket.Dispose();
            await _received.Reader.CompleteAsync();
        }

        /// <summary>Socket → hub. Ends at the server's close frame (the hub connection then sees its input complete and
        /// raises Closed) or with the socket's error.</summary>
        private async Task ReceiveAsync()
        {
            Exception? error = null;
            try
            {
                while (true)
                {
                    var result = await _socket.ReceiveAsync(_received.Writer.GetMemory(), CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        break;
                    }

                    _received.Writer.Advance(result.Count);
                    if ((await _received.Writer.FlushAsync()).IsCompleted)
                    {
                        break;
                    }
                }
            }
            catch (Exception e)
            {
                error = e;
            }

            await _received.Writer.CompleteAsync(error);
        }

        /// <summary>Hub → socket, one text message per read; when the hub side completes, the close frame.</summary>
        private async Task SendAsync()
        {
            Exception? error = null;
            try
            {
                while (true)
                {
                    var result = await _toSend.Reader.ReadAsync();
                    var left = result.Buffer.Length;
                    foreach (var segment in result.Buffer)
                    {
                        left -= segment.Length;
                        if (!segment.IsEmpty)
                        {
                            await _socket.SendAsync(segment, WebSocketMessageType.Text, endOfMessage: left == 0, CancellationToken.None);
                        }
                    }

                    _toSend.Reader.AdvanceTo(result.Buffer.End);
                    if (result.IsCompleted || result.IsCanceled)
                    {
                        break;
                    }
                }

                if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                }
            }
            catch (Exception e)
            {
                error = e;
                _socket.Abort();
            }

            await _toSend.Reader.CompleteAsync(error);
        }
    }

    private sealed record DuplexPipe(PipeReader Input, PipeWriter Output) : IDuplexPipe;
}
