using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AmvScreening.Protocol;
using AmvScreening.Server.Contest;
using AmvScreening.Tests.Support;
using static AmvScreening.Protocol.ResultsContract;

namespace AmvScreening.Tests.Results;

/// <summary>The results API over the real server: contests seeded in the database, votes through the voting API.</summary>
public sealed class ResultsApiTests : IDisposable
{
    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    private readonly AmvServer _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task RevealingACategory_WhileItsVotingIsOpen_IsRefusedAsCategoryOpen()
    {
        var category = (await TestContest.SeedAsync(_server))[0];
        using var coordinator = await _server.CreateStaffClientAsync();
        await TestContest.SetVotingAsync(coordinator, category.Id, "open");
        await TestContest.VoteAsync(_server, coordinator, category.Entries[0], 5);

        await AssertRefusedAsync(await RevealAsync(coordinator, category.Id), Reasons.CategoryOpen);
        var tally = await TallyAsync(coordinator);
        Assert.Equal(CategoryVotingStatus.Open, tally.Categories[0].Status);
        Assert.Equal(Reasons.CategoryOpen, tally.Categories[0].Outcome.Blocker);
        Assert.Empty((await PublicAsync(coordinator)).Categories);
    }

    [Fact]
    public async Task RevealingACategory_AfterVotingCloses_MakesItsWinnerPublic()
    {
        var category = (await TestContest.SeedAsync(_server))[0];
        var (first, second) = (category.Entries[0], category.Entries[1]);
        using var coordinator = await _server.CreateStaffClientAsync();
        using var audience = _server.CreateAnonymousClient();
        await TestContest.SetVotingAsync(coordinator, category.Id, "open");
        await TestContest.VoteAsync(_server, coordinator, first, 5, 4);
        await TestContest.VoteAsync(_server, coordinator, second, 4);

        var hidden = await audience.GetAsync($"/api/results/categories/{category.Id}");
        Assert.Equal(HttpStatusCode.Forbidden, hidden.StatusCode);
        Assert.Equal("application/problem+json", hidden.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await audience.GetAsync("/api/results/categories/9999")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await RevealAsync(audience, category.Id)).StatusCode);

        await TestContest.SetVotingAsync(coordinator, category.Id, "close");
        var revealed = await RevealAsync(coordinator, category.Id);
        Assert.Equal(HttpStatusCode.OK, revealed.StatusCode);
        Assert.Equal(first, (await revealed.Content.ReadFromJsonAsync<PublicResults>(Json))!.Categories.Single().Winner.Id);

        var shown = await audience.GetFromJsonAsync<RevealedCategory>($"/api/results/categories/{category.Id}", Json);
        Assert.Equal((category.Id, "Category 1", first, "Entry 1.1"), (shown!.CategoryId, shown.Name, shown.Winner.Id, shown.Winner.Title));
        var results = await audience.GetStringAsync("/api/results");
        Assert.Equal(first, JsonSerializer.Deserialize<PublicResults>(results, Json)!.Categories.Single().Winner.Id);
        Assert.DoesNotContain("mean", results, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("count", results, StringComparison.OrdinalIgnoreCase);

        // Revealing again is harmless: the first reveal's time stays.
        var again = await (await RevealAsync(coordinator, category.Id)).Content.ReadFromJsonAsync<PublicResults>(Json);
        Assert.Equal(shown.RevealedAt, again!.Categories.Single().RevealedAt);
    }

