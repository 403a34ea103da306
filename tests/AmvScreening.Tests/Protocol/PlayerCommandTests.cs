using System.Text.Json;
using AmvScreening.Protocol;
using AmvScreening.Server.Auth;
using AmvScreening.Tests.Support;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Xunit.Abstractions;
using static AmvScreening.Tests.Support.HubTesting;

namespace AmvScreening.Tests.Protocol;

/// <summary>The server's edge for the projectionist's commands (SendPlayerCommand): what is not a well-formed command
/// the show can use is refused with a reason, and nothing reaches the player.</summary>
public sealed class PlayerCommandTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly AmvServer _server = new();
    private HubConnection _player = null!;
    private HubConnection _booth = null!;
    private System.Threading.Channels.ChannelReader<JsonElement> _delivered = null!;

    public async Task InitializeAsync()
    {
        _player = _server.CreatePlayerHub();
        _delivered = _player.Received<JsonElement>(ShowHubMethods.PlayerCommand);
        _booth = await _server.CreateStaffHubAsync(Roles.Booth);
        await _player.StartAndSyncAsync();
        await _booth.StartAndSyncAsync();
    }

    public async Task DisposeAsync()
    {
        await _player.DisposeAsync();
        await _booth.DisposeAsync();
        _server.Dispose();
    }

    [Fact]
    public async Task GeneratedMalformedCommands_AreEachRefused_AndNoneReachesThePlayer()
    {
        var seeded = await TestContest.SeedAsync(_server, categories: 1, entriesPerCategory: 2);
        var messages = new MalformedMessages(seed: 7).Commands(500, missingEntry: 999_999, unrevealedEntry: seeded[0].Entries[1], repeatedFields: false).ToList();

        foreach (var message in messages)
        {
            var refused = await Assert.ThrowsAsync<HubException>(() =>
                _booth.InvokeAsync(ShowHubMethods.SendPlayerCommand, message.Arguments[0]).WaitAsync(Bound));
            Assert.False(string.IsNullOrWhiteSpace(refused.Message), message.ToString());
        }

        output.WriteLine($"{messages.Count} generated malformed commands refused by the server ({string.Join(", ", messages.GroupBy(m => m.Defect).Select(g => $"{g.Count()} {g.Key}"))}).");
        await AssertThePlayerGetsOnlyAsync(new PlayerCommand(Guid.NewGuid(), PlayerCommandKind.Next));
    }

    [Theory]
    [InlineData("null", "the command is missing (null)")]
    [InlineData("""{"id":"00000000-0000-0000-0000-000000000000","kind":"next"}""", "must not be the empty GUID")]
    [InlineData("""{"id":"3f2b8c1e-5d7a-4e7b-9a51-0c6f1d2e3a4b","kind":"jumpToEntry"}""", "jumpToEntry needs an entryId")]
    [InlineData("""{"id":"3f2b8c1e-5d7a-4e7b-9a51-0c6f1d2e3a4b","kind":"showWinner","entryId":0}""", "entryId must be a positive entry id")]
    [InlineData("""{"id":"3f2b8c1e-5d7a-4e7b-9a51-0c6f1d2e3a4b","kind":"pause","entryId":3}""", "pause takes no entryId")]
    [InlineData("""{"id":"3f2b8c1e-5d7a-4e7b-9a51-0c6f1d2e3a4b","kind":"jumpToEntry","entryId":999999}""", "there is no finalist 999999")]
    [InlineData("""{"id":"3f2b8c1e-5d7a-4e7b-9a51-0c6f1d2e3a4b","kind":"showPrize"}""", "showPrize needs a scope")]
    [InlineData("""{"id":"3f2b8c1e-5d7a-4e7b-9a51-0c6f1d2e3a4b","kind":"next","scope":"category:1"}""", "next takes no scope")]
    [InlineData("""{"id":"3f2b8c1e-5d7a-4e7b-9a51-0c6f1d2e3a4b","kind":"showNominees","scope":"best-in-show"}""", "the scope of showNominees is 'category:{id}'")]
    [InlineData("""{"id":"3f2b8c1e-5d7a-4e7b-9a51-0c6f1d2e3a4b","kind":"showPrize","scope":"awards"}""", "the scope of showPrize is 'category:{id}', 'best-in-show' or 'award:{id}'")]
    [InlineData("""{"id":"3f2b8c1e-5d7a-4e7b-9a51-0c6f1d2e3a4b","kind":"showNominees","scope":"category:999999"}""", "there is no category 999999 with finalists")]
    public async Task MalformedCommand_IsRefusedNamingWhy(string json, string reason)
    {
        using var document = JsonDocument.Parse(json);

        var refused = await Assert.ThrowsAsync<HubException>(() =>
            _booth.InvokeAsync(ShowHubMethods.SendPlayerCommand, document.RootElement).WaitAsync(Bound));

        Assert.Contains(reason, refused.Message);
        await AssertThePlayerGetsOnlyAsync(new PlayerCommand(Guid.NewGuid(), PlayerCommandKind.Pause));
    }

    [Fact]
    public async Task JumpToADisqualifiedFinalist_IsRefused_AJumpToAFinalistInTheShowIsSent()
    {
        var entries = (await TestContest.SeedAsync(_server, categories: 1, entriesPerCategory: 2))[0].Entries;
        await TestContest.ExecuteAsync(_server, "UPDATE entries SET disqualified = 1 WHERE id = @id", new { id = entries[0] });

        var refused = await Assert.ThrowsAsync<HubException>(() => _booth.InvokeAsync(
            ShowHubMethods.SendPlayerCommand, new PlayerCommand(Guid.NewGuid(), PlayerCommandKind.JumpToEntry, entries[0])).WaitAsync(Bound));

        Assert.Contains("is disqualified: it is not in the show", refused.Message);
        await AssertThePlayerGetsOnlyAsync(new PlayerCommand(Guid.NewGuid(), PlayerCommandKind.JumpToEntry, entries[1]));
    }

    [Fact]
    public async Task ShowWinner_IsRefusedUntilTheEntrysWinIsRevealed_ThenSent()
    {
        var category = (await TestContest.SeedAsync(_server, categories: 1, entriesPerCategory: 2))[0];
        var (winner, other) = (category.Entries[0], category.Entries[1]);
        using var coordinator = await _server.CreateStaffClientAsync();
        await TestContest.SetVotingAsync(coordinator, category.Id, "open");
        await TestContest.VoteAsync(_server, coordinator, winner, 5, 5);
        await TestContest.VoteAsync(_server, coordinator, other, 2);
        await TestContest.SetVotingAsync(coordinator, category.Id, "close");

        var early = await Assert.ThrowsAsync<HubException>(() => SendWinnerAsync(winner));
        Assert.Contains($"entry {winner} has won nothing revealed yet", early.Message);
        (await coordinator.PostAsync($"/api/results/reveal/categories/{category.Id}", null)).EnsureSuccessStatusCode();
        var loser = await Assert.ThrowsAsync<HubException>(() => SendWinnerAsync(other));
        Assert.Contains($"entry {other} has won nothing revealed yet", loser.Message);

        await AssertThePlayerGetsOnlyAsync(new PlayerCommand(Guid.NewGuid(), PlayerCommandKind.ShowWinner, winner));
    }

    [Fact]
    public async Task PrizegivingSlates_AreRefusedUntilTheirPrizeIsRevealed_NomineesOfARealCategoryAreSent()
    {
        var category = (await TestContest.SeedAsync(_server, categories: 1, entriesPerCategory: 2))[0];
        using var coordinator = await _server.CreateStaffClientAsync();
        await TestContest.SetVotingAsync(coordinator, category.Id, "open");
        await TestContest.VoteAsync(_server, coordinator, category.Entries[0], 5, 5);
        await TestContest.SetVotingAsync(coordinator, category.Id, "close");
        var scope = ResultsContract.Scopes.Category(category.Id);

        foreach (var unrevealed in new[] { scope, ResultsContract.Scopes.BestInShow, ResultsContract.Scopes.Award(1) })
        {
            var refused = await Assert.ThrowsAsync<HubException>(() => _booth.InvokeAsync(ShowHubMethods.SendPlayerCommand,
                new PlayerCommand(Guid.NewGuid(), PlayerCommandKind.ShowPrize, Scope: unrevealed)).WaitAsync(Bound));
            Assert.Contains($"'{unrevealed}' is not revealed", refused.Message);
        }

        var nominees = new PlayerCommand(Guid.NewGuid(), PlayerCommandKind.ShowNominees, Scope: scope);
        await AssertThePlayerGetsOnlyAsync(nominees);
        (await coordinator.PostAsync($"/api/results/reveal/categories/{category.Id}", null)).EnsureSuccessStatusCode();
        var prize = new PlayerCommand(Guid.NewGuid(), PlayerCommandKind.ShowPrize, Scope: scope);
        await _booth.InvokeAsync(ShowHubMethods.SendPlayerCommand, prize).WaitAsync(Bound);
        Assert.Equal(prize, (await _delivered.NextAsync()).Deserialize<PlayerCommand>(ShowJsonOptions));
    }

    private Task SendWinnerAsync(int entryId) =>
        _booth.InvokeAsync(ShowHubMethods.SendPlayerCommand, new PlayerCommand(Guid.NewGuid(), PlayerCommandKind.ShowWinner, entryId)).WaitAsync(Bound);

    /// <summary>Sends <paramref name="valid"/>: it is accepted and is the first command the player receives (pushes to one
    /// connection arrive in order, so a refused command sent earlier would have come first).</summary>
    private async Task AssertThePlayerGetsOnlyAsync(PlayerCommand valid)
    {
        await _booth.InvokeAsync(ShowHubMethods.SendPlayerCommand, valid).WaitAsync(Bound);
        var first = await _delivered.NextAsync();
        Assert.Equal(valid, first.Deserialize<PlayerCommand>(ShowJsonOptions));
    }
}
