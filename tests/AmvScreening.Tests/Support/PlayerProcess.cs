using System.Diagnostics;
using AmvScreening.Player;

namespace AmvScreening.Tests.Support;

/// <summary>
/// The built player run as a process of its own (<c>dotnet AmvScreening.Player.dll run … --headless</c>, libvlc
/// playing for real without a window), as on show day: a test can see whether it is still alive, read what it logged
/// (its output is not a terminal, so it writes log lines) and kill it outright.
/// </summary>
public static class PlayerProcess
{
    /// <summary>Starts the player against <paramref name="server"/> with its API key (in the environment, as in
    /// production), a state folder of its own and the extra <paramref name="options"/> (docs/player.md).</summary>
    public static ChildProcess Start(Uri server, string stateFolder, params string[] options) =>
        Start(server, stateFolder, display: null, options);

    /// <summary>The same with its window (<c>--windowed</c>) on the X display <paramref name="display"/> rather than
    /// headless: the player as on the projector machine, sound included.</summary>
    public static ChildProcess StartOnScreen(Uri server, string stateFolder, string display, params string[] options) =>
        Start(server, stateFolder, display, options);

    private static ChildProcess Start(Uri server, string stateFolder, string? display, string[] options)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, WorkingDirectory = AppContext.BaseDirectory };
        start.Environment[PlayerCommandLine.ApiKeyVariable] = AmvServer.PlayerApiKey;
        if (display is not null)
        {
            start.Environment["DISPLAY"] = display;
        }

        string[] arguments =
        [
            Path.Combine(AppContext.BaseDirectory, "AmvScreening.Player.dll"), "run", "--server", server.ToString(), display is null ? "--headless" : "--windowed",
            "--media", Directory.CreateDirectory(Path.Combine(stateFolder, "media")).FullName, "--state", stateFolder, .. options,
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return ChildProcess.Start(start);
    }
}