    [Fact]
    public async Task ATieAtTheTop_IsReported_AndTheRevealWaitsForTheCoordinatorsDecision()
    {
        var category = (await TestContest.SeedAsync(_server))[0];
        var (first, second, third) = (category.Entries[0], category.Entries[1], category.Entries[2]);
        var scope = Scopes.Category(category.Id);
        using var coordinator = await _server.CreateStaffClientAsync();
        await TestContest.SetVotingAsync(coordinator, category.Id, "open");
        await TestContest.VoteAsync(_server, coordinator, first, 5, 4);
        await TestContest.VoteAsync(_server, coordinator, second, 4, 5);
        await TestContest.VoteAsync(_server, coordinator, third, 3);
        await TestContest.SetVotingAsync(coordinator, category.Id, "close");

        var tally = (await TallyAsync(coordinator)).Categories[0];
        PrizeAssert.Equal(new PrizeOutcome(null, [first, second], null, Reasons.TieUndecided), tally.Outcome);
        Assert.Equal([1, 1, 3], tally.Rows.Select(r => r.Rank));
        await AssertRefusedAsync(await RevealAsync(coordinator, category.Id), Reasons.TieUndecided);

        await AssertRefusedAsync(await DecideAsync(coordinator, scope, third), Reasons.NotTied);
        await AssertInvalidAsync(await DecideAsync(coordinator, "category:first", first), "scope");
        Assert.Equal(HttpStatusCode.NotFound, (await DecideAsync(coordinator, Scopes.Category(9999), first)).StatusCode);

        var decided = await DecideAsync(coordinator, scope, second, "Judges' coin toss");
        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        PrizeAssert.Equal(new PrizeOutcome(second, [first, second], second, null), (await decided.Content.ReadFromJsonAsync<PrizeOutcome>(Json))!);
        Assert.Equal("Judges' coin toss", (await TallyAsync(coordinator)).Categories[0].DecisionNote);

        Assert.Equal(HttpStatusCode.OK, (await RevealAsync(coordinator, category.Id)).StatusCode);
        Assert.Equal(second, (await PublicAsync(coordinator)).Categories.Single().Winner.Id);
        await AssertRefusedAsync(await DecideAsync(coordinator, scope, first), Reasons.AlreadyRevealed);
    }

    [Fact]
    public async Task PaperBallots_MergeIntoTheTally_AndCanChangeTheWinner()
    {
        var category = (await TestContest.SeedAsync(_server))[0];
        var (first, second) = (category.Entries[0], category.Entries[1]);
        using var coordinator = await _server.CreateStaffClientAsync();
        await TestContest.SetVotingAsync(coordinator, category.Id, "open");
        await TestContest.VoteAsync(_server, coordinator, first, 5, 4);
        await TestContest.VoteAsync(_server, coordinator, second, 4);
        Assert.Equal(first, (await TallyAsync(coordinator)).Categories[0].Outcome.WinnerId);

        var paper = await coordinator.PutAsJsonAsync($"/api/entries/{second}/paper", new { counts = new Dictionary<string, int> { ["5"] = 3, ["1"] = 0 } });
        Assert.Equal(HttpStatusCode.OK, paper.StatusCode);
        var stored = await paper.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3, stored.GetProperty("counts").GetProperty("5").GetInt32());
        Assert.Equal(0, stored.GetProperty("counts").GetProperty("2").GetInt32());

        var tally = (await TallyAsync(coordinator)).Categories[0];
        var row = tally.Rows.Single(r => r.EntryId == second);
        Assert.Equal((1, 3, 4, 4.75m, 1), (row.Online[4], row.Paper[5], row.Count, row.Mean, row.Rank));
        Assert.Equal(new Dictionary<int, int> { [1] = 0, [2] = 0, [3] = 0, [4] = 1, [5] = 3 }, row.Combined);
        Assert.Equal(second, tally.Outcome.WinnerId);

        // Replacing the counts replaces them all.
        await coordinator.PutAsJsonAsync($"/api/entries/{second}/paper", new { counts = new Dictionary<string, int> { ["2"] = 1 } });
        row = (await TallyAsync(coordinator)).Categories[0].Rows.Single(r => r.EntryId == second);
        Assert.Equal((0, 1, 2, 3.00m), (row.Paper[5], row.Paper[2], row.Count, row.Mean));

