using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AmvScreening.Server.Integrity;

/// <summary>What the rules read about one voter: when it joined, a keyed hash of its network address, and when its
/// phone first opened the live connection (null: never).</summary>
public sealed record VoterRecord(string Voter, DateTimeOffset JoinedAt, string Address, DateTimeOffset? ConnectedAt);

/// <summary>One ballot: a score for an entry, or (<see cref="Score"/> null) a Best In Show pick.</summary>
/// <param name="Sequence">The phone's own number for the ballot (the phone app numbers ballots by its clock).</param>
/// <param name="FirstAt">When the voter first cast this ballot (a re-vote keeps it).</param>
public sealed record BallotRecord(string Voter, int EntryId, int? Score, long Sequence, DateTimeOffset FirstAt);

/// <summary>A group of voters the rules flag: one network, the very same ballots, and signs of a script.</summary>
/// <param name="Id">Stable for the same network and ballots, so a decision about it keeps naming it.</param>
/// <param name="Shape"><see cref="FlagRules.Burst"/> (joined within <see cref="FlagRules.Settings.BurstSpan"/>) or
/// <see cref="FlagRules.Drip"/>.</param>
/// <param name="Ballots">The ballots every voter of the cluster cast, e.g. <c>12:5</c> or <c>12:5,13:1</c> or
/// <c>bis:12</c>.</param>
/// <param name="Signs">Sign (<see cref="FlagRules.Signs"/>) → how many of the cluster's voters show it; only the signs
/// that qualified.</param>
/// <param name="Voters">The flagged voters, by join time.</param>
/// <param name="GroupSize">Voters of that network with the very same ballots (flagged or not).</param>
public sealed record FlaggedCluster(
    string Id,
    string Shape,
    string Address,
    string Ballots,
    IReadOnlyDictionary<string, int> Signs,
    IReadOnlyList<string> Voters,
    int GroupSize,
    DateTimeOffset FirstJoinedAt,
    DateTimeOffset LastJoinedAt);

/// <summary>
/// The rules that flag stuffed ballots in open mode (docs/ballot-integrity.md), as one pure function of what the server
/// records. A whole hall shares one address and votes for the entry on screen at the same moment, so neither the
/// address nor the timing alone means anything. The rules look instead for many voters that behave identically and
/// like a program:
/// <list type="number">
/// <item>Group the voters by network (address hash) and by their exact ballots (the same entries with the same scores,
/// the same Best In Show pick). Honest people who vote several entries rarely match exactly; people who voted one entry
/// so far do, and a stuffing script does by construction.</item>
/// <item>In each group, look for signs of a program: <see cref="Signs.Instant"/> (the first ballot less than a second
/// after joining: a person needs the page to load, to read and to tap), <see cref="Signs.SameSequence"/> (the phone app
/// numbers each ballot with its own clock in milliseconds, so real phones practically never share a number),
/// <see cref="Signs.Lockstep"/> (the same join-to-ballot delay to within a quarter second) and
/// <see cref="Signs.NoLive"/> (the phone app opens the live connection right after joining; a script usually does
/// not). A sign counts when at least <see cref="Settings.MinVoters"/> voters of the group show it, and for the signs an
/// honest phone can show too (no live connection, lockstep), when they are at least <see cref="Settings.Share"/> of
/// the group.</item>
/// <item>The voters that show a sign that counts form the flagged cluster. When a sign no phone app shows counts
/// (<see cref="Signs.Instant"/>, <see cref="Signs.SameSequence"/>), only the voters that show such a sign do: an honest
/// phone that cast the same ballot and never opened the live connection is not swept in with a script.</item>
/// </list>
/// </summary>
public static class FlagRules
{
    /// <summary>Joined within <see cref="Settings.BurstSpan"/>.</summary>
    public const string Burst = "burst";

    /// <summary>Joined over a longer time.</summary>
    public const string Drip = "drip";

    /// <summary>The signs of a program.</summary>
    public static class Signs
    {
        /// <summary>The first ballot came less than <see cref="Settings.Instant"/> after joining.</summary>
        public const string Instant = "instant";

        /// <summary>Many ballots carry the very same sequence number.</summary>
        public const string SameSequence = "same-sequence";

        /// <summary>The same join-to-ballot delay, within <see cref="Settings.LockstepBand"/>.</summary>
        public const string Lockstep = "lockstep";

