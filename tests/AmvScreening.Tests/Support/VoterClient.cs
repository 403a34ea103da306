using System.Net.Http.Json;
using System.Text.Json;
using AmvScreening.Server.Voting;

namespace AmvScreening.Tests.Support;

/// <summary>A phone: joins with the room code and votes with its token, over real HTTP.</summary>
public sealed class VoterClient(HttpClient http, string token)
{
    public string Token => token;

    /// <summary>Joins the contest the way the voter page does: POST /api/voters with the room code.</summary>
    public static async Task<VoterClient> JoinAsync(HttpClient http, string roomCode)
    {
        var response = await http.PostAsJsonAsync("/api/voters", new { roomCode });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return new VoterClient(http, body.GetProperty("token").GetString()!);
    }

    /// <summary>Joins with a ballot card's key, as the phone does: the phone's own id (<paramref name="device"/>) with it.</summary>
    public static async Task<VoterClient> JoinWithCardAsync(HttpClient http, string key, string device)
    {
        var response = await JoinWithCardResponseAsync(http, key, device);
        Assert.True(response.IsSuccessStatusCode, $"joining with a card: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("card", body.GetProperty("via").GetString());
        return new VoterClient(http, body.GetProperty("token").GetString()!);
    }

    public static Task<HttpResponseMessage> JoinWithCardResponseAsync(HttpClient http, string key, string device) =>
        http.PostAsJsonAsync("/api/voters", new { cardKey = key, device });

    public Task<HttpResponseMessage> VoteAsync(int entryId, int score, long sequence = 0) =>
        SendAsync(HttpMethod.Put, $"/api/votes/{entryId}", JsonContent.Create(new { score, sequence }));

    public Task<HttpResponseMessage> PickBestInShowAsync(int entryId, long sequence = 0) =>
        SendAsync(HttpMethod.Put, "/api/best-in-show", JsonContent.Create(new { entryId, sequence }));

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Add(VoterTokens.HeaderName, token);
        return http.SendAsync(request);
    }
}
