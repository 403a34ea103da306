using System.Text.Json.Serialization;

namespace AmvScreening.Protocol;

/// <summary>What one <see cref="VotingChange"/> says (docs/protocol.md, "Voting changes").</summary>
[JsonConverter(typeof(JsonStringEnumConverter<VotingChangeKind>))]
public enum VotingChangeKind
{
    /// <summary>An entry's video started in a category that opens its entries as they play: <see cref="VotingChange.Entry"/>
    /// joins the category's <c>votableEntries</c> at <see cref="VotingChange.Index"/>.</summary>
    EntryOpened,

    /// <summary>A category opened, closed, went back to opening its entries as they play, or its auto-close timer started:
    /// <see cref="VotingChange.Category"/> replaces the category of the same id.</summary>
    CategoryChanged,

    /// <summary>The Best In Show ballot opened or closed: <see cref="VotingChange.BestInShow"/>.</summary>
    BestInShowChanged,

    /// <summary>The contest was imported again or edited: <see cref="VotingChange.Snapshot"/> replaces everything.</summary>
    Reset,
}

/// <summary>
/// One change of what takes votes (server → everyone, <see cref="IShowClient.VotingChanged"/>), numbered: the state after
/// it is <see cref="VotingSnapshot.Version"/> <paramref name="Version"/>, and it applies to the state of version
/// <c><paramref name="Version"/> - 1</c> only. A client that holds another version (it missed a push) fetches the snapshot
/// (<c>GET /api/voting</c>) instead; <see cref="VotingFollower"/> does that for .NET clients. Only the fields of its
/// <paramref name="Kind"/> are sent.
/// </summary>
public sealed record VotingChange(
    long Version,
    VotingChangeKind Kind,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? CategoryId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Index = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] EntrySummary? Entry = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] CategoryVoting? Category = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] BallotStatus? BestInShow = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] VotingSnapshot? Snapshot = null)
{
    public static VotingChange EntryOpened(long version, int categoryId, int index, EntrySummary entry) =>
        new(version, VotingChangeKind.EntryOpened, CategoryId: categoryId, Index: index, Entry: entry);

    public static VotingChange CategoryChanged(long version, CategoryVoting category) =>
        new(version, VotingChangeKind.CategoryChanged, Category: category);

    public static VotingChange BestInShowChanged(long version, BallotStatus status) =>
        new(version, VotingChangeKind.BestInShowChanged, BestInShow: status);

    public static VotingChange Reset(VotingSnapshot snapshot) => new(snapshot.Version, VotingChangeKind.Reset, Snapshot: snapshot);

    /// <summary>The state after this change, from the state just before it (version <c>Version - 1</c>); null when it
    /// cannot be applied there (another version, a category or a field it needs is missing): fetch the snapshot.</summary>
    public VotingSnapshot? ApplyTo(VotingSnapshot before)
    {
        if (Kind == VotingChangeKind.Reset)
        {
            return Snapshot;
        }

        if (before.Version != Version - 1)
        {
            return null;
        }

        var after = Kind switch
        {
            VotingChangeKind.EntryOpened when Entry is not null && Index is { } index =>
                Replace(before, CategoryId, c => index >= 0 && index <= c.VotableEntries.Count
                    ? c with { VotableEntries = [.. c.VotableEntries.Take(index), Entry, .. c.VotableEntries.Skip(index)] }
                    : null),
            VotingChangeKind.CategoryChanged when Category is not null => Replace(before, Category.CategoryId, _ => Category),
            VotingChangeKind.BestInShowChanged when BestInShow is { } status => before with { BestInShow = status },
            _ => null,
        };
        return after is null ? null : after with { Version = Version };
    }

    private static VotingSnapshot? Replace(VotingSnapshot voting, int? categoryId, Func<CategoryVoting, CategoryVoting?> change)
    {
        var at = voting.Categories.ToList().FindIndex(c => c.CategoryId == categoryId);
        if (at < 0 || change(voting.Categories[at]) is not { } changed)
        {
            return null;
        }

        return voting with { Categories = [.. voting.Categories.Take(at), changed, .. voting.Categories.Skip(at + 1)] };
    }
}

/// <summary>
/// What takes votes, as a .NET client follows it: the snapshot it fetched, then each <see cref="VotingChange"/> pushed
/// applied in order. A change that does not follow the version held (a push was missed, or none is held yet) makes it
/// fetch the snapshot again, with <c>fetch</c> (<c>GET /api/voting</c>).
/// </summary>
public sealed class VotingFollower(Func<CancellationToken, Task<VotingSnapshot>> fetch)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>The state held (null before the first fetch).</summary>
    public VotingSnapshot? Current { get; private set; }

    /// <summary>How many times it fetched the snapshot.</summary>
    public int Fetches { get; private set; }

    /// <summary>Raised with each new state, in order.</summary>
    public event Action<VotingSnapshot>? Changed;

    /// <summary>Fetches the snapshot (after connecting, and after each reconnect: pushes may have been missed).</summary>
    public async Task SyncAsync(CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            await FetchAsync(ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A pushed change: applied when it follows the version held, ignored when already held, else the snapshot
    /// is fetched.</summary>
    public async Task TakeAsync(VotingChange change, CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (Current is { } held && change.Kind != VotingChangeKind.Reset && change.Version <= held.Version)
            {
                return;
            }

            if ((Current is null ? change.Snapshot : change.ApplyTo(Current)) is { } next)
            {
                Set(next);
            }
            else
            {
                await FetchAsync(ct);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task FetchAsync(CancellationToken ct)
    {
        Fetches++;
        Set(await fetch(ct));
    }

    private void Set(VotingSnapshot next)
    {
        Current = next;
        Changed?.Invoke(next);
    }
}
