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

    public void Report(TextWriter error)
    {
        error.WriteLine($"amv: {Message}");
        if (_tail is not null)
        {
            error.WriteLine(_tail);
        }
    }
}