        /// <summary>Never opened the live connection, <see cref="Settings.LiveGrace"/> after joining.</summary>
        public const string NoLive = "no-live";

        public static IReadOnlyList<string> All { get; } = [Instant, SameSequence, Lockstep, NoLive];

        /// <summary>The signs no phone running the phone app shows.</summary>
        public static IReadOnlyList<string> Strong { get; } = [Instant, SameSequence];
    }

    /// <param name="MinVoters">The fewest voters that make a cluster (and that must show a sign for it to count).</param>
    /// <param name="Share">The least share of its group a sign that honest phones can show must reach.</param>
    /// <param name="Instant">A first ballot sooner than this after joining is no person's.</param>
    /// <param name="LockstepBand">Join-to-ballot delays within this band are "the same".</param>
    /// <param name="LiveGrace">How long a phone has to open the live connection before it counts as never opened.</param>
    /// <param name="BurstSpan">A cluster that joined within this is a burst, otherwise a drip.</param>
    public sealed record Settings(
        int MinVoters,
        double Share,
        TimeSpan Instant,
        TimeSpan LockstepBand,
        TimeSpan LiveGrace,
        TimeSpan BurstSpan)
    {
        public static Settings Default { get; } = new(
            MinVoters: 10,
            Share: 0.2,
            Instant: TimeSpan.FromSeconds(1),
            LockstepBand: TimeSpan.FromMilliseconds(250),
            LiveGrace: TimeSpan.FromMinutes(2),
            BurstSpan: TimeSpan.FromMinutes(2));

        /// <summary>The same rules for a simulation whose time runs <paramref name="timeScale"/> times faster.</summary>
        public Settings Scaled(double timeScale) => timeScale == 1 ? this : this with
        {
            Instant = Instant / timeScale,
            LockstepBand = LockstepBand / timeScale,
            LiveGrace = LiveGrace / timeScale,
            BurstSpan = BurstSpan / timeScale,
        };
    }

    /// <summary>The flagged clusters among <paramref name="voters"/> and their <paramref name="ballots"/>, as things
    /// stand at <paramref name="now"/>, by first join. Ballots of voters not in <paramref name="voters"/> (nothing known
    /// about how they joined) are not judged.</summary>
    public static IReadOnlyList<FlaggedCluster> Evaluate(
        IReadOnlyList<VoterRecord> voters, IReadOnlyList<BallotRecord> ballots, DateTimeOffset now, Settings? settings = null)
    {
        settings ??= Settings.Default;
        // Plain loops: this runs over every ballot of the contest, up to twice a second.
        var byVoter = new Dictionary<string, List<BallotRecord>>(voters.Count, StringComparer.Ordinal);
        foreach (var ballot in ballots)
        {
            if (!byVoter.TryGetValue(ballot.Voter, out var list))
            {
                byVoter[ballot.Voter] = list = new List<BallotRecord>(4);
            }

            list.Add(ballot);
        }

        var groups = new Dictionary<(string Address, string Ballots), List<Judged>>();
        foreach (var voter in voters)
        {
            if (byVoter.TryGetValue(voter.Voter, out var cast))
            {
                var judged = Judged.Of(voter, cast);
                if (!groups.TryGetValue((voter.Address, judged.Ballots), out var group))
                {
                    groups[(voter.Address, judged.Ballots)] = group = [];
                }

                group.Add(judged);
            }
        }

        var clusters = new List<FlaggedCluster>();
        foreach (var group in groups.Where(g => g.Value.Count >= settings.MinVoters))
        {
            var members = group.Value.OrderBy(j => j.Voter.JoinedAt).ThenBy(j => j.Voter.Voter, StringComparer.Ordinal).ToList();
            var signs = SignsOf(members, now, settings);
            var strong = signs.Where(s => Signs.Strong.Contains(s.Key)).Select(s => s.Value).ToList();
            var evidence = strong.Count > 0 ? strong : signs.Values.ToList();
            var flagged = members.Where(m => evidence.Any(s => s.Contains(m))).ToList();
            if (flagged.Count < settings.MinVoters)
            {
                continue;
            }

            var (first, last) = (flagged[0].Voter.JoinedAt, flagged[^1].Voter.JoinedAt);
            clusters.Add(new FlaggedCluster(
                ClusterId(group.Key.Address, group.Key.Ballots),
                last - first <= settings.BurstSpan ? Burst : Drip,
                group.Key.Address,
                group.Key.Ballots,
                signs.Select(s => (s.Key, Count: flagged.Count(s.Value.Contains))).Where(s => s.Count > 0).ToDictionary(s => s.Key, s => s.Count),
                flagged.Select(m => m.Voter.Voter).ToList(),
                members.Count,
                first,
                last));
        }

        return clusters.OrderBy(c => c.FirstJoinedAt).ThenBy(c => c.Id, StringComparer.Ordinal).ToList();
    }

