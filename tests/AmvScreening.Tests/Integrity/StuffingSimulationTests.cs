using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AmvScreening.Audience.Simulation;
using AmvScreening.Protocol;
using AmvScreening.Server.Auth;
using AmvScreening.Tests.Support;
using Xunit.Abstractions;

namespace AmvScreening.Tests.Integrity;

/// <summary>Stuffing in open mode, played against the real server (<see cref="VirtualShow"/>): a burst and a slow drip
/// inside an honest hall are flagged, the coordinator sees what they change, excludes them and takes that back, and
/// the audit shows it all.</summary>
public sealed class StuffingSimulationTests(ITestOutputHelper output) : IDisposable
{
    private const string Burst = "burst", Drip = "drip";

    private readonly VirtualShow _show = new(output);

    public void Dispose() => _show.Dispose();

    [Fact]
    public async Task BurstAndDrip_AreFlagged_ExcludingThemChangesTheTally_UndoPutsItBack_AndAfterTheRevealNothingMoves()
    {
        var plan = VirtualShow.Plan;
        // The attacks vote for the first two entries: this hall prefers another one, but not by far.
        var hall = Enumerable.Range(100, 50).Select(seed => HonestHall.Generate(400, plan, seed)).First(CloseRaceWonByALaterEntry);
        var scenario = hall
            .With(Stuffing.Drip(plan.VideoStart(0) + TimeSpan.FromSeconds(60), TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(5), 0.3, 0, 5, AttackStyle.Script, 1))
            .With(Stuffing.Burst(300, plan.OutroStart(1) + TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1), 1, 5, AttackStyle.Script, 2));
        var dripVoters = scenario.Phones.Count(p => p.Attacker) - 300;

        var result = await _show.RunAsync(scenario);

        // Flagged: every stuffed voter, no honest one; two clusters that change the winner.
        Assert.Equal(0, result.TooManyRequests);
        Assert.Equal((300 + dripVoters, 0), (result.AttackersFlagged, result.HonestFlagged));
        var entries = result.Category.Rows.OrderBy(r => r.EntryId).Select(r => r.EntryId).ToList();
        var burst = Assert.Single(result.Tally.Flags, f => f.Reason == Burst);
        var drip = Assert.Single(result.Tally.Flags, f => f.Reason == Drip);
        Assert.Equal(300, burst.Voters);
        Assert.Equal([entries[1]], burst.Entries);
        Assert.Equal(dripVoters, drip.Voters);
        Assert.Equal([entries[0]], drip.Entries);
        Assert.Contains(new FlagSign("instant", 300), burst.Signs);
        Assert.Contains("300 voters from one network", burst.Summary);
        Assert.Equal(300, Row(result.Tally, entries[1]).Flagged);
        Assert.Equal(dripVoters, Row(result.Tally, entries[0]).Flagged);
        Assert.True(Row(result.Tally, entries[2]).Flagged + Row(result.Tally, entries[3]).Flagged == 0);
        var honestWinner = result.Category.WinnerWithoutFlagged;
        Assert.Contains(result.Category.Outcome.WinnerId!.Value, entries[..2]);
        Assert.Contains(honestWinner!.Value, entries[2..]);
        Assert.True(result.Category.FlagsChangeWinner);

        using var coordinator = await _show.Server.CreateStaffClientAsync();
        var before = await TallyAsync(coordinator);

        // A decision needs a note; an unknown cluster is 404; what is not excluded cannot be counted again.
        await AssertFieldErrorAsync(await DecideAsync(coordinator, burst.Id, "exclude", null), "note");
        await AssertFieldErrorAsync(await DecideAsync(coordinator, burst.Id, "exclude", "   "), "note");
        await AssertFieldErrorAsync(await DecideAsync(coordinator, burst.Id, "exclude", new string('x', 501)), "note");
        Assert.Equal(HttpStatusCode.NotFound, (await DecideAsync(coordinator, "0123456789ab", "exclude", "no such")).StatusCode);
        await AssertConflictAsync(await DecideAsync(coordinator, burst.Id, "include", "not excluded yet"), ResultsContract.Reasons.NotExcluded);

