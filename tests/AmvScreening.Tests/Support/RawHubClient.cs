using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace AmvScreening.Tests.Support;

/// <summary>
/// A show hub client over a bare WebSocket that speaks SignalR's JSON protocol by hand, so it can send what no typed
/// client can: arguments as raw JSON text (<c>1e999</c>, <c>NaN</c>, a field given twice, a missing argument), as a
/// hostile client would. Invocations are sent one at a time; the answer is the server's completion, or the fact that
/// the server closed the connection.
/// </summary>
public sealed class RawHubClient : IAsyncDisposable
{
    private const char RecordSeparator = '\u001e';

    private readonly ClientWebSocket _socket;
    private readonly StringBuilder _pending = new();
    private readonly Decoder _utf8 = Encoding.UTF8.GetDecoder(); // a character may be split between two frames
    private int _nextId;

    private RawHubClient(ClientWebSocket socket) => _socket = socket;

    /// <summary>What became of an invocation.</summary>
    /// <param name="Closed">The server closed the connection instead of answering.</param>
    /// <param name="Error">The completion's error, when the call failed.</param>
    /// <param name="Result">The completion's result, when it succeeded with one.</param>
    public sealed record Answer(bool Closed, string? Error, JsonElement? Result)
    {
        public bool Refused => Closed || Error is not null;
    }

    public bool IsOpen => _socket.State == WebSocketState.Open;

    /// <summary>Connects and completes the JSON protocol handshake. <paramref name="configure"/> sets the API key header or
    /// the staff cookies.</summary>
    public static async Task<RawHubClient> ConnectAsync(Uri hubUrl, Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = new ClientWebSocket();
        configure?.Invoke(socket.Options);
        var url = new UriBuilder(hubUrl) { Scheme = hubUrl.Scheme == "https" ? "wss" : "ws" }.Uri;
        await socket.ConnectAsync(url, CancellationToken.None).WaitAsync(HubTesting.Bound);
        var client = new RawHubClient(socket);
        await client.SendAsync("""{"protocol":"json","version":1}""");
        var handshake = await client.ReceiveAsync() ?? throw new InvalidOperationException("The hub closed during the handshake.");
        if (handshake.TryGetProperty("error", out var error))
        {
            throw new InvalidOperationException($"Handshake refused: {error}");
        }

        return client;
    }

    /// <summary>Invokes <paramref name="target"/> with each argument given as raw JSON text (sent as it is, valid JSON or
    /// not) and waits for its completion, skipping the pushes that arrive meanwhile.</summary>
    public async Task<Answer> InvokeAsync(string target, params string[] rawArguments)
    {
        if (!IsOpen)
        {
            return new Answer(true, null, null);
        }

        var id = (++_nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var message = $$"""{"type":1,"invocationId":"{{id}}","target":{{JsonSerializer.Serialize(target)}},"arguments":[{{string.Join(",", rawArguments)}}]}""";
        try
        {
            await SendAsync(message);
            while (await ReceiveAsync() is { } reply)
            {
                var type = reply.GetProperty("type").GetInt32();
                if (type == 7)
                {
                    return new Answer(true, reply.TryGetProperty("error", out var why) ? why.GetString() : null, null);
                }

                if (type == 3 && reply.GetProperty("invocationId").GetString() == id)
                {
                    return new Answer(false,
                        reply.TryGetProperty("error", out var error) ? error.GetString() : null,
                        reply.TryGetProperty("result", out var result) ? result.Clone() : null);
                }
            }
        }
        catch (WebSocketException)
        {
            // The server dropped the connection.
        }

        return new Answer(true, null, null);
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                // Gone already.
            }
        }

        _socket.Dispose();
    }

    private Task SendAsync(string json) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(json + RecordSeparator), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None)
            .WaitAsync(HubTesting.Bound);

    /// <summary>The next message, or null once the server has closed the socket.</summary>
    private async Task<JsonElement?> ReceiveAsync()
    {
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var end = _pending.ToString().IndexOf(RecordSeparator);
            if (end >= 0)
            {
                var text = _pending.ToString(0, end);
                _pending.Remove(0, end + 1);
                return JsonDocument.Parse(text).RootElement.Clone();
            }

            if (_socket.State != WebSocketState.Open)
            {
                return null;
            }

            var received = await _socket.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(HubTesting.Bound);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            var chars = new char[received.Count];
            _pending.Append(chars, 0, _utf8.GetChars(buffer, 0, received.Count, chars, 0));
        }
    }
}
