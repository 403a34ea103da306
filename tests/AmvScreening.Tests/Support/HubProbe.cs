using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using AmvScreening.Protocol;
using AmvScreening.Server.Auth;

namespace AmvScreening.Tests.Support;

/// <summary>
/// Listens to the show hub as a coordinator, the booth or a voter would, speaking SignalR's JSON protocol over a raw
/// WebSocket (no negotiate step): enough to see what the server pushes to each group. Only listens; to call the hub,
/// use the .NET SignalR client with the project's WebSocket transport.
/// </summary>
public sealed class HubProbe : IAsyncDisposable
{
    private const char RecordSeparator = '\u001e';
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private readonly ClientWebSocket _socket;
    private readonly Channel<(string Target, JsonElement Argument)> _invocations = Channel.CreateUnbounded<(string, JsonElement)>();
    private readonly TaskCompletionSource _handshake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reading;

    private HubProbe(ClientWebSocket socket)
    {
        _socket = socket;
        _reading = ReadAsync();
    }

    /// <summary>Every push received so far, by method name, in order.</summary>
    public ConcurrentQueue<string> Received { get; } = new();

    /// <summary>Connects as <paramref name="role"/> (coordinator or booth, signed in with the test passwords), or as a voter when null.</summary>
    public static async Task<HubProbe> ConnectAsync(AmvServer server, string? role = null)
    {
        var cookies = new CookieContainer();
        if (role is not null)
        {
            using var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = server.BaseAddress };
            var password = role == Roles.Coordinator ? AmvServer.CoordinatorPassword : AmvServer.BoothPassword;
            (await http.PostAsJsonAsync("/api/auth/login", new { role, password })).EnsureSuccessStatusCode();
        }

        var socket = new ClientWebSocket();
        socket.Options.Cookies = cookies;
        await socket.ConnectAsync(new UriBuilder(server.BaseAddress) { Scheme = "ws", Path = ShowHubContract.Path }.Uri, CancellationToken.None)
            .WaitAsync(Bound);
        await socket.SendAsync(Encoding.UTF8.GetBytes("{\"protocol\":\"json\",\"version\":1}" + RecordSeparator), WebSocketMessageType.Text, true, CancellationToken.None)
            .WaitAsync(Bound);
        var probe = new HubProbe(socket);
        await probe._handshake.Task.WaitAsync(Bound);
        return probe;
    }

    /// <summary>The argument of the next push of <paramref name="target"/> that <paramref name="match"/> accepts (others are passed over).</summary>
    public async Task<JsonElement> WaitForAsync(string target, Func<JsonElement, bool>? match = null)
    {
        using var timeout = new CancellationTokenSource(Bound);
        while (true)
        {
            var (name, argument) = await _invocations.Reader.ReadAsync(timeout.Token);
            if (name == target && (match?.Invoke(argument) ?? true))
            {
                return argument;
            }
        }
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[64 * 1024];
        var chars = new char[Encoding.UTF8.GetMaxCharCount(buffer.Length)];
        var decoder = Encoding.UTF8.GetDecoder();
        var text = new StringBuilder();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var read = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (read.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                text.Append(chars, 0, decoder.GetChars(buffer, 0, read.Count, chars, 0));
                var messages = text.ToString().Split(RecordSeparator);
                text.Clear().Append(messages[^1]);
                foreach (var message in messages[..^1])
                {
                    Handle(JsonDocument.Parse(message).RootElement.Clone());
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
        }
        finally
        {
            _handshake.TrySetException(new InvalidOperationException("The hub closed the connection."));
            _invocations.Writer.TryComplete();
        }
    }

    private void Handle(JsonElement message)
    {
        if (!_handshake.Task.IsCompleted)
        {
            if (message.TryGetProperty("error", out var error))
            {
                _handshake.TrySetException(new InvalidOperationException($"Hub handshake refused: {error}"));
            }

            _handshake.TrySetResult();
            return;
        }

        // Type 1 is an invocation (a push); pings (6) and the rest are not of interest here.
        if (message.GetProperty("type").GetInt32() == 1)
        {
            var target = message.GetProperty("target").GetString()!;
            Received.Enqueue(target);
            _invocations.Writer.TryWrite((target, message.GetProperty("arguments")[0]));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _reading.WaitAsync(Bound);
        _socket.Dispose();
        _stop.Dispose();
    }
}
