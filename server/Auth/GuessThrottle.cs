using System.Net;
using System.Net.Sockets;

namespace AmvScreening.Server.Auth;

/// <summary>
/// Slows down guessing of a secret (a staff password, the player's API key). Failed attempts cost; successes do not.
/// Attempts are counted in partitions (one address, one role across every address, one signed-in device): each
/// partition may fail <see cref="Limit.Free"/> times, then every further failure blocks it for a doubling time (1 s,
/// 2 s, 4 s, … up to <see cref="Limit.Cap"/>). A partition forgets its failures after <see cref="Limit.ForgetAfter"/>
/// without one. While a partition is blocked its attempts are refused before the secret is checked, so a guesser learns
/// nothing from them (a throttle that checked first and refused only wrong guesses would still answer every guess).
/// Refused attempts are not failures: they neither extend the block nor cost the CPU of a password hash.
/// </summary>
public sealed class GuessThrottle(TimeProvider clock)
{
    /// <summary>Partitions tracked at most; beyond this, stale ones are dropped, and if none is stale new ones are not
    /// tracked (an address spray is still counted by the partitions shared by every address).</summary>
    private const int MaxPartitions = 100_000;

    public sealed record Limit(string Name, int Free, TimeSpan Cap, TimeSpan ForgetAfter);

    private sealed class Streak
    {
        public int Failures;
        public DateTimeOffset LastFailure;
        public DateTimeOffset BlockedUntil;
    }

    private readonly Lock _lock = new();
    private readonly Dictionary<(string Limit, string Key), Streak> _streaks = [];

    /// <summary>The partition of a client address: IPv4 as it is, IPv6 by its /64 network (one host may hold a whole /64).</summary>
    public static string AddressKey(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return $"{new IPAddress(bytes)}/64";
    }

    /// <summary>How long until every one of the partitions takes attempts again; null when none is blocked.</summary>
    public TimeSpan? RetryAfter(params ReadOnlySpan<(Limit Limit, string Key)> partitions)
    {
        var now = clock.GetUtcNow();
        var wait = TimeSpan.Zero;
        lock (_lock)
        {
            foreach (var (limit, key) in partitions)
            {
                if (_streaks.TryGetValue((limit.Name, key), out var streak) && streak.BlockedUntil - now > wait)
                {
                    wait = streak.BlockedUntil - now;
                }
            }
        }

        return wait > TimeSpan.Zero ? wait : null;
    }

    /// <summary>Counts a checked, failed attempt in each partition.</summary>
    public void Failed(params ReadOnlySpan<(Limit Limit, string Key)> partitions)
    {
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            foreach (var (limit, key) in partitions)
            {
                if (!_streaks.TryGetValue((limit.Name, key), out var streak))
                {
                    if (_streaks.Count >= MaxPartitions && !DropStale(now))
                    {
                        continue;
                    }

                    _streaks[(limit.Name, key)] = streak = new Streak();
                }

                if (now - streak.LastFailure > limit.ForgetAfter)
                {
                    streak.Failures = 0;
                }

                streak.Failures++;
                streak.LastFailure = now;
                var over = streak.Failures - limit.Free;
                if (over > 0)
                {
                    var block = TimeSpan.FromSeconds(Math.Min(limit.Cap.TotalSeconds, Math.Pow(2, Math.Min(over - 1, 30))));
                    streak.BlockedUntil = now + block;
                }
            }
        }
    }

    /// <summary>Forgets a partition's failures (a device that signed in with the right password).</summary>
    public void Forget(Limit limit, string key)
    {
        lock (_lock)
        {
            _streaks.Remove((limit.Name, key));
        }
    }

    private bool DropStale(DateTimeOffset now)
    {
        var stale = _streaks.Where(s => s.Value.BlockedUntil <= now && now - s.Value.LastFailure > TimeSpan.FromHours(1)).Select(s => s.Key).ToList();
        foreach (var key in stale)
        {
            _streaks.Remove(key);
        }

        return stale.Count > 0;
    }
}
