using System.Net.Http.Json;
using AmvScreening.Server.Auth;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

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
    private readonly bool _ownsDataDirectory;

    public AmvServer(IDictionary<string, string?>? settings = null, string? dataDirectory = null)
    {
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

        UseKestrel(0);
        StartServer();
        BaseAddress = ClientOptions.BaseAddress;
    }

    public string DataDirectory { get; }

    /// <summary>http://127.0.0.1:PORT/</summary>
    public Uri BaseAddress { get; }

    public string DatabasePath => Path.Combine(DataDirectory, "amv.db");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>A client over the real socket, anonymous (a voter's view), keeping cookies.</summary>
    public HttpClient CreateAnonymousClient() =>
        new(new HttpClientHandler { UseCookies = true, CookieContainer = new() }) { BaseAddress = BaseAddress };

    /// <summary>A client signed in as coordinator or booth.</summary>
    public async Task<HttpClient> CreateStaffClientAsync(string role = Roles.Coordinator)
    {
        var client = CreateAnonymousClient();
        var response = await client.PostAsJsonAsync("/api/auth/login",
            new { role, password = role == Roles.Coordinator ? CoordinatorPassword : BoothPassword });
        response.EnsureSuccessStatusCode();
        return client;
    }

    /// <summary>A client authenticated as the player (API key header).</summary>
    public HttpClient CreatePlayerClient()
    {
        var client = CreateAnonymousClient();
        client.DefaultRequestHeaders.Add(AmvScreening.Protocol.ShowHubContract.ApiKeyHeader, PlayerApiKey);
        return client;
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
