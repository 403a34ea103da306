namespace AmvScreening.Audience.Simulation;

/// <summary>How a stuffing script behaves: whether each of its voters opens the live connection like the phone app,
/// how long it waits between joining and voting, and whether it numbers its ballots like the phone app (by a clock in
/// milliseconds) or not at all.</summary>
public sealed record AttackStyle(bool Connect, TimeSpan MinDelay, TimeSpan MaxDelay, bool Sequence)
{
    /// <summary>A plain script: no live connection, votes at once, no ballot numbers.</summary>
    public static AttackStyle Script { get; } = new(false, TimeSpan.Zero, TimeSpan.FromMilliseconds(50), false);
}

/// <summary>Stuffing attacks from one laptop in the room (docs/ballot-integrity.md): each attacker voter is a new voter
/// token that gives one entry the top score and votes nothing else.</summary>
public static class Stuffing
{
    /// <summary>A burst: <paramref name="voters"/> tokens minted within <paramref name="within"/> from
    /// <paramref name="at"/>, each voting for <paramref name="entry"/> at once.</summary>
    public static IEnumerable<PhoneScript> Burst(int voters, TimeSpan at, TimeSpan within, int entry, int score, AttackStyle style, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, voters).Select(i => Voter(random, at + within * i / Math.Max(1, voters), entry, score, style));
    }

    /// <summary>A slow drip: a new voter every <paramref name="interval"/> (± <paramref name="jitter"/> of it) for
    /// <paramref name="duration"/> from <paramref name="start"/>, each voting for <paramref name="entry"/> only.</summary>
    public static IEnumerable<PhoneScript> Drip(
        TimeSpan start, TimeSpan duration, TimeSpan interval, double jitter, int entry, int score, AttackStyle style, int seed)
    {
        var random = new Random(seed);
        for (var at = start; at < start + duration; at += interval * (1 + jitter * (2 * random.NextDouble() - 1)))
        {
            yield return Voter(random, at, entry, score, style);
        }
    }

    private static PhoneScript Voter(Random random, TimeSpan join, int entry, int score, AttackStyle style)
    {
        var vote = join + random.Between(style.MinDelay, style.MaxDelay);
        TimeSpan? connect = style.Connect ? join + TimeSpan.FromMilliseconds(300) : null;
        long? sequence = style.Sequence ? (long)vote.TotalMilliseconds : null;
        return new PhoneScript(0, Attacker: true, join, connect, [new PlannedBallot(vote, entry, score, sequence)]);
    }
}
