using System.Net.Http.Json;
using System.Text.Json;
using AmvScreening.Protocol;

namespace AmvScreening.Player.Show;

/// <summary>The server's HTTP API as the player reads it, with its API key.</summary>
public sealed class PlayerApi : IDisposable
{
    /// <summary>The server's wire format.</summary>
    public static readonly JsonSerializerOptions Json = CreateJson();

    private readonly HttpClient _http;

    public PlayerApi(Uri server, string apiKey)
    {
        _http = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(10) };
        _http.DefaultRequestHeaders.Add(ShowHubContract.ApiKeyHeader, apiKey);
    }

    public Uri Server => _http.BaseAddress!;

    /// <summary>Contest name, room and playlist (GET /api/player/show).</summary>
    public Task<PlayerShow> GetShowAsync(CancellationToken ct = default) => GetAsync<PlayerShow>(PlayerContract.ShowPath, ct);

    /// <summary>What is on screen as the server last heard it (GET /api/show).</summary>
    public Task<ShowState> GetShowStateAsync(CancellationToken ct = default) => GetAsync<ShowState>("/api/show", ct);

    /// <summary>The current room code and join URL (GET /api/room).</summary>
    public Task<RoomInfo> GetRoomAsync(CancellationToken ct = default) => GetAsync<RoomInfo>("/api/room", ct);

    /// <summary>The revealed results (GET /api/results).</summary>
    public Task<PublicResults> GetResultsAsync(CancellationToken ct = default) => GetAsync<PublicResults>("/api/results", ct);

    /// <summary>Tells the server which finalists' files changed after their pre-flight check (POST
    /// /api/preflight/changed); the list replaces the previous one.</summary>
    public async Task PostChangedFilesAsync(ChangedFiles changed, CancellationToken ct = default)
    {
        using var response = await _http.PostAsJsonAsync(PlayerContract.ChangedFilesPath, changed, Json, ct);
        ThrowIfKeyRefused(response, PlayerContract.ChangedFilesPath);
        response.EnsureSuccessStatusCode();
    }

    public void Dispose() => _http.Dispose();

    private async Task<T> GetAsync<T>(string path, CancellationToken ct)
    {
        using var response = await _http.GetAsync(path, ct);
        ThrowIfKeyRefused(response, path);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<T>(Json, ct) ?? throw new HttpRequestException($"Empty answer from {path}.");
    }

    private void ThrowIfKeyRefused(HttpResponseMessage response, string path)
    {
        if (response.StatusCode is System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden)
        {
            throw new PlayerApiKeyException($"The server at {Server} refused the player's API key ({(int)response.StatusCode} on {path}).");
        }
    }

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        ShowJson.Configure(options);
        return options;
    }
}

/// <summary>The server refused the API key: retrying will not help.</summary>
public sealed class PlayerApiKeyException(string message) : Exception(message);
