using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AmvScreening.Tests.Contest;
using AmvScreening.Tests.Player.Vlc;
using AmvScreening.Tests.Support;
using Dapper;

namespace AmvScreening.Tests.Judging;

/// <summary>The coordinator's selection over the API: the ranking (mean, spread, how many scored), the outcomes and
/// their rules, the running order, the promotion into the show and when it is refused, the outcomes published, the
/// judges' scores CSV; and the judging settings in the contest file.</summary>
public sealed class SelectionTests : IAsyncLifetime
{
    private JudgingRig _rig = null!;
    private int[] _action = [];

    public async Task InitializeAsync()
    {
        _rig = await JudgingRig.StartAsync(min: 1, max: 10, blind: true, settings: TestMedia.ServerSettings, finalistLimit: 2);
        var clip = await TestMedia.ClipAsync(seconds: 2);
        _action =
        [
            await _rig.AddEntryAsync("Action", "Alpha", ["Ann"], "ann@example.org", clip),
            await _rig.AddEntryAsync("Action", "Bravo", ["Ben"], "ben@example.org", clip),
            await _rig.AddEntryAsync("Action", "Charlie", ["Cat"], "cat@example.org", clip),
            await _rig.AddEntryAsync("Action", "Delta", ["Dan"], "dan@example.org", clip),
        ];
    }

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    [Fact]
    public async Task Entries_AreRankedByTheJudgesMean_WithSpreadAndHowManyScored()
    {
        using var first = await _rig.JudgeAsync("First", "Action");
        using var second = await _rig.JudgeAsync("Second", "Action");
        await ScoreAsync(first, _action[0], 6, "nice cuts");
        await ScoreAsync(second, _action[0], 10);
        await ScoreAsync(first, _action[1], 9);
        await ScoreAsync(second, _action[1], 9);
        await ScoreAsync(first, _action[2], 3, flag: "tv-logos");

        var action = await ActionAsync();
        var ranked = action.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal([_action[1], _action[0], _action[2], _action[3]], ranked.Select(e => e.GetProperty("id").GetInt32()));
        Assert.Equal((9.0, 0, 2), Figures(ranked[0]));
        Assert.Equal((8.0, 4, 2), Figures(ranked[1]));
        Assert.Equal((3.0, 0, 1), Figures(ranked[2]));
        Assert.Equal(JsonValueKind.Null, ranked[3].GetProperty("mean").ValueKind);
        Assert.Equal(0, ranked[3].GetProperty("scored").GetInt32());
        Assert.Equal(2, action.GetProperty("judges").GetInt32());
        Assert.Equal("tv-logos", ranked[2].GetProperty("verdicts")[0].GetProperty("ruleFlag").GetString());
        Assert.Equal("nice cuts", ranked[1].GetProperty("verdicts").EnumerateArray().Single(v => v.GetProperty("judge").GetString() == "First").GetProperty("note").GetString());

        var csv = Csv.Parse(await _rig.Coordinator.GetStringAsync("/api/selection/scores.csv"));
        Assert.Equal(["category", "entry_id", "title", "editors", "judge", "score", "note", "rule_flag", "updated_at"], csv[0]);
        Assert.Equal(6, csv.Length);
        Assert.Contains(csv, row => row[2] == "Charlie" && row[4] == "First" && row[5] == "3" && row[7] == "tv-logos");
    }

    [Fact]
    public async Task Finalists_AreLimitedPerCategory_DisqualificationNeedsAReason_AndTheOrderIsKept()
    {
        await OutcomeAsync(_action[2], "finalist");
        await OutcomeAsync(_action[0], "finalist");
        var refused = await _rig.Coordinator.PutAsJsonAsync($"/api/selection/entries/{_action[1]}/outcome", new { outcome = "finalist" });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("finalist-limit", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());

        var noReason = await _rig.Coordinator.PutAsJsonAsync($"/api/selection/entries/{_action[1]}/outcome", new { outcome = "disqualified" });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.True((await noReason.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("reason", out _));
        await OutcomeAsync(_action[1], "disqualified", "TV station logo at 1:02");
        await OutcomeAsync(_action[3], "not-selected");

        Assert.Equal([_action[2], _action[0]], await FinalistOrderAsync());
        var wrong = await _rig.Coordinator.PutAsJsonAsync($"/api/selection/categories/{_rig.Categories["Action"]}/order", new { submissionIds = new[] { _action[0] } });
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent,
            (await _rig.Coordinator.PutAsJsonAsync($"/api/selection/categories/{_rig.Categories["Action"]}/order", new { submissionIds = new[] { _action[0], _action[2] } })).StatusCode);
        Assert.Equal([_action[0], _action[2]], await FinalistOrderAsync());

        // A finalist set back to pending leaves the others numbered 1, 2…
        await OutcomeAsync(_action[0], "pending");
        var action = await ActionAsync();
        Assert.Equal(1, action.GetProperty("entries").EnumerateArray().Single(e => e.GetProperty("id").GetInt32() == _action[2]).GetProperty("finalistPosition").GetInt32());
    }

