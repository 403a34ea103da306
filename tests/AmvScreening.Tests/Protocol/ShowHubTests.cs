using AmvScreening.Protocol;
using AmvScreening.Server.Auth;
using AmvScreening.Server.Contest;
using AmvScreening.Tests.Support;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using static AmvScreening.Tests.Support.HubTesting;

namespace AmvScreening.Tests.Protocol;

/// <summary>The show hub's contract (docs/protocol.md) with every audience connected as it does on show day.</summary>
public sealed class ShowHubTests
{
    [Fact]
    public async Task PlayerReport_IsPushedToEveryAudience_AndServedOverHttp()
    {
        await using var server = new AmvServer();
        await using var player = server.CreatePlayerHub();
        await using var voter = server.CreateVoterHub();
        await using var coordinator = await server.CreateStaffHubAsync(Roles.Coordinator);
        await using var booth = await server.CreateStaffHubAsync(Roles.Booth);
        HubConnection[] everyone = [player, voter, coordinator, booth];
        var pushes = everyone.Select(c => c.Received<ShowState>(ShowHubMethods.ShowChanged)).ToArray();
        foreach (var connection in everyone)
        {
            await connection.StartAndSyncAsync();
        }

        var state = await player.InvokeAsync<ShowState>(ShowHubMethods.ReportOnScreen, Report(1, ShowPhase.CategoryCard)).WaitAsync(Bound);

        Assert.Equal((1L, ShowPhase.CategoryCard), (state.Sequence, state.Phase));
        foreach (var received in pushes)
        {
            Assert.Equal(state, await received.NextAsync());
        }

        Assert.Equal(state, await server.GetShowOverHttpAsync());
    }

    [Fact]
    public async Task EveryPhase_RoundTripsBetweenClientAndServer()
    {
        await using var server = new AmvServer();
        await using var player = server.CreatePlayerHub();
        await player.StartAndSyncAsync();

        var sequence = 0L;
        // Every phase but the prizegiving's slates: a winner needs an entry whose win is revealed (RevealedOnlyTests), the
        // nominees a category (PrizegivingTests, CeremonyRealPlayerTests).
        foreach (var phase in Enum.GetValues<ShowPhase>().Where(p => p is not (ShowPhase.Winner or ShowPhase.Nominees)))
        {
            var state = await player.InvokeAsync<ShowState>(ShowHubMethods.ReportOnScreen, Report(++sequence, phase)).WaitAsync(Bound);
            Assert.Equal((sequence, phase), (state.Sequence, state.Phase));
        }
    }

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    public async Task StaleReport_IsIgnored_WithoutAPush(long staleSequence)
    {
        await using var server = new AmvServer();
        await using var player = server.CreatePlayerHub();
        await using var voter = server.CreateVoterHub();
        var pushes = voter.Received<ShowState>(ShowHubMethods.ShowChanged);
        await player.StartAndSyncAsync();
        await voter.StartAndSyncAsync();
        var current = await player.InvokeAsync<ShowState>(ShowHubMethods.ReportOnScreen, Report(5, ShowPhase.Intermission)).WaitAsync(Bound);
        Assert.Equal(current, await pushes.NextAsync());

        var answer = await player.InvokeAsync<ShowState>(ShowHubMethods.ReportOnScreen, Report(staleSequence, ShowPhase.Blackout)).WaitAsync(Bound);

        Assert.Equal(current, answer);
        Assert.Equal(current, await server.GetShowOverHttpAsync());
        // Pushes arrive in order: had the stale report been pushed, the voter would see it before this newer one.
        var newer = await player.InvokeAsync<ShowState>(ShowHubMethods.ReportOnScreen, Report(6, ShowPhase.EndCard)).WaitAsync(Bound);
        Assert.Equal(newer, await pushes.NextAsync());
    }

    [Fact]
    public async Task ReportOfAnEntry_PushesItsPublicSummary()
    {
        await using var server = new AmvServer();
        var entryId = await server.InsertEntryAsync("Action", "Blade Dance");
        await using var player = server.CreatePlayerHub();
        await using var voter = server.CreateVoterHub();
        var pushes = voter.Received<ShowState>(ShowHubMethods.ShowChanged);
        await player.StartAndSyncAsync();
        await voter.StartAndSyncAsync();

        await player.InvokeAsync<ShowState>(ShowHubMethods.ReportOnScreen, Report(1, ShowPhase.IntroSlate, entryId)).WaitAsync(Bound);

        var pushed = await pushes.NextAsync();
        Assert.Equal(ShowPhase.IntroSlate, pushed.Phase);
        var entry = Assert.IsType<EntrySummary>(pushed.Entry);
        Assert.Equal((entryId, "Blade Dance", "Action"), (entry.Id, entry.Title, entry.Category));
        Assert.Equal(["Editor One"], entry.Editors);
        Assert.Equal(entry.CategoryId, pushed.CategoryId);
    }

    [Fact]
    public async Task ReportOfAnUnknownEntry_IsRefused()
    {
        await using var server = new AmvServer();
        await using var player = server.CreatePlayerHub();
        await player.StartAndSyncAsync();

        var error = await Assert.ThrowsAsync<HubException>(() =>
            player.InvokeAsync<ShowState>(ShowHubMethods.ReportOnScreen, Report(1, ShowPhase.IntroSlate, entryId: 999)).WaitAsync(Bound));

        Assert.Contains("Unknown entry 999", error.Message);
        Assert.Equal(ShowState.Idle, await server.GetShowOverHttpAsync());
    }

