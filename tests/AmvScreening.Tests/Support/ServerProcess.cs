using System.Diagnostics;
using System.Text;

namespace AmvScreening.Tests.Support;

/// <summary>
/// The built server run as a process of its own (as on show day), on a loopback port it picks itself, so a test or
/// the benchmark can kill it outright (SIGKILL) and start it again on the same data. Shared by the tests and the
/// benchmark (compiled into both).
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private const string ListeningMarker = "Now listening on: ";

    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServerProcess(Process process) => _process = process;

    /// <summary>http://127.0.0.1:PORT</summary>
    public Uri BaseAddress => _listening.Task.Result;

    /// <summary>Everything the server printed so far.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts <c>dotnet AmvScreening.Server.dll</c> with the given settings (configuration keys such as
    /// "Amv:DataDirectory") and returns once it listens.</summary>
    public static async Task<ServerProcess> StartAsync(string serverDll, IReadOnlyDictionary<string, string> settings, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(serverDll)!,
        };
        start.ArgumentList.Add(serverDll);
        start.ArgumentList.Add("--urls=http://127.0.0.1:0");
        foreach (var (key, value) in settings)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        var server = new ServerProcess(new Process { StartInfo = start });
        server._process.OutputDataReceived += server.OnLine;
        server._process.ErrorDataReceived += server.OnLine;
        server._process.Start();
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        _ = server._process.WaitForExitAsync().ContinueWith(
            _ => server._listening.TrySetException(new InvalidOperationException($"The server exited before listening:\n{server.Log}")),
            TaskScheduler.Default);
        try
        {
            await server._listening.Task.WaitAsync(timeout);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Completes once the server has printed a line containing <paramref name="text"/> (at once if it has).</summary>
    public Task WaitForLogAsync(string text, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check(object? sender, DataReceivedEventArgs e)
        {
            if (e.Data?.Contains(text, StringComparison.Ordinal) == true)
            {
                seen.TrySetResult();
            }
        }

        _process.OutputDataReceived += Check;
        _process.ErrorDataReceived += Check;
        if (Log.Contains(text, StringComparison.Ordinal))
        {
            seen.TrySetResult();
        }

        return seen.Task.WaitAsync(timeout).ContinueWith(t =>
        {
            _process.OutputDataReceived -= Check;
            _process.ErrorDataReceived -= Check;
            t.GetAwaiter().GetResult();
        }, TaskScheduler.Default);
    }

    /// <summary>SIGKILL: no shutdown, no flush — a power cut as far as the process is concerned.</summary>
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

    /// <summary>Keeps the output; "Now listening on: http://127.0.0.1:PORT" tells the port and that the server is up.</summary>
    private void OnLine(object _, DataReceivedEventArgs e)
    {
        if (e.Data is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(e.Data);
        }

        var at = e.Data.IndexOf(ListeningMarker, StringComparison.Ordinal);
        if (at >= 0)
        {
            _listening.TrySetResult(new Uri(e.Data[(at + ListeningMarker.Length)..].Trim()));
        }
    }
}