    [Fact]
    public async Task Promote_MakesTheFinalistsTheShowsFinalists_WithTheirFilesAndRunningOrder_AndIsRefusedOnceTheShowHasVotes()
    {
        await OutcomeAsync(_action[3], "finalist");
        await OutcomeAsync(_action[1], "finalist");
        var promoted = await _rig.Coordinator.PostAsync("/api/selection/promote", null);
        Assert.True(promoted.IsSuccessStatusCode, await promoted.Content.ReadAsStringAsync());

        var finalists = await ContestApi.GetFinalistsAsync(_rig.Coordinator);
        Assert.Equal(["Delta", "Bravo"], finalists.Select(f => f.Title));
        Assert.Equal([1, 2], finalists.Select(f => f.Order));
        Assert.All(finalists, f => Assert.Equal("Action", f.Category));
        Assert.Equal("Dan", finalists[0].Editors);
        // The path is inside the media folder and is the entry's own file (a hard link: the same bytes, no copy).
        await using (var db = await JudgingRig.OpenAsync(_rig.Server))
        {
            var original = await db.ExecuteScalarAsync<string>("SELECT file_path FROM submissions WHERE id = @id", new { id = _action[3] });
            var media = TestMedia.ServerSettings["Amv:MediaRoot"]!;
            var placed = Path.Combine(media, finalists[0].File!);
            Assert.True(File.Exists(placed), placed);
            Assert.Equal(File.ReadAllBytes(Path.Combine(_rig.Server.DataDirectory, original!)), File.ReadAllBytes(placed));
            Assert.Equal(2, await db.ExecuteScalarAsync<int>("SELECT count(*) FROM submissions WHERE promoted_entry_id IS NOT NULL"));
        }

        // The player's own view of the show has them too, their files resolvable.
        using var player = _rig.Server.CreatePlayerClient();
        var show = await player.GetStringAsync(AmvScreening.Protocol.PlayerContract.ShowPath);
        Assert.Contains(finalists[0].File!, show, StringComparison.Ordinal);

        // Promoting again (a finalist swapped) replaces them, as long as nobody voted.
        await OutcomeAsync(_action[1], "not-selected");
        Assert.True((await _rig.Coordinator.PostAsync("/api/selection/promote", null)).IsSuccessStatusCode);
        Assert.Equal(["Delta"], (await ContestApi.GetFinalistsAsync(_rig.Coordinator)).Select(f => f.Title));

        await using (var db = await JudgingRig.OpenAsync(_rig.Server))
        {
            var entry = await db.ExecuteScalarAsync<int>("SELECT id FROM entries");
            await db.ExecuteAsync("INSERT INTO votes (voter, entry_id, score, voted_at) VALUES ('v1', @entry, 3, '2026-11-30T10:00:00Z')", new { entry });
        }

        var refused = await _rig.Coordinator.PostAsync("/api/selection/promote", null);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("votes-recorded", problem.GetProperty("reason").GetString());
        Assert.Contains("votes", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(["Delta"], (await ContestApi.GetFinalistsAsync(_rig.Coordinator)).Select(f => f.Title));
    }

    [Fact]
    public async Task Promote_WithoutFinalists_OrWithAWithdrawnFinalist_IsRefusedSayingWhy()
    {
        var none = await _rig.Coordinator.PostAsync("/api/selection/promote", null);
        Assert.Equal("no-finalists", (await none.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());

        await OutcomeAsync(_action[0], "finalist");
        await using (var db = await JudgingRig.OpenAsync(_rig.Server))
        {
            await db.ExecuteAsync("UPDATE submissions SET withdrawn_at = '2026-11-30T10:00:00Z' WHERE id = @id", new { id = _action[0] });
        }

        var withdrawn = await _rig.Coordinator.PostAsync("/api/selection/promote", null);
        Assert.Equal(HttpStatusCode.Conflict, withdrawn.StatusCode);
        Assert.Contains("Alpha", (await withdrawn.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishingOutcomes_SetsWhenTheyWerePublished_AndCanBeTakenBack()
    {
        Assert.Equal(HttpStatusCode.OK, (await _rig.Coordinator.PutAsJsonAsync("/api/selection/published", new { published = true })).StatusCode);
        await using var db = await JudgingRig.OpenAsync(_rig.Server);
        var at = await db.ExecuteScalarAsync<string>("SELECT outcomes_published_at FROM contest");
        Assert.True(DateTimeOffset.TryParse(at, out var published) && DateTimeOffset.UtcNow - published < TimeSpan.FromMinutes(1), at);
        Assert.Equal(HttpStatusCode.OK, (await _rig.Coordinator.PutAsJsonAsync("/api/selection/published", new { published = false })).StatusCode);
        Assert.Null(await db.ExecuteScalarAsync<string?>("SELECT outcomes_published_at FROM contest"));
    }

    [Theory]
    [InlineData("""{"min":5,"max":5}""", "contest.judging.max")]
    [InlineData("""{"min":-101,"max":2}""", "contest.judging.min")]
    [InlineData("""{"min":1,"max":101}""", "contest.judging.max")]
    [InlineData("""{"min":1.5,"max":10}""", "contest.judging.min")]
    [InlineData("""{"min":1,"max":10,"blind":"yes"}""", "contest.judging.blind")]
    [InlineData("""{"min":1,"max":10,"hidden":true}""", "contest.judging.hidden")]
    [InlineData("[]", "contest.judging")]
    public async Task ContestFile_WithABadJudgingScale_IsRefusedNamingTheField(string judging, string field)
    {
        var file = new JsonObject
        {
            ["contest"] = new JsonObject { ["name"] = "C", ["year"] = 2026, ["judging"] = JsonNode.Parse(judging) },
            ["categories"] = new JsonArray("Action"),
            ["finalists"] = new JsonArray(),
        };
        var import = await ContestApi.ImportAsync(_rig.Coordinator, file);
        Assert.Equal(HttpStatusCode.BadRequest, import.Status);
        Assert.Contains($"\"{field}\"", import.Body.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ContestFile_KeepsTheJudgingSettings_ThroughExportAndImport()
    {
        var exported = await _rig.Coordinator.GetStringAsync("/api/contest/export");
        var judging = JsonDocument.Parse(exported).RootElement.GetProperty("contest").GetProperty("judging");
        Assert.Equal((1, 10, true), (judging.GetProperty("min").GetInt32(), judging.GetProperty("max").GetInt32(), judging.GetProperty("blind").GetBoolean()));
    }

    private static (double Mean, int Spread, int Scored) Figures(JsonElement e) =>
        (e.GetProperty("mean").GetDouble(), e.GetProperty("spread").GetInt32(), e.GetProperty("scored").GetInt32());

    private static async Task ScoreAsync(HttpClient judge, int entry, int score, string? note = null, string? flag = null)
    {
        using var response = await judge.PutAsJsonAsync($"/api/judging/entries/{entry}/score", new { score, note, ruleFlag = flag }).WaitAsync(HubTesting.Bound);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task OutcomeAsync(int entry, string outcome, string? reason = null)
    {
        using var response = await _rig.Coordinator.PutAsJsonAsync($"/api/selection/entries/{entry}/outcome", new { outcome, reason }).WaitAsync(HubTesting.Bound);
        Assert.True(response.StatusCode == HttpStatusCode.NoContent, await response.Content.ReadAsStringAsync());
    }

    private async Task<JsonElement> ActionAsync() =>
        (await _rig.Coordinator.GetFromJsonAsync<JsonElement>("/api/selection").WaitAsync(HubTesting.Bound))
            .GetProperty("categories").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "Action");

    private async Task<List<int>> FinalistOrderAsync() =>
        [.. (await ActionAsync()).GetProperty("entries").EnumerateArray()
            .Where(e => e.GetProperty("outcome").GetString() == "finalist")
            .OrderBy(e => e.GetProperty("finalistPosition").GetInt32())
            .Select(e => e.GetProperty("id").GetInt32())];
}
