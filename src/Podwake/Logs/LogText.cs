using System.Globalization;
using System.Text.Json;

namespace Podwake.Logs;

/// <summary>How <c>podwake logs</c> and <c>podwake events</c> print a line: readable text, or one JSON object.</summary>
internal static class LogText
{
    /// <summary>UTC with milliseconds, sortable: <c>2026-11-30T18:00:00.123Z</c>.</summary>
    public static string Time(DateTime time) => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary><c>TIME SOURCE TEXT</c>.</summary>
    public static string Format(LogLine line) => $"{Time(line.Time)} {line.Source} {line.Message}";

    public static string Json(LogLine line) => JsonSerializer.Serialize(line, LogsJsonContext.Default.LogLine);

    /// <summary><c>TIME SERVICE EVENT MESSAGE</c> (the message without its leading <c>SERVICE: </c>).</summary>
    public static string Format(ServiceEvent e)
    {
        var prefix = e.Service + ": ";
        var message = e.Message.StartsWith(prefix, StringComparison.Ordinal) ? e.Message[prefix.Length..] : e.Message;
        return $"{Time(e.Time)} {e.Service} {e.Event}: {message}";
    }

    public static string Json(ServiceEvent e) => JsonSerializer.Serialize(e, LogsJsonContext.Default.ServiceEvent);

    /// <summary>podwake's own line as a line of <c>podwake logs</c>.</summary>
    public static LogLine FromRecord(ServiceLogRecord record) => new()
    {
        Time = record.Time,
        Source = LogLine.PodwakeSource,
        Service = record.Service,
        Level = record.Level,
        Id = record.Id,
        Message = record.Message,
    };

    /// <summary>Every line of both sources by time; lines of the same time keep their order (OrderBy is stable).</summary>
    public static IEnumerable<LogLine> Merge(IEnumerable<LogLine> container, IEnumerable<LogLine> podwake) =>
        container.Concat(podwake).OrderBy(line => line.Time);
}
