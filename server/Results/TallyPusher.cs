using AmvScreening.Server.Infrastructure;
using AmvScreening.Server.Integrity;
using AmvScreening.Server.LiveShow;
using AmvScreening.Server.Voting;

namespace AmvScreening.Server.Results;

/// <summary>Pushes the tally to the coordinators (and its turnout to the booth) when votes are committed, voting opens or closes, or results change:
/// at most twice a second however fast the votes come, and nothing while nothing changes. Its flags are judged afresh
/// at most once a second, less often in a very large contest (<see cref="IntegrityService.PushLag"/>).</summary>
public sealed class TallyPusher : IHostedService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    private readonly VoteWriter _writer;
    private readonly VotingState _voting;
    private readonly ResultsService _results;
    private readonly Coalescer _coalescer;

    public TallyPusher(
        VoteWriter writer, VotingState voting, ResultsService results, IntegrityService integrity, Broadcaster broadcaster,
        TimeProvider clock, ILogger<TallyPusher> logger)
    {
        (_writer, _voting, _results) = (writer, voting, results);
        _coalescer = new Coalescer(
            Interval,
            clock,
            async ct =>
            {
                var tally = (await results.GetAsync(integrity.PushLag, ct)).Tally;
                broadcaster.TallyChanged(tally);
                broadcaster.TurnoutChanged(ResultsService.TurnoutOf(tally));
            },
            logger);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _writer.Committed += _coalescer.Signal;
        _voting.Changed += _coalescer.Signal;
        _results.Changed += _coalescer.Signal;
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _writer.Committed -= _coalescer.Signal;
        _voting.Changed -= _coalescer.Signal;
        _results.Changed -= _coalescer.Signal;
        await _coalescer.DisposeAsync();
    }
}
