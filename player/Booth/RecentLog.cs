using Microsoft.Extensions.Logging;

namespace AmvScreening.Player.Booth;

/// <summary>The last few log lines, shown at the bottom of the booth panel (the terminal is the panel's, not the log's).</summary>
public sealed class RecentLog(int keep = 6) : ILoggerProvider
{
    private readonly Queue<string> _lines = new();
    private readonly Lock _lock = new();

    /// <summary>Also write each line to standard error (until the panel is up).</summary>
    public bool Echo { get; set; } = true;

    public void Add(string line)
    {
        lock (_lock)
        {
            line = $"{DateTime.Now:HH:mm:ss} {line}";
            if (Echo)
            {
                Console.Error.WriteLine(line);
            }

            _lines.Enqueue(line);
            while (_lines.Count > keep)
            {
                _lines.Dequeue();
            }
        }
    }

    public IReadOnlyList<string> Lines()
    {
        lock (_lock)
        {
            return [.. _lines];
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(RecentLog log) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                log.Add((logLevel >= LogLevel.Warning ? logLevel.ToString().ToUpperInvariant() + " " : "") + formatter(state, exception));
            }
        }
    }
}
