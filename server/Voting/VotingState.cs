using AmvScreening.Protocol;
using AmvScreening.Server.Contest;
using AmvScreening.Server.Data;
using AmvScreening.Server.LiveShow;
using Dapper;

namespace AmvScreening.Server.Voting;

/// <summary>
/// Which entries take votes. An entry opens the first time its video starts and stays open until its category
/// closes: by the coordinator, or by itself a configured number of minutes after the category's last outro. The
/// coordinator may also open a whole category by hand. Held in memory for the vote path, written to the database
/// before it is announced. Every change, and every batch of votes the <see cref="VoteWriter"/> commits
/// (<see cref="WhileUnchangedAsync{T}"/>), holds one lock, so once a close has returned no vote for that category is
/// committed. Each change that phones can see is numbered (<see cref="VotingSnapshot.Version"/>) and queued for them as a
/// <see cref="VotingChange"/> while the lock is held, so they hear the changes in order; the pushing itself happens
/// outside (<see cref="Broadcaster"/>).
/// </summary>
public sealed class VotingState(
    Db db, ContestStore contest, Broadcaster broadcaster, TimeProvider clock, ILogger<VotingState> logger)
{
    private const string UpsertCategory = """
        INSERT INTO category_voting (category_id, mode, closes_at, changed_at) VALUES (@categoryId, @mode, @closesAt, @now)
        ON CONFLICT (category_id) DO UPDATE SET mode = excluded.mode, closes_at = excluded.closes_at, changed_at = excluded.changed_at
        """;

    private const string UpsertBallot = """
        INSERT INTO best_in_show_ballot (id, state, changed_at) VALUES (1, @state, @now)
        ON CONFLICT (id) DO UPDATE SET state = excluded.state, changed_at = excluded.changed_at
        """;

    /// <summary>Serializes changes of the windows with the commits of votes.</summary>
    private readonly SemaphoreSlim _gate = new(1, 1);

    // The state and its version change together, in one assignment: a snapshot read at any moment is the state of its
    // version. Versions start from the clock (milliseconds), so after a server restart they are above every version
    // phones may still hold from before.
    private Model _model = Model.Empty with { Version = clock.GetUtcNow().ToUnixTimeMilliseconds() };

    /// <summary>Raised after every change of the windows, the ballot or the loaded contest (tallies show the status).</summary>
    public event Action? Changed;

    public enum Mode { Auto, Open, Closed }

    /// <summary>Why a vote is refused, or <see cref="None"/>.</summary>
    public enum Refusal { None, UnknownEntry, NotOpenYet, Closed, Disqualified, BallotNotOpen, OutOfScale }

    /// <summary>Loads the contest's entries and the windows; call at start-up and after the contest is replaced.</summary>
    public async Task LoadAsync(CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var view = await contest.GetAsync(ct);
            await using var connection = await db.OpenAsync(ct);
            var opened = (await connection.QueryAsync<int>("SELECT entry_id FROM entry_windows")).ToHashSet();
            var windows = (await connection.QueryAsync<CategoryRow>(
                    "SELECT category_id AS CategoryId, mode AS Mode, closes_at AS ClosesAt FROM category_voting"))
                .ToDictionary(r => r.CategoryId, r => new CategoryWindow(Enum.Parse<Mode>(r.Mode, ignoreCase: true), r.ClosesAt));
            var ballot = await connection.QuerySingleOrDefaultAsync<string>("SELECT state FROM best_in_show_ballot WHERE id = 1");
            Publish(
                new Model(
                    view.Entries.ToDictionary(e => e.Id),
                    view.Summaries(),
                    view.Categories,
                    opened,
                    windows,
                    ballot is null ? BallotStatus.NotOpen : ParseBallot(ballot),
                    view.Contest.Voting,
                    _model.Version,
                    view.Contest.Name),
                model => VotingChange.Reset(SnapshotOf(model)));
        }
        finally
        {
            _gate.Release();
        }
    }

    public int ScoreMin => _model.Voting.ScoreMin;

    public int ScoreMax => _model.Voting.ScoreMax;

    /// <summary>Only phones that joined with a ballot card vote.</summary>
    public bool RequireCards => _model.Voting.RequireCards;

    /// <summary>Whether a score for <paramref name="entryId"/> may be recorded now. Call inside <see cref="WhileUnchangedAsync{T}"/>.</summary>
    public Refusal CheckScore(int entryId, int score)
    {
        var model = _model;
        if (score < model.Voting.ScoreMin || score > model.Voting.ScoreMax)
        {
            return Refusal.OutOfScale;
        }

        if (!model.Entries.TryGetValue(entryId, out var entry))
        {
            return Refusal.UnknownEntry;
        }

        if (entry.Disqualified)
        {
            return Refusal.Disqualified;
        }

        return StatusOf(model, entry.CategoryId) switch
        {
            CategoryVotingStatus.Closed => Refusal.Closed,
            CategoryVotingStatus.Open => Refusal.None,
            _ => model.Opened.Contains(entryId) ? Refusal.None : Refusal.NotOpenYet,
        };
    }

    /// <summary>Whether a Best In Show pick of <paramref name="entryId"/> may be recorded now. Call inside <see cref="WhileUnchangedAsync{T}"/>.</summary>
    public Refusal CheckPick(int entryId)
    {
        var model = _model;
        if (model.Ballot != BallotStatus.Open || model.Voting.BestInShowMethod != VotingSettings.Ballot)
        {
            return Refusal.BallotNotOpen;
        }

        return !model.Entries.TryGetValue(entryId, out var entry) ? Refusal.UnknownEntry
            : entry.Disqualified ? Refusal.Disqualified
            : Refusal.None;
    }

    /// <summary>Runs <paramref name="work"/> while the windows and the ballot cannot change: what it checks
    /// (<see cref="CheckScore"/>, <see cref="CheckPick"/>) holds until it returns. The vote writer commits each batch so.</summary>
    public async Task<T> WhileUnchangedAsync<T>(Func<Task<T>> work, CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            return await work();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The player reported a phase: a video start opens its entry; the last outro of a category starts the
    /// auto-close countdown when the contest sets one.</summary>
    public async Task OnShowChangedAsync(ShowState show, CancellationToken ct = default)
    {
        if (show.Entry is not { } shown || !_model.Entries.ContainsKey(shown.Id))
        {
            return;
        }

        await _gate.WaitAsync(ct);
        try
        {
            var model = _model;
            var now = clock.GetUtcNow();
            await using var connection = await db.OpenAsync(ct);
            if (show.Phase == ShowPhase.Video && !model.Opened.Contains(shown.Id))
            {
                await connection.ExecuteAsync(
                    "INSERT INTO entry_windows (entry_id, opened_at) VALUES (@id, @now) ON CONFLICT DO NOTHING", new { id = shown.Id, now });
                logger.LogInformation("Voting opened for entry {Entry} ({Title})", shown.Id, shown.Title);
                // Phones see it only where the category opens its entries as they play (an open category shows all
                // its entries already, a closed one none).
                Publish(model with { Opened = new HashSet<int>(model.Opened) { shown.Id } }, next =>
                    CategoryOf(next, shown.CategoryId) is { Status: CategoryVotingStatus.Pending } category
                    && category.VotableEntries.ToList().FindIndex(e => e.Id == shown.Id) is var index and >= 0
                        ? VotingChange.EntryOpened(next.Version, shown.CategoryId, index, category.VotableEntries[index])
                        : null);
            }

            var window = _model.Window(shown.CategoryId);
            if (show.Phase == ShowPhase.OutroSlate && model.Voting.AutoCloseMinutes is { } minutes && window.ClosesAt is null
                && window.Mode != Mode.Closed && IsLastOfCategory(_model, shown.Id))
            {
                var closesAt = (show.StartedAt ?? now).AddSeconds(show.DurationSeconds ?? 0).AddMinutes(minutes);
                await SetWindowAsync(connection, shown.CategoryId, window with { ClosesAt = closesAt }, now);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Coordinator: open a category by hand (all its entries), close it, or return it to opening entries as they play.</summary>
    public async Task<bool> SetCategoryAsync(int categoryId, Mode mode, CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (_model.Categories.All(c => c.Id != categoryId))
            {
                return false;
            }

            await using var connection = await db.OpenAsync(ct);
            await SetWindowAsync(connection, categoryId, new CategoryWindow(mode, null), clock.GetUtcNow());
        }
        finally
        {
            _gate.Release();
        }

        return true;
    }

    /// <summary>Closes the categories whose auto-close time has passed (the vote path already refuses them; this makes it
    /// permanent and tells the phones). Runs every second in <see cref="AutoCloser"/>.</summary>
    public async Task CloseDueCategoriesAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var due = _model.Windows.Where(w => w.Value.Mode != Mode.Closed && w.Value.ClosesAt <= now).Select(w => w.Key).ToList();
        foreach (var categoryId in due)
        {
            logger.LogInformation("Voting closed by itself for category {Category}", categoryId);
            await SetCategoryAsync(categoryId, Mode.Closed, ct);
        }
    }

    public async Task SetBallotAsync(BallotStatus status, CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            await using var connection = await db.OpenAsync(ct);
            await connection.ExecuteAsync(UpsertBallot, new { state = BallotName(status), now = clock.GetUtcNow() });
            Publish(_model with { Ballot = status }, next => VotingChange.BestInShowChanged(next.Version, status));
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>What takes votes now, with its version (GET /api/voting).</summary>
    public VotingSnapshot Snapshot() => SnapshotOf(_model);

    private VotingSnapshot SnapshotOf(Model model) => new(
        model.Voting.ScoreMin, model.Voting.ScoreMax, model.Voting.BestInShowMethod, model.Ballot,
        model.Categories.Select(c => CategoryOf(model, c.Id)!).ToList(), model.Voting.RequireCards, model.Version,
        model.ContestName.Length > 0 ? model.ContestName : null);

    private CategoryVoting? CategoryOf(Model model, int categoryId)
    {
        if (model.Categories.FirstOrDefault(c => c.Id == categoryId) is not { } category)
        {
            return null;
        }

        var status = StatusOf(model, categoryId);
        var votable = status == CategoryVotingStatus.Closed
            ? []
            : model.Entries.Values
                .Where(e => e.CategoryId == categoryId && !e.Disqualified && (status == CategoryVotingStatus.Open || model.Opened.Contains(e.Id)))
                .Select(e => model.Summaries[e.Id])
                .ToList();
        return new CategoryVoting(categoryId, category.Name, status, model.Window(categoryId).ClosesAt, votable);
    }

    /// <summary>Whether the category takes no more votes (closed by hand or by its timer).</summary>
    public bool IsClosed(int categoryId) => StatusOf(_model, categoryId) == CategoryVotingStatus.Closed;

    private CategoryVotingStatus StatusOf(Model model, int categoryId)
    {
        var window = model.Window(categoryId);
        return window.Mode == Mode.Closed || window.ClosesAt <= clock.GetUtcNow() ? CategoryVotingStatus.Closed
            : window.Mode == Mode.Open ? CategoryVotingStatus.Open
            : CategoryVotingStatus.Pending;
    }

    private async Task SetWindowAsync(System.Data.IDbConnection connection, int categoryId, CategoryWindow window, DateTimeOffset now)
    {
        await connection.ExecuteAsync(UpsertCategory, new { categoryId, mode = window.Mode.ToString().ToLowerInvariant(), closesAt = window.ClosesAt, now });
        Publish(_model with { Windows = new Dictionary<int, CategoryWindow>(_model.Windows) { [categoryId] = window } },
            next => VotingChange.CategoryChanged(next.Version, CategoryOf(next, categoryId)!));
    }

    private static bool IsLastOfCategory(Model model, int entryId)
    {
        var entry = model.Entries[entryId];
        return model.Entries.Values.Where(e => e.CategoryId == entry.CategoryId && !e.Disqualified).Max(e => e.Position) == entry.Position;
    }

    /// <summary>Makes <paramref name="next"/> the state. When <paramref name="change"/> says what phones see of it (null:
    /// nothing), it takes the next version and the change is queued for them. Called while holding the lock, so the
    /// pushes keep the order of the versions.</summary>
    private void Publish(Model next, Func<Model, VotingChange?> change)
    {
        var numbered = next with { Version = _model.Version + 1 };
        if (change(numbered) is { } pushed)
        {
            _model = numbered;
            broadcaster.VotingChanged(pushed);
        }
        else
        {
            _model = next with { Version = _model.Version };
        }

        Changed?.Invoke();
    }

    private static BallotStatus ParseBallot(string state) => state switch
    {
        "open" => BallotStatus.Open,
        "closed" => BallotStatus.Closed,
        _ => BallotStatus.NotOpen,
    };

    private static string BallotName(BallotStatus status) => status switch
    {
        BallotStatus.Open => "open",
        BallotStatus.Closed => "closed",
        _ => "not-open",
    };

    /// <summary>Applies the categories' auto-close times.</summary>
    public sealed class AutoCloser(VotingState voting, TimeProvider clock) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), clock);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await voting.CloseDueCategoriesAsync(stoppingToken);
            }
        }
    }

    private sealed record CategoryWindow(Mode Mode, DateTimeOffset? ClosesAt);

    private sealed record Model(
        IReadOnlyDictionary<int, Entry> Entries,
        IReadOnlyDictionary<int, EntrySummary> Summaries,
        IReadOnlyList<Category> Categories,
        IReadOnlySet<int> Opened,
        IReadOnlyDictionary<int, CategoryWindow> Windows,
        BallotStatus Ballot,
        VotingSettings Voting,
        long Version,
        string ContestName = "")
    {
        public static Model Empty { get; } = new(
            new Dictionary<int, Entry>(), new Dictionary<int, EntrySummary>(), [], new HashSet<int>(),
            new Dictionary<int, CategoryWindow>(), BallotStatus.NotOpen, new VotingSettings(), 0);

        public CategoryWindow Window(int categoryId) => Windows.GetValueOrDefault(categoryId) ?? new CategoryWindow(Mode.Auto, null);
    }

    private sealed class CategoryRow
    {
        public int CategoryId { get; init; }
        public string Mode { get; init; } = "";
        public DateTimeOffset? ClosesAt { get; init; }
    }
}
