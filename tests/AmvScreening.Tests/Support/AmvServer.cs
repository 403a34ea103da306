using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using AmvScreening.Protocol;
using AmvScreening.Server.Auth;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AmvScreening.Tests.Support;

/// <summary>
/// The real server on real Kestrel, on a free loopback port, with its own SQLite file in a temporary data directory
/// and known secrets. One per test (or per class through IClassFixture); disposing it stops it and deletes the data.
/// </summary>
public sealed class AmvServer : WebApplicationFactory<Program>
{
    public const string CoordinatorPassword = "coordinator-pass-1";
    public const string BoothPassword = "booth-pass-1";
    public const string PlayerApiKey = "player-api-key-0123456789";

    private readonly Dictionary<string, string?> _settings;
    private readonly TimeProvider? _clock;
    private readonly bool _ownsDataDirectory;

    /// <param name="port">0 for a free port; a given port lets a test restart the server where clients reconnect.</param>
    /// <param name="clock">The server's clock (a <see cref="ManualClock"/>), instead of the system's.</param>
    public AmvServer(IDictionary<string, string?>? settings = null, string? dataDirectory = null, int port = 0, TimeProvider? clock = null)
    {
        _clock = clock;
        _ownsDataDirectory = dataDirectory is null;
        DataDirectory = dataDirectory ?? Directory.CreateTempSubdirectory("amv-test-").FullName;
        _settings = new Dictionary<string, string?>
        {
            ["Amv:DataDirectory"] = DataDirectory,
            ["Amv:Auth:CoordinatorPassword"] = CoordinatorPassword,
            ["Amv:Auth:BoothPassword"] = BoothPassword,
            ["Amv:Auth:PlayerApiKey"] = PlayerApiKey,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }

        UseKestrel(port);
        StartServer();
        BaseAddress = ClientOptions.BaseAddress;
    }

    public string DataDirectory { get; }

    /// <summary>What the server logged at Error and above, with the exception: a test that meets a 500 can say why.</summary>
    public ConcurrentQueue<string> Errors { get; } = new();

    /// <summary>The settings of a server run as a process of its own (<see cref="ServerProcess"/>) on this data folder:
    /// the sample contest imported at first start, the known secrets.</summary>
    public static Dictionary<string, string> ProcessSettings(string dataDirectory) => new()
    {
        ["Amv:DataDirectory"] = dataDirectory,
        ["Amv:ImportOnFirstStart"] = RepoPaths.Of("samples", "kumoricon-2023.json"),
        ["Amv:Auth:CoordinatorPassword"] = CoordinatorPassword,
        ["Amv:Auth:BoothPassword"] = BoothPassword,
        ["Amv:Auth:PlayerApiKey"] = PlayerApiKey,
    };

    /// <summary>http://127.0.0.1:PORT/</summary>
    public Uri BaseAddress { get; }

    public string DatabasePath => Path.Combine(DataDirectory, "amv.db");

    /// <summary>http://127.0.0.1:PORT/hubs/show</summary>
    public Uri HubUrl => new(BaseAddress, ShowHubContract.Path);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.AddProvider(new ErrorLog(Errors)));
        if (_clock is { } clock)
        {
            builder.ConfigureTestServices(services => services.AddSingleton(clock));
        }
    }

    private sealed class ErrorLog(ConcurrentQueue<string> errors) : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                errors.Enqueue($"{formatter(state, exception)}{(exception is null ? "" : Environment.NewLine + exception)}");
            }
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public void Dispose()
        {
        }
    }

    /// <summary>A client over the real socket, anonymous (a voter's view), keeping cookies.</summary>
    public HttpClient CreateAnonymousClient(CookieContainer? cookies = null) =>
        new(new HttpClientHandler { UseCookies = true, CookieContainer = cookies ?? new() }) { BaseAddress = BaseAddress };

    /// <summary>A client signed in as coordinator or booth; the session cookie lands in <paramref name="cookies"/> when given.</summary>
    public async Task<HttpClient> CreateStaffClientAsync(string role = Roles.Coordinator, CookieContainer? cookies = null)
    {
        var client = CreateAnonymousClient(cookies);
        var response = await client.PostAsJsonAsync("/api/auth/login",
            new { role, password = role == Roles.Coordinator ? CoordinatorPassword : BoothPassword });
        response.EnsureSuccessStatusCode();
        return client;
    }

    /// <summary>A client authenticated as the player (API key header).</summary>
    public HttpClient CreatePlayerClient()
    {
        var client = CreateAnonymousClient();
        client.DefaultRequestHeaders.Add(ShowHubContract.ApiKeyHeader, PlayerApiKey);
        return client;
    }

    /// <summary>A show hub connection (not started), built as the player builds it (<see cref="ShowHubClient"/>).
    /// <paramref name="configure"/> sets headers or cookies; <paramref name="reconnectDelays"/> turns on automatic
    /// reconnect.</summary>
    public HubConnection CreateHubConnection(Action<HttpConnectionOptions>? configure = null, TimeSpan[]? reconnectDelays = null)
    {
        var builder = new HubConnectionBuilder().WithShowHub(HubUrl, configure);
        if (reconnectDelays is not null)
        {
            builder.WithAutomaticReconnect(reconnectDelays);
        }

        return builder.Build();
    }

    /// <summary>An anonymous connection: a voter's phone.</summary>
    public HubConnection CreateVoterHub() => CreateHubConnection();

    /// <summary>The player's connection, with its API key (or another one).</summary>
    public HubConnection CreatePlayerHub(string apiKey = PlayerApiKey, TimeSpan[]? reconnectDelays = null) =>
        CreateHubConnection(o => o.Headers[ShowHubContract.ApiKeyHeader] = apiKey, reconnectDelays);

    /// <summary>A coordinator's or booth's connection, carrying the session cookie from a real sign-in.</summary>
    public async Task<HubConnection> CreateStaffHubAsync(string role = Roles.Coordinator)
    {
        var cookies = new CookieContainer();
        using var _ = await CreateStaffClientAsync(role, cookies);
        return CreateHubConnection(o => o.Cookies = cookies);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && _ownsDataDirectory)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
        }
    }
}
