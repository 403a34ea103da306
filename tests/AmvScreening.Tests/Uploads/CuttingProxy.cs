using System.Net;
using System.Net.Sockets;

namespace AmvScreening.Tests.Uploads;

/// <summary>
/// A TCP proxy on loopback in front of the server that cuts every connection (a reset, as when Wi-Fi drops) once it
/// has forwarded a given number of bytes from clients to the server: the connection drops in the middle of a request,
/// at a byte the test chooses. Afterwards it forwards new connections again, or, while held, resets them at once (the
/// network is still down).
/// </summary>
public sealed class CuttingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly Lock _lock = new();
    private readonly List<Socket> _open = [];
    private readonly CancellationTokenSource _stop = new();
    private long _forwarded;
    private long _cutAt = long.MaxValue;
    private bool _holdAfterCut;
    private volatile bool _holding;

    public CuttingProxy(Uri server)
    {
        _target = new IPEndPoint(IPAddress.Parse(server.Host), server.Port);
        _listener.Start();
        BaseAddress = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _ = AcceptAsync();
    }

    /// <summary>http://127.0.0.1:PORT/ of the proxy.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Completes when the connections were cut.</summary>
    public TaskCompletionSource Cut { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Bytes forwarded from clients to the server so far.</summary>
    public long Forwarded => Interlocked.Read(ref _forwarded);

    /// <summary>Cuts every connection once <paramref name="bytes"/> bytes in all have gone from clients to the server;
    /// then, when <paramref name="hold"/>, resets new connections until <see cref="Release"/>.</summary>
    public void CutAt(long bytes, bool hold = false)
    {
        _holdAfterCut = hold;
        Interlocked.Exchange(ref _cutAt, bytes);
    }

    /// <summary>The network is back: new connections are forwarded again.</summary>
    public void Release() => _holding = false;

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptSocketAsync(_stop.Token);
                if (_holding)
                {
                    Reset(client);
                    continue;
                }

                var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                client.NoDelay = true;
                try
                {
                    await server.ConnectAsync(_target, _stop.Token);
                }
                catch (SocketException)
                {
                    Reset(client);
                    continue;
                }

                lock (_lock)
                {
                    _open.Add(client);
                    _open.Add(server);
                }

                _ = PumpAsync(client, server, toServer: true);
                _ = PumpAsync(server, client, toServer: false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopped.
        }
    }

    private async Task PumpAsync(Socket from, Socket to, bool toServer)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                var send = read;
                var cut = false;
                if (toServer)
                {
                    var before = Interlocked.Add(ref _forwarded, read) - read;
                    var cutAt = Interlocked.Read(ref _cutAt);
                    if (before + read >= cutAt)
                    {
                        send = (int)(cutAt - before);
                        cut = true;
                    }
                }

                await to.SendAsync(buffer.AsMemory(0, send), _stop.Token);
                if (cut)
                {
                    CutAll();
                    return;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            Reset(from);
            Reset(to);
        }
    }

    private void CutAll()
    {
        List<Socket> open;
        lock (_lock)
        {
            Interlocked.Exchange(ref _cutAt, long.MaxValue);
            _holding = _holdAfterCut;
            open = [.. _open];
            _open.Clear();
        }

        foreach (var socket in open)
        {
            Reset(socket);
        }

        Cut.TrySetResult();
    }

    private static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (Exception e) when (e is ObjectDisposedException or SocketException)
        {
        }
    }

    public ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        CutAll();
        _stop.Dispose();
        return ValueTask.CompletedTask;
    }
}
