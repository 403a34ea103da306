using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AmvScreening.Server.Auth;
using AmvScreening.Server.Cards;
using AmvScreening.Server.Room;
using AmvScreening.Tests.Support;

namespace AmvScreening.Tests.Cards;

/// <summary>Ballot cards end to end over real HTTP: the first phone holds a card, another is refused, staff move it,
/// a revoked batch stops voting and leaves the results not yet revealed, and one card is one ballot whatever a script does.</summary>
public sealed class BallotCardTests : IAsyncLifetime
{
    private readonly AmvServer _server = new();
    private HttpClient _coordinator = null!;
    private IReadOnlyList<TestContest.Category> _categories = [];

    public async Task InitializeAsync()
    {
        _coordinator = await _server.CreateStaffClientAsync();
        _categories = await TestContest.SeedAsync(_server, categories: 2, entriesPerCategory: 2);
        await TestContest.SetVotingAsync(_coordinator, _categories[0].Id, "open");
        await TestContest.SetVotingAsync(_coordinator, _categories[1].Id, "open");
    }

    public Task DisposeAsync()
    {
        _coordinator.Dispose();
        _server.Dispose();
        return Task.CompletedTask;
    }

    private int Entry => _categories[0].Entries[0];

    [Fact]
    public async Task CardMode_TheFirstPhoneHoldsTheCard_AnotherPhoneIsRefused_AndAVoteWithoutACardIsRefused()
    {
        await CardTesting.SetRequireCardsAsync(_coordinator, true);
        var cards = await BatchAsync(3);
        Assert.True((await _coordinator.GetFromJsonAsync<JsonElement>("/api/voting")).GetProperty("requireCards").GetBoolean());

        // A phone that came in with the screen code follows the show but does not vote.
        var open = await VoterClient.JoinAsync(_server.CreateAnonymousClient(), await ScreenCodeAsync());
        var refused = await open.VoteAsync(Entry, 5);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("card-required", problem.GetProperty("reason").GetString());
        Assert.Equal("This contest votes with ballot cards: ask a staff member for one.", problem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await open.PickBestInShowAsync(Entry)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await open.SendAsync(HttpMethod.Get, "/api/votes")).StatusCode);

        // The first phone that brings the card holds it, typed in any case with blanks and dashes.
        var device = CardTesting.NewDevice();
        var typed = $" {cards[0].Key.ToLowerInvariant().Replace("-", " - ")} ";
        var first = await VoterClient.JoinWithCardAsync(_server.CreateAnonymousClient(), typed, device);
        Assert.Equal(HttpStatusCode.OK, (await first.VoteAsync(Entry, 4)).StatusCode);

        // Another phone with the same card: refused, and it says what to do.
        var second = await VoterClient.JoinWithCardResponseAsync(_server.CreateAnonymousClient(), cards[0].Key, CardTesting.NewDevice());
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        var conflict = await second.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("card-in-use", conflict.GetProperty("reason").GetString());
        Assert.Equal("This card is in use on another phone: ask a staff member.", conflict.GetProperty("detail").GetString());

        // The same phone again (a reload, a retried join) gets its card back, with its vote.
        var again = await VoterClient.JoinWithCardAsync(_server.CreateAnonymousClient(), cards[0].Key, device);
        var mine = await (await again.SendAsync(HttpMethod.Get, "/api/votes")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(4, mine.GetProperty("scores").GetProperty(Entry.ToString()).GetInt32());
        Assert.Equal((1, 4m), await TallyAsync(Entry));

        // The other cards are separate ballots.
        var other = await VoterClient.JoinWithCardAsync(_server.CreateAnonymousClient(), cards[1].Key, CardTesting.NewDevice());
        Assert.Equal(HttpStatusCode.OK, (await other.VoteAsync(Entry, 2)).StatusCode);
        Assert.Equal((2, 3m), await TallyAsync(Entry));
    }

