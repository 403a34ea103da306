using System.Text.Json;
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
/// <see cref="LiveInfo"/>. While the server cannot be reached the show goes on: only the latest report is kept, and
/// after each (re)connect the screen as it is then is reported afresh.
/// </summary>
/// <remarks>
/// <para>One mechanism keeps the link up, forever: the official client's automatic reconnect with the player's
/// <see cref="ReconnectPolicy"/>. The client does not cover the first connect, nor a close the server does not allow
/// to be reconnected: for those <see cref="RunAsync"/> starts the connection again, with the same policy.</para>
/// <para>Sequences grow strictly across restarts: they start above the last one the player saved, and after each
/// (re)connect above the server's (GetShow); a report the server found stale is numbered again and sent again.</para>
/// <para>Every message the server pushes goes through one guard (<see cref="Listen{T}"/>): it is read strictly
/// (<see cref="ShowJson.ConfigureStrict"/>), checked, and only then used; one that cannot be read or used is logged and
/// ignored. No message can stop the show.</para>
/// </remarks>
public sealed class ShowReporter : IAsyncDisposable
{
    private static readonly JsonSerializerOptions StrictJson = CreateStrictJson();

    private readonly HubConnection _connection;
    private readonly PlayerApi _api;
    private readonly LiveInfo _live;
    private readonly Func<OnScreen?> _screenNow;
    private readonly Func<TimeSpan> _positionNow;
    private readonly Func<PlayerAudio?> _audioNow;
    /// <summary>The screen of the last <see cref="Report"/>.</summary>
    private OnScreen? _reported;
    private readonly ReconnectPolicy _retry;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Lock _lock = new();
    private long _sequence;
    private OnScreenReport? _latest;
    /// <summary>Reports not yet taken by the server, oldest first (only the latest while the server is away).</summary>
    private readonly Queue<OnScreenReport> _unsent = new();
    /// <summary>Completes when the connection closes for good (not while the automatic reconnect is at work).</summary>
    private TaskCompletionSource<Exception?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="onCommand">Takes a command from the server (the sequencer checks it and logs what it ignores).</param>
    /// <param name="screenNow">What is on screen now (null before the first item), and <paramref name="positionNow"/>
    /// where in it: reported afresh after each (re)connect.</param>
    /// <param name="lastSequence">The highest sequence known to be used already (the saved state's, the server's).</param>
    /// <param name="retry">The waits between attempts to reach the server.</param>
    /// <param name="logs">The player's logs; the SignalR client's own errors (a message it cannot bind) go there too.</param>
    /// <param name="audioNow">The master volume now, carried by every report (null: not said).</param>
    public ShowReporter(
        PlayerApi api,
        string apiKey,
        LiveInfo live,
        Action<PlayerCommand> onCommand,
        Func<OnScreen?> screenNow,
        Func<TimeSpan> positionNow,
        long lastSequence,
        ReconnectPolicy? retry = null,
        TimeProvider? clock = null,
        ILoggerFactory? logs = null,
        Func<PlayerAudio?>? audioNow = null)
    {
        (_api, _live, _screenNow, _positionNow, _sequence) = (api, live, screenNow, positionNow, lastSequence);
        _audioNow = audioNow ?? (() => null);
        _retry = retry ?? new ReconnectPolicy();
        _clock = clock ?? TimeProvider.System;
        logs ??= NullLoggerFactory.Instance;
        _logger = logs.CreateLogger<ShowReporter>();
        Hub = new Uri(api.Server, ShowHubContract.Path);
        var builder = new HubConnectionBuilder()
            .WithShowHub(Hub, o => o.Headers[ShowHubContract.ApiKeyHeader] = apiKey)
            .WithAutomaticReconnect(_retry);
        // Errors only: the client warns about every push the player has no use for (ShowChanged, VotingChanged).
        builder.Services.AddLogging(b => b.SetMinimumLevel(LogLevel.Error).AddProvider(new Forward(logs)));
        _connection = builder.Build();
        Listen<PlayerCommand>(ShowHubMethods.PlayerCommand, command =>
        {
            onCommand(command);
            return null;
        });
        Listen<RoomInfo>(ShowHubMethods.RoomChanged, live.TakeRoom);
        Listen<PublicResults>(ShowHubMethods.ResultsRevealed, live.TakeResults);
        Listen<int>(ShowHubMethods.VotersOnline, live.TakeVotersOnline);
        // Pushed to every audience; the player, which reports the show, has no use for them.
        foreach (var unused in new[] { ShowHubMethods.ShowChanged, ShowHubMethods.VotingChanged })
        {
            _connection.On<JsonElement>(unused, _ => { });
        }

        // The client's errors do not name the hub: the player's messages do.
        _connection.Reconnecting += error =>
        {
            _logger.LogWarning("Lost the show hub at {Hub} ({Error}); reconnecting", Hub, error?.Message);
            return Task.CompletedTask;
        };
        _connection.Reconnected += _ =>
        {
            _logger.LogInformation("Reconnected to the show hub at {Hub}", Hub);
            return SyncAsync(CancellationToken.None);
        };
        _connection.Closed += error =>
        {
            _closed.TrySetResult(error);
            return Task.CompletedTask;
        };
    }

