using System.Diagnostics;
using System.Globalization;
using AmvScreening.Protocol;
using AmvScreening.Server.Data;
using AmvScreening.Server.Infrastructure;
using AmvScreening.Server.Voting;
using Dapper;
using Microsoft.Extensions.Options;
using static AmvScreening.Protocol.ResultsContract;

namespace AmvScreening.Server.Integrity;

/// <summary>Score → count per entry, and picks per entry, of some ballots.</summary>
public sealed record BallotCounts(IReadOnlyDictionary<int, IReadOnlyDictionary<int, int>> Scores, IReadOnlyDictionary<int, int> Picks)
{
    public static BallotCounts Of(IEnumerable<BallotRecord> ballots)
    {
        var list = ballots.ToList();
        return new BallotCounts(
            list.Where(b => b.Score is not null).GroupBy(b => b.EntryId).ToDictionary(
                g => g.Key, IReadOnlyDictionary<int, int> (g) => g.GroupBy(b => b.Score!.Value).ToDictionary(s => s.Key, s => s.Count())),
            list.Where(b => b.Score is null).GroupBy(b => b.EntryId).ToDictionary(g => g.Key, g => g.Count()));
    }

    public int ScoresOf(int entryId) => Scores.TryGetValue(entryId, out var counts) ? counts.Values.Sum() : 0;
}

/// <summary>A decision about a flagged cluster, with the voters it leaves out of the tally while it is in force (none
/// for an inclusion or an exclusion a later decision replaced).</summary>
public sealed record DecisionRecord(FlagDecision Decision, IReadOnlyList<string> Voters);

/// <summary>
/// The ballots judged as they stand: the clusters <see cref="FlagRules"/> flags now, the coordinator's decisions, and
/// for each ballot whether it is flagged (its voter is in a flagged cluster) or excluded (its voter was taken out by an
/// exclusion still in force). An excluded ballot is not counted, flagged or not.
/// </summary>
public sealed record Assessment(
    IReadOnlyList<FlaggedCluster> Clusters,
    IReadOnlyList<DecisionRecord> Decisions,
    IReadOnlyDictionary<string, VoterRecord> Voters,
    ILookup<string, BallotRecord> BallotsOf)
{
    public static Assessment None { get; } = new([], [], new Dictionary<string, VoterRecord>(), Array.Empty<BallotRecord>().ToLookup(b => b.Voter));

    /// <summary>Flagged voter → its cluster now.</summary>
    public IReadOnlyDictionary<string, FlaggedCluster> ClusterOf { get; } =
        Clusters.SelectMany(c => c.Voters.Select(v => (v, c))).ToDictionary(p => p.v, p => p.c);

    /// <summary>Per cluster, the latest decision.</summary>
    public IReadOnlyDictionary<string, DecisionRecord> Latest { get; } =
        Decisions.GroupBy(d => d.Decision.Cluster).ToDictionary(g => g.Key, g => g.MaxBy(d => d.Decision.Id)!);

    /// <summary>Excluded voter → the exclusion in force that took it out (the voters of each cluster's latest
    /// decision, when it is an exclusion).</summary>
    public IReadOnlyDictionary<string, FlagDecision> ExclusionOf { get; } = Decisions
        .SelectMany(d => d.Voters.Select(v => (v, d.Decision)))
        .GroupBy(p => p.v)
        .ToDictionary(g => g.Key, g => g.MaxBy(p => p.Decision.Id).Decision);

    /// <summary>Ballots counted although flagged.</summary>
    public BallotCounts Flagged => _flagged ??= BallotCounts.Of(ClusterOf.Keys.Where(v => !ExclusionOf.ContainsKey(v)).SelectMany(v => BallotsOf[v]));

    private BallotCounts? _flagged;
}

/// <summary>
/// Judges the ballots in open mode (docs/ballot-integrity.md): reads what the server keeps about voters and ballots,
/// runs <see cref="FlagRules"/>, and records the coordinator's decisions to exclude a flagged cluster or count it again.
/// An assessment reads every voter and ballot, so it is computed on demand and reused: while no ballot, voter or
/// decision changed (for up to <see cref="TimeRefresh"/>, since whether a phone "never opened the live connection"
/// depends on the time), and for the tally pushes, which may lag, for up to <see cref="PushLag"/> even when votes keep
/// coming. GET /api/tallies, decisions and exports read it exact.
/// </summary>
public sealed class IntegrityService
{
    public const string Exclude = "exclude";
    public const string Include = "include";

