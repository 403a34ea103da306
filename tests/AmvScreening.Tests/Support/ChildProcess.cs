using System.Diagnostics;

namespace AmvScreening.Tests.Support;

/// <summary>
/// A program a test (or the benchmark) runs as a process of its own, kept running: what it prints is kept line by line
/// (and can be waited for), and it can be killed outright (SIGKILL). Disposing kills it if it still runs. Compiled into
/// the tests and the benchmark.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Action<string>? _onLine;
    private readonly List<string> _lines = [];
    /// <summary>Released once per line printed.</summary>
    private readonly SemaphoreSlim _printed = new(0);

    private ChildProcess(Process process, Action<string>? onLine) => (_process, _onLine) = (process, onLine);

    public bool HasExited => _process.HasExited;

    /// <summary>The process id (to read its memory from /proc, for instance).</summary>
    public int Id => _process.Id;

    /// <summary>Completes when the process exits.</summary>
    public Task Exited => _process.WaitForExitAsync();

    /// <summary>Everything it printed so far (standard output and error), one line each.</summary>
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

    /// <summary>Starts the program with its output redirected; <paramref name="onLine"/> sees each line as it comes.</summary>
    public static ChildProcess Start(ProcessStartInfo start, Action<string>? onLine = null)
    {
        (start.RedirectStandardOutput, start.RedirectStandardError) = (true, true);
        var child = new ChildProcess(new Process { StartInfo = start }, onLine);
        child._process.OutputDataReceived += child.OnLine;
        child._process.ErrorDataReceived += child.OnLine;
        child._process.Start();
        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits (bounded) until at least <paramref name="count"/> lines match; returns how many do.</summary>
    public async Task<int> WaitForLinesAsync(Func<string, bool> match, int count, TimeSpan bound)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var matching = Lines.Count(match);
            var left = bound - clock.Elapsed;
            if (matching >= count || left <= TimeSpan.Zero || !await _printed.WaitAsync(left))
            {
                return matching;
            }
        }
    }

    /// <summary>SIGKILL: no shutdown, no flush, no goodbye to anyone — a power cut as far as the process is concerned.</summary>
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
    }

    private void OnLine(object _, DataReceivedEventArgs e)
    {
        if (e.Data is null)
        {
            return;
        }

        lock (_lines)
        {
            _lines.Add(e.Data);
        }

        _printed.Release();
        _onLine?.Invoke(e.Data);
    }
}
