using AmvScreening.Protocol;
using AmvScreening.Server.Contest;
using AmvScreening.Server.Voting;

namespace AmvScreening.Server.VoterWeb;

/// <summary>Every finalist in the running (not disqualified), in show order, as phones see them. Read once and kept:
/// a whole room asks for it the moment the Best In Show ballot opens. Forgotten whenever the voting state changes
/// (which includes a re-import and a disqualification's reload).</summary>
public sealed class Finalists
{
    private readonly ContestStore _contest;
    private readonly Lock _gate = new();
    private Task<IReadOnlyList<EntrySummary>>? _list;

    public Finalists(ContestStore contest, VotingState voting)
    {
        _contest = contest;
        // Raised after every change is in the database: a list read before it is dropped, the next one reads anew.
        voting.Changed += () =>
        {
            lock (_gate)
            {
                _list = null;
            }
        };
    }

    public Task<IReadOnlyList<EntrySummary>> GetAsync(CancellationToken ct = default)
    {
        Task<IReadOnlyList<EntrySummary>> list;
        lock (_gate)
        {
            if (_list is null || _list.IsFaulted || _list.IsCanceled)
            {
                _list = LoadAsync();
            }

            list = _list;
        }

        return list.WaitAsync(ct);
    }

    private async Task<IReadOnlyList<EntrySummary>> LoadAsync()
    {
        var view = await _contest.GetAsync();
        var summaries = view.Summaries();
        return view.Entries.Where(e => !e.Disqualified).Select(e => summaries[e.Id]).ToList();
    }
}
