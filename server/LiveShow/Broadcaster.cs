using System.Threading.Channels;
using AmvScreening.Protocol;
using Microsoft.AspNetCore.SignalR;
using static AmvScreening.Protocol.ShowHubContract;

namespace AmvScreening.Server.LiveShow;

/// <summary>
/// Every push of the show hub goes through here: one method per push, each deciding its audience (docs/protocol.md,
/// "Client methods"). A method only queues its push and returns at once, so a service may call it while it holds its
/// own lock; that is what keeps the pushes in the order of the changes they announce. One loop sends them, in that
/// order, outside every lock, and waits for no phone: a push is written to each connection's own buffer and the loop
/// goes on to the next. A connection that reads slowly gets its pushes one after another, in order; one whose buffer
/// stays full for <see cref="DeliveryLimit"/> is closed (a phone reconnects and fetches what it missed). So a report
/// from the player is acknowledged without waiting for the hall, and no phone can hold up the others.
/// </summary>
public sealed class Broadcaster(IHubContext<ShowHub> hub, ILogger<Broadcaster> logger) : BackgroundService
{
    /// <summary>How long a push may wait for a connection that takes nothing before that connection is closed: as long
    /// as the hub waits for a client it hears nothing from.</summary>
    public static readonly TimeSpan DeliveryLimit = TimeSpan.FromSeconds(30);

    private static readonly string[] Staff = [Groups.Booth, Groups.Coordinators];
    private static readonly string[] PlayersAndStaff = [Groups.Players, Groups.Booth, Groups.Coordinators];

    private readonly Channel<Push> _queue = Channel.CreateUnbounded<Push>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>To everyone: what is on screen changed, or the projector stopped reporting.</summary>
    public void ShowChanged(ShowState state) => Queue(ShowHubMethods.ShowChanged, state, null);

    /// <summary>To everyone: one numbered change of what takes votes.</summary>
    public void VotingChanged(VotingChange change) => Queue(ShowHubMethods.VotingChanged, change, null);

    /// <summary>To everyone: all that is public of the results, after a reveal.</summary>
    public void ResultsRevealed(PublicResults results) => Queue(ShowHubMethods.ResultsRevealed, results, null);

    /// <summary>To the coordinators only: the tally.</summary>
    public void TallyChanged(Tally tally) => Queue(ShowHubMethods.TallyChanged, tally, [Groups.Coordinators]);

    /// <summary>To the booth and the coordinators: votes cast per finalist, voters per category (no score).</summary>
    public void TurnoutChanged(Turnout turnout) => Queue(ShowHubMethods.TurnoutChanged, turnout, Staff);

    /// <summary>To the player, the booth and the coordinators (never phones): how many phones are connected.</summary>
    public void VotersOnline(int count) => Queue(ShowHubMethods.VotersOnline, count, PlayersAndStaff);

    /// <summary>To the player, the booth and the coordinators, never to phones: the screen code rotated.</summary>
    public void RoomChanged(RoomInfo room) => Queue(ShowHubMethods.RoomChanged, room, PlayersAndStaff);

    /// <summary>To the booth and the coordinators: whether a player is connected.</summary>
    public void PlayerPresence(PlayerPresence presence) => Queue(ShowHubMethods.PlayerPresence, presence, Staff);

    /// <summary>To the players: a projectionist's command (already checked).</summary>
    public void PlayerCommand(PlayerCommand command) => Queue(ShowHubMethods.PlayerCommand, command, [Groups.Players]);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var push in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            Send(push);
        }
    }

    private void Queue(string method, object argument, string[]? groups) => _queue.Writer.TryWrite(new Push(method, argument, groups));

    /// <summary>Writes the push to every connection of its audience and returns without waiting for them to take it.</summary>
    private void Send(Push push)
    {
        var limit = new CancellationTokenSource(DeliveryLimit);
        Task sending;
        try
        {
            var audience = push.Groups is null ? hub.Clients.All : hub.Clients.Groups(push.Groups);
            sending = audience.SendCoreAsync(push.Method, [push.Argument], limit.Token);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Pushing {Method} failed", push.Method);
            limit.Dispose();
            return;
        }

        sending.ContinueWith(
            (done, state) =>
            {
                ((CancellationTokenSource)state!).Dispose();
                if (done.IsFaulted)
                {
                    logger.LogWarning(done.Exception, "Pushing {Method} failed for some connections", push.Method);
                }
            },
            limit,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>A push: the client method, its argument and the groups it goes to (null: everyone).</summary>
    private sealed record Push(string Method, object Argument, string[]? Groups);
}