    [Fact]
    public async Task Voter_CannotReportNorCommandThePlayer()
    {
        await using var server = new AmvServer();
        await using var voter = server.CreateVoterHub();
        await AssertCannotReportNorCommandAsync(server, voter);
    }

    [Fact]
    public async Task WrongApiKey_CannotReportNorCommandThePlayer()
    {
        await using var server = new AmvServer();
        await using var impostor = server.CreatePlayerHub(apiKey: "not-the-player-key-0000");

        // Refused at connection, not let in as a voter to fail later.
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => impostor.StartAsync().WaitAsync(Bound));

        Assert.Contains("401", refused.Message);
        Assert.Equal(ShowState.Idle, await server.GetShowOverHttpAsync());
    }

    [Fact]
    public async Task ReportOfAnUnknownCategory_IsRefusedWithAClearMessage()
    {
        await using var server = new AmvServer();
        await using var player = server.CreatePlayerHub();
        await player.StartAndSyncAsync();

        var error = await Assert.ThrowsAsync<HubException>(() =>
            player.InvokeAsync<ShowState>(ShowHubMethods.ReportOnScreen, Report(1, ShowPhase.CategoryCard) with { CategoryId = 999 }).WaitAsync(Bound));

        Assert.Contains("Unknown category 999", error.Message);
        Assert.Equal(ShowState.Idle, await server.GetShowOverHttpAsync());
    }

    [Theory]
    [InlineData(Roles.Coordinator)]
    [InlineData(Roles.Booth)]
    public async Task StaffCommand_ReachesThePlayerOnly(string role)
    {
        await using var server = new AmvServer();
        await using var player = server.CreatePlayerHub();
        await using var voter = server.CreateVoterHub();
        await using var staff = await server.CreateStaffHubAsync(role);
        var playerCommands = player.Received<PlayerCommand>(ShowHubMethods.PlayerCommand);
        var voterCommands = voter.Received<PlayerCommand>(ShowHubMethods.PlayerCommand);
        var staffCommands = staff.Received<PlayerCommand>(ShowHubMethods.PlayerCommand);
        var voterPushes = voter.Received<ShowState>(ShowHubMethods.ShowChanged);
        var staffPushes = staff.Received<ShowState>(ShowHubMethods.ShowChanged);
        foreach (var connection in new[] { player, voter, staff })
        {
            await connection.StartAndSyncAsync();
        }

        var entry = await server.InsertEntryAsync("Action", "Blade Dance");
        var category = (await server.Services.GetRequiredService<ContestStore>().GetEntrySummaryAsync(entry))!.CategoryId;
        // Every kind (a winner or prize slate needs a revealed result: PlayerCommandTests).
        foreach (var kind in Enum.GetValues<PlayerCommandKind>().Where(k => k is not (PlayerCommandKind.ShowWinner or PlayerCommandKind.ShowPrize)))
        {
            var command = new PlayerCommand(Guid.NewGuid(), kind, kind is PlayerCommandKind.JumpToEntry ? entry : null,
                kind is PlayerCommandKind.ShowNominees ? ResultsContract.Scopes.Category(category) : null);
            await staff.InvokeAsync(ShowHubMethods.SendPlayerCommand, command).WaitAsync(Bound);
            Assert.Equal(command, await playerCommands.NextAsync());
        }

        // A push to everyone after the commands: by the time it arrives, a command sent to voters or staff would have.
        await player.InvokeAsync<ShowState>(ShowHubMethods.ReportOnScreen, Report(1, ShowPhase.Paused)).WaitAsync(Bound);
        await voterPushes.NextAsync();
        await staffPushes.NextAsync();
        Assert.False(voterCommands.TryRead(out _));
        Assert.False(staffCommands.TryRead(out _));
    }

    /// <summary><paramref name="intruder"/> is refused both player and staff methods, and nothing changes: the state
    /// stays idle and the player's next command is the booth's, not the intruder's.</summary>
    private static async Task AssertCannotReportNorCommandAsync(AmvServer server, HubConnection intruder)
    {
        await using var player = server.CreatePlayerHub();
        await using var booth = await server.CreateStaffHubAsync(Roles.Booth);
        var playerCommands = player.Received<PlayerCommand>(ShowHubMethods.PlayerCommand);
        foreach (var connection in new[] { intruder, player, booth })
        {
            await connection.StartAndSyncAsync();
        }

        var report = await Assert.ThrowsAsync<HubException>(() =>
            intruder.InvokeAsync<ShowState>(ShowHubMethods.ReportOnScreen, Report(1, ShowPhase.Blackout)).WaitAsync(Bound));
        var command = await Assert.ThrowsAsync<HubException>(() =>
            intruder.InvokeAsync(ShowHubMethods.SendPlayerCommand, new PlayerCommand(Guid.NewGuid(), PlayerCommandKind.BlackoutOn)).WaitAsync(Bound));

        Assert.Contains("unauthorized", report.Message);
        Assert.Contains("unauthorized", command.Message);
        Assert.Equal(ShowState.Idle, await server.GetShowOverHttpAsync());
        var boothCommand = new PlayerCommand(Guid.NewGuid(), PlayerCommandKind.Pause);
        await booth.InvokeAsync(ShowHubMethods.SendPlayerCommand, boothCommand).WaitAsync(Bound);
        Assert.Equal(boothCommand, await playerCommands.NextAsync());
    }
}
