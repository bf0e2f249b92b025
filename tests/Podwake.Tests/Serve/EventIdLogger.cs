using Microsoft.Extensions.Logging;

namespace Podwake.Tests.Serve;

/// <summary>Keeps every log line with its event id, to tell which <c>[LoggerMessage]</c> was written and how often.</summary>
internal sealed class EventIdLogger : ILogger
{
    private readonly List<(int EventId, string Message)> _lines = [];

    public IReadOnlyList<(int EventId, string Message)> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_lines)
        {
            _lines.Add((eventId.Id, formatter(state, exception)));
        }
    }
}
