namespace AmvScreening.Audience.Simulation;

/// <summary>A ballot a phone will send: at <see cref="At"/>, a score for the category's entry number
/// <see cref="Entry"/> (from 0, in show order).</summary>
/// <param name="Sequence">The ballot's number as the phone app makes it: its own clock in milliseconds, here counted
/// from the simulation's start (the runner adds the start's Unix time); null: the request carries no number.</param>
public sealed record PlannedBallot(TimeSpan At, int Entry, int Score, long? Sequence);

/// <summary>What one phone will do: join, open the live connection (or not), vote.</summary>
/// <param name="Attacker">Part of a stuffing attack (for the report: what was flagged that should have been).</param>
public sealed record PhoneScript(int Id, bool Attacker, TimeSpan JoinAt, TimeSpan? ConnectAt, IReadOnlyList<PlannedBallot> Ballots);

/// <summary>A simulated show: the category's timing and every phone's script, phones by join time.</summary>
public sealed record Scenario(ShowPlan Show, int ScoreMin, int ScoreMax, IReadOnlyList<PhoneScript> Phones)
{
    /// <summary>This scenario with more phones (numbered after these).</summary>
    public Scenario With(IEnumerable<PhoneScript> more) =>
        this with { Phones = Phones.Concat(more.Select((p, i) => p with { Id = Phones.Count + i })).OrderBy(p => p.JoinAt).ToList() };
}

/// <summary>Random draws shaped like human delays.</summary>
public static class Draw
{
    /// <summary>A standard normal draw (Box–Muller).</summary>
    public static double Normal(this Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>A log-normal delay: half of the draws below <paramref name="median"/>, spread by <paramref name="sigma"/>.</summary>
    public static TimeSpan LogNormal(this Random random, TimeSpan median, double sigma) => median * Math.Exp(sigma * random.Normal());

    public static TimeSpan Between(this Random random, TimeSpan min, TimeSpan max) => min + (max - min) * random.NextDouble();

    /// <summary>True with probability <paramref name="p"/>.</summary>
    public static bool Chance(this Random random, double p) => random.NextDouble() < p;
}
