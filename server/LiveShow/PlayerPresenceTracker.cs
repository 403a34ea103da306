using AmvScreening.Protocol;

namespace AmvScreening.Server.LiveShow;

/// <summary>Which player connections are open, so the booth sees at once when the player drops or comes back
/// (pushed to booth and coordinators as <see cref="IShowClient.PlayerPresence"/> when it changes), and everyone sees
/// when the projector stops reporting (<see cref="ShowService.ProjectorLostAsync"/>).</summary>
public sealed class PlayerPresenceTracker(Broadcaster broadcaster, ShowService show, TimeProvider clock)
{
    // One change at a time, queued for pushing before the next: the pushes arrive in the order of the changes.
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly HashSet<string> _connections = [];
    private PlayerPresence _current = PlayerPresence.Never;

    public PlayerPresence Current => Volatile.Read(ref _current);

    public Task ConnectedAsync(string connectionId) => ChangeAsync(connections => connections.Add(connectionId));

    public Task DisconnectedAsync(string connectionId) => ChangeAsync(connections => connections.Remove(connectionId));

    private async Task ChangeAsync(Func<HashSet<string>, bool> change)
    {
        await _gate.WaitAsync();
        try
        {
            if (!change(_connections) || (_connections.Count > 0) == _current.Connected)
            {
                return;
            }

            var presence = new PlayerPresence(_connections.Count > 0, clock.GetUtcNow());
            Volatile.Write(ref _current, presence);
            broadcaster.PlayerPresence(presence);
            if (!presence.Connected)
            {
                await show.ProjectorLostAsync();
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}
