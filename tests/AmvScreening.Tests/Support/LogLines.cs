using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace AmvScreening.Tests.Support;

/// <summary>Every line logged through it (Information and above, as "LEVEL message"), in order, for a test to wait for
/// (<see cref="HubTesting.NextMatchingAsync{T}"/>), or to read all at once (<see cref="ToString"/>).</summary>
public sealed class LogLines : ILoggerProvider
{
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly List<string> _all = [];

    public ChannelReader<string> Lines => _lines.Reader;

    /// <summary>A logger factory writing here.</summary>
    public ILoggerFactory CreateFactory() => LoggerFactory.Create(b => b.AddProvider(this));

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    /// <summary>Every line logged so far, one a line.</summary>
    public override string ToString()
    {
        lock (_all)
        {
            return string.Join('\n', _all);
        }
    }

    private void Add(string line)
    {
        lock (_all)
        {
            _all.Add(line);
        }

        _lines.Writer.TryWrite(line);
    }

    public void Dispose()
    {
    }

    private sealed class Logger(LogLines lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                lines.Add($"{logLevel.ToString().ToUpperInvariant()} {formatter(state, exception)}");
            }
        }
    }
}