    /// <summary>How long an assessment stands while nothing changed.</summary>
    public static readonly TimeSpan TimeRefresh = TimeSpan.FromSeconds(10);

    /// <summary>How old the flags in a tally push may be while votes keep coming: a second, or twenty times what judging
    /// took last if that is more, so that judging the pushes takes about a twentieth of one core at most, however large
    /// the contest grows.</summary>
    public TimeSpan PushLag => TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerSecond, 20 * Volatile.Read(ref _lastTicks)));

    private const string SelectRecords = """
        SELECT voter AS Voter, joined_at AS JoinedAt, coalesce(address, '') AS Address, connected_at AS ConnectedAt FROM voters;
        SELECT voter AS Voter, entry_id AS EntryId, score AS Score, sequence AS Sequence, coalesce(first_at, voted_at) AS FirstAt FROM votes
        UNION ALL
        SELECT voter, entry_id, NULL, sequence, coalesce(first_at, picked_at) FROM best_in_show_picks;
        SELECT id AS Id, cluster AS Cluster, action AS Action, reason AS Reason, summary AS Summary, note AS Note,
               decided_by AS DecidedBy, decided_at AS DecidedAt,
               (SELECT COUNT(*) FROM flag_decision_voters v WHERE v.decision_id = d.id) AS Voters
        FROM flag_decisions d ORDER BY id;
        SELECT decision_id, voter FROM excluded_voters;
        """;

    private const string InsertDecision = """
        INSERT INTO flag_decisions (cluster, action, reason, summary, note, decided_by, decided_at)
        VALUES (@cluster, @action, @reason, @summary, @note, @decidedBy, @now) RETURNING id
        """;

    private const string InsertVoter = "INSERT INTO flag_decision_voters (decision_id, voter) VALUES (@id, @voter)";

    private readonly Db _db;
    private readonly TimeProvider _clock;
    private readonly FlagRules.Settings _settings;
    private readonly SemaphoreSlim _computing = new(1, 1);
    private long _version;
    private long _lastTicks;
    private Cached? _cached;

    public IntegrityService(Db db, TimeProvider clock, IOptions<AmvOptions> options, VoteWriter writer, VoterRegistry registry)
    {
        (_db, _clock) = (db, clock);
        var flags = options.Value.Flags;
        _settings = FlagRules.Settings.Default.Scaled(flags.TimeScale) with { MinVoters = flags.MinVoters };
        writer.Committed += Invalidate;
        registry.Committed += Invalidate;
    }

    /// <param name="Computed">When it was computed, in real time (the cost of recomputing is real).</param>
    private sealed record Cached(long Version, DateTimeOffset At, long Computed, Assessment Assessment)
    {
        public bool Current(long version, DateTimeOffset now) => Version == version && now >= At && now - At < TimeRefresh;

        public bool Younger(TimeSpan lag) => Stopwatch.GetElapsedTime(Computed) < lag;
    }

    /// <summary>The ballots as judged now.</summary>
    public Task<Assessment> AssessAsync(CancellationToken ct = default) => AssessAsync(TimeSpan.Zero, ct);

    /// <summary>The ballots as judged now, or up to <paramref name="lag"/> ago (real time) if they changed since.</summary>
    public async Task<Assessment> AssessAsync(TimeSpan lag, CancellationToken ct = default)
    {
        if (Reusable(Volatile.Read(ref _cached), lag) is { } cached)
        {
            return cached;
        }

        await _computing.WaitAsync(ct);
        try
        {
            // Another caller may have computed it meanwhile.
            if (Reusable(_cached, lag) is { } computed)
            {
                return computed;
            }

            var (version, now, started) = (Volatile.Read(ref _version), _clock.GetUtcNow(), Stopwatch.GetTimestamp());
            var assessment = await ComputeAsync(now, ct);
            Volatile.Write(ref _lastTicks, Stopwatch.GetElapsedTime(started).Ticks);
            Volatile.Write(ref _cached, new Cached(version, now, Stopwatch.GetTimestamp(), assessment));
            return assessment;
        }
        finally
        {
            _computing.Release();
        }
    }

    private Assessment? Reusable(Cached? cached, TimeSpan lag) =>
        cached is not null && (cached.Current(Volatile.Read(ref _version), _clock.GetUtcNow()) || cached.Younger(lag)) ? cached.Assessment : null;

    /// <summary>Records a decision; <paramref name="voters"/> are the voters an exclusion takes out.</summary>
    public async Task<FlagDecision> RecordAsync(
        string cluster, string action, string reason, string summary, string note, string decidedBy, IReadOnlyCollection<string> voters,
        CancellationToken ct = default)
    {
        var now = _clock.GetUtcNow();
        int id;
        await using (var connection = await _db.OpenAsync(ct))
        {
            await using var tx = await connection.BeginTransactionAsync(ct);
            id = await connection.ExecuteScalarAsync<int>(InsertDecision, new { cluster, action, reason, summary, note, decidedBy, now }, tx);
            await connection.ExecuteAsync(InsertVoter, voters.Select(voter => new { id, voter }), tx);
            await tx.CommitAsync(ct);
        }

        // A decision shows at once: the next assessment is computed afresh, even for the tally.
        Invalidate();
        Volatile.Write(ref _cached, null);
        return new FlagDecision(id, cluster, action, reason, summary, note, decidedBy, now, voters.Count);
    }

    /// <summary>The scopes (categories, Best In Show) whose results these ballots count in.</summary>
    public static IReadOnlySet<string> ScopesOf(IEnumerable<BallotRecord> ballots, IReadOnlyDictionary<int, EntrySummary> entries) =>
        ballots.Select(b => b.Score is null ? Scopes.BestInShow
                : entries.TryGetValue(b.EntryId, out var entry) ? Scopes.Category(entry.CategoryId) : null)
            .OfType<string>()
            .ToHashSet();

    /// <summary>The clusters for the coordinators: flagged now, and excluded ones no longer flagged (so that they can
    /// be counted again). <paramref name="revealed"/> tells whether a scope's result is out.</summary>
    public static IReadOnlyList<FlagCluster> Describe(
        Assessment assessment, IReadOnlyDictionary<int, EntrySummary> entries, int scoreMax, Func<string, bool> revealed)
    {
        FlagCluster Cluster(string id, string reason, IReadOnlyList<FlagSign> signs, string summary, IReadOnlyList<string> voters, bool flagged)
        {
            var ballots = voters.SelectMany(v => assessment.BallotsOf[v]).ToList();
            var joined = voters.Select(v => assessment.Voters.TryGetValue(v, out var r) ? r.JoinedAt : (DateTimeOffset?)null).OfType<DateTimeOffset>().ToList();
            var latest = assessment.Latest.GetValueOrDefault(id)?.Decision;
            return new FlagCluster(
                id, reason, signs, summary, voters.Count, ballots.Select(b => b.EntryId).Distinct().Order().ToList(),
                joined.Count > 0 ? joined.Min() : default, joined.Count > 0 ? joined.Max() : default,
                flagged, latest?.Action == Exclude, ScopesOf(ballots, entries).Any(revealed), latest);
        }

        var now = assessment.Clusters.Select(c => Cluster(
            c.Id, c.Shape, FlagRules.Signs.All.Where(c.Signs.ContainsKey).Select(s => new FlagSign(s, c.Signs[s])).ToList(),
            Summarize(c, entries, scoreMax), c.Voters, flagged: true));
        var flaggedIds = assessment.Clusters.Select(c => c.Id).ToHashSet();
        var excludedBefore = assessment.Latest.Values
            .Where(d => d.Decision.Action == Exclude && !flaggedIds.Contains(d.Decision.Cluster))
            .OrderBy(d => d.Decision.Id)
            .Select(d => Cluster(d.Decision.Cluster, d.Decision.Reason, [], d.Decision.Summary, d.Voters, flagged: false));
        return now.Concat(excludedBefore).ToList();
    }

    /// <summary>A cluster's reason in words, e.g. "Burst: 300 voters from one network joined within 2 s, each with
    /// the same ballot: “Blade Dance” 5/5. 300 voted within a second of joining; 300 never opened the live page."</summary>
    public static string Summarize(FlaggedCluster cluster, IReadOnlyDictionary<int, EntrySummary> entries, int scoreMax)
    {
        string Title(string id) => int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var entryId)
            && entries.TryGetValue(entryId, out var entry) ? $"“{entry.Title}”" : $"entry {id}";
        var ballots = cluster.Ballots.Split(',').Select(b => b.Split(':')).Select(p =>
            p[0] == "bis" ? $"Best In Show {Title(p[1])}" : $"{Title(p[0])} {p[1]}/{scoreMax.ToString(CultureInfo.InvariantCulture)}");
        var span = cluster.LastJoinedAt - cluster.FirstJoinedAt;
        var signs = FlagRules.Signs.All.Where(cluster.Signs.ContainsKey).Select(s => $"{cluster.Signs[s]} {SignText(s)}");
        return $"{(cluster.Shape == FlagRules.Burst ? "Burst" : "Drip")}: {cluster.Voters.Count} voters from one network joined within "
            + $"{Span(span)}, each with the same ballot{(cluster.Ballots.Contains(',') ? "s" : "")}: {string.Join(", ", ballots)}. "
            + $"{string.Join("; ", signs)}.";
    }

    /// <summary>What a sign means, after a number of voters.</summary>
    public static string SignText(string sign) => sign switch
    {
        FlagRules.Signs.Instant => "voted within a second of joining",
        FlagRules.Signs.SameSequence => "sent the very same ballot number",
        FlagRules.Signs.Lockstep => "voted after the same delay, to a quarter second",
        FlagRules.Signs.NoLive => "never opened the live page",
        _ => sign,
    };

    private static string Span(TimeSpan span) => span < TimeSpan.FromMinutes(2)
        ? $"{Math.Max(1, (int)Math.Ceiling(span.TotalSeconds)).ToString(CultureInfo.InvariantCulture)} s"
        : $"{((int)span.TotalMinutes).ToString(CultureInfo.InvariantCulture)} min {span.Seconds.ToString(CultureInfo.InvariantCulture)} s";

    private void Invalidate() => Interlocked.Increment(ref _version);

    private async Task<Assessment> ComputeAsync(DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await _db.OpenAsync(ct);
        await using var grid = await connection.QueryMultipleAsync(SelectRecords);
        var voters = (await grid.ReadAsync<VoterRow>()).Select(v => new VoterRecord(v.Voter, v.JoinedAt, v.Address, v.ConnectedAt)).ToList();
        var ballots = (await grid.ReadAsync<BallotRow>()).Select(b => new BallotRecord(b.Voter, b.EntryId, b.Score, b.Sequence, b.FirstAt)).ToList();
        var decisions = (await grid.ReadAsync<DecisionRow>()).Select(d => new FlagDecision(
            d.Id, d.Cluster, d.Action, d.Reason, d.Summary, d.Note, d.DecidedBy, d.DecidedAt, d.Voters)).ToList();
        var excluded = (await grid.ReadAsync<(long DecisionId, string Voter)>()).ToLookup(r => (int)r.DecisionId, r => r.Voter);
        return new Assessment(
            FlagRules.Evaluate(voters, ballots, now, _settings),
            decisions.Select(d => new DecisionRecord(d, excluded[d.Id].ToList())).ToList(),
            voters.ToDictionary(v => v.Voter),
            ballots.ToLookup(b => b.Voter));
    }

    private sealed class BallotRow
    {
        public string Voter { get; init; } = "";
        public int EntryId { get; init; }
        public int? Score { get; init; }
        public long Sequence { get; init; }
        public DateTimeOffset FirstAt { get; init; }
    }

    private sealed class DecisionRow
    {
        public int Id { get; init; }
        public string Cluster { get; init; } = "";
        public string Action { get; init; } = "";
        public string Reason { get; init; } = "";
        public string Summary { get; init; } = "";
        public string Note { get; init; } = "";
        public string DecidedBy { get; init; } = "";
        public DateTimeOffset DecidedAt { get; init; }
        public int Voters { get; init; }
    }

    private sealed class VoterRow
    {
        public string Voter { get; init; } = "";
        public DateTimeOffset JoinedAt { get; init; }
        public string Address { get; init; } = "";
        public DateTimeOffset? ConnectedAt { get; init; }
    }
}
