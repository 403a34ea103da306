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
/// Refused attempts are not failures: they neither extend the block nor cost the CPU of a password hash. Attempts being
/// checked count too, so a burst sent at once gets no more checks than one sent in turn: beyond the free failures, one
/// attempt at a time.
/// </summary>
public sealed class GuessThrottle(TimeProvider clock)
{
    /// <summary>Partitions tracked at most; beyond this, stale ones are dropped, and if none is stale new ones are not
    /// tracked (an address spray is still counted by the partitions shared by every address).</summary>
    private const int MaxPartitions = 100_000;

    /// <summary>An attempt not ended within this (it cannot happen: the checks are quick) no longer holds its place.</summary>
    private static readonly TimeSpan MaxCheck = TimeSpan.FromSeconds(30);

    /// <summary>What a refused attempt waits for when another attempt of its partition is being checked.</summary>
    private static readonly TimeSpan Busy = TimeSpan.FromSeconds(1);

    public sealed record Limit(string Name, int Free, TimeSpan Cap, TimeSpan ForgetAfter);

    private sealed class Streak
    {
        public int Failures;
        public int Checking;
        public DateTimeOffset CheckingSince;
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

    /// <summary>Starts an attempt in every partition: null when its secret may be checked now (then <see cref="End"/>
    /// must follow, with the same partitions), or how long to wait.</summary>
    public TimeSpan? TryBegin(params ReadOnlySpan<(Limit Limit, string Key)> partitions)
    {
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            var wait = TimeSpan.Zero;
            foreach (var (limit, key) in partitions)
            {
                if (!_streaks.TryGetValue((limit.Name, key), out var streak))
                {
                    continue;
                }

                Refresh(streak, limit, now);
                if (streak.BlockedUntil > now)
                {
                    wait = Max(wait, streak.BlockedUntil - now);
                }
                else if (streak.Checking > 0 && streak.Failures + streak.Checking >= limit.Free)
                {
                    wait = Max(wait, Busy);
                }
            }

            if (wait > TimeSpan.Zero)
            {
                return wait;
            }

            foreach (var (limit, key) in partitions)
            {
                if (Track(limit, key, now) is { } streak)
                {
                    streak.CheckingSince = streak.Checking++ == 0 ? now : streak.CheckingSince;
                }
            }

            return null;
        }
    }

    /// <summary>Ends an attempt that <see cref="TryBegin"/> let through; a failure counts in every partition.</summary>
    public void End(bool failed, params ReadOnlySpan<(Limit Limit, string Key)> partitions)
    {
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            foreach (var (limit, key) in partitions)
            {
                if (!_streaks.TryGetValue((limit.Name, key), out var streak))
                {
                    continue;
                }

                streak.Checking = Math.Max(0, streak.Checking - 1);
                if (!failed)
                {
                    continue;
                }

                Refresh(streak, limit, now);
                streak.Failures++;
                streak.LastFailure = now;
                var over = streak.Failures - limit.Free;
                if (over > 0)
                {
                    streak.BlockedUntil = now + TimeSpan.FromSeconds(Math.Min(limit.Cap.TotalSeconds, Math.Pow(2, Math.Min(over - 1, 30))));
                }
            }
        }
    }

    /// <summary>Forgets a partition's failures (a device that signed in with the right password).</summary>
    public void Forget(Limit limit, string key)
    {
        lock (_lock)
        {
            if (_streaks.TryGetValue((limit.Name, key), out var streak))
            {
                streak.Failures = 0;
                streak.BlockedUntil = default;
            }
        }
    }

    private static void Refresh(Streak streak, Limit limit, DateTimeOffset now)
    {
        if (streak.Failures > 0 && now - streak.LastFailure > limit.ForgetAfter)
        {
            streak.Failures = 0;
        }

        if (streak.Checking > 0 && now - streak.CheckingSince > MaxCheck)
        {
            streak.Checking = 0;
        }
    }

    private Streak? Track(Limit limit, string key, DateTimeOffset now)
    {
        if (_streaks.TryGetValue((limit.Name, key), out var streak))
        {
            return streak;
        }

        if (_streaks.Count >= MaxPartitions && !DropStale(now))
        {
            return null;
        }

        return _streaks[(limit.Name, key)] = new Streak();
    }

    private bool DropStale(DateTimeOffset now)
    {
        var stale = _streaks
            .Where(s => s.Value.Checking == 0 && s.Value.BlockedUntil <= now && now - s.Value.LastFailure > TimeSpan.FromHours(1))
            .Select(s => s.Key).ToList();
        foreach (var key in stale)
        {
            _streaks.Remove(key);
        }

        return stale.Count > 0;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
