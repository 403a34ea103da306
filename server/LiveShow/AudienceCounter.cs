using System.Collections.Concurrent;
using AmvScreening.Server.Infrastructure;

namespace AmvScreening.Server.LiveShow;

/// <summary>How many phones are connected to the show hub (voters online), pushed to the player, the booth and the
/// coordinators as <see cref="Protocol.IShowClient.VotersOnline"/> at most once a second, and whenever one of them connects.</summary>
public sealed class AudienceCounter : IAsyncDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, byte> _voters = new();
    private readonly Coalescer _push;

    public AudienceCounter(Broadcaster broadcaster, TimeProvider clock, ILogger<AudienceCounter> logger) =>
        _push = new Coalescer(Interval, clock, _ =>
        {
            broadcaster.VotersOnline(VotersOnline);
            return Task.CompletedTask;
        }, logger);

    public int VotersOnline => _voters.Count;

    public void VoterConnected(string connectionId)
    {
        _voters.TryAdd(connectionId, 0);
        _push.Signal();
    }

    /// <summary>A connection closed (any audience; only voters change the count).</summary>
    public void Disconnected(string connectionId)
    {
        if (_voters.TryRemove(connectionId, out _))
        {
            _push.Signal();
        }
    }

    /// <summary>Staff or a player connected: tell them the count now.</summary>
    public void StaffConnected() => _push.Signal();

    public ValueTask DisposeAsync() => _push.DisposeAsync();
}
