using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AmvScreening.Protocol;
using AmvScreening.Server.Auth;
using AmvScreening.Server.Results;
using AmvScreening.Slates;
using AmvScreening.Tests.Contest;
using AmvScreening.Tests.Support;
using static AmvScreening.Tests.Support.HubTesting;

namespace AmvScreening.Tests.Results;

/// <summary>The prizegiving's data over the real server (docs/prizegiving.md): the placings only for a revealed category
/// and only when the contest shows them, the setting's validation, the ceremony's steps, its private preview drawn by the
/// player's renderer, and who may use them.</summary>
public sealed class PrizegivingTests : IDisposable
{
    private readonly AmvServer _server = new();

    public void Dispose() => _server.Dispose();

    /// <summary>Two categories of three; category 1 voted 5,5 / 4 / 2 and closed; category 2 voted and left open.</summary>
    private async Task<(IReadOnlyList<TestContest.Category> Seeded, HttpClient Coordinator)> VotedAsync(string prizegiving)
    {
        var seeded = await TestContest.SeedAsync(_server, categories: 2, entriesPerCategory: 3);
        var coordinator = await _server.CreateStaffClientAsync();
        await SetPrizegivingAsync(coordinator, prizegiving);
        foreach (var category in seeded)
        {
            await TestContest.SetVotingAsync(coordinator, category.Id, "open");
            await TestContest.VoteAsync(_server, coordinator, category.Entries[1], 5, 5);
            await TestContest.VoteAsync(_server, coordinator, category.Entries[0], 4);
            await TestContest.VoteAsync(_server, coordinator, category.Entries[2], 2);
        }

        await TestContest.SetVotingAsync(coordinator, seeded[0].Id, "close");
        return (seeded, coordinator);
    }

    private static async Task<HttpResponseMessage> SetPrizegivingAsync(HttpClient coordinator, string? prizegiving)
    {
        var details = JsonNode.Parse(await coordinator.GetStringAsync("/api/contest").WaitAsync(Bound))!["contest"]!;
        details["prizegiving"] = prizegiving;
        return await coordinator.PutAsJsonAsync("/api/contest/details", details).WaitAsync(Bound);
    }

    [Theory]
    [InlineData("placings")]
    [InlineData("winners")]
    public async Task Placings_AreInARevealedCategoryOnly_AndOnlyWhenTheContestShowsThem(string prizegiving)
    {
        var (seeded, coordinator) = await VotedAsync(prizegiving);
        using var _ = coordinator;
        var before = await coordinator.GetStringAsync("/api/results");
        Assert.Equal("""{"categories":[],"bestInShow":null,"awards":null}""", before);

        (await coordinator.PostAsync($"/api/results/reveal/categories/{seeded[0].Id}", null)).EnsureSuccessStatusCode();
        var results = (await coordinator.GetFromJsonAsync<PublicResults>("/api/results", ShowJsonOptions))!;

        var revealed = Assert.Single(results.Categories); // category 2, open and unrevealed, is nowhere
        Assert.Equal(seeded[0].Entries[1], revealed.Winner.Id);
        if (prizegiving == "placings")
        {
            Assert.Equal([(1, seeded[0].Entries[1], 5.0, 2), (2, seeded[0].Entries[0], 4.0, 1), (3, seeded[0].Entries[2], 2.0, 1)],
                revealed.Placings!.Select(p => (p.Rank, p.Entry.Id, p.Mean, p.Votes)));
        }
        else
        {
            Assert.Null(revealed.Placings);
            Assert.DoesNotContain("placings\":[", await coordinator.GetStringAsync("/api/results"));
        }
    }

