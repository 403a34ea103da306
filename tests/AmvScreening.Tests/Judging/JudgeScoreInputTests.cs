using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AmvScreening.Tests.Player.Vlc;
using AmvScreening.Tests.Support;
using Dapper;
using Xunit.Abstractions;

namespace AmvScreening.Tests.Judging;

/// <summary>Generated malformed scores (outside the scale, not whole numbers, not numbers, too-long notes, unknown
/// rules, unknown or missing fields) are each refused with a 400 naming the field, and nothing is stored; the scale's own
/// ends are taken.</summary>
public sealed class JudgeScoreInputTests(ITestOutputHelper output) : IAsyncLifetime
{
    private JudgingRig _rig = null!;
    private HttpClient _judge = null!;
    private int _entry;

    public async Task InitializeAsync()
    {
        _rig = await JudgingRig.StartAsync(min: -2, max: 2);
        _entry = await _rig.AddEntryAsync("Action", "Blade Dance", ["Zed"], "zed@example.org", await TestMedia.ClipAsync(seconds: 2));
        _judge = await _rig.JudgeAsync("Judy", "Action");
    }

    public async Task DisposeAsync()
    {
        _judge.Dispose();
        await _rig.DisposeAsync();
    }

    /// <summary>Bodies that must be refused, with the field a refusal must name; seeded, so a failure repeats.</summary>
    private static IEnumerable<(string Body, string Field)> Malformed(int seed)
    {
        var random = new Random(seed);
        string Body(string score, string note = "null", string flag = "null") => $$"""{"score":{{score}},"note":{{note}},"ruleFlag":{{flag}}}""";
        string Text(int length) => JsonSerializer.Serialize(new string([.. Enumerable.Range(0, length).Select(_ => (char)random.Next('a', 'z' + 1))]));

        foreach (var outside in new[] { -3, 3, int.MinValue, int.MaxValue }.Concat(Enumerable.Range(0, 20).Select(_ => random.Next(3, 1_000_000) * (random.Next(2) * 2 - 1))))
        {
            yield return (Body(outside.ToString(CultureInfo.InvariantCulture)), "score");
        }

        foreach (var fraction in new[] { "0.5", "-1.5", "1.0", "1e0", "2E-1", "1e3", "99999999999", "-0.0001" }
                     .Concat(Enumerable.Range(0, 10).Select(_ => (random.NextDouble() * 4 - 2).ToString("0.###1", CultureInfo.InvariantCulture))))
        {
            yield return (Body(fraction), "score");
        }

        foreach (var notANumber in new[] { "\"1\"", "true", "[]", "{}", "\"NaN\"", "\"\"" })
        {
            yield return (Body(notANumber), "score");
        }

        foreach (var length in new[] { 2001, 2500, random.Next(2002, 20_000) })
        {
            yield return (Body("1", Text(length)), "note");
        }

        foreach (var flag in new[] { "\"swearing\"", "\"PROFANITY\"", "\"profanity \\u0000\"", Text(random.Next(1, 40)), "5", "[\"nudity\"]" })
        {
            yield return (Body("1", "null", flag), "ruleFlag");
        }

        yield return ("""{"score":1,"note":null,"ruleFlag":null,"judge":7}""", "judge");
        yield return ("""{"score":1,"note":null}""", "ruleFlag");
        yield return ("""{"score":1,"score":2,"note":null,"ruleFlag":null}""", "score");
    }

    [Fact]
    public async Task MalformedScores_AreRefusedNamingTheField_AndNothingIsStored()
    {
        var cases = Malformed(seed: 20261130).ToList();
        foreach (var (body, field) in cases)
        {
            using var response = await _judge.PutAsync($"/api/judging/entries/{_entry}/score", new StringContent(body, Encoding.UTF8, "application/json"))
                .WaitAsync(HubTesting.Bound);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{body[..Math.Min(body.Length, 200)]} → {(int)response.StatusCode} {text}");
            var errors = JsonDocument.Parse(text).RootElement.GetProperty("errors");
            Assert.True(errors.EnumerateObject().Any(e => e.Name.Equals(field, StringComparison.OrdinalIgnoreCase)),
                $"{body[..Math.Min(body.Length, 200)]}: expected an error for '{field}', got {errors}");
        }

        await using var db = await JudgingRig.OpenAsync(_rig.Server);
        Assert.Equal(0, await db.ExecuteScalarAsync<int>("SELECT count(*) FROM judge_scores"));
        output.WriteLine($"{cases.Count} malformed scores refused, each naming its field; nothing stored.");
    }

    [Theory]
    [InlineData(-2)]
    [InlineData(0)]
    [InlineData(2)]
    public async Task ScoreOnTheScale_IsStored_WithItsNoteAndFlag(int score)
    {
        var note = new string('n', 2000);
        using var response = await _judge.PutAsJsonAsync($"/api/judging/entries/{_entry}/score", new { score, note, ruleFlag = "tv-logos" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var db = await JudgingRig.OpenAsync(_rig.Server);
        var stored = await db.QuerySingleAsync<(long Score, string Note, string Flag)>("SELECT score, note, rule_flag FROM judge_scores");
        Assert.Equal((score, note, "tv-logos"), ((int)stored.Score, stored.Note, stored.Flag));
    }

    [Fact]
    public async Task TheJudgingScale_CannotChange_OnceAJudgeHasScored()
    {
        Assert.Equal(HttpStatusCode.OK, (await _judge.PutAsJsonAsync($"/api/judging/entries/{_entry}/score", new { score = 1, note = (string?)null, ruleFlag = (string?)null })).StatusCode);
        var contest = (await _rig.Coordinator.GetFromJsonAsync<JsonElement>("/api/contest")).GetProperty("contest").GetRawText();
        var wider = contest.Replace("\"min\":-2", "\"min\":1", StringComparison.Ordinal).Replace("\"max\":2", "\"max\":10", StringComparison.Ordinal);
        using var response = await _rig.Coordinator.PutAsync("/api/contest/details", new StringContent(wider, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("judging.max", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
