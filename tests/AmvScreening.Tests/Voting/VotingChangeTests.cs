using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AmvScreening.Protocol;
using AmvScreening.Tests.Contest;
using AmvScreening.Tests.Support;
using Microsoft.AspNetCore.SignalR.Client;
using Xunit.Abstractions;
using static AmvScreening.Tests.Support.HubTesting;

namespace AmvScreening.Tests.Voting;

/// <summary>
/// Voting reaches phones as numbered changes (docs/protocol.md, "Voting changes"). Generated shows (the player's
/// reports, the coordinator's opening and closing, the Best In Show ballot, contest edits, in random order) against the
/// real server: after every step, the changes a phone received, applied in order, give exactly the snapshot the server
/// answers with, both by the .NET clients' <see cref="VotingFollower"/> and by the phone app's own code (replayed in
/// Node: tests/node/voting-replay.mjs); no change is skipped or fetched instead.
/// </summary>
public sealed class VotingChangeTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task ChangesAppliedInOrder_GiveTheServersSnapshot_AfterEveryStepOfAGeneratedShow(int seed)
    {
        using var server = new AmvServer();
        using var coordinator = await server.CreateStaffClientAsync();
        var contest = ContestApi.SampleContest();
        // Long enough never to pass during the test: the last outro of a category starts a countdown, nothing closes.
        contest["contest"]!["voting"] = new JsonObject { ["autoCloseMinutes"] = 600, ["bestInShowMethod"] = "ballot" };
        Assert.True((await ContestApi.ImportAsync(coordinator, contest)).Status == System.Net.HttpStatusCode.OK);
        var view = await ContestApi.GetContestAsync(coordinator);
        var entries = view.GetProperty("entries").EnumerateArray()
            .Select(e => (Id: e.GetProperty("id").GetInt32(), Category: e.GetProperty("categoryId").GetInt32())).ToList();
        var categories = entries.Select(e => e.Category).Distinct().ToList();
        var lastOf = categories.ToDictionary(c => c, c => entries.Last(e => e.Category == c).Id);

        await using var player = server.CreatePlayerHub();
        await using var phone = server.CreateVoterHub();
        var pushed = phone.Received<VotingChange>(ShowHubMethods.VotingChanged);
        var followed = phone.ReceivedVoting(server, out var follower);
        await player.StartAndSyncAsync();
        await phone.StartAndSyncAsync();
        await follower.SyncAsync().WaitAsync(Bound);
        var initial = follower.Current!;

        using var anonymous = server.CreateAnonymousClient();
        var random = new Random(seed);
        var sequence = 0L;
        var snapshots = new List<VotingSnapshot>();
        var kinds = new List<string>();
        for (var step = 0; step < 40; step++)
        {
            var entry = entries[random.Next(entries.Count)];
            var category = categories[random.Next(categories.Count)];
            var roll = random.Next(20);
            kinds.Add(roll switch { < 8 => "video", < 11 => "last outro", < 16 => "category", < 19 => "ballot", _ => "rename" });
            switch (roll)
            {
                case < 8:
                    await player.InvokeAsync<ShowState>(ShowHubMethods.ReportOnScreen, Report(++sequence, ShowPhase.Video, entry.Id)).WaitAsync(Bound);
                    break;
                case < 11:
                    await player.InvokeAsync<ShowState>(ShowHubMethods.ReportOnScreen, Report(++sequence, ShowPhase.OutroSlate, lastOf[category])).WaitAsync(Bound);
                    break;
                case < 16:
                    await TestContest.SetVotingAsync(coordinator, category, new[] { "open", "close", "auto" }[random.Next(3)]);
                    break;
                case < 19:
                    await TestContest.SetBallotAsync(coordinator, random.Next(2) == 0 ? "open" : "close");
                    break;
                default:
                    (await coordinator.PutAsJsonAsync($"/api/contest/categories/{category}", new { name = $"Renamed {step}" })).EnsureSuccessStatusCode();
                    break;
            }

            var snapshot = (await anonymous.GetFromJsonAsync<VotingSnapshot>("/api/voting", ShowJsonOptions).WaitAsync(Bound))!;
            while (follower.Current!.Version < snapshot.Version)
            {
                await followed.NextAsync();
            }

            Assert.Equal(Json(snapshot), Json(follower.Current));
            snapshots.Add(snapshot);
        }

        var changes = new List<VotingChange>();
        while (pushed.TryRead(out var change))
        {
            changes.Add(change);
        }

        // Each change took the next version; the follower fetched the snapshot only once, when it started.
        Assert.Equal(Enumerable.Range(1, changes.Count).Select(i => initial.Version + i), changes.Select(c => c.Version));
        Assert.Equal(1, follower.Fetches);
        Assert.Contains(changes, c => c.Kind == VotingChangeKind.EntryOpened);
        Assert.Contains(changes, c => c.Kind == VotingChangeKind.CategoryChanged);

        // The phone app's own code, on the same changes.
        var trace = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(trace, JsonSerializer.Serialize(new { initial, changes, snapshots }, ShowJsonOptions));
            var node = ExternalProcess.Require("node", "nodejs");
            var replay = await ExternalProcess.RunAsync(node, [RepoPaths.Of("tests", "node", "voting-replay.mjs"), trace], TimeSpan.FromSeconds(60));
            Assert.True(replay.ExitCode == 0, $"the phone app's replay failed:\n{replay.StandardOutput}\n{replay.StandardError}");
        }
        finally
        {
            File.Delete(trace);
        }

        output.WriteLine($"seed {seed}: {string.Join(", ", kinds.CountBy(k => k).Select(p => $"{p.Value} {p.Key}"))}; " +
                         $"{changes.Count} changes ({string.Join(", ", changes.CountBy(c => c.Kind).Select(p => $"{p.Value} {p.Key}"))}), " +
                         $"each applied in .NET and in the phone app's code, equal to the server's snapshot after every step");
    }

    private static string Json(VotingSnapshot snapshot) => JsonSerializer.Serialize(snapshot, ShowJsonOptions);
}

