using AmvScreening.Player.Show;
using Microsoft.AspNetCore.SignalR.Client;

namespace AmvScreening.Tests.Player;

/// <summary>The player's one policy for reaching the server again (automatic reconnect, first connect, first playlist read).</summary>
[Trait("Kind", "Unit")]
public sealed class ReconnectPolicyTests
{
    [Fact]
    public void AutomaticReconnect_NeverGivesUp_AndWaitsAbout250Ms_500Ms_1S_ThenEvery1point5S_Within20Percent()
    {
        var policy = new ReconnectPolicy();
        double[] nominal = [0.25, 0.5, 1, 1.5, 1.5];
        for (var retry = 0; retry < 10_000; retry++)
        {
            var delay = policy.NextRetryDelay(new RetryContext { PreviousRetryCount = retry, ElapsedTime = TimeSpan.FromHours(retry) });

            Assert.NotNull(delay);
            var expected = nominal[Math.Min(retry, nominal.Length - 1)];
            Assert.InRange(delay.Value.TotalSeconds, expected * 0.8, expected * 1.2);
        }
    }

    [Fact]
    public void Waits_AreSpreadAtRandom_SoRetriesDoNotFallInStep()
    {
        var policy = new ReconnectPolicy();

        var firstWaits = Enumerable.Range(0, 50).Select(_ => policy.Delay(failedAttempts: 1)).ToHashSet();

        Assert.True(firstWaits.Count > 40, $"{firstWaits.Count} different waits in 50");
        Assert.Contains(firstWaits, d => d < TimeSpan.FromMilliseconds(240));
        Assert.Contains(firstWaits, d => d > TimeSpan.FromMilliseconds(260));
    }

    [Fact]
    public void TheFirstConnect_UsesTheSameWaits_AsTheAutomaticReconnect()
    {
        var policy = new ReconnectPolicy([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10)]);

        Assert.InRange(policy.Delay(failedAttempts: 1).TotalSeconds, 0.8, 1.2);
        Assert.InRange(policy.NextRetryDelay(new RetryContext { PreviousRetryCount = 0 })!.Value.TotalSeconds, 0.8, 1.2);
        Assert.InRange(policy.Delay(failedAttempts: 2).TotalSeconds, 8, 12);
        Assert.InRange(policy.NextRetryDelay(new RetryContext { PreviousRetryCount = 1 })!.Value.TotalSeconds, 8, 12);
        Assert.InRange(policy.Delay(failedAttempts: long.MaxValue).TotalSeconds, 8, 12);
    }

    [Fact]
    public void NoWaits_OrANegativeOne_AreRefused()
    {
        Assert.Throws<ArgumentException>(() => new ReconnectPolicy([]));
        Assert.Throws<ArgumentException>(() => new ReconnectPolicy([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(-1)]));
    }
}
