using AmvScreening.Audience.Simulation;
using AmvScreening.Server.Integrity;

namespace AmvScreening.Tests.Integrity;

/// <summary>What the server would have recorded of a simulated show, without running one: the scripts of the phones
/// turned into voter and ballot records, as they stand at a moment of the show.</summary>
internal static class ScenarioRecords
{
    public static readonly DateTimeOffset Start = new(2026, 7, 4, 18, 0, 0, TimeSpan.Zero);

    /// <summary>The phone app's ballot numbers are its clock in milliseconds.</summary>
    private static readonly long StartMilliseconds = Start.ToUnixTimeMilliseconds();

    /// <summary>Voters and ballots recorded by <paramref name="at"/> (from the start); each request takes 20–300 ms on
    /// the way, the same draw for the same seed. Voter ids are "p{phone id}"; entry ids are 1 + the entry's number.</summary>
    public static (IReadOnlyList<VoterRecord> Voters, IReadOnlyList<BallotRecord> Ballots) At(Scenario scenario, TimeSpan at, int seed = 0)
    {
        var random = new Random(seed);
        TimeSpan Latency() => TimeSpan.FromMilliseconds(20 + random.Next(280));
        var voters = new List<VoterRecord>();
        var ballots = new List<BallotRecord>();
        foreach (var phone in scenario.Phones)
        {
            var joined = phone.JoinAt + Latency();
            var connected = phone.ConnectAt is { } c ? c + Latency() : (TimeSpan?)null;
            var cast = phone.Ballots.Select(b => (Ballot: b, Arrived: b.At + Latency())).ToList();
            if (joined > at)
            {
                continue;
            }

            voters.Add(new VoterRecord(Voter(phone), Start + joined, "hall", connected <= at ? Start + connected : null));
            ballots.AddRange(cast.Where(b => b.Arrived <= at).GroupBy(b => b.Ballot.Entry).Select(g => new BallotRecord(
                Voter(phone), g.Key + 1, g.Last().Ballot.Score, g.Last().Ballot.Sequence is { } ms ? StartMilliseconds + ms : 0, Start + g.First().Arrived)));
        }

        return (voters, ballots);
    }

    public static string Voter(PhoneScript phone) => $"p{phone.Id}";
}
