using System.Diagnostics;
using System.Runtime.InteropServices;

namespace AmvScreening.Audience.Processes;

/// <summary>
/// A program run beside this tool (the server, the player), its standard output and error appended to a log file after a
/// line that says when and how it was started, and its input empty. Stopping asks it to end as a service manager does
/// (SIGTERM) and kills it, with every process it started, when it has not ended within 10 s. Disposing stops it.
/// </summary>
public sealed class LoggedProcess : IAsyncDisposable
{
    private static readonly TimeSpan StopBound = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Action<string>? _onLine;
    /// <summary>Completes when both output streams have ended (so their last lines are in the log).</summary>
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _openStreams = 2;

    private LoggedProcess(Process process, string logPath, Action<string>? onLine)
    {
        (_process, LogPath, _onLine) = (process, logPath, onLine);
        _log = new StreamWriter(new FileStream(logPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
    }

    public string LogPath { get; }

    public bool Running => !_process.HasExited;

    /// <summary>Completes with the exit code once the program has ended and its last output is in the log.</summary>
    public async Task<int> ExitedAsync(CancellationToken ct = default)
    {
        await _process.WaitForExitAsync(ct);
        await _drained.Task.WaitAsync(ct);
        return _process.ExitCode;
    }

    /// <summary>Starts <c>dotnet ARGUMENTS</c> (a built program of this repository); see <see cref="Start"/>.</summary>
    public static LoggedProcess StartDotnet(
        string label, string logPath, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, Action<string>? onLine = null) =>
        Start(label, logPath, "dotnet", arguments, environment, onLine);

    /// <summary>Starts <paramref name="program"/> with these arguments and these environment variables added;
    /// <paramref name="label"/> heads its lines in the log; <paramref name="onLine"/> sees each line it prints.</summary>
    public static LoggedProcess Start(
        string label, string logPath, string program, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment,
        Action<string>? onLine = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start };
        var child = new LoggedProcess(process, logPath, onLine);
        child.Write($"\n=== {label} {DateTime.Now:yyyy-MM-dd HH:mm:ss}: {program} {string.Join(' ', arguments)}");
        process.OutputDataReceived += (_, e) => child.Received(e.Data);
        process.ErrorDataReceived += (_, e) => child.Received(e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>The last lines of the log, for a failure message.</summary>
    public string Tail(int lines = 40) => LastLines(LogPath, lines);

    public static string LastLines(string path, int lines)
    {
        var last = new Queue<string>();
        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        while (reader.ReadLine() is { } line)
        {
            last.Enqueue(line);
            if (last.Count > lines)
            {
                last.Dequeue();
            }
        }

        return string.Join('\n', last);
    }

    /// <summary>SIGTERM, then SIGKILL to it and every process it started when it has not ended within
    /// <paramref name="bound"/> (10 s); returns once it has ended.</summary>
    public async Task StopAsync(TimeSpan? bound = null)
    {
        var wait = bound ?? StopBound;
        if (Running)
        {
            _ = Kill(_process.Id, SigTerm);
            try
            {
                await _process.WaitForExitAsync().WaitAsync(wait);
            }
            catch (TimeoutException) when (Running)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        // Its output ends with it, unless a process it started holds the pipes open: then the log is complete enough.
        await _drained.Task.WaitAsync(wait).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
        await _log.DisposeAsync();
    }

    private void Received(string? line)
    {
        if (line is null)
        {
            if (Interlocked.Decrement(ref _openStreams) == 0)
            {
                _drained.TrySetResult();
            }

            return;
        }

        Write(line);
        _onLine?.Invoke(line);
    }

    private void Write(string line)
    {
        lock (_log)
        {
            _log.WriteLine(line);
        }
    }

    private const int SigTerm = 15;

    // A plain import: the one call needs no marshalling, and LibraryImport would make this project compile unsafe code.
    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