    [Fact]
    public async Task ABestInShowWinnerGivingUpItsCategoryPrize_IsNotAmongItsCategorysPlacings()
    {
        var (seeded, coordinator) = await VotedAsync("placings");
        using var _ = coordinator;
        await TestContest.SetBestInShowAsync(_server, "top-score", keepsCategoryPrize: false);
        await TestContest.VoteAsync(_server, coordinator, seeded[1].Entries[1], 4); // 2.2 below 1.2: no tie for Best In Show
        await TestContest.SetVotingAsync(coordinator, seeded[1].Id, "close");

        (await coordinator.PostAsync($"/api/results/reveal/categories/{seeded[0].Id}", null)).EnsureSuccessStatusCode();
        var category = (await coordinator.GetFromJsonAsync<PublicResults>("/api/results", ShowJsonOptions))!.Categories.Single();

        // Entry 1.2 has the best mean of the show: Best In Show, so category 1 goes to the runner-up, and 1.2 is not placed.
        Assert.Equal(seeded[0].Entries[0], category.Winner.Id);
        Assert.Equal([(1, seeded[0].Entries[0]), (2, seeded[0].Entries[2])], category.Placings!.Select(p => (p.Rank, p.Entry.Id)));
    }

    [Theory]
    [InlineData("podium")]
    [InlineData("")]
    [InlineData("Placings")]
    [InlineData(null)]
    public async Task Prizegiving_OtherThanWinnersOrPlacings_IsRefusedNamingTheField(string? value)
    {
        await TestContest.SeedAsync(_server, categories: 1, entriesPerCategory: 1);
        using var coordinator = await _server.CreateStaffClientAsync();

        using var response = await SetPrizegivingAsync(coordinator, value);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("prizegiving", out _));
        var contest = ContestApi.SampleContest();
        contest["contest"]!["prizegiving"] = value is null ? "x" : value;
        var import = await ContestApi.ImportAsync(coordinator, contest, dryRun: true);
        Assert.True(import.Errors.ContainsKey("contest.prizegiving"), import.Describe());
    }

    [Fact]
    public async Task Prizegiving_IsKeptByTheContestFile_AndFixedOnceAResultIsRevealed()
    {
        var (seeded, coordinator) = await VotedAsync("placings");
        using var _ = coordinator;
        Assert.Contains("\"prizegiving\": \"placings\"", await coordinator.GetStringAsync("/api/contest/export"));

        (await coordinator.PostAsync($"/api/results/reveal/categories/{seeded[0].Id}", null)).EnsureSuccessStatusCode();
        using var late = await SetPrizegivingAsync(coordinator, "winners");

        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Contains("already-revealed", await late.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Ceremony_ListsEachCategorysNomineesThenWinner_ThenBestInShowAndEachAward_NamingNoWinnerTwice()
    {
        var (seeded, coordinator) = await VotedAsync("winners");
        using var _ = coordinator;
        (await coordinator.PostAsJsonAsync("/api/awards", new { name = "Technical Effects", entryId = seeded[1].Entries[2], note = "Rain" })).EnsureSuccessStatusCode();

        var plan = (await coordinator.GetFromJsonAsync<CeremonyPlan>("/api/ceremony", ShowJsonOptions))!;

        Assert.Equal(
            [("nominees", $"category:{seeded[0].Id}"), ("prize", $"category:{seeded[0].Id}"), ("nominees", $"category:{seeded[1].Id}"),
                ("prize", $"category:{seeded[1].Id}"), ("prize", "best-in-show"), ("prize", "award:1")],
            plan.Steps.Select(s => (s.Kind, s.Scope)));
        Assert.Equal("The nominees for Category 1 are: “Entry 1.1” by Editor 1.1; “Entry 1.2” by Editor 1.2; “Entry 1.3” by Editor 1.3.",
            plan.Steps[0].Presenter);
        Assert.Equal("And the winner of Category 1 is… “Entry 1.2” by Editor 1.2!", plan.Steps[1].Presenter);
        Assert.Equal((false, (string?)null), (plan.Steps[1].Revealed, plan.Steps[1].Blocker));
        Assert.Equal("category-open", plan.Steps[3].Blocker);
        Assert.Equal("The Technical Effects goes to… “Entry 2.3” by Editor 2.3! (Rain)", plan.Steps[5].Presenter);

        // Showing a blocked prize is refused with the reveal's reason, and nothing is revealed.
        using var blocked = await coordinator.PostAsJsonAsync("/api/ceremony/show", new { kind = "prize", scope = $"category:{seeded[1].Id}" });
        Assert.Equal(HttpStatusCode.Conflict, blocked.StatusCode);
        Assert.Contains("category-open", await blocked.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await coordinator.PostAsJsonAsync("/api/ceremony/show", new { kind = "nominees", scope = "best-in-show" })).StatusCode);
        Assert.Empty((await coordinator.GetFromJsonAsync<PublicResults>("/api/results", ShowJsonOptions))!.Categories);
    }

    [Fact]
    public async Task Awards_AreRevealedOneByOne_ToPhonesAndTheBooth_AndATakenBackAwardTakesItsRevealWithIt()
    {
        var (seeded, coordinator) = await VotedAsync("winners");
        using var _ = coordinator;
        using var booth = await _server.CreateStaffClientAsync(Roles.Booth);
        using var anonymous = _server.CreateAnonymousClient();
        await using var phone = _server.CreateVoterHub();
        var pushes = phone.Received<PublicResults>(ShowHubMethods.ResultsRevealed);
        await phone.StartAndSyncAsync();

        async Task<int> GiveAsync(string name, int entryId)
        {
            using var given = await coordinator.PostAsJsonAsync("/api/awards", new { name, entryId });
            return (await given.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        }

        async Task<List<int>> PublicAsync() =>
            ((await anonymous.GetFromJsonAsync<PublicResults>("/api/results", ShowJsonOptions).WaitAsync(Bound))!.Awards?.Awards ?? []).Select(a => a.Id).ToList();
        async Task<List<int>> BoothAsync() => (await booth.GetFromJsonAsync<JsonElement>("/api/contest").WaitAsync(Bound))
            .GetProperty("awards").EnumerateArray().Select(a => a.GetProperty("id").GetInt32()).ToList();
        async Task<List<bool>> StepsAsync() => (await coordinator.GetFromJsonAsync<CeremonyPlan>("/api/ceremony", ShowJsonOptions).WaitAsync(Bound))!
            .Steps.Where(s => s.Scope.StartsWith("award:", StringComparison.Ordinal)).Select(s => s.Revealed).ToList();
        // Public, booth, the ceremony's award steps: "public 1 | booth 1 | steps True,False".
        async Task<string> SeenAsync() =>
            $"public {string.Join(",", await PublicAsync())} | booth {string.Join(",", await BoothAsync())} | steps {string.Join(",", await StepsAsync())}";

        var first = await GiveAsync("Judges' Choice", seeded[0].Entries[0]);
        var second = await GiveAsync("Technical Effects", seeded[1].Entries[2]);
        Assert.Equal("public  | booth  | steps False,False", await SeenAsync());

        // The first award's step: the first award alone reaches the phones, the public results and the booth.
        (await coordinator.PostAsync($"/api/results/reveal/awards/{first}", null)).EnsureSuccessStatusCode();
        Assert.Equal([first], (await pushes.NextAsync()).Awards!.Awards.Select(a => a.Id));
        Assert.Equal($"public {first} | booth {first} | steps True,False", await SeenAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await coordinator.PostAsync("/api/results/reveal/awards/9999", null)).StatusCode);

        (await coordinator.PostAsync($"/api/results/reveal/awards/{second}", null)).EnsureSuccessStatusCode();
        var both = (await pushes.NextAsync()).Awards!;
        Assert.Equal([first, second], both.Awards.Select(a => a.Id));
        Assert.Equal(both.Awards[1].RevealedAt, both.RevealedAt);

        // Taken back, the second award leaves the phones; an award given after it (whatever id it gets) is not revealed.
        (await coordinator.DeleteAsync($"/api/awards/{second}")).EnsureSuccessStatusCode();
        Assert.Equal([first], (await pushes.NextAsync()).Awards!.Awards.Select(a => a.Id));
        var third = await GiveAsync("Honorable Mention", seeded[1].Entries[0]);
        Assert.Equal($"public {first} | booth {first} | steps True,False", await SeenAsync());

        // Every award at once (the older way): the third too, and any given after.
        (await coordinator.PostAsync("/api/results/reveal/awards", null)).EnsureSuccessStatusCode();
        var fourth = await GiveAsync("Coordinator's Choice", seeded[0].Entries[2]);
        Assert.Equal([first, third, fourth], await PublicAsync());
    }

    [Fact]
    public async Task Preview_IsTheSlateThePlayerDraws_AndRevealsNothing()
    {
        var (seeded, coordinator) = await VotedAsync("placings");
        using var _ = coordinator;
        var scope = $"category:{seeded[0].Id}";
        var renderer = new SvgSlateRenderer(outputFolder: Directory.CreateTempSubdirectory("amv-preview-").FullName);

        var nominees = await coordinator.GetStringAsync($"/api/ceremony/slate.svg?kind=nominees&scope={scope}");
        var prize = await coordinator.GetStringAsync($"/api/ceremony/slate.svg?kind=prize&scope={scope}");

        var finalists = (await coordinator.GetFromJsonAsync<JsonElement>("/api/contest")).GetProperty("entries").EnumerateArray()
            .Where(e => e.GetProperty("categoryId").GetInt32() == seeded[0].Id).Select(e => e.GetProperty("id").GetInt32()).ToList();
        Assert.Equal(seeded[0].Entries, finalists);
        Assert.Contains("Entry 1.3", nominees);
        Assert.Contains("Entry 1.2", prize);
        Assert.Contains(">5.00<", prize); // the placings' bars, as the reveal will publish them
        Assert.StartsWith(renderer.Compose(new SlateData(SlateKind.Nominees, "x"))[..38], nominees);
        Assert.Empty((await coordinator.GetFromJsonAsync<PublicResults>("/api/results", ShowJsonOptions))!.Categories);

        // After the reveal, the same slate from the published results.
        (await coordinator.PostAsync($"/api/results/reveal/categories/{seeded[0].Id}", null)).EnsureSuccessStatusCode();
        var published = (await coordinator.GetFromJsonAsync<PublicResults>("/api/results", ShowJsonOptions))!;
        var contestName = JsonNode.Parse(await coordinator.GetStringAsync("/api/contest"))!["contest"]!["name"]!.GetValue<string>();
        Assert.Equal(renderer.Compose(PrizegivingSlates.Prize(contestName, published, scope)!),
            await coordinator.GetStringAsync($"/api/ceremony/slate.svg?kind=prize&scope={scope}"));
    }

    [Theory]
    [InlineData("GET", "/api/ceremony")]
    [InlineData("GET", "/api/ceremony/slate.svg?kind=nominees&scope=category:1")]
    [InlineData("POST", "/api/ceremony/show")]
    public async Task CeremonyRoutes_AreForCoordinatorsOnly(string method, string path)
    {
        await TestContest.SeedAsync(_server, categories: 1, entriesPerCategory: 1);
        using var anonymous = _server.CreateAnonymousClient();
        using var booth = await _server.CreateStaffClientAsync(Roles.Booth);
        foreach (var (client, expected) in new[] { (anonymous, HttpStatusCode.Unauthorized), (booth, HttpStatusCode.Forbidden) })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path)
            {
                Content = method == "POST" ? JsonContent.Create(new { kind = "nominees", scope = "category:1" }) : null,
            };
            using var response = await client.SendAsync(request).WaitAsync(Bound);
            Assert.Equal(expected, response.StatusCode);
        }
    }
}