/// <summary>A change applies to the version just before it, and to nothing else.</summary>
[Trait("Kind", "Unit")]
public sealed class VotingChangeApplyTests
{
    private static readonly EntrySummary A = Entry(1, 1), B = Entry(2, 1), C = Entry(3, 1);

    private static readonly VotingSnapshot Before = new(1, 5, "ballot", BallotStatus.NotOpen,
        [new CategoryVoting(1, "One", CategoryVotingStatus.Pending, null, [A, C]), new CategoryVoting(2, "Two", CategoryVotingStatus.Pending, null, [])],
        Version: 10);

    [Fact]
    public void EachKind_AppliedToTheVersionBefore_GivesTheNextVersion()
    {
        var opened = VotingChange.EntryOpened(11, 1, 1, B).ApplyTo(Before)!;
        Assert.Equal([1, 2, 3], opened.Categories[0].VotableEntries.Select(e => e.Id));
        Assert.Equal(11, opened.Version);
        Assert.Equal([1, 3], Before.Categories[0].VotableEntries.Select(e => e.Id));

        var closed = VotingChange.CategoryChanged(12, new CategoryVoting(1, "One", CategoryVotingStatus.Closed, null, [])).ApplyTo(opened)!;
        Assert.Equal((CategoryVotingStatus.Closed, 0), (closed.Categories[0].Status, closed.Categories[0].VotableEntries.Count));
        Assert.Same(Before.Categories[1], closed.Categories[1]);

        Assert.Equal(BallotStatus.Open, VotingChange.BestInShowChanged(12, BallotStatus.Open).ApplyTo(opened)!.BestInShow);
        var replaced = Before with { Categories = [], Version = 99 };
        Assert.Same(replaced, VotingChange.Reset(replaced).ApplyTo(Before));
    }

    [Fact]
    public void AChange_AfterAGap_OrAboutWhatIsNotHeld_CannotBeApplied()
    {
        Assert.Null(VotingChange.BestInShowChanged(12, BallotStatus.Open).ApplyTo(Before));
        Assert.Null(VotingChange.BestInShowChanged(10, BallotStatus.Open).ApplyTo(Before));
        Assert.Null(VotingChange.EntryOpened(11, 9, 0, Entry(9, 9)).ApplyTo(Before));
        Assert.Null(VotingChange.EntryOpened(11, 1, 3, B).ApplyTo(Before));
        Assert.Null(VotingChange.EntryOpened(11, 1, -1, B).ApplyTo(Before));
        Assert.Null(new VotingChange(11, VotingChangeKind.CategoryChanged).ApplyTo(Before));
    }

    private static EntrySummary Entry(int id, int categoryId) => new(id, categoryId, "Cat", $"E{id}", ["Ed"], "Artist", "Song", ["Anime"], null);
}
