namespace AmvScreening.Audience.Simulation;

/// <summary>
/// A realistic honest hall (docs/ballot-integrity.md): every phone behind one address, joining with human delays,
/// most of them when the QR code appears on an outro, opening the live connection as the phone app does, and voting
/// on the entry on screen and on later ones with varied scores. Every figure below is an assumption about people, not
/// a measurement; they are chosen to be hard on the flag rules (many people voting the same entry at the same moment,
/// single-entry fans, phones whose live connection never works).
/// </summary>
public static class HonestHall
{
    /// <summary>Which outro's QR code a phone scans, for the phones that join on one (the rest of the weight goes to
    /// the last ones).</summary>
    private static readonly double[] OutroWeights = [0.55, 0.18, 0.10, 0.07, 0.05, 0.05];

    /// <summary>The quickest a person votes after the page appears (read, decide, tap), on top of the draw.</summary>
    public static readonly TimeSpan HumanMinimum = TimeSpan.FromSeconds(1.5);

    public static Scenario Generate(int phones, ShowPlan show, int seed, int scoreMin = 1, int scoreMax = 5)
    {
        var random = new Random(seed);
        // Each entry has its own appeal, so the room agrees more or less on a ranking.
        var appeal = Enumerable.Range(0, show.Entries).Select(_ => scoreMin + 0.25 + random.NextDouble() * (scoreMax - scoreMin - 0.5)).ToArray();
        var list = Enumerable.Range(0, phones).Select(id => Phone(id, random, show, appeal, scoreMin, scoreMax)).OrderBy(p => p.JoinAt).ToList();
        return new Scenario(show, scoreMin, scoreMax, list);
    }

    private static PhoneScript Phone(int id, Random random, ShowPlan show, double[] appeal, int scoreMin, int scoreMax)
    {
        var join = JoinTime(random, show);
        // 3.5 % of phones never get the live connection to work (a captive portal, an old browser): they still vote.
        TimeSpan? connect = random.Chance(0.965) ? join + TimeSpan.FromSeconds(0.3) + random.LogNormal(TimeSpan.FromSeconds(0.8), 0.6) : null;
        var skew = random.Between(TimeSpan.FromSeconds(-20), TimeSpan.FromSeconds(20)); // phones' clocks disagree
        var ballots = new List<(TimeSpan At, int Entry, int Score)>();
        var shown = show.ShownAt(join);
        var kind = random.NextDouble();
        if (kind < 0.03)
        {
            // A friend of one editor: votes for that entry only, top score, once it has been shown.
            var favourite = random.Next(show.Entries);
            var at = Max(join, show.OutroStart(favourite)) + Human(random);
            ballots.Add((at, favourite, scoreMax));
        }
        else
        {
            var enthusiast = kind < 0.10; // gives everything the top score
            var bias = random.Normal() * 0.5;
            int Score(int entry) => enthusiast ? scoreMax
                : Math.Clamp((int)Math.Round(appeal[entry] + bias + random.Normal() * 0.9), scoreMin, scoreMax);

            var first = join;
            if (shown >= 0 && random.Chance(0.93))
            {
                // The entry on screen when it joined: at once if its outro is up, else when the outro says "vote now".
                first = (join >= show.OutroStart(shown) ? join : Max(join, show.OutroStart(shown) - random.Between(TimeSpan.Zero, TimeSpan.FromSeconds(60))))
                    + Human(random);
                ballots.Add((first, shown, Score(shown)));
            }

            // A late joiner rates some of what it saw before joining.
            for (var earlier = 0; earlier < shown; earlier++)
            {
                if (random.Chance(0.3))
                {
                    ballots.Add((first + Human(random) + random.Between(TimeSpan.Zero, TimeSpan.FromSeconds(90)), earlier, Score(earlier)));
                }
            }

            // Then each later entry as it plays, until the phone is put away for good.
            for (var later = shown + 1; later < show.Entries && random.Chance(0.92); later++)
            {
                var at = random.Chance(0.25)
                    ? show.VideoStart(later) + random.Between(TimeSpan.FromSeconds(45), show.Video)
                    : show.OutroStart(later) + Human(random);
                ballots.Add((Max(at, join + Human(random)), later, Score(later)));
            }

            // Now and then somebody changes their mind.
            foreach (var (at, entry, score) in ballots.ToList())
            {
                if (random.Chance(0.04))
                {
                    ballots.Add((at + random.Between(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(60)), entry,
                        Math.Clamp(score + (random.Chance(0.5) ? 1 : -1), scoreMin, scoreMax)));
                }
            }
        }

        // The phone app numbers each ballot with its clock in milliseconds, always increasing.
        var planned = new List<PlannedBallot>();
        var last = long.MinValue;
        foreach (var (at, entry, score) in ballots.Where(b => b.At < show.End).OrderBy(b => b.At))
        {
            last = Math.Max(last + 1, (long)(at + skew).TotalMilliseconds);
            planned.Add(new PlannedBallot(at, entry, score, last));
        }

        return new PhoneScript(id, Attacker: false, join, connect is { } c && c < show.End ? c : null, planned);
    }

    /// <summary>When a phone joins: early from the poster (8 %), scanning an outro's QR code (72 %, mostly the first
    /// ones), or arriving late at any time (20 %).</summary>
    private static TimeSpan JoinTime(Random random, ShowPlan show)
    {
        var kind = random.NextDouble();
        if (kind < 0.08)
        {
            return random.Between(TimeSpan.Zero, show.VideoStart(0) + show.Video / 2);
        }

        if (kind < 0.80)
        {
            var weights = OutroWeights.Take(show.Entries).ToArray();
            var pick = random.NextDouble() * weights.Sum();
            var outro = 0;
            while (outro < weights.Length - 1 && pick >= weights[outro])
            {
                pick -= weights[outro++];
            }

            // Scan, open the page, wait for it on congested Wi-Fi.
            return show.OutroStart(outro) + TimeSpan.FromSeconds(2) + random.LogNormal(TimeSpan.FromSeconds(9), 0.8);
        }

        return random.Between(show.VideoStart(0), show.ShowEnd);
    }

    /// <summary>A person's delay from seeing the page to their vote arriving.</summary>
    private static TimeSpan Human(Random random) => HumanMinimum + random.LogNormal(TimeSpan.FromSeconds(4), 0.8);

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
