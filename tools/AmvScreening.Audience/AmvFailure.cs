using AmvScreening.Audience.Processes;

namespace AmvScreening.Audience;

/// <summary>
/// Why a run of <c>./amv</c> (the demo, a simulation's own server) cannot go on, told as <c>./amv</c> tells it: the
/// message, and the last lines of the log of the program that failed when there is one (read when the failure is made,
/// so the log may go with its temporary folder).
/// </summary>
public sealed class AmvFailure(string message, string? logPath = null) : Exception(message)
{
    private readonly string? _tail = logPath is not null && File.Exists(logPath)
        ? $"--- last lines of {Repository.Show(logPath)} ---\n{LoggedProcess.LastLines(logPath, 40)}\n---"
        : null;

    /// <summary>Runs one of <c>./amv</c>'s commands: returns its exit code; a failure is reported (exit 1), and so is
    /// a stop (Ctrl-C, exit 130) once <paramref name="run"/> has stopped what it started.</summary>
    /// <param name="stopped">What to say when stopped, e.g. "stopped before the demo was up".</param>
    public static async Task<int> ReportedAsync(Func<Task<int>> run, string stopped, CancellationToken ct)
    {
        try
        {
            return await run();
        }
        catch (Exception) when (ct.IsCancellationRequested)
        {
            // What failed after Ctrl-C failed because of it.
            new AmvFailure($"{stopped}; nothing it started is left running.").Report(Console.Error);
            return 130;
        }
        catch (AmvFailure failure)
        {
            failure.Report(Console.Error);
            return 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or HttpRequestException or ApiException)
        {
            // A file or folder that cannot be used, a server that cannot be reached or refused: the message says which.
            new AmvFailure(e.Message).Report(Console.Error);
            return 1;
        }
    }

    public void Report(TextWriter error)
    {
        error.WriteLine($"amv: {Message}");
        if (_tail is not null)
        {
            error.WriteLine(_tail);
        }
    }
}
