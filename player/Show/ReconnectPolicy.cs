using Microsoft.AspNetCore.SignalR.Client;

namespace AmvScreening.Player.Show;

/// <summary>
/// The player's one policy for reaching the server again: the hub connection's automatic reconnect uses it, and so do
/// the first connect and the first read of the playlist (which the automatic reconnect does not cover). It never gives
/// up. The waits are the list in order, then its last one forever, each spread by ±20 % at random so that attempts do
/// not fall in step with whatever keeps failing them.
/// </summary>
public sealed class ReconnectPolicy : IRetryPolicy
{
    /// <summary>A quick first retry, then a little longer, then every 1.5 s. Short, because there is one player and the
    /// show is waiting: after a server restart the player is back within about 2 s.</summary>
    public static readonly IReadOnlyList<TimeSpan> DefaultDelays =
        [TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1.5)];

    public ReconnectPolicy(IReadOnlyList<TimeSpan>? delays = null)
    {
        Delays = delays ?? DefaultDelays;
        if (Delays.Count == 0 || Delays.Any(d => d < TimeSpan.Zero))
        {
            throw new ArgumentException("The waits between attempts must be at least one, none negative.", nameof(delays));
        }
    }

    /// <summary>The waits before each retry, before the spread.</summary>
    public IReadOnlyList<TimeSpan> Delays { get; }

    /// <summary>The wait after <paramref name="failedAttempts"/> attempts failed in a row (at least one).</summary>
    public TimeSpan Delay(long failedAttempts) =>
        Delays[(int)Math.Clamp(failedAttempts - 1, 0, Delays.Count - 1)] * (0.8 + (0.4 * Random.Shared.NextDouble()));

    /// <summary>For the automatic reconnect: never null, so it never stops trying.</summary>
    public TimeSpan? NextRetryDelay(RetryContext retryContext) => Delay(retryContext.PreviousRetryCount + 1);
}