        // Excluding the burst: its 300 votes leave the count and the mean.
        var excluded = await DecideAsync(coordinator, burst.Id, "exclude", "300 tokens in one second from one laptop");
        Assert.Equal(HttpStatusCode.OK, excluded.StatusCode);
        Assert.True((await excluded.Content.ReadFromJsonAsync<FlagCluster>(HubTesting.ShowJsonOptions))!.Excluded);
        var without = await TallyAsync(coordinator);
        var (was, now) = (Row(before, entries[1]), Row(without, entries[1]));
        Assert.Equal((was.Count - 300, 0, 300), (now.Count, now.Flagged, now.Excluded));
        Assert.True(now.Mean < was.Mean, $"mean {was.Mean} → {now.Mean}");
        var excludedBurst = without.Flags.Single(f => f.Id == burst.Id);
        Assert.True(excludedBurst.Excluded);
        Assert.Equal(("exclude", "300 tokens in one second from one laptop", Roles.Coordinator, 300),
            (excludedBurst.Decision!.Action, excludedBurst.Decision.Note, excludedBurst.Decision.DecidedBy, excludedBurst.Decision.Voters));

        // Undo: back as it was.
        Assert.Equal(HttpStatusCode.OK, (await DecideAsync(coordinator, burst.Id, "include", "Counted again to compare")).StatusCode);
        var back = await TallyAsync(coordinator);
        Assert.Equal(Numbers(before), Numbers(back));
        Assert.False(back.Flags.Single(f => f.Id == burst.Id).Excluded);

        // Both out: the hall's own winner, and nothing flagged left to change it.
        Assert.Equal(HttpStatusCode.OK, (await DecideAsync(coordinator, burst.Id, "exclude", "Burst from one laptop")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await DecideAsync(coordinator, drip.Id, "exclude", "Drip: one voter every 5 s for 10 min")).StatusCode);
        var clean = (await TallyAsync(coordinator)).Categories.Single();
        Assert.Equal(honestWinner, clean.Outcome.WinnerId);
        Assert.False(clean.FlagsChangeWinner);
        Assert.All(clean.Rows, r => Assert.Equal(0, r.Flagged));

        // Revealed: the decisions are final.
        await TestContest.SetVotingAsync(coordinator, clean.CategoryId, "close");
        (await coordinator.PostAsync($"/api/results/reveal/categories/{clean.CategoryId}", null)).EnsureSuccessStatusCode();
        await AssertConflictAsync(await DecideAsync(coordinator, drip.Id, "include", "too late"), ResultsContract.Reasons.AlreadyRevealed);
        await AssertConflictAsync(await DecideAsync(coordinator, burst.Id, "exclude", "again"), ResultsContract.Reasons.AlreadyRevealed);
        Assert.Equal(honestWinner, (await coordinator.GetFromJsonAsync<PublicResults>("/api/results", HubTesting.ShowJsonOptions))!.Categories.Single().Winner.Id);

