using System.Collections.Concurrent;
using Limit = AmvScreening.Server.Auth.GuessThrottle.Limit;

namespace AmvScreening.Server.Auth;

/// <summary>
/// Throttles guessing of the player's API key (README, "Security model"). Wrong keys count against their address
/// (10 free failures, then a doubling block up to 5 minutes) and, from addresses that have not presented the right key
/// in the last day, against one budget for all of them (50, then up to 1 minute). The player's own address is thus held
/// back only by wrong keys sent from that very address; attempts from anywhere else never delay it.
/// </summary>
public sealed class PlayerKeyGuard(GuessThrottle throttle, TimeProvider clock)
{
    /// <summary>The HttpContext item holding the wait (TimeSpan) of a request refused for too many wrong keys.</summary>
    public const string RetryAfterItem = "amv.api-key-retry-after";

    private const int MaxKnownAddresses = 1_000;
    private static readonly TimeSpan RememberGood = TimeSpan.FromDays(1);
    private static readonly Limit PerAddress = new("api-key-address", 10, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15));
    private static readonly Limit Unknown = new("api-key-unknown-addresses", 50, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(15));

    private readonly ConcurrentDictionary<string, DateTimeOffset> _good = new();

    /// <summary>One key check from one address, in the partitions that address counts in now.</summary>
    public sealed class Attempt(string address, (Limit, string)[] partitions)
    {
        public string Address { get; } = address;
        internal (Limit, string)[] Partitions { get; } = partitions;
    }

    public Attempt Begin(string address) => new(address, Partitions(address));

    /// <summary>Null when the attempt's key may be checked now (then <see cref="Failed"/> or <see cref="Succeeded"/>
    /// must follow), or how long it must wait.</summary>
    public TimeSpan? TryStart(Attempt attempt) => throttle.TryBegin(attempt.Partitions);

    public void Failed(Attempt attempt) => throttle.End(failed: true, attempt.Partitions);

    public void Succeeded(Attempt attempt)
    {
        throttle.End(failed: false, attempt.Partitions);
        if (_good.Count >= MaxKnownAddresses)
        {
            _good.Clear();
        }

        _good[attempt.Address] = clock.GetUtcNow();
    }

    private (Limit, string)[] Partitions(string address) =>
        _good.TryGetValue(address, out var seen) && clock.GetUtcNow() - seen < RememberGood
            ? [(PerAddress, address)]
            : [(PerAddress, address), (Unknown, "")];
}
