using AmvScreening.Audience.Simulation;
using AmvScreening.Server.Integrity;
using static AmvScreening.Server.Integrity.FlagRules;

namespace AmvScreening.Tests.Integrity;

/// <summary>The flag rules as a pure function: generated honest halls are never flagged at any moment of the show,
/// generated stuffing is, and what a patient attacker can still do is written down as a test too.</summary>
public sealed class FlagRulesTests
{
    private static readonly ShowPlan Show = ShowPlan.Default;

    /// <summary>Entry 2 (number 1), the one the attacks vote for.</summary>
    private const int Target = 1;

    [Theory]
    [InlineData(1, 2000)]
    [InlineData(2, 2000)]
    [InlineData(3, 2000)]
    [InlineData(4, 2000)]
    [InlineData(5, 2000)]
    [InlineData(6, 500)]
    [InlineData(7, 5000)]
    [InlineData(8, 10000)]
    public void GeneratedHonestHall_IsNeverFlagged_AtAnyMomentOfTheShow(int seed, int phones)
    {
        var hall = HonestHall.Generate(phones, Show, seed);

        foreach (var at in Checkpoints())
        {
            var (voters, ballots) = ScenarioRecords.At(hall, at, seed);
            var flagged = Evaluate(voters, ballots, ScenarioRecords.Start + at);
            Assert.True(flagged.Count == 0, $"seed {seed}, {phones} phones, at {at}: {Describe(flagged)}");
        }
    }

    [Fact]
    public void GeneratedHonestHall_LooksLikeAHall_OneAddressManyJoiningAtOnceVotingTheSameEntry()
    {
        // The honest halls above are hard on the rules: what they must not mistake for stuffing is there.
        var hall = HonestHall.Generate(2000, Show, seed: 1);
        var (voters, ballots) = ScenarioRecords.At(hall, Show.End);

        Assert.Single(voters.Select(v => v.Address).Distinct());
        var firstOutro = ScenarioRecords.Start + Show.OutroStart(0);
        Assert.InRange(voters.Count(v => v.JoinedAt >= firstOutro && v.JoinedAt < firstOutro + TimeSpan.FromMinutes(1)), 600, 1200);
        Assert.InRange(voters.Count(v => v.ConnectedAt is null), 30, 120);
        var single = ballots.GroupBy(b => b.Voter).Where(g => g.Count() == 1).ToList();
        Assert.InRange(single.Count(g => g.Single().Score == 5), 50, 400);
        Assert.True(ballots.GroupBy(b => b.EntryId).All(e => e.Select(b => b.Score).Distinct().Count() >= 4), "varied scores on every entry");
    }

    [Fact]
    public void Burst_InsideAHonestHall_IsFlagged_EveryStuffedVoterAndNoHonestOne()
    {
        var scenario = HonestHall.Generate(2000, Show, seed: 11)
            .With(Stuffing.Burst(300, Show.OutroStart(Target) + TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1), Target, 5, AttackStyle.Script, 1));

