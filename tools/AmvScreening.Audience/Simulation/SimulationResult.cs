using System.Globalization;
using AmvScreening.Protocol;

namespace AmvScreening.Audience.Simulation;

/// <summary>What became of one phone.</summary>
public sealed record PhoneOutcome(
    int Id, bool Attacker, TimeSpan JoinAt, bool Joined, TimeSpan? JoinLatency, int TooManyRequests, bool Connected, int Votes, bool Flagged,
    IReadOnlyList<string> Errors);

/// <summary>What the coordinator's tally showed at a moment of the show: clusters flagged, voters in them.</summary>
public sealed record Observation(TimeSpan At, int Clusters, int Voters);

/// <summary>The figures of a simulation run: joins, refusals, votes, and what the server flagged (at the end, and
/// while the show went on).</summary>
public sealed record SimulationResult(
    IReadOnlyList<PhoneOutcome> Phones, Tally Tally, CategoryTally Category, TimeSpan Elapsed, IReadOnlyList<Observation> Observations)
{
    public static SimulationResult Of(IReadOnlyList<PhoneOutcome> phones, Tally tally, int categoryId, TimeSpan elapsed, IReadOnlyList<Observation> observations) =>
        new(phones, tally, tally.Categories.Single(c => c.CategoryId == categoryId), elapsed, observations);

    /// <summary>The most clusters the tally flagged at any one moment of the show.</summary>
    public int MostClustersSeen => Observations.Select(o => o.Clusters).Append(Tally.Flags.Count(f => f.Flagged)).Max();

    public int Joined => Phones.Count(p => p.Joined);

    /// <summary>The most phones that joined within one minute of the show.</summary>
    public int BusiestMinute
    {
        get
        {
            var joins = Phones.Select(p => p.JoinAt).Order().ToList();
            var (most, start) = (0, 0);
            for (var end = 0; end < joins.Count; end++)
            {
                while (joins[end] - joins[start] >= TimeSpan.FromMinutes(1))
                {
                    start++;
                }

                most = Math.Max(most, end - start + 1);
            }

            return most;
        }
    }

    /// <summary>429 answers to joins and votes, all phones together.</summary>
    public int TooManyRequests => Phones.Sum(p => p.TooManyRequests);

    public int Connected => Phones.Count(p => p.Connected);

    public int Votes => Phones.Sum(p => p.Votes);

    public IReadOnlyList<string> Errors => Phones.SelectMany(p => p.Errors).ToList();

    public int Attackers => Phones.Count(p => p.Attacker && p.Votes > 0);

    public int AttackersFlagged => Phones.Count(p => p.Attacker && p.Flagged);

    public int Honest => Phones.Count(p => !p.Attacker && p.Votes > 0);

    /// <summary>False positives: honest phones the server flagged.</summary>
    public int HonestFlagged => Phones.Count(p => !p.Attacker && p.Flagged);

    /// <summary>A percentile of the join latency, in milliseconds.</summary>
    public double JoinMilliseconds(double percentile)
    {
        var sorted = Phones.Where(p => p.JoinLatency is not null).Select(p => p.JoinLatency!.Value.TotalMilliseconds).Order().ToList();
        return sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percentile / 100 * sorted.Count) - 1)];
    }

    public void Print(TextWriter output)
    {
        string N(double value, string format = "0") => value.ToString(format, CultureInfo.InvariantCulture);
        output.WriteLine($"Phones: {Phones.Count} ({Phones.Count(p => p.Attacker)} of them stuffing), run in {N(Elapsed.TotalSeconds, "0.0")} s");
        output.WriteLine($"Joined: {Joined} (at most {BusiestMinute} within one minute of the show); 429 answers: {TooManyRequests}; join latency p50 {N(JoinMilliseconds(50), "0.0")} ms, "
            + $"p99 {N(JoinMilliseconds(99), "0.0")} ms, max {N(JoinMilliseconds(100), "0.0")} ms");
        output.WriteLine($"Live connections: {Connected}; votes acknowledged: {Votes}; errors: {Errors.Count}");
        foreach (var error in Errors.Distinct().Take(5))
        {
            output.WriteLine($"  error: {error}");
        }

        output.WriteLine($"Flagged clusters at the end: {Tally.Flags.Count}; the most at any moment of the show "
            + $"(tally read every {(Observations.Count > 0 ? Observations[0].At.TotalSeconds : 0):0} s): {MostClustersSeen}");
        foreach (var flag in Tally.Flags)
        {
            output.WriteLine($"  {flag.Id} {flag.Reason}, {flag.Voters} voters{(flag.Excluded ? ", excluded" : "")}: {flag.Summary}");
        }

        output.WriteLine($"Stuffing phones flagged: {AttackersFlagged} of {Attackers}; honest phones flagged (false positives): {HonestFlagged} of {Honest}");
        output.WriteLine($"{Category.Name}:");
        foreach (var row in Category.Rows)
        {
            output.WriteLine($"  #{row.Rank}  {row.Mean:0.00}  ({row.Count} votes, {row.Flagged} flagged)  {row.Title}");
        }

        var winner = Category.Rows.FirstOrDefault(r => r.EntryId == Category.Outcome.WinnerId)?.Title ?? "(tie or none)";
        var without = Category.Rows.FirstOrDefault(r => r.EntryId == Category.WinnerWithoutFlagged)?.Title ?? "(tie or none)";
        output.WriteLine($"Winner: {winner}; without the flagged votes: {without}{(Category.FlagsChangeWinner ? " (the flags change the winner)" : "")}");
    }
}
