using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AmvScreening.Tests.Support;

namespace AmvScreening.Tests.Contest;

/// <summary>The sample contest files and the contest API as the tests use them; every call is bounded.</summary>
internal static class ContestApi
{
    public static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(10);

    public const string SampleJson = "kumoricon-2023.json";
    public const string SampleCsv = "kumoricon-2023.csv";
    public const string BrokenCsv = "broken-three-rows.csv";

    /// <summary>The text of a file of samples/.</summary>
    public static string Sample(string name) => File.ReadAllText(RepoPaths.Of("samples", name));

    public static JsonObject SampleContest() => JsonNode.Parse(Sample(SampleJson))!.AsObject();

    public static Task<Import> ImportAsync(HttpClient client, JsonNode contest, bool dryRun = false) =>
        ImportAsync(client, contest.ToJsonString(), "application/json", dryRun);

    public static async Task<Import> ImportAsync(HttpClient client, string text, string mediaType, bool dryRun = false)
    {
        // Expect: 100-continue, as a browser uploading a file: a body over the limit is refused (413) before it is
        // sent, instead of the server closing the connection while the client still writes.
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/contest/import?dryRun={dryRun}")
        {
            Content = new StringContent(text, Encoding.UTF8, mediaType),
        };
        request.Headers.ExpectContinue = true;
        using var response = await client.SendAsync(request).WaitAsync(TimeLimit);
        return new Import(response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>().WaitAsync(TimeLimit));
    }

    public static Task<byte[]> GetBytesAsync(HttpClient client, string path = "/api/contest") =>
        client.GetByteArrayAsync(path).WaitAsync(TimeLimit);

    public static async Task<JsonElement> GetContestAsync(HttpClient client) =>
        JsonDocument.Parse(await GetBytesAsync(client)).RootElement;

    /// <summary>The finalists of GET /api/contest in show order, every field but the ids.</summary>
    public static async Task<IReadOnlyList<Finalist>> GetFinalistsAsync(HttpClient client)
    {
        var contest = await GetContestAsync(client);
        var categories = contest.GetProperty("categories").EnumerateArray()
            .ToDictionary(c => c.GetProperty("id").GetInt32(), c => c.GetProperty("name").GetString()!);
        return [.. contest.GetProperty("entries").EnumerateArray().Select(e => new Finalist(
            categories[e.GetProperty("categoryId").GetInt32()],
            e.GetProperty("position").GetInt32(),
            e.GetProperty("title").GetString()!,
            Texts(e.GetProperty("editors")),
            e.GetProperty("musicArtist").GetString()!,
            e.GetProperty("musicTitle").GetString()!,
            Texts(e.GetProperty("sources")),
            e.GetProperty("videoPath").GetString(),
            e.GetProperty("contentNote").GetString(),
            e.GetProperty("disqualified").GetBoolean()))];
    }

    /// <summary>Lists joined with a character no test text holds, so records compare by value.</summary>
    private static string Texts(JsonElement array) => string.Join('\u001f', array.EnumerateArray().Select(e => e.GetString()));

    public sealed record Finalist(
        string Category, int Order, string Title, string Editors, string MusicArtist, string MusicTitle, string Sources,
        string? File, string? ContentNote, bool Disqualified);

    /// <summary>An import's answer: 200 with applied/counts/warnings, or a 400 ProblemDetails with errors.</summary>
    public sealed record Import(HttpStatusCode Status, JsonElement Body)
    {
        public IReadOnlyDictionary<string, string> Errors => Body.TryGetProperty("errors", out var errors)
            ? errors.EnumerateObject().ToDictionary(e => e.Name, e => string.Join(" ", e.Value.EnumerateArray().Select(m => m.GetString())))
            : new Dictionary<string, string>();

        public IReadOnlyList<string> WarningFields =>
            [.. Body.GetProperty("warnings").EnumerateArray().Select(w => w.GetProperty("field").GetString()!)];

        public string Describe() => $"{(int)Status} {Body}";
    }
}