    /// <summary>A cluster's id: a short hash of its network and ballots.</summary>
    public static string ClusterId(string address, string ballots) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{address}\n{ballots}")))[..12];

    /// <summary>A voter's ballots in one canonical text: <c>entry:score</c> for each score in entry order, then
    /// <c>bis:entry</c> for a Best In Show pick.</summary>
    public static string BallotsKey(IReadOnlyList<BallotRecord> ballots)
    {
        if (ballots.Count == 1)
        {
            return Key(ballots[0]);
        }

        var sorted = ballots.ToArray();
        Array.Sort(sorted, static (a, b) => a.Score is null != b.Score is null ? (a.Score is null ? 1 : -1) : a.EntryId.CompareTo(b.EntryId));
        return string.Join(',', sorted.Select(Key));
    }

    private static string Key(BallotRecord ballot) => ballot.Score is { } score
        ? string.Concat(ballot.EntryId.ToString(CultureInfo.InvariantCulture), ":", score.ToString(CultureInfo.InvariantCulture))
        : string.Concat("bis:", ballot.EntryId.ToString(CultureInfo.InvariantCulture));

    /// <summary>Each sign that counts in this group, with the members that show it.</summary>
    private static Dictionary<string, HashSet<Judged>> SignsOf(IReadOnlyList<Judged> members, DateTimeOffset now, Settings settings)
    {
        var found = new Dictionary<string, HashSet<Judged>>();
        void Count(string sign, IEnumerable<Judged> showing, int eligible, double share)
        {
            var set = showing.ToHashSet();
            if (set.Count >= settings.MinVoters && set.Count >= share * eligible)
            {
                found[sign] = set;
            }
        }

        Count(Signs.Instant, members.Where(m => m.Delay < settings.Instant), members.Count, 0);
        Count(Signs.SameSequence, members.GroupBy(m => m.FirstSequence).MaxBy(g => g.Count())!, members.Count, 0);
        Count(Signs.Lockstep, DensestBand(members, settings.LockstepBand), members.Count, settings.Share);
        var settled = members.Where(m => now - m.Voter.JoinedAt >= settings.LiveGrace).ToList();
        Count(Signs.NoLive, settled.Where(m => m.Voter.ConnectedAt is null), settled.Count, settings.Share);
        return found;
    }

    /// <summary>The most members whose join-to-ballot delays fit in one band of width <paramref name="band"/>.</summary>
    private static IEnumerable<Judged> DensestBand(IReadOnlyList<Judged> members, TimeSpan band)
    {
        var sorted = members.OrderBy(m => m.Delay).ToList();
        var (bestStart, bestCount, start) = (0, 0, 0);
        for (var end = 0; end < sorted.Count; end++)
        {
            while (sorted[end].Delay - sorted[start].Delay > band)
            {
                start++;
            }

            if (end - start + 1 > bestCount)
            {
                (bestStart, bestCount) = (start, end - start + 1);
            }
        }

        return sorted.Skip(bestStart).Take(bestCount);
    }

    /// <summary>A voter with what the rules derive from its ballots (compared by reference: one per voter).</summary>
    private sealed class Judged(VoterRecord voter, string ballots, TimeSpan delay, long firstSequence)
    {
        public VoterRecord Voter => voter;
        public string Ballots => ballots;
        public TimeSpan Delay => delay;
        public long FirstSequence => firstSequence;

        public static Judged Of(VoterRecord voter, IReadOnlyList<BallotRecord> ballots)
        {
            var first = ballots[0];
            for (var i = 1; i < ballots.Count; i++)
            {
                first = ballots[i].FirstAt < first.FirstAt ? ballots[i] : first;
            }

            return new Judged(voter, BallotsKey(ballots), first.FirstAt - voter.JoinedAt, first.Sequence);
        }
    }
}
