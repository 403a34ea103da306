using System.CommandLine;

namespace AmvScreening.Audience;

public static class Program
{
    /// <summary>On Ctrl-C (or SIGTERM) a command's token is cancelled and it has this long to stop what it started (the
    /// demo stops its server and player, each within 10 s) before the process ends with 130 (143).</summary>
    private static readonly TimeSpan StopBound = TimeSpan.FromSeconds(30);

    public static Task<int> Main(string[] args) =>
        AudienceCommandLine.Create().Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = StopBound });
}
