using System.Net.Http.Json;
using System.Text.Json;
using AmvScreening.Protocol;

namespace AmvScreening.Audience;

/// <summary>
/// The server's HTTP API as these tools drive it: the wire format's JSON (<see cref="Json"/>), and the coordinator's
/// requests under one sign-in. The session cookie goes by hand on each staff request, so that the same
/// <see cref="HttpClient"/> can also be many phones (their tokens go in a header).
/// </summary>
public sealed class CoordinatorSession
{
    private readonly HttpClient _http;
    private readonly string _cookie;

    private CoordinatorSession(HttpClient http, string cookie) => (_http, _cookie) = (http, cookie);

    /// <summary>camelCase names and enums, as the server writes them.</summary>
    public static JsonSerializerOptions Json { get; } = CreateJson();

    /// <summary>Signs in as the coordinator at <paramref name="http"/>'s base address.</summary>
    public static async Task<CoordinatorSession> SignInAsync(HttpClient http, string password, CancellationToken ct)
    {
        using var login = await http.PostAsJsonAsync("/api/auth/login", new { role = "coordinator", password }, ct);
        if (!login.IsSuccessStatusCode)
        {
            throw new ApiException($"signing in as coordinator at {http.BaseAddress} failed ({(int)login.StatusCode})");
        }

        // Every cookie the login sets (the staff cookie, and the consoles' antiforgery cookie), as a browser would send them.
        return new CoordinatorSession(http, string.Join("; ", login.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0])));
    }

    public Task<T> GetAsync<T>(string path, CancellationToken ct) => SendAsync<T>(HttpMethod.Get, path, ct);

    public Task<T> PostAsync<T>(string path, CancellationToken ct) => SendAsync<T>(HttpMethod.Post, path, ct);

    /// <summary>A staff request whose answer must be a success: its body as text.</summary>
    public async Task<string> GetStringAsync(string path, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Get, path, ct);
        await EnsureSuccessAsync(response, HttpMethod.Get, path, ct);
        return await response.Content.ReadAsStringAsync(ct);
    }

    /// <summary>A staff request whose answer the caller judges (a refusal may be news to tell, not a failure).</summary>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, CancellationToken ct)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Cookie", _cookie);
        return _http.SendAsync(request, ct);
    }

    /// <summary>A request anyone may make (no session): its JSON answer, which must be a success.</summary>
    public static async Task<T> GetPublicAsync<T>(HttpClient http, string path, CancellationToken ct)
    {
        using var response = await http.GetAsync(path, ct);
        await EnsureSuccessAsync(response, HttpMethod.Get, path, ct);
        return (await response.Content.ReadFromJsonAsync<T>(Json, ct))!;
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, CancellationToken ct)
    {
        using var response = await SendAsync(method, path, ct);
        await EnsureSuccessAsync(response, method, path, ct);
        return (await response.Content.ReadFromJsonAsync<T>(Json, ct))!;
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, HttpMethod method, string path, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new ApiException($"{method} {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
        }
    }

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        ShowJson.Configure(options);
        return options;
    }
}

/// <summary>The server refused or failed a request these tools needed; the message names the request.</summary>
public sealed class ApiException(string message) : Exception(message);