    [Fact]
    public async Task OneCard_CountsOnce_HoweverManyTokensAndPhonesAScriptMakes()
    {
        await CardTesting.SetRequireCardsAsync(_coordinator, true);
        var card = (await BatchAsync(1))[0];
        var device = CardTesting.NewDevice();
        var code = await ScreenCodeAsync();

        // The script joins with its card 40 times (new clients, no cookies), tries 20 more phones, and 20 tokens from
        // the screen code; it votes with every token it got, in parallel.
        var joins = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => VoterClient.JoinWithCardAsync(_server.CreateAnonymousClient(), card.Key, device)));
        var otherPhones = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            VoterClient.JoinWithCardResponseAsync(_server.CreateAnonymousClient(), card.Key, CardTesting.NewDevice())));
        Assert.All(otherPhones, r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        var viaCode = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => VoterClient.JoinAsync(_server.CreateAnonymousClient(), code)));
        var votes = await Task.WhenAll(joins.Concat(viaCode).Select((voter, i) => voter.VoteAsync(Entry, 1 + (i % 5))));

        // The card's votes are taken (or slowed down: 40 copies of one token share its rate limit); the others refused.
        Assert.All(votes[..40], v => Assert.Contains(v.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
        Assert.Contains(votes[..40], v => v.StatusCode == HttpStatusCode.OK);
        Assert.All(votes[40..], v => Assert.Equal(HttpStatusCode.Forbidden, v.StatusCode));
        var (count, _) = await TallyAsync(Entry);
        Assert.Equal(1, count);
        // Every card token names the same ballot identity: one row in the votes, one voter in the register.
        Assert.Single(joins.Select(j => j.Token.Split('.')[0]).Distinct());
    }

    [Fact]
    public async Task StaffRelease_MovesTheCardToANewPhone_WithItsBallot_AndTheOldPhoneStops()
    {
        var batch = await CardTesting.CreateBatchAsync(_coordinator, 2);
        var card = (await CardTesting.PrintAsync(_coordinator, batch.GetProperty("id").GetInt64()))[1];
        var oldDevice = CardTesting.NewDevice();
        var lost = await VoterClient.JoinWithCardAsync(_server.CreateAnonymousClient(), card.Key, oldDevice);
        Assert.Equal(HttpStatusCode.OK, (await lost.VoteAsync(Entry, 5)).StatusCode);

        // The booth (at the help desk) releases card 2 of the batch.
        using var booth = await _server.CreateStaffClientAsync(Roles.Booth);
        var release = await booth.PostAsync($"/api/cards/batches/{batch.GetProperty("id")}/cards/2/release", null);
        Assert.Equal(HttpStatusCode.OK, release.StatusCode);

        // The old phone can no longer vote with it, nor take it back.
        var stale = await lost.VoteAsync(Entry, 1);
        Assert.Equal(HttpStatusCode.Unauthorized, stale.StatusCode);
        Assert.Contains("another phone", (await stale.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        var back = await VoterClient.JoinWithCardResponseAsync(_server.CreateAnonymousClient(), card.Key, oldDevice);
        Assert.Equal(HttpStatusCode.Conflict, back.StatusCode);
        Assert.Equal("card-moved", (await back.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());

        // The new phone continues the card's ballot: it sees the vote and replaces it; the card still counts once.
        var newDevice = CardTesting.NewDevice();
        var found = await VoterClient.JoinWithCardAsync(_server.CreateAnonymousClient(), card.Key, newDevice);
        var mine = await (await found.SendAsync(HttpMethod.Get, "/api/votes")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(5, mine.GetProperty("scores").GetProperty(Entry.ToString()).GetInt32());
        Assert.Equal(HttpStatusCode.OK, (await found.VoteAsync(Entry, 3)).StatusCode);
        Assert.Equal((1, 3m), await TallyAsync(Entry));

        // Now it is the new phone's: a third phone is refused as usual.
        Assert.Equal(HttpStatusCode.Conflict, (await VoterClient.JoinWithCardResponseAsync(_server.CreateAnonymousClient(), card.Key, CardTesting.NewDevice())).StatusCode);
    }

    [Fact]
    public async Task RevokedBatch_StopsVoting_AndItsBallotsLeaveTheResultsNotYetRevealed()
    {
        var (first, second) = (_categories[0], _categories[1]);
        var stolen = await CardTesting.CreateBatchAsync(_coordinator, 3, "Stolen");
        var stolenId = stolen.GetProperty("id").GetInt64();
        var stolenCards = await CardTesting.PrintAsync(_coordinator, stolenId);
        var good = (await BatchAsync(1))[0];
        var honest = await VoterClient.JoinWithCardAsync(_server.CreateAnonymousClient(), good.Key, CardTesting.NewDevice());
        Assert.Equal(HttpStatusCode.OK, (await honest.VoteAsync(first.Entries[1], 4)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await honest.VoteAsync(second.Entries[1], 4)).StatusCode);
        var thieves = new List<VoterClient>();
        foreach (var card in stolenCards)
        {
            var thief = await VoterClient.JoinWithCardAsync(_server.CreateAnonymousClient(), card.Key, CardTesting.NewDevice());
            Assert.Equal(HttpStatusCode.OK, (await thief.VoteAsync(first.Entries[0], 5)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await thief.VoteAsync(second.Entries[0], 5)).StatusCode);
            thieves.Add(thief);
        }

        // The first category is closed and revealed before anyone notices; then the batch is revoked.
        await TestContest.SetVotingAsync(_coordinator, first.Id, "close");
        Assert.Equal(HttpStatusCode.OK, (await _coordinator.PostAsync($"/api/results/reveal/categories/{first.Id}", null)).StatusCode);
        var revealed = await _coordinator.GetStringAsync("/api/results");
        Assert.Equal((3, 5m), await TallyAsync(first.Entries[0]));
        Assert.Equal((3, 5m), await TallyAsync(second.Entries[0]));

        var revoke = await _coordinator.PostAsync($"/api/cards/batches/{stolenId}/revoke", null);
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);

        // Its cards stop voting, and cannot join again.
        var after = await thieves[0].VoteAsync(second.Entries[0], 5);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Contains("withdrawn", (await after.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        var rejoin = await VoterClient.JoinWithCardResponseAsync(_server.CreateAnonymousClient(), stolenCards[0].Key, CardTesting.NewDevice());
        Assert.Equal(HttpStatusCode.Gone, rejoin.StatusCode);
        Assert.Equal("card-revoked", (await rejoin.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());

        // Its ballots leave the category not yet revealed; the revealed one stays as announced; honest cards still count.
        Assert.Equal((0, (decimal?)null), await TallyAsync(second.Entries[0]));
        Assert.Equal((1, 4m), await TallyAsync(second.Entries[1]));
        Assert.Equal((3, 5m), await TallyAsync(first.Entries[0]));
        Assert.Equal(revealed, await _coordinator.GetStringAsync("/api/results"));
        Assert.Equal(HttpStatusCode.OK, (await honest.VoteAsync(second.Entries[1], 5)).StatusCode);

        var batches = await _coordinator.GetFromJsonAsync<JsonElement>("/api/cards/batches");
        var row = batches.EnumerateArray().Single(b => b.GetProperty("id").GetInt64() == stolenId);
        Assert.Equal((3, 3, 6, 3), (row.GetProperty("claimed").GetInt32(), row.GetProperty("voted").GetInt32(),
            row.GetProperty("ballots").GetInt32(), row.GetProperty("counted").GetInt32()));
        Assert.NotEqual(JsonValueKind.Null, row.GetProperty("revokedAt").ValueKind);
    }

    [Fact]
    public async Task BadBatchesAndBadCards_AreRefused_NamingTheField()
    {
        foreach (var (body, field) in new (object Body, string Field)[]
        {
            (new { label = "Door", size = 0 }, "size"),
            (new { label = "Door", size = BallotCards.MaxBatch + 1 }, "size"),
            (new { label = "  ", size = 10 }, "label"),
            (new { label = new string('x', RoomCodes.MaxLabel + 1), size = 10 }, "label"),
        })
        {
            var response = await _coordinator.PostAsJsonAsync("/api/cards/batches", body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _), field);
        }

        var batch = await CardTesting.CreateBatchAsync(_coordinator, 2);
        var id = batch.GetProperty("id").GetInt64();
        var card = (await CardTesting.PrintAsync(_coordinator, id))[0];
        using var phone = _server.CreateAnonymousClient();

        // A key that cannot be one, a look-alike, a key of no card, no phone id, both a code and a key.
        await AssertRefusedAsync(phone, new { cardKey = "ACEF-HJKM" , device = CardTesting.NewDevice() }, HttpStatusCode.BadRequest, "cardKey", "16 characters");
        await AssertRefusedAsync(phone, new { cardKey = "0" + card.Key[1..], device = CardTesting.NewDevice() }, HttpStatusCode.BadRequest, "cardKey", "look alike");
        var wrong = card.Key[..^1] + (card.Key[^1] == 'A' ? 'C' : 'A');
        await AssertRefusedAsync(phone, new { cardKey = wrong, device = CardTesting.NewDevice() }, HttpStatusCode.NotFound, "cardKey", "key printed");
        await AssertRefusedAsync(phone, new { cardKey = card.Key }, HttpStatusCode.BadRequest, "device", "phone");
        await AssertRefusedAsync(phone, new { cardKey = card.Key, device = "short" }, HttpStatusCode.BadRequest, "device", "phone");
        await AssertRefusedAsync(phone, new { roomCode = await ScreenCodeAsync(), cardKey = card.Key }, HttpStatusCode.BadRequest, "roomCode", "not both");
        await AssertRefusedAsync(phone, new { }, HttpStatusCode.BadRequest, "roomCode", "not both");

        // Releasing a card nobody holds, or one that does not exist.
        var neverUsed = await _coordinator.PostAsync($"/api/cards/batches/{id}/cards/1/release", null);
        Assert.Equal(HttpStatusCode.Conflict, neverUsed.StatusCode);
        Assert.Equal("never-used", (await neverUsed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await _coordinator.PostAsync($"/api/cards/batches/{id}/cards/3/release", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _coordinator.PostAsync($"/api/cards/batches/{id + 1}/revoke", null)).StatusCode);

        // A card token whose phone part was changed is a forgery.
        var voter = await VoterClient.JoinWithCardAsync(_server.CreateAnonymousClient(), card.Key, CardTesting.NewDevice());
        var parts = voter.Token.Split('.');
        parts[2] = CardTesting.NewDevice()[..22];
        var forged = new VoterClient(_server.CreateAnonymousClient(), string.Join('.', parts));
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.VoteAsync(Entry, 5)).StatusCode);
    }

    [Fact]
    public async Task CardMode_ComesFromTheContestFile_AndIsFixedOnceAnyoneVoted()
    {
        var export = System.Text.Json.Nodes.JsonNode.Parse(await _coordinator.GetStringAsync("/api/contest/export"))!;
        Assert.False((bool)export["contest"]!["voting"]!["requireCards"]!);
        export["contest"]!["voting"]!["requireCards"] = true;
        var import = await _coordinator.PostAsync("/api/contest/import", new StringContent(export.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        Assert.True((await _coordinator.GetFromJsonAsync<JsonElement>("/api/voting")).GetProperty("requireCards").GetBoolean());
        var contest = await _coordinator.GetFromJsonAsync<JsonElement>("/api/contest");
        var entry = contest.GetProperty("entries")[0].GetProperty("id").GetInt32();
        await TestContest.SetVotingAsync(_coordinator, contest.GetProperty("categories")[0].GetProperty("id").GetInt32(), "open");

        var card = (await BatchAsync(1))[0];
        var voter = await VoterClient.JoinWithCardAsync(_server.CreateAnonymousClient(), card.Key, CardTesting.NewDevice());
        Assert.Equal(HttpStatusCode.OK, (await voter.VoteAsync(entry, 3)).StatusCode);

        var details = System.Text.Json.Nodes.JsonNode.Parse(await _coordinator.GetStringAsync("/api/contest"))!["contest"]!;
        details["voting"]!["requireCards"] = false;
        var refused = await _coordinator.PutAsJsonAsync("/api/contest/details", details);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("votes-recorded", problem.GetProperty("reason").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("voting.requireCards", out _));
        Assert.True((await _coordinator.GetFromJsonAsync<JsonElement>("/api/voting")).GetProperty("requireCards").GetBoolean());
    }

    [Fact]
    public void CardKeys_AreSixteenCharactersOfTheCodeAlphabet_AllDifferent_AndDerivedAgainTheSame()
    {
        var keys = _server.Services.GetRequiredService<CardKeys>();
        var batch = Enumerable.Range(1, BallotCards.MaxBatch).Select(n => keys.KeyOf(7, n)).ToList();
        Assert.All(batch, k => Assert.Matches($"^[{RoomCodes.Alphabet}]{{16}}$", k));
        Assert.Equal(batch.Count, batch.Distinct().Count());
        Assert.Equal(batch[41], keys.KeyOf(7, 42));
        Assert.NotEqual(keys.KeyOf(7, 1), keys.KeyOf(8, 1));
        // 19^16 keys ≈ 2^68: at least 64 bits.
        Assert.True(Math.Pow(RoomCodes.Alphabet.Length, CardKeys.Length) >= Math.Pow(2, 64));
        // Every character position is used with every letter of the alphabet (the keys are spread, not patterned).
        for (var i = 0; i < CardKeys.Length; i++)
        {
            Assert.Equal(RoomCodes.Alphabet.Length, batch.Select(k => k[i]).Distinct().Count());
        }
    }

    private async Task<IReadOnlyList<CardTesting.Printed>> BatchAsync(int size)
    {
        var batch = await CardTesting.CreateBatchAsync(_coordinator, size);
        var printed = await CardTesting.PrintAsync(_coordinator, batch.GetProperty("id").GetInt64());
        Assert.Equal(Enumerable.Range(1, size), printed.Select(p => p.Number));
        return printed;
    }

    private async Task<string> ScreenCodeAsync() => (await _coordinator.GetFromJsonAsync<JsonElement>("/api/room")).GetProperty("code").GetString()!;

    /// <summary>An entry's online votes and mean in the coordinator's tally.</summary>
    private async Task<(int Count, decimal? Mean)> TallyAsync(int entryId)
    {
        var tally = await _coordinator.GetFromJsonAsync<JsonElement>("/api/tallies");
        var row = tally.GetProperty("categories").EnumerateArray().SelectMany(c => c.GetProperty("rows").EnumerateArray())
            .Single(r => r.GetProperty("entryId").GetInt32() == entryId);
        var mean = row.GetProperty("mean");
        return (row.GetProperty("online").EnumerateObject().Sum(p => p.Value.GetInt32()), mean.ValueKind == JsonValueKind.Null ? null : mean.GetDecimal());
    }

    private static async Task AssertRefusedAsync(HttpClient phone, object body, HttpStatusCode status, string field, string says)
    {
        var response = await phone.PostAsJsonAsync("/api/voters", body);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == status, $"{JsonSerializer.Serialize(body)}: {(int)response.StatusCode} {problem}");
        var messages = problem.GetProperty("errors").GetProperty(field);
        Assert.Contains(says, messages[0].GetString(), StringComparison.OrdinalIgnoreCase);
    }
}