        foreach (var after in new[] { TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(3), Show.End - Show.OutroStart(Target) })
        {
            var at = Show.OutroStart(Target) + TimeSpan.FromSeconds(30) + after;
            var cluster = Assert.Single(FlaggedAt(scenario, at));
            Assert.Equal(Burst, cluster.Shape);
            Assert.Equal("2:5", cluster.Ballots);
            Assert.Equal(Attackers(scenario), cluster.Voters.ToHashSet());
            Assert.Equal(300, cluster.Signs[Signs.Instant]);
            Assert.Equal(300, cluster.Signs[Signs.SameSequence]);
            Assert.Equal(after > TimeSpan.FromMinutes(2), cluster.Signs.ContainsKey(Signs.NoLive));
        }
    }

    [Fact]
    public void SlowDrip_OneVoterEveryFewSecondsForTenMinutes_IsFlagged_AsADrip()
    {
        var start = Show.VideoStart(Target) + TimeSpan.FromSeconds(60);
        var scenario = HonestHall.Generate(2000, Show, seed: 12)
            .With(Stuffing.Drip(start, TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(5), 0.3, Target, 5, AttackStyle.Script, 2));

        var cluster = Assert.Single(FlaggedAt(scenario, start + TimeSpan.FromMinutes(10)));
        Assert.Equal(Drip, cluster.Shape);
        Assert.Equal(Attackers(scenario), cluster.Voters.ToHashSet());
        Assert.InRange(cluster.Voters.Count, 100, 140);
        Assert.InRange(cluster.LastJoinedAt - cluster.FirstJoinedAt, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10));
        // Flagged early on already, once ten of its voters have voted.
        Assert.Single(FlaggedAt(scenario, start + TimeSpan.FromSeconds(70)));
    }

    /// <summary>Scripts that hide one sign or another are still caught by the others.</summary>
    [Theory]
    [InlineData(true, 0.0, 0.05, false, Signs.Instant)]            // opens the live connection, votes at once
    [InlineData(true, 2.0, 8.0, false, Signs.SameSequence)]        // waits like a person, but sends no ballot numbers
    [InlineData(true, 3.0, 3.1, true, Signs.Lockstep)]             // numbers its ballots, but always waits 3 s
    [InlineData(false, 2.0, 8.0, true, Signs.NoLive)]              // numbers, waits like a person, but has no live connection
    public void Drip_ThatHidesSomeSigns_IsStillFlagged_ByTheOthers(bool connect, double minDelay, double maxDelay, bool numbered, string sign)
    {
        var style = new AttackStyle(connect, TimeSpan.FromSeconds(minDelay), TimeSpan.FromSeconds(maxDelay), numbered);
        var start = Show.VideoStart(Target) + TimeSpan.FromSeconds(60);
        var scenario = HonestHall.Generate(2000, Show, seed: 13)
            .With(Stuffing.Drip(start, TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(5), 0.3, Target, 5, style, 3));

        var cluster = Assert.Single(FlaggedAt(scenario, start + TimeSpan.FromMinutes(12)));
        Assert.Contains(sign, cluster.Signs.Keys);
        Assert.Subset(Attackers(scenario), cluster.Voters.ToHashSet());
        Assert.True(cluster.Voters.Count(v => !Attackers(scenario).Contains(v)) <= 3, "a few honest phones at most");
    }

    /// <summary>What open mode cannot stop (docs/ballot-integrity.md): a script that opens the live connection, waits like a
    /// person and numbers its ballots like the phone app looks like people to the server. Ballot cards stop it.</summary>
    [Fact]
    public void PatientAttacker_ThatBehavesLikeThePhoneApp_IsNotFlagged()
    {
        var patient = new AttackStyle(Connect: true, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(12), Sequence: true);
        var start = Show.VideoStart(Target) + TimeSpan.FromSeconds(60);
        var scenario = HonestHall.Generate(2000, Show, seed: 14)
            .With(Stuffing.Drip(start, TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(5), 0.3, Target, 5, patient, 4));

        Assert.Empty(FlaggedAt(scenario, start + TimeSpan.FromMinutes(12)));
    }

    [Fact]
    public void FewerVotersThanAClusterNeeds_AreNeverFlagged()
    {
        var scenario = new Scenario(Show, 1, 5, [])
            .With(Stuffing.Burst(Settings.Default.MinVoters - 1, Show.OutroStart(0), TimeSpan.FromSeconds(1), 0, 5, AttackStyle.Script, 1));

        Assert.Empty(FlaggedAt(scenario, Show.End));
        Assert.Single(FlaggedAt(new Scenario(Show, 1, 5, []).With(
            Stuffing.Burst(Settings.Default.MinVoters, Show.OutroStart(0), TimeSpan.FromSeconds(1), 0, 5, AttackStyle.Script, 1)), Show.End));
    }

    [Fact]
    public void VotersFromAnotherNetwork_OrWithOtherBallots_AreOtherGroups()
    {
        var at = ScenarioRecords.Start;
        var voters = Enumerable.Range(0, 30).Select(i => new VoterRecord($"v{i}", at, i < 15 ? "a" : "b", null)).ToList();
        // Within each network, 15 voters: 8 with one ballot, 7 with another. No group reaches ten.
        var ballots = voters.Select((v, i) => new BallotRecord(v.Voter, 1, i % 15 < 8 ? 5 : 4, 0, at)).ToList();

        Assert.Empty(Evaluate(voters, ballots, at + TimeSpan.FromHours(1)));
    }

    [Fact]
    public void BallotsOfVotersNotRecorded_AreNotJudged()
    {
        var at = ScenarioRecords.Start;
        var ballots = Enumerable.Range(0, 50).Select(i => new BallotRecord($"old{i}", 1, 5, 0, at)).ToList();

        Assert.Empty(Evaluate([], ballots, at + TimeSpan.FromHours(1)));
    }

    [Fact]
    public void ClusterId_DependsOnNetworkAndBallotsOnly_AndBallotsKeyIsCanonical()
    {
        var at = ScenarioRecords.Start;
        Assert.Equal(
            "3:1,7:5,bis:12",
            BallotsKey([new BallotRecord("x", 12, null, 0, at), new BallotRecord("x", 7, 5, 0, at), new BallotRecord("x", 3, 1, 0, at)]));
        Assert.Equal(ClusterId("a", "3:1"), ClusterId("a", "3:1"));
        Assert.NotEqual(ClusterId("a", "3:1"), ClusterId("b", "3:1"));
        Assert.NotEqual(ClusterId("a", "3:1"), ClusterId("a", "3:2"));
        Assert.Matches("^[0-9a-f]{12}$", ClusterId("a", "3:1"));
    }

    [Fact]
    public void NoLiveConnection_CountsOnlyAfterTheGrace_AndOnlyAsAShareOfTheGroup()
    {
        var at = ScenarioRecords.Start;
        // 20 voters with the same ballot, joined at a person's pace: 5 never opened the live connection.
        var voters = Enumerable.Range(0, 20).Select(i => new VoterRecord($"v{i}", at + TimeSpan.FromSeconds(i * 7), "a", i < 5 ? null : at)).ToList();
        var ballots = voters.Select((v, i) => new BallotRecord(v.Voter, 1, 5, 1000 + i, v.JoinedAt + TimeSpan.FromSeconds(3 + i * 0.37))).ToList();
        Assert.Empty(Evaluate(voters, ballots, at + TimeSpan.FromHours(1)));

        // 12 of 20 never did: flagged, but not before the grace has passed for ten of them.
        var offline = voters.Select((v, i) => i < 12 ? v with { ConnectedAt = null } : v).ToList();
        Assert.Empty(Evaluate(offline, ballots, at + Settings.Default.LiveGrace + TimeSpan.FromSeconds(7 * 8)));
        var cluster = Assert.Single(Evaluate(offline, ballots, at + Settings.Default.LiveGrace + TimeSpan.FromSeconds(7 * 9)));
        Assert.Equal(new Dictionary<string, int> { [Signs.NoLive] = 10 }, cluster.Signs);
    }

    [Fact]
    public void Settings_ScaledForAFasterSimulation_DivideEveryTime()
    {
        var scaled = Settings.Default.Scaled(10);
        Assert.Equal(TimeSpan.FromMilliseconds(100), scaled.Instant);
        Assert.Equal(TimeSpan.FromMilliseconds(25), scaled.LockstepBand);
        Assert.Equal(TimeSpan.FromSeconds(12), scaled.LiveGrace);
        Assert.Equal(Settings.Default.MinVoters, scaled.MinVoters);
    }

    /// <summary>Every 30 s from the first outro to the end, then the end.</summary>
    private static IEnumerable<TimeSpan> Checkpoints()
    {
        for (var at = Show.OutroStart(0); at < Show.End; at += TimeSpan.FromSeconds(30))
        {
            yield return at;
        }

        yield return Show.End;
    }

    private static IReadOnlyList<FlaggedCluster> FlaggedAt(Scenario scenario, TimeSpan at)
    {
        var (voters, ballots) = ScenarioRecords.At(scenario, at);
        return Evaluate(voters, ballots, ScenarioRecords.Start + at);
    }

    private static HashSet<string> Attackers(Scenario scenario) =>
        scenario.Phones.Where(p => p.Attacker).Select(ScenarioRecords.Voter).ToHashSet();

    private static string Describe(IEnumerable<FlaggedCluster> clusters) => string.Join("; ", clusters.Select(c =>
        $"{c.Shape} {c.Ballots} {c.Voters.Count}/{c.GroupSize} [{string.Join(", ", c.Signs.Select(s => $"{s.Key} {s.Value}"))}]"));
}
