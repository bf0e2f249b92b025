using Microsoft.Extensions.Logging;

namespace Podwake.Sidecars;

internal static partial class SidecarLog
{
    [LoggerMessage(501, LogLevel.Information, "{Service}: key {Key} runs {Container} (call {Call})")]
    public static partial void Started(ILogger logger, string service, string key, string container, string call);

    [LoggerMessage(502, LogLevel.Warning, "{Service}: call {Call} failed: {Message}")]
    public static partial void CallFailed(ILogger logger, string service, string call, string message);

    [LoggerMessage(503, LogLevel.Information, "{Service}: key {Key} is no longer listed: removed {Container}")]
    public static partial void Removed(ILogger logger, string service, string key, string container);

    [LoggerMessage(504, LogLevel.Information, "{Service}: key {Key}'s foreground run exited with code {Code}")]
    public static partial void ForegroundExited(ILogger logger, string service, string key, int code);

    [LoggerMessage(505, LogLevel.Warning, "{Service}: key {Key} could not be started again: {Message}")]
    public static partial void RestartFailed(ILogger logger, string service, string key, string message);

    [LoggerMessage(506, LogLevel.Warning, "{Service}: list entry {Entry} is dropped: {Message}")]
    public static partial void EntryDropped(ILogger logger, string service, string entry, string message);

    [LoggerMessage(507, LogLevel.Information, "{Service}: key {Key}'s container had exited (code {Code}): started it again (restart: {Policy})")]
    public static partial void Restarted(ILogger logger, string service, string key, int code, string policy);

    [LoggerMessage(508, LogLevel.Warning, "{Service}: call {Call} could not be answered: {Message}")]
    public static partial void AnswerFailed(ILogger logger, string service, string call, string message);

    [LoggerMessage(509, LogLevel.Warning, "{Service}: a sync pass failed, trying again at the next call: {Message}")]
    public static partial void PassFailed(ILogger logger, string service, string message);
}
