using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace AmvScreening.Tests.Support;

/// <summary>Every line logged through it (Information and above, as "LEVEL message"), in order, for a test to wait for
/// (<see cref="HubTesting.NextMatchingAsync{T}"/>).</summary>
public sealed class LogLines : ILoggerProvider
{
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();

    public ChannelReader<string> Lines => _lines.Reader;

    /// <summary>A logger factory writing here.</summary>
    public ILoggerFactory CreateFactory() => LoggerFactory.Create(b => b.AddProvider(this));

    public ILogger CreateLogger(string categoryName) => new Logger(_lines.Writer);

    public void Dispose()
    {
    }

    private sealed class Logger(ChannelWriter<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                lines.TryWrite($"{logLevel.ToString().ToUpperInvariant()} {formatter(state, exception)}");
            }
        }
    }
}
