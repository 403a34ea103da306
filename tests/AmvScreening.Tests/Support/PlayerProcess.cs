using System.Diagnostics;
using AmvScreening.Player;

namespace AmvScreening.Tests.Support;

/// <summary>
/// The built player run as a process of its own (<c>dotnet AmvScreening.Player.dll run … --headless</c>, libvlc
/// playing for real without a window), as on show day: a test can see whether it is still alive, read what it logged
/// (its output is not a terminal, so it writes log lines) and kill it outright.
/// </summary>
public sealed class PlayerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    /// <summary>Released once per line printed.</summary>
    private readonly SemaphoreSlim _printed = new(0);

    private PlayerProcess(Process process) => _process = process;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the player printed so far, one line each.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public string Log => string.Join('\n', Lines);

    /// <summary>Starts the player against <paramref name="server"/> with its API key (in the environment, as in
    /// production), a state folder of its own and the extra <paramref name="options"/> (docs/player.md).</summary>
    public static PlayerProcess Start(Uri server, string stateFolder, params string[] options)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment[PlayerCommandLine.ApiKeyVariable] = AmvServer.PlayerApiKey;
        string[] arguments =
        [
            Path.Combine(AppContext.BaseDirectory, "AmvScreening.Player.dll"), "run", "--server", server.ToString(), "--headless",
            "--media", Directory.CreateDirectory(Path.Combine(stateFolder, "media")).FullName, "--state", stateFolder, .. options,
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var player = new PlayerProcess(new Process { StartInfo = start });
        player._process.OutputDataReceived += player.OnLine;
        player._process.ErrorDataReceived += player.OnLine;
        player._process.Start();
        player._process.BeginOutputReadLine();
        player._process.BeginErrorReadLine();
        return player;
    }

    /// <summary>Waits (bounded) until at least <paramref name="count"/> lines match; returns how many do.</summary>
    public async Task<int> WaitForLinesAsync(Func<string, bool> match, int count, TimeSpan bound)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var matching = Lines.Count(match);
            var left = bound - deadline.Elapsed;
            if (matching >= count || left <= TimeSpan.Zero || !await _printed.WaitAsync(left))
            {
                return matching;
            }
        }
    }

    /// <summary>SIGKILL: no goodbye to the server, as when the projector machine loses power.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
        _printed.Dispose();
    }

    private void OnLine(object _, DataReceivedEventArgs e)
    {
        if (e.Data is not null)
        {
            lock (_lines)
            {
                _lines.Add(e.Data);
            }

            _printed.Release();
        }
    }
}
