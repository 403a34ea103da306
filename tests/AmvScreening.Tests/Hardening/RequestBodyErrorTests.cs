using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AmvScreening.Server.Voting;
using AmvScreening.Tests.Support;

namespace AmvScreening.Tests.Hardening;

/// <summary>A JSON body the server cannot read is a 400 naming each field at fault, over real HTTP: every operation
/// that takes a body with required fields, sent an empty object, names each of them; and each kind of refusal (missing,
/// unknown, null, given twice, wrong type, not an object, not JSON) says what it is.</summary>
public sealed class RequestBodyErrorTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private readonly AmvServer _server = new(new Dictionary<string, string?> { ["Amv:ImportOnFirstStart"] = RepoPaths.Of("samples", "kumoricon-2023.json") });

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task EveryOperationWithRequiredFields_SentAnEmptyObject_Is400NamingEachRequiredField()
    {
        using var coordinator = await _server.CreateStaffClientAsync().WaitAsync(Bound);
        using var player = _server.CreatePlayerClient();
        using var phone = _server.CreateAnonymousClient();
        var room = (await coordinator.GetFromJsonAsync<JsonElement>("/api/room").WaitAsync(Bound)).GetProperty("code").GetString()!;
        var voter = await VoterClient.JoinAsync(phone, room).WaitAsync(Bound);
        phone.DefaultRequestHeaders.Add(VoterTokens.HeaderName, voter.Token);

        // A judge, for the judges' own routes (their cookie, not the staff one).
        var invited = await (await coordinator.PostAsJsonAsync("/api/judging/judges", new { name = "Judge", categoryIds = new[] { 1 } }).WaitAsync(Bound))
            .Content.ReadFromJsonAsync<JsonElement>().WaitAsync(Bound);
        using var judge = _server.CreateAnonymousClient();
        var invitePath = invited.GetProperty("invitePath").GetString()!;
        (await judge.PostAsJsonAsync("/api/auth/judge/invite", new { invite = invitePath[(invitePath.IndexOf('#') + 1)..], password = "judge-password" })
            .WaitAsync(Bound)).EnsureSuccessStatusCode();

        var document = await coordinator.GetFromJsonAsync<JsonElement>("/openapi/v1.json").WaitAsync(Bound);
        var schemas = document.GetProperty("components").GetProperty("schemas");
        var tested = new List<string>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                if (!operation.Value.TryGetProperty("requestBody", out var body)
                    || Resolve(body.GetProperty("content").EnumerateObject().First().Value.GetProperty("schema"), schemas) is not { } schema
                    || !schema.TryGetProperty("required", out var required) || required.GetArrayLength() == 0)
                {
                    continue;
                }

                // Route values that exist, so the body is what is wrong.
                var url = path.Name.Replace("{categoryId}", "1").Replace("{entryId}", "1").Replace("{batchId}", "1").Replace("{number}", "1")
                    .Replace("{clusterId}", "1").Replace("{role}", "booth").Replace("{submissionId}", "1").Replace("{judgeId}", "1");
                var answer = await FirstServedAsync(new HttpMethod(operation.Name.ToUpperInvariant()), url, coordinator, player, phone, judge);
                var text = await answer.Content.ReadAsStringAsync().WaitAsync(Bound);
                var what = $"{operation.Name.ToUpperInvariant()} {path.Name} with {{}}: {(int)answer.StatusCode} {text}";

                Assert.True(answer.StatusCode == HttpStatusCode.BadRequest, what);
                var errors = JsonDocument.Parse(text).RootElement.GetProperty("errors");
                Assert.True(
                    errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal)
                        .SequenceEqual(required.EnumerateArray().Select(r => r.GetString()!).Order(StringComparer.Ordinal)),
                    what);
                Assert.All(errors.EnumerateObject(), e => Assert.Equal(["Required."], e.Value.EnumerateArray().Select(m => m.GetString())));
                tested.Add(what);
            }
        }

        Assert.True(tested.Count >= 8, $"only {tested.Count} operations have a body with required fields:\n{string.Join("\n", tested)}");
    }

    /// <summary>(body sent to POST /api/contest/entries, the field named, the words)</summary>
    public static TheoryData<string, string, string> Refusals() => new()
    {
        { """{"categoryId":1,"title":"T","editors":["E"],"musicTitle":"S"}""", "musicArtist", "Required." },
        { """{"categoryId":1,"title":"T","editors":["E"],"musicArtist":"A","musicTitle":"S","colour":"red"}""", "colour", "Unknown field" },
        { """{"categoryId":1,"title":null,"editors":["E"],"musicArtist":"A","musicTitle":"S"}""", "title", "may not be null" },
        { """{"categoryId":1,"title":"T","Title":"U","editors":["E"],"musicArtist":"A","musicTitle":"S"}""", "Title", "Given twice" },
        { """{"categoryId":"1","title":"T","editors":["E"],"musicArtist":"A","musicTitle":"S"}""", "categoryId", "Wrong type of value" },
        { """{"categoryId":1,"title":"T","editors":[null],"musicArtist":"A","musicTitle":"S"}""", "editors", "Item 0 is null" },
        { """[{"categoryId":1}]""", "body", "Expected a JSON object" },
        { "{\n  \"categoryId\": 1,,\n}", "body", "Malformed JSON at line 2" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task ABodyThatCannotBeRead_Is400NamingTheField_WithWhatWasWrong(string body, string field, string words)
    {
        using var coordinator = await _server.CreateStaffClientAsync().WaitAsync(Bound);

        using var answer = await coordinator.PostAsync("/api/contest/entries", new StringContent(body, Encoding.UTF8, "application/json")).WaitAsync(Bound);

        var text = await answer.Content.ReadAsStringAsync().WaitAsync(Bound);
        Assert.True(answer.StatusCode == HttpStatusCode.BadRequest, text);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal("The request body is not valid.", problem.GetProperty("title").GetString());
        var errors = problem.GetProperty("errors");
        Assert.True(errors.EnumerateObject().Select(e => e.Name).SequenceEqual([field]), text);
        Assert.Contains(words, errors.GetProperty(field)[0].GetString());
    }

    private static JsonElement? Resolve(JsonElement schema, JsonElement schemas) =>
        schema.TryGetProperty("$ref", out var reference) ? schemas.GetProperty(reference.GetString()!.Split('/')[^1]) : schema;

    /// <summary>The answer of the first client the operation serves (not 401 or 403).</summary>
    private static async Task<HttpResponseMessage> FirstServedAsync(HttpMethod method, string url, params HttpClient[] clients)
    {
        HttpResponseMessage? answer = null;
        foreach (var client in clients)
        {
            answer?.Dispose();
            answer = await client.SendAsync(new HttpRequestMessage(method, url) { Content = new StringContent("{}", Encoding.UTF8, "application/json") }).WaitAsync(Bound);
            if (answer.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden))
            {
                return answer;
            }
        }

        return answer!;
    }
}
