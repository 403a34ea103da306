using System.CommandLine;

namespace AmvScreening.Audience.Demo;

/// <summary><c>demo [--check]</c>, what <c>./amv demo</c> runs once it has installed and built (./amv help, README).
/// Its settings come from the environment (<see cref="DemoSettings"/>).</summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var check = new Option<bool>("--check")
        {
            Description = "Run quickly (headless, short slates and clips), check that the voter page and /healthz answer, that the player's "
                + "reports opened voting and that the winner is public, then stop",
        };
        var command = new Command("demo", "The sample contest end to end on this machine: the server on the demo's port, the voter URL and "
            + "its QR code, the player playing the first category, a simulated audience voting, the winner revealed; then the server "
            + "serves until Ctrl-C. Settings: AMV_DEMO_PORT, AMV_DEMO_DATA, AMV_DEMO_IMPORT, AMV_DEMO_HOST.") { check };
        command.SetAction((result, ct) => AmvFailure.ReportedAsync(
            () => new DemoRun(DemoSettings.FromEnvironment(), result.GetValue(check), Console.Out).RunAsync(ct), "stopped before the demo was up", ct));
        return command;
    }
}
