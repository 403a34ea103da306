using System.Threading.Channels;
using AmvScreening.Protocol;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AmvScreening.Player.Show;

/// <summary>
/// The player's link to the show hub. It numbers every change of screen (<see cref="Report"/>) and sends each, in
/// order, to the server; commands pushed by the server go to the sequencer, room and results pushes to
/// <see cref="LiveInfo"/>. While the server cannot be reached the show goes on: only the latest report is kept, and it
/// is sent once the connection is back. It connects, and reconnects, forever, with a backoff.
/// </summary>
/// <remarks>Sequences grow strictly across restarts: they start above the last one the player saved, and after each
/// (re)connect above the server's (GetShow); a report the server found stale is numbered again and sent again.</remarks>
public sealed class ShowReporter : IAsyncDisposable
{
    /// <summary>Waits between connection attempts; the last one repeats forever.</summary>
    public static readonly IReadOnlyList<TimeSpan> DefaultBackoff =
        [TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10)];

    private readonly HubConnection _connection;
    private readonly PlayerApi _api;
    private readonly LiveInfo _live;
    private readonly IReadOnlyList<TimeSpan> _backoff;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Lock _lock = new();
    private long _sequence;
    private OnScreenReport? _latest;
    /// <summary>Reports not yet taken by the server, oldest first (only the latest while the server is away).</summary>
    private readonly Queue<OnScreenReport> _unsent = new();
    private TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="lastSequence">The highest sequence known to be used already (the saved state's, the server's).</param>
    public ShowReporter(
        PlayerApi api,
        string apiKey,
        LiveInfo live,
        Action<PlayerCommand> onCommand,
        long lastSequence,
        IReadOnlyList<TimeSpan>? backoff = null,
        TimeProvider? clock = null,
        ILogger<ShowReporter>? logger = null)
    {
        (_api, _live, _sequence) = (api, live, lastSequence);
        _backoff = backoff ?? DefaultBackoff;
        _clock = clock ?? TimeProvider.System;
        _logger = logger ?? NullLogger<ShowReporter>.Instance;
        _connection = new HubConnectionBuilder()
            .WithWebSocketTransport(new Uri(api.Server, ShowHubContract.Path), o => o.SetRequestHeader(ShowHubContract.ApiKeyHeader, apiKey))
            .AddJsonProtocol(o => ShowJson.Configure(o.PayloadSerializerOptions))
            .WithAutomaticReconnect(new Forever(_backoff))
            .Build();
        _connection.On(ShowHubMethods.PlayerCommand, onCommand);
        _connection.On<RoomInfo>(ShowHubMethods.RoomChanged, room => live.Room = room);
        _connection.On<PublicResults>(ShowHubMethods.ResultsRevealed, results => live.Results = results);
        _connection.On<int>(ShowHubMethods.VotersOnline, count => live.VotersOnline = count);
        _connection.Reconnecting += error =>
        {
            _logger.LogWarning("Lost the server ({Error}); reconnecting", error?.Message);
            return Task.CompletedTask;
        };
        _connection.Reconnected += _ => SyncAsync(CancellationToken.None);
        _connection.Closed += _ =>
        {
            _closed.TrySetResult();
            return Task.CompletedTask;
        };
    }

    public HubConnectionState State => _connection.State;

    /// <summary>The latest report (sent or not).</summary>
    public OnScreenReport? Latest
    {
        get
        {
            lock (_lock)
            {
                return _latest;
            }
        }
    }

    /// <summary>Numbers a change of screen and queues it; returns the report.</summary>
    public OnScreenReport Report(OnScreen screen)
    {
        OnScreenReport report;
        lock (_lock)
        {
            report = new OnScreenReport(
                ++_sequence, screen.Phase, screen.Entry?.Id, screen.CategoryId, screen.StartedAt,
                screen.Duration?.TotalSeconds, screen.Position.TotalSeconds);
            _latest = report;
            if (_connection.State != HubConnectionState.Connected)
            {
                _unsent.Clear(); // away: what was on screen meanwhile is moot, only the latest matters
            }

            _unsent.Enqueue(report);
        }

        _wake.Writer.TryWrite(true);
        return report;
    }

    /// <summary>Connects (again each time the connection is closed) and sends the latest report whenever it changes
    /// or the connection comes back, until <paramref name="ct"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        var sending = SendLoopAsync(ct);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                _closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                await ConnectAsync(ct);
                await _closed.Task.WaitAsync(ct);
                _logger.LogWarning("The connection to the server closed; connecting again");
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }

        await sending;
    }

    /// <summary>Sends what the server has not taken yet, if it is connected (at quit).</summary>
    public Task FlushAsync(CancellationToken ct) => SendUnsentAsync(ct);

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    private async Task ConnectAsync(CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await _connection.StartAsync(ct);
                _logger.LogInformation("Connected to the show hub at {Server}", _api.Server);
                await SyncAsync(ct);
                return;
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                var delay = Backoff.Delay(_backoff, attempt);
                _logger.LogWarning("Cannot reach the server at {Server} ({Error}); trying again in {Seconds} s", _api.Server, e.Message, delay.TotalSeconds);
                if (_connection.State != HubConnectionState.Disconnected)
                {
                    await _connection.StopAsync(CancellationToken.None);
                }

                await Task.Delay(delay, _clock, ct);
            }
        }
    }

    /// <summary>After each (re)connect: numbers the latest report above the server's state, reads the room and results
    /// (what changed while away), and wakes the sender.</summary>
    private async Task SyncAsync(CancellationToken ct)
    {
        try
        {
            var state = await _connection.InvokeAsync<ShowState>(ShowHubMethods.GetShow, ct);
            Renumber(state.Sequence);
            _live.Room = await _api.GetRoomAsync(ct);
            _live.Results = await _api.GetResultsAsync(ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            _logger.LogWarning("Could not read the show, room or results after connecting: {Error}", e.Message);
        }

        _wake.Writer.TryWrite(true);
    }

    /// <summary>The server holds <paramref name="serverSequence"/>: go on above it, keeping only the latest unsent
    /// report (after a reconnect, what was on screen meanwhile is moot), numbered so that the server will take it.</summary>
    private void Renumber(long serverSequence)
    {
        lock (_lock)
        {
            _sequence = Math.Max(_sequence, serverSequence);
            if (_unsent.Count > 0)
            {
                var latest = _unsent.Last();
                _unsent.Clear();
                _latest = latest.Sequence <= serverSequence ? latest with { Sequence = ++_sequence } : latest;
                _unsent.Enqueue(_latest);
            }
        }
    }

    private async Task SendLoopAsync(CancellationToken ct)
    {
        try
        {
            while (await _wake.Reader.WaitToReadAsync(ct))
            {
                _wake.Reader.TryRead(out _);
                await SendUnsentAsync(ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>Sends the unsent reports in order while the connection holds.</summary>
    private async Task SendUnsentAsync(CancellationToken ct)
    {
        while (State == HubConnectionState.Connected && NextUnsent() is { } report && await SendAsync(report, ct))
        {
            lock (_lock)
            {
                if (_unsent.TryPeek(out var head) && head == report)
                {
                    _unsent.Dequeue();
                }
            }
        }
    }

    private OnScreenReport? NextUnsent()
    {
        lock (_lock)
        {
            return _unsent.TryPeek(out var report) ? report : null;
        }
    }

    /// <summary>Sends one report; true when the server is done with it (taken, or refused for good).</summary>
    private async Task<bool> SendAsync(OnScreenReport report, CancellationToken ct)
    {
        try
        {
            var state = await _connection.InvokeAsync<ShowState>(ShowHubMethods.ReportOnScreen, report, ct);
            if (state.Sequence == report.Sequence)
            {
                return true;
            }

            _logger.LogWarning("The server holds a newer sequence ({Server}) than report {Sequence}; numbering it again", state.Sequence, report.Sequence);
            Renumber(state.Sequence);
            _wake.Writer.TryWrite(true);
            return false;
        }
        catch (HubException e)
        {
            // Refused (an entry the server does not know): sending it again would not help.
            _logger.LogError("The server refused report {Sequence}: {Error}", report.Sequence, e.Message);
            return true;
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // The connection is going away; the reconnect sends the latest.
            _logger.LogWarning("Report {Sequence} not sent: {Error}", report.Sequence, e.Message);
            return false;
        }
    }

    private sealed class Forever(IReadOnlyList<TimeSpan> backoff) : IRetryPolicy
    {
        public TimeSpan? NextRetryDelay(RetryContext context) => Backoff.Delay(backoff, context.PreviousRetryCount);
    }
}

/// <summary>Waits between attempts to reach the server: the list in order, then its last one forever.</summary>
internal static class Backoff
{
    public static TimeSpan Delay(IReadOnlyList<TimeSpan> backoff, long attempt) => backoff[(int)Math.Min(attempt, backoff.Count - 1)];
}
