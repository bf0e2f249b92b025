using Microsoft.Extensions.Logging;
using Podwake.Specs;

namespace Podwake.Sidecars;

/// <remarks>
/// Keys, entry names and messages carry the callers' text (a key is a variable's value or part of an argument, a
/// malformed call's line is quoted, a name in keys/ is whatever a caller put there): every string is logged through
/// <see cref="Diagnostic.Printable"/>, so a caller can neither send terminal escapes to serve's terminal nor forge a
/// log line with a newline.
/// </remarks>
internal static partial class SidecarLog
{
    public static void Started(ILogger logger, string service, string key, string container, string call) =>
        LogStarted(logger, service, P(key), container, P(call));

    public static void CallFailed(ILogger logger, string service, string call, string message) =>
        LogCallFailed(logger, service, P(call), P(message));

    public static void Removed(ILogger logger, string service, string key, string container) =>
        LogRemoved(logger, service, P(key), P(container));

    public static void ForegroundExited(ILogger logger, string service, string key, int code) =>
        LogForegroundExited(logger, service, P(key), code);

    public static void RestartFailed(ILogger logger, string service, string key, string message) =>
        LogRestartFailed(logger, service, P(key), P(message));

    public static void EntryDropped(ILogger logger, string service, string entry, string message) =>
        LogEntryDropped(logger, service, P(entry), P(message));

    public static void Restarted(ILogger logger, string service, string key, int code, string policy) =>
        LogRestarted(logger, service, P(key), code, policy);

    public static void AnswerFailed(ILogger logger, string service, string call, string message) =>
        LogAnswerFailed(logger, service, P(call), P(message));

    public static void PassFailed(ILogger logger, string service, double seconds, string message) =>
        LogPassFailed(logger, service, seconds, P(message));

    private static string P(string text) => Diagnostic.Printable(text);

    [LoggerMessage(501, LogLevel.Information, "{Service}: key {Key} runs {Container} (call {Call})")]
    private static partial void LogStarted(ILogger logger, string service, string key, string container, string call);

    [LoggerMessage(502, LogLevel.Warning, "{Service}: call {Call} failed: {Message}")]
    private static partial void LogCallFailed(ILogger logger, string service, string call, string message);

    [LoggerMessage(503, LogLevel.Information, "{Service}: key {Key} is no longer listed: removed {Container}")]
    private static partial void LogRemoved(ILogger logger, string service, string key, string container);

    [LoggerMessage(504, LogLevel.Information, "{Service}: key {Key}'s foreground run exited with code {Code}")]
    private static partial void LogForegroundExited(ILogger logger, string service, string key, int code);

    [LoggerMessage(505, LogLevel.Warning, "{Service}: key {Key} could not be started again: {Message}")]
    private static partial void LogRestartFailed(ILogger logger, string service, string key, string message);

    [LoggerMessage(506, LogLevel.Warning, "{Service}: list entry {Entry} is dropped: {Message}")]
    private static partial void LogEntryDropped(ILogger logger, string service, string entry, string message);

    [LoggerMessage(507, LogLevel.Information, "{Service}: key {Key}'s container had exited (code {Code}): started it again (restart: {Policy})")]
    private static partial void LogRestarted(ILogger logger, string service, string key, int code, string policy);

    [LoggerMessage(508, LogLevel.Warning, "{Service}: call {Call} could not be answered: {Message}")]
    private static partial void LogAnswerFailed(ILogger logger, string service, string call, string message);

    [LoggerMessage(509, LogLevel.Warning, "{Service}: a sync pass failed, trying again in {Seconds} s or at the next call: {Message}")]
    private static partial void LogPassFailed(ILogger logger, string service, double seconds, string message);
}