    /// <summary>The show hub's address (the server's, with <see cref="ShowHubContract.Path"/>).</summary>
    public Uri Hub { get; }

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
            report = NewReport(screen);
            (_latest, _reported) = (report, screen);
            if (_connection.State != HubConnectionState.Connected)
            {
                _unsent.Clear(); // away: what was on screen meanwhile is moot, only the latest matters
            }

            _unsent.Enqueue(report);
        }

        _wake.Writer.TryWrite(true);
        return report;
    }

    /// <summary>The master volume changed: the screen of the last <see cref="Report"/> is reported again, as it is now,
    /// with the new volume (before the first report there is nothing to say: the first carries it).</summary>
    public void ReportAudioChanged()
    {
        lock (_lock)
        {
            if (_reported is not { } screen)
            {
                return;
            }

            _latest = NewReport(screen with { Position = _positionNow() });
            if (_connection.State != HubConnectionState.Connected)
            {
                _unsent.Clear();
            }

            _unsent.Enqueue(_latest);
        }

        _wake.Writer.TryWrite(true);
    }

    /// <summary>Connects, and connects again whenever the connection is closed for good, trying with the policy's waits
    /// until the server answers; sends the latest report whenever it changes or the connection comes back; until
    /// <paramref name="ct"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        var sending = SendLoopAsync(ct);
        try
        {
            var failed = 0L;
            while (true)
            {
                string problem;
                try
                {
                    _closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
                    await _connection.StartAsync(ct);
                    failed = 0;
                    _logger.LogInformation("Connected to the show hub at {Hub}", Hub);
                    await SyncAsync(ct);
                    // From here the automatic reconnect keeps the connection up: it closes only when the server does not
                    // allow a reconnect.
                    problem = (await _closed.Task.WaitAsync(ct))?.Message ?? "the server closed the connection without allowing a reconnect";
                }
                catch (Exception e) when (!ct.IsCancellationRequested)
                {
                    problem = e.Message;
                }

                var delay = _retry.Delay(++failed);
                _logger.LogWarning("Cannot reach the show hub at {Hub} ({Problem}); trying again in {Seconds:0.##} s", Hub, problem, delay.TotalSeconds);
                await Task.Delay(delay, _clock, ct);
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

    /// <summary>After each (re)connect: reports the screen as it is now, above the server's sequence (a server that
    /// restarted counts the projector as lost until it hears from it), then reads the room and results (what changed
    /// while away).</summary>
    private async Task SyncAsync(CancellationToken ct)
    {
        try
        {
            var state = await _connection.InvokeAsync<ShowState>(ShowHubMethods.GetShow, ct);
            ReportAfresh(state.Sequence);
            _wake.Writer.TryWrite(true);
            Use("GET /api/room", await _api.GetRoomAsync(ct), _live.TakeRoom);
            Use("GET /api/results", await _api.GetResultsAsync(ct), _live.TakeResults);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            _logger.LogWarning("Could not read the show, room or results after connecting: {Error}", e.Message);
        }

        _wake.Writer.TryWrite(true);
    }

    /// <summary>The server holds <paramref name="serverSequence"/>: go on above it, with one report of the screen as it
    /// is now (what was on screen meanwhile is moot). Under the lock, like <see cref="Report"/>: a screen that is newer
    /// than the last one reported has its own report on the way (the sequencer raises the change right after showing
    /// it), numbered after this.</summary>
    private void ReportAfresh(long serverSequence)
    {
        lock (_lock)
        {
            _sequence = Math.Max(_sequence, serverSequence);
            _unsent.Clear();
            if (_screenNow() is { } screen && ReferenceEquals(screen, _reported))
            {
                _latest = NewReport(screen with { Position = _positionNow() });
                _unsent.Enqueue(_latest);
            }
        }
    }

    /// <summary>Numbers a report of <paramref name="screen"/> (the caller holds the lock).</summary>
    private OnScreenReport NewReport(OnScreen screen) => new(
        ++_sequence, screen.Phase, screen.Entry?.Id, screen.CategoryId, screen.StartedAt, screen.Duration?.TotalSeconds, screen.Position.TotalSeconds,
        _audioNow(), screen.Scope);

    /// <summary>The one way a push reaches the show: the message is read strictly as <typeparamref name="T"/>, then
    /// <paramref name="take"/> checks and uses it (returning why it could not, or null). Whatever the server sends, a
    /// message that cannot be read or used is logged and ignored.</summary>
    private void Listen<T>(string method, Func<T, string?> take) =>
        _connection.On<JsonElement>(method, raw =>
        {
            T? message;
            try
            {
                message = raw.Deserialize<T>(StrictJson);
            }
            catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException or InvalidOperationException)
            {
                _logger.LogWarning("{Method} message ignored: it does not read as {Type} ({Error}): {Message}", method, typeof(T).Name, e.Message, Shorten(raw));
                return;
            }

            Use($"{method} message", message, take, raw);
        });

    /// <summary>Checks and uses a message from <paramref name="source"/> (a push, or what an HTTP read answered).</summary>
    private void Use<T>(string source, T? message, Func<T, string?> take, JsonElement? raw = null)
    {
        try
        {
            if ((message is null ? "it is null." : take(message)) is { } problem)
            {
                _logger.LogWarning("{Source} ignored: {Problem} {Message}", source, problem, raw is { } json ? Shorten(json) : "");
            }
        }
        catch (Exception e)
        {
            _logger.LogError(e, "{Source} ignored: using it failed", source);
        }
    }

    /// <summary>The message as it came, cut short for the log.</summary>
    private static string Shorten(JsonElement raw)
    {
        const int max = 200;
        var text = raw.GetRawText();
        return text.Length <= max ? text : $"{text[..max]}… ({text.Length} characters)";
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

            _logger.LogWarning("The server holds a newer sequence ({Server}) than report {Sequence}; reporting the screen again", state.Sequence, report.Sequence);
            ReportAfresh(state.Sequence);
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

    private static JsonSerializerOptions CreateStrictJson()
    {
        var options = new JsonSerializerOptions();
        ShowJson.ConfigureStrict(options);
        return options;
    }

    /// <summary>Hands the SignalR client's loggers out of the player's own logs.</summary>
    private sealed class Forward(ILoggerFactory logs) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => logs.CreateLogger(categoryName);

        public void Dispose()
        {
        }
    }
}
