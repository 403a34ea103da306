using System.Collections.Concurrent;
using System.Net;

namespace AmvScreening.Server.Voting;

/// <summary>
/// Slows down guessing of room codes and ballot card keys without slowing a real hall: only a failed join (a code or
/// key that does not exist) costs, successful joins are free, however many phones share one address. Each client
/// address may fail <see cref="PerAddress"/> times in a burst, then once every <see cref="PerAddressEvery"/>; all
/// addresses together <see cref="Overall"/> times, then once every <see cref="OverallEvery"/>. Past that, joining
/// with a code or key is refused (429 with Retry-After) before the code is even looked at, so a refusal tells a
/// guesser nothing. A hall's typing mistakes stay far below these figures (docs/room-codes-and-cards.md).
/// </summary>
public sealed class JoinGuard(TimeProvider clock)
{
    public const int PerAddress = 120;
    public static readonly TimeSpan PerAddressEvery = TimeSpan.FromSeconds(0.5);
    public const int Overall = 600;
    public static readonly TimeSpan OverallEvery = TimeSpan.FromSeconds(0.1);

    /// <summary>Above this many addresses tracked, the ones whose failures have all drained are forgotten.</summary>
    private const int TrackedAddresses = 10_000;

    private readonly ConcurrentDictionary<string, Bucket> _addresses = new();
    private readonly Bucket _overall = new();

    /// <summary>How long this address must wait before its next join with a code or key, or zero.</summary>
    public TimeSpan WaitFor(IPAddress? address)
    {
        var now = clock.GetUtcNow();
        var local = _addresses.TryGetValue(Key(address), out var bucket) ? bucket.Wait(now, PerAddress, PerAddressEvery) : TimeSpan.Zero;
        var overall = _overall.Wait(now, Overall, OverallEvery);
        return local > overall ? local : overall;
    }

    /// <summary>A join from this address named a code or key that does not exist.</summary>
    public void Failed(IPAddress? address)
    {
        var now = clock.GetUtcNow();
        if (_addresses.Count > TrackedAddresses)
        {
            foreach (var (key, idle) in _addresses.Where(a => a.Value.IsEmpty(now, PerAddressEvery)))
            {
                _addresses.TryRemove(new KeyValuePair<string, Bucket>(key, idle));
            }
        }

        _addresses.GetOrAdd(Key(address), _ => new Bucket()).Add(now, PerAddressEvery);
        _overall.Add(now, OverallEvery);
    }

    private static string Key(IPAddress? address) => address?.ToString() ?? "unknown";

    /// <summary>Failures that drain one every <c>every</c>: a leaky bucket.</summary>
    private sealed class Bucket
    {
        private readonly Lock _lock = new();
        private double _level;
        private DateTimeOffset _at;

        public void Add(DateTimeOffset now, TimeSpan every)
        {
            lock (_lock)
            {
                _level = Drained(now, every) + 1;
                _at = now;
            }
        }

        /// <summary>Zero while fewer than <paramref name="capacity"/> failures are in the bucket, else until one drains.</summary>
        public TimeSpan Wait(DateTimeOffset now, int capacity, TimeSpan every)
        {
            lock (_lock)
            {
                var over = Drained(now, every) - (capacity - 1);
                return over > 0 ? every * over : TimeSpan.Zero;
            }
        }

        public bool IsEmpty(DateTimeOffset now, TimeSpan every)
        {
            lock (_lock)
            {
                return Drained(now, every) == 0;
            }
        }

        private double Drained(DateTimeOffset now, TimeSpan every) => Math.Max(0, _level - (now - _at) / every);
    }
}