        await AssertInvalidAsync(await PutPaperAsync(coordinator, first, """{"counts":{"6":1}}"""), "counts.6");
        await AssertInvalidAsync(await PutPaperAsync(coordinator, first, """{"counts":{"5":-1}}"""), "counts.5");
        await AssertInvalidAsync(await PutPaperAsync(coordinator, first, """{"counts":{"5":1.5}}"""), "counts.5");
        await AssertInvalidAsync(await PutPaperAsync(coordinator, first, """{"count":{"5":1}}"""), "count");
        Assert.Equal(HttpStatusCode.NotFound, (await PutPaperAsync(coordinator, 9999, """{"counts":{"5":1}}""")).StatusCode);

        await TestContest.SetVotingAsync(coordinator, category.Id, "close");
        Assert.Equal(HttpStatusCode.OK, (await RevealAsync(coordinator, category.Id)).StatusCode);
        await AssertRefusedAsync(await PutPaperAsync(coordinator, first, """{"counts":{"5":9}}"""), Reasons.AlreadyRevealed);
    }

    [Fact]
    public async Task BestInShowByBallot_GoesToTheMostPicks_OnceEveryCategoryIsRevealedAndTheBallotClosed()
    {
        var categories = await TestContest.SeedAsync(_server);
        using var coordinator = await _server.CreateStaffClientAsync();
        foreach (var category in categories)
        {
            await TestContest.SetVotingAsync(coordinator, category.Id, "open");
            await TestContest.VoteAsync(_server, coordinator, category.Entries[0], 5);
        }

        await TestContest.SetBallotAsync(coordinator, "open");
        var favourite = categories[1].Entries[2];
        await TestContest.PickAsync(_server, coordinator, favourite, voters: 2);
        await TestContest.PickAsync(_server, coordinator, categories[0].Entries[0]);
        foreach (var category in categories)
        {
            await TestContest.SetVotingAsync(coordinator, category.Id, "close");
        }

        await AssertRefusedAsync(await coordinator.PostAsync("/api/results/reveal/best-in-show", null), Reasons.CategoriesNotRevealed);
        foreach (var category in categories)
        {
            Assert.Equal(HttpStatusCode.OK, (await RevealAsync(coordinator, category.Id)).StatusCode);
        }

        await AssertRefusedAsync(await coordinator.PostAsync("/api/results/reveal/best-in-show", null), Reasons.BallotOpen);
        await TestContest.SetBallotAsync(coordinator, "close");

        var bestInShow = (await TallyAsync(coordinator)).BestInShow;
        Assert.Equal((VotingSettings.Ballot, BallotStatus.Closed, favourite, 2), (bestInShow.Method, bestInShow.Ballot, bestInShow.Outcome.WinnerId, bestInShow.Rows[0].Picks));
        Assert.Equal(HttpStatusCode.OK, (await coordinator.PostAsync("/api/results/reveal/best-in-show", null)).StatusCode);
        Assert.Equal(favourite, (await PublicAsync(_server.CreateAnonymousClient())).BestInShow!.Winner.Id);
    }

    [Fact]
    public async Task BestInShowByTopScore_GoesToTheBestMeanOfAllFinalists_WithoutABallot()
    {
        var categories = await TestContest.SeedAsync(_server);
        await TestContest.SetBestInShowAsync(_server, VotingSettings.TopScore, keepsCategoryPrize: true);
        using var coordinator = await _server.CreateStaffClientAsync();
        var best = categories[1].Entries[1];
        foreach (var category in categories)
        {
            await TestContest.SetVotingAsync(coordinator, category.Id, "open");
        }

        await TestContest.VoteAsync(_server, coordinator, categories[0].Entries[0], 5, 4);
        await TestContest.VoteAsync(_server, coordinator, best, 5, 5);
        foreach (var category in categories)
        {
            await TestContest.SetVotingAsync(coordinator, category.Id, "close");
            Assert.Equal(HttpStatusCode.OK, (await RevealAsync(coordinator, category.Id)).StatusCode);
        }

        var revealed = await coordinator.PostAsync("/api/results/reveal/best-in-show", null);
        Assert.Equal(HttpStatusCode.OK, revealed.StatusCode);
        var results = (await revealed.Content.ReadFromJsonAsync<PublicResults>(Json))!;
        Assert.Equal(best, results.BestInShow!.Winner.Id);
        Assert.Equal(best, results.Categories[1].Winner.Id); // the default policy: it keeps its category prize too
    }

    [Fact]
    public async Task WhenBestInShowKeepsItsCategoryPrize_OneEntryWinsBoth()
    {
        var category = (await TestContest.SeedAsync(_server, categories: 1))[0];
        var (first, second) = (category.Entries[0], category.Entries[1]);
        using var coordinator = await _server.CreateStaffClientAsync();
        await VoteWithBallotAsync(coordinator, category, first, second);

        Assert.Equal(HttpStatusCode.OK, (await RevealAsync(coordinator, category.Id)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await coordinator.PostAsync("/api/results/reveal/best-in-show", null)).StatusCode);
        var results = await PublicAsync(coordinator);
        Assert.Equal((first, first), (results.Categories.Single().Winner.Id, results.BestInShow!.Winner.Id));
    }

    [Fact]
    public async Task WhenBestInShowGivesUpItsCategoryPrize_TheCategoryWaitsForBestInShow_ThenGoesToTheRunnerUp()
    {
        var category = (await TestContest.SeedAsync(_server, categories: 1))[0];
        var (first, second) = (category.Entries[0], category.Entries[1]);
        await TestContest.SetBestInShowAsync(_server, VotingSettings.Ballot, keepsCategoryPrize: false);
        using var coordinator = await _server.CreateStaffClientAsync();
        await VoteWithBallotAsync(coordinator, category, first, second, closeBallot: false);

        await AssertRefusedAsync(await RevealAsync(coordinator, category.Id), Reasons.BestInShowUndecided);
        await TestContest.SetBallotAsync(coordinator, "close");

        Assert.Equal(HttpStatusCode.OK, (await RevealAsync(coordinator, category.Id)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await coordinator.PostAsync("/api/results/reveal/best-in-show", null)).StatusCode);
        var results = await PublicAsync(coordinator);
        Assert.Equal((second, first), (results.Categories.Single().Winner.Id, results.BestInShow!.Winner.Id));
        var tally = await TallyAsync(coordinator);
        Assert.False(tally.BestInShow.KeepsCategoryPrize);
        Assert.Equal(first, tally.Categories[0].Rows[0].EntryId); // the ranking still shows who scored best
    }

    [Fact]
    public async Task Awards_AreGivenAndTakenBack_AndPublicOnlyOnceRevealed()
    {
        var category = (await TestContest.SeedAsync(_server))[0];
        using var coordinator = await _server.CreateStaffClientAsync();
        using var audience = _server.CreateAnonymousClient();

        var given = await coordinator.PostAsJsonAsync("/api/awards", new { name = " Judges' Choice ", entryId = category.Entries[2], note = "The editing" });
        Assert.Equal(HttpStatusCode.Created, given.StatusCode);
        var award = (await given.Content.ReadFromJsonAsync<AwardSummary>(Json))!;
        Assert.Equal(("Judges' Choice", "The editing", category.Entries[2], "Entry 1.3"), (award.Name, award.Note, award.Entry.Id, award.Entry.Title));
        Assert.Equal($"/api/awards/{award.Id}", given.Headers.Location?.OriginalString);

        await AssertInvalidAsync(await coordinator.PostAsJsonAsync("/api/awards", new { name = "  ", entryId = category.Entries[0] }), "name");
        await AssertInvalidAsync(await coordinator.PostAsJsonAsync("/api/awards", new { name = "Technical Effects", entryId = 9999 }), "entryId");

        var other = (await (await coordinator.PostAsJsonAsync("/api/awards", new { name = "Honorable Mention", entryId = category.Entries[0] }))
            .Content.ReadFromJsonAsync<AwardSummary>(Json))!;
        Assert.Equal(HttpStatusCode.NoContent, (await coordinator.DeleteAsync($"/api/awards/{other.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await coordinator.DeleteAsync($"/api/awards/{other.Id}")).StatusCode);

        var awards = (await coordinator.GetFromJsonAsync<AwardsTally>("/api/awards", Json))!;
        Assert.Equal(AwardPresets, awards.Presets);
        Assert.Equal([award.Id], awards.Awards.Select(a => a.Id));
        Assert.Null((await PublicAsync(audience)).Awards);

        Assert.Equal(HttpStatusCode.OK, (await coordinator.PostAsync("/api/results/reveal/awards", null)).StatusCode);
        var shown = (await PublicAsync(audience)).Awards!;
        Assert.Equal([("Judges' Choice", "Entry 1.3")], shown.Awards.Select(a => (a.Name, a.Entry.Title)));
    }

    [Fact]
    public async Task ResultsExports_ParseBackWithTheirValues_TitlesWithCommasQuotesAndJapaneseIntact()
    {
        var category = (await TestContest.SeedAsync(_server, categories: 1))[0];
        var (first, second, third) = (category.Entries[0], category.Entries[1], category.Entries[2]);
        const string title = "Sakura, \"Hanami\" 桜の下で";
        await TestContest.ExecuteAsync(_server, "UPDATE entries SET title = @title, editors = json_array('Ana, B', 'Ōta') WHERE id = @first", new { title, first });
        using var coordinator = await _server.CreateStaffClientAsync();
        await TestContest.SetVotingAsync(coordinator, category.Id, "open");
        await TestContest.VoteAsync(_server, coordinator, first, 5, 4);
        await TestContest.VoteAsync(_server, coordinator, second, 3);
        await coordinator.PutAsJsonAsync($"/api/entries/{second}/paper", new { counts = new Dictionary<string, int> { ["5"] = 2 } });
        await coordinator.PostAsJsonAsync("/api/awards", new { name = "Technical Effects", entryId = first });
        await TestContest.SetBallotAsync(coordinator, "open");
        await TestContest.PickAsync(_server, coordinator, first);

        var response = await coordinator.GetAsync("/api/results/export.csv");
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var rows = Csv.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(
            ["entry_id", "category", "title", "editors", "mean", "count", "online_1", "online_2", "online_3", "online_4", "online_5",
                "paper_1", "paper_2", "paper_3", "paper_4", "paper_5", "rank", "awards", "best_in_show_picks"],
            rows[0]);
        Assert.Equal(
            [$"{first}", "Category 1", title, "Ana, B; Ōta", "4.50", "2", "0", "0", "0", "1", "1", "0", "0", "0", "0", "0", "1", "Technical Effects", "1"],
            rows[1]);
        Assert.Equal([$"{second}", "4.33", "3", "1", "2", "2", ""], Pick(rows[2], "entry_id", "mean", "count", "online_3", "paper_5", "rank", "awards"));
        Assert.Equal([$"{third}", "", "0", "3"], Pick(rows[3], "entry_id", "mean", "count", "rank"));

        var json = (await coordinator.GetFromJsonAsync<JsonElement>("/api/results/export.json"))[0];
        Assert.Equal((first, title, 4.5m, 1), (json.GetProperty("entryId").GetInt32(), json.GetProperty("title").GetString(),
            json.GetProperty("mean").GetDecimal(), json.GetProperty("online").GetProperty("5").GetInt32()));

        string[] Pick(string[] row, params string[] columns) => columns.Select(c => row[Array.IndexOf(rows[0], c)]).ToArray();
    }

    [Fact]
    public async Task VotesExport_ListsEveryVoteAndPick_ByPseudonymNeverByToken()
    {
        var category = (await TestContest.SeedAsync(_server, categories: 1))[0];
        using var coordinator = await _server.CreateStaffClientAsync();
        await TestContest.SetVotingAsync(coordinator, category.Id, "open");
        var tokens = (await TestContest.VoteAsync(_server, coordinator, category.Entries[0], 5, 2)).ToList();
        await TestContest.SetBallotAsync(coordinator, "open");
        tokens.AddRange(await TestContest.PickAsync(_server, coordinator, category.Entries[1]));

        var text = await coordinator.GetStringAsync("/api/votes/export.csv");
        var rows = Csv.Parse(text);
        Assert.Equal(
            ["kind", "voter", "entry_id", "title", "score", "voted_at", "first_voted_at", "joined_at", "joined_via", "poster", "card_batch",
                "flag_cluster", "flag_reason", "flag_signs", "excluded_by_decision"],
            rows[0]);
        Assert.Equal(
            [("score", $"{category.Entries[0]}", "Entry 1.1", "2"), ("score", $"{category.Entries[0]}", "Entry 1.1", "5"), ("best-in-show", $"{category.Entries[1]}", "Entry 1.2", "")],
            rows.Skip(1).Select(r => (r[0], r[2], r[3], r[4])).OrderBy(r => r.Item1 == "best-in-show").ThenBy(r => r.Item4));
        Assert.All(rows.Skip(1), r => Assert.Matches("^[0-9a-f]{16}$", r[1]));
        Assert.Equal(3, rows.Skip(1).Select(r => r[1]).Distinct().Count());
        Assert.All(rows.Skip(1), r => Assert.True(DateTimeOffset.TryParse(r[5], out _), r[5]));
        // How each voter joined (the screen's code here), and no flag on three honest ballots.
        Assert.All(rows.Skip(1), r => Assert.True(DateTimeOffset.Parse(r[7]) <= DateTimeOffset.Parse(r[6]), $"joined {r[7]}, voted {r[6]}"));
        Assert.All(rows.Skip(1), r => Assert.Equal(("screen", "", "", "", ""), (r[8], r[9], r[10], r[11], r[14])));
        Assert.All(tokens, token => Assert.DoesNotContain(token.Split('.')[0], text));
    }

    private async Task VoteWithBallotAsync(HttpClient coordinator, TestContest.Category category, int favourite, int runnerUp, bool closeBallot = true)
    {
        await TestContest.SetVotingAsync(coordinator, category.Id, "open");
        await TestContest.VoteAsync(_server, coordinator, favourite, 5, 5);
        await TestContest.VoteAsync(_server, coordinator, runnerUp, 4);
        await TestContest.SetBallotAsync(coordinator, "open");
        await TestContest.PickAsync(_server, coordinator, favourite, voters: 2);
        await TestContest.PickAsync(_server, coordinator, runnerUp);
        await TestContest.SetVotingAsync(coordinator, category.Id, "close");
        if (closeBallot)
        {
            await TestContest.SetBallotAsync(coordinator, "close");
        }
    }

    private static async Task<Tally> TallyAsync(HttpClient coordinator) => (await coordinator.GetFromJsonAsync<Tally>("/api/tallies", Json))!;

    private static async Task<PublicResults> PublicAsync(HttpClient client) => (await client.GetFromJsonAsync<PublicResults>("/api/results", Json))!;

    private static Task<HttpResponseMessage> RevealAsync(HttpClient coordinator, int categoryId) =>
        coordinator.PostAsync($"/api/results/reveal/categories/{categoryId}", null);

    private static Task<HttpResponseMessage> DecideAsync(HttpClient coordinator, string scope, int entryId, string? note = null) =>
        coordinator.PostAsJsonAsync("/api/results/ties", new { scope, entryId, note });

    private static Task<HttpResponseMessage> PutPaperAsync(HttpClient coordinator, int entryId, string body) =>
        coordinator.PutAsync($"/api/entries/{entryId}/paper", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

    private static async Task AssertRefusedAsync(HttpResponseMessage response, string reason)
    {
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.Conflict, $"{(int)response.StatusCode}: {problem}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(reason, problem.GetProperty("reason").GetString());
    }

    private static async Task AssertInvalidAsync(HttpResponseMessage response, string field)
    {
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {problem}");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }
}
