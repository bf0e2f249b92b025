using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Podwake.Logs;

/// <summary>A logger of one service's category: each line becomes a <see cref="ServiceLogRecord"/> in its file.</summary>
internal sealed class ServiceLogger(ServiceLogFile file, TimeProvider time) : ILogger
{
    private const string OriginalFormat = "{OriginalFormat}";

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        var message = formatter(state, exception);
        if (exception is not null)
        {
            message = $"{message}: {exception.Message}";
        }

        var record = new ServiceLogRecord
        {
            Time = time.GetUtcNow().UtcDateTime,
            Service = file.Service,
            Level = logLevel.ToString(),
            Id = eventId.Id,
            Event = eventId.Name,
            Message = message,
            Fields = Fields(state),
        };
        file.Append(Line(record));
    }

    /// <summary>The record as one line of JSON ending in a newline.</summary>
    internal static byte[] Line(ServiceLogRecord record)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(record, LogsJsonContext.Default.ServiceLogRecord);
        var line = new byte[json.Length + 1];
        json.CopyTo(line, 0);
        line[^1] = (byte)'\n';
        return line;
    }

    private static Dictionary<string, string>? Fields<TState>(TState state)
    {
        if (state is not IReadOnlyList<KeyValuePair<string, object?>> values)
        {
            return null;
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in values)
        {
            if (key != OriginalFormat && value is not null)
            {
                fields[key] = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
            }
        }

        return fields.Count > 0 ? fields : null;
    }
}
