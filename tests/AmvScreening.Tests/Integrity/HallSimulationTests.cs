using AmvScreening.Audience.Simulation;
using Xunit.Abstractions;

namespace AmvScreening.Tests.Integrity;

/// <summary>Open mode stays open: a realistic hall of 2,000 phones behind one address, played against the real server
/// (<see cref="VirtualShow"/>), joins without a refusal and is never flagged.</summary>
public sealed class HallSimulationTests(ITestOutputHelper output) : IDisposable
{
    private readonly VirtualShow _show = new(output);

    public void Dispose() => _show.Dispose();

    [Fact]
    public async Task HonestHall_TwoThousandPhonesBehindOneAddress_JoinWithoutA429_AndNothingIsEverFlagged()
    {
        var hall = HonestHall.Generate(2000, VirtualShow.Plan, seed: 21);

        var result = await _show.RunAsync(hall);

        Assert.Equal(2000, result.Joined);
        Assert.Equal(0, result.TooManyRequests);
        Assert.Empty(result.Errors);
        Assert.Equal(hall.Phones.Count(p => p.ConnectAt is not null), result.Connected);
        Assert.Equal(hall.Phones.Sum(p => p.Ballots.Count), result.Votes);
        Assert.True(result.Observations.Count >= 20, "the tally was read all through the show");
        Assert.Equal(0, result.MostClustersSeen);
        Assert.All(result.Category.Rows, r => Assert.Equal(0, r.Flagged));
        Assert.False(result.Category.FlagsChangeWinner);
        Assert.Equal(result.Category.Outcome.WinnerId, result.Category.WinnerWithoutFlagged);
        Assert.Equal(0, result.HonestFlagged);
    }
}
