using AmvScreening.Audience.Simulation;
using AmvScreening.Tests.Support;
using Xunit.Abstractions;

namespace AmvScreening.Tests.Integrity;

/// <summary>
/// The audience simulation against the real server over loopback (HTTP and the show hub), in virtual time: the server
/// runs on a <see cref="ManualClock"/> that the simulation moves from one step to the next once every request of the
/// step is answered, so minutes of show take seconds and every timestamp the flag rules read is exact. One category of
/// the show's entries is seeded.
/// </summary>
internal sealed class VirtualShow : IDisposable
{
    /// <summary>Four finalists of two minutes and a half: 12 minutes of show.</summary>
    public static readonly ShowPlan Plan = ShowPlan.Default with { Entries = 4, Video = TimeSpan.FromSeconds(150) };

    private readonly ITestOutputHelper _output;

    public VirtualShow(ITestOutputHelper output)
    {
        _output = output;
        Server = new AmvServer(clock: Clock);
    }

    public ManualClock Clock { get; } = new(DateTimeOffset.UtcNow);

    public AmvServer Server { get; }

    public void Dispose() => Server.Dispose();

    public async Task<SimulationResult> RunAsync(Scenario scenario)
    {
        await TestContest.SeedAsync(Server, categories: 1, entriesPerCategory: scenario.Show.Entries);
        var start = Clock.GetUtcNow();
        var clock = SimClock.Virtual(at => Clock.Advance(start + at - Clock.GetUtcNow()), TimeSpan.FromMilliseconds(100));
        var runner = new SimulationRunner(new SimulationTarget(Server.BaseAddress, AmvServer.CoordinatorPassword, AmvServer.PlayerApiKey), clock);
        var result = await runner.RunAsync(scenario).WaitAsync(TimeSpan.FromMinutes(5));
        using var text = new StringWriter();
        result.Print(text);
        _output.WriteLine(text.ToString());
        return result;
    }
}