        // The audit: each ballot with how its voter joined and its flag; every decision with its note.
        var rows = Csv.Parse(await coordinator.GetStringAsync("/api/votes/export.csv"));
        string Field(string[] row, string column) => row[Array.IndexOf(rows[0], column)];
        var ballots = rows.Skip(1).ToList();
        var attackers = scenario.Phones.Where(p => p.Attacker).Count();
        var inBurst = ballots.Where(r => Field(r, "flag_cluster") == burst.Id).ToList();
        Assert.Equal(300, inBurst.Count);
        Assert.All(inBurst, r => Assert.Equal((Burst, $"{entries[1]}", "5"), (Field(r, "flag_reason"), Field(r, "entry_id"), Field(r, "score"))));
        Assert.All(inBurst, r => Assert.Contains("instant", Field(r, "flag_signs")));
        Assert.Equal(dripVoters, ballots.Count(r => Field(r, "flag_cluster") == drip.Id && Field(r, "flag_reason") == Drip));
        Assert.Equal(attackers, ballots.Count(r => Field(r, "excluded_by_decision") != ""));
        Assert.All(ballots, r => Assert.Equal("screen", Field(r, "joined_via")));
        Assert.All(ballots, r => Assert.True(DateTimeOffset.Parse(Field(r, "joined_at")) <= DateTimeOffset.Parse(Field(r, "first_voted_at"))));
        Assert.DoesNotContain(ballots, r => Field(r, "flag_cluster") == "" && Field(r, "excluded_by_decision") != "");

        var decisions = Csv.Parse(await coordinator.GetStringAsync("/api/integrity/decisions.csv"));
        Assert.Equal(["decision", "cluster", "action", "reason", "summary", "note", "decided_by", "decided_at", "voters"], decisions[0]);
        Assert.Equal(
            [(burst.Id, "exclude", "300 tokens in one second from one laptop", "300"), (burst.Id, "include", "Counted again to compare", "0"),
                (burst.Id, "exclude", "Burst from one laptop", "300"), (drip.Id, "exclude", "Drip: one voter every 5 s for 10 min", $"{dripVoters}")],
            decisions.Skip(1).Select(d => (d[1], d[2], d[5], d[8])));
        Assert.All(decisions.Skip(1), d => Assert.Equal(Roles.Coordinator, d[6]));
    }

    [Fact]
    public async Task FlagDecisions_AreTheCoordinatorsOnly()
    {
        using var booth = await _show.Server.CreateStaffClientAsync(Roles.Booth);
        using var anonymous = _show.Server.CreateAnonymousClient();

        Assert.Equal(HttpStatusCode.Forbidden, (await DecideAsync(booth, "0123456789ab", "exclude", "booth")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await DecideAsync(anonymous, "0123456789ab", "exclude", "anyone")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await booth.GetAsync("/api/integrity/decisions.csv")).StatusCode);
    }

    /// <summary>The hall's own favourite is entry 3 or 4 (number 2 or 3), and entries 1 and 2 are within a point of it.</summary>
    private static bool CloseRaceWonByALaterEntry(Scenario hall)
    {
        var means = hall.Phones.SelectMany(p => p.Ballots.GroupBy(b => b.Entry).Select(g => g.Last()))
            .GroupBy(b => b.Entry).ToDictionary(g => g.Key, g => g.Average(b => b.Score));
        var best = means.MaxBy(m => m.Value);
        return best.Key >= 2 && means[0] > best.Value - 1 && means[1] > best.Value - 1;
    }

    private static Task<HttpResponseMessage> DecideAsync(HttpClient client, string cluster, string action, string? note) =>
        client.PostAsJsonAsync($"/api/integrity/clusters/{cluster}/{action}", new { note });

    private static async Task<Tally> TallyAsync(HttpClient coordinator) =>
        (await coordinator.GetFromJsonAsync<Tally>("/api/tallies", HubTesting.ShowJsonOptions))!;

    private static TallyRow Row(Tally tally, int entryId) => tally.Categories.SelectMany(c => c.Rows).Single(r => r.EntryId == entryId);

    private static string Numbers(Tally tally) => string.Join(" | ", tally.Categories.SelectMany(c => c.Rows)
        .Select(r => $"{r.EntryId}: {r.Count} {r.Mean} {r.Flagged} {r.Excluded} {string.Join(",", r.Online.Values)}"))
        + $" | winner {tally.Categories.Single().Outcome.WinnerId}";

    private static async Task AssertFieldErrorAsync(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
    }

    private static async Task AssertConflictAsync(HttpResponseMessage response, string reason)
    {
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(reason, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());
    }
}
