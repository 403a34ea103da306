using System.Diagnostics;

namespace AmvScreening.Tests.Support;

/// <summary>
/// The built server run as a process of its own (as on show day), on a loopback port it picks itself, so a test or
/// the benchmark can kill it outright (SIGKILL) and start it again on the same data. Shared by the tests and the
/// benchmark (compiled into both).
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private const string ListeningMarker = "Now listening on: ";

    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ChildProcess _process = null!;

    private ServerProcess()
    {
    }

    /// <summary>http://127.0.0.1:PORT</summary>
    public Uri BaseAddress => _listening.Task.Result;

    /// <summary>The server's process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Everything the server printed so far.</summary>
    public string Log => _process.Log;

    /// <summary>Starts <c>dotnet AmvScreening.Server.dll</c> with the given settings (configuration keys such as
    /// "Amv:DataDirectory") and environment variables, and returns once it listens.</summary>
    public static async Task<ServerProcess> StartAsync(
        string serverDll, IReadOnlyDictionary<string, string> settings, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetDirectoryName(serverDll)! };
        start.ArgumentList.Add(serverDll);
        start.ArgumentList.Add("--urls=http://127.0.0.1:0");
        foreach (var (key, value) in settings)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var server = new ServerProcess();
        server._process = ChildProcess.Start(start, server.OnLine);
        _ = server._process.Exited.ContinueWith(
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
    public async Task WaitForLogAsync(string text, TimeSpan timeout)
    {
        if (await _process.WaitForLinesAsync(line => line.Contains(text, StringComparison.Ordinal), 1, timeout) == 0)
        {
            throw new TimeoutException($"The server did not print '{text}' within {timeout.TotalSeconds} s:\n{Log}");
        }
    }

    /// <summary>SIGKILL: no shutdown, no flush — a power cut as far as the process is concerned.</summary>
    public Task KillAsync() => _process.KillAsync();

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    /// <summary>"Now listening on: http://127.0.0.1:PORT" tells the port and that the server is up.</summary>
    private void OnLine(string line)
    {
        var at = line.IndexOf(ListeningMarker, StringComparison.Ordinal);
        if (at >= 0)
        {
            _listening.TrySetResult(new Uri(line[(at + ListeningMarker.Length)..].Trim()));
        }
    }
}
