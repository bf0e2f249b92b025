using Microsoft.Extensions.Logging;

namespace Podwake.Activation;

internal static partial class ActivationLog
{
    [LoggerMessage(1, LogLevel.Information, "{Service}: waking (generation {Generation})")]
    public static partial void Waking(ILogger logger, string service, long generation);

    [LoggerMessage(2, LogLevel.Information, "{Service}: ready in {Milliseconds:F0} ms")]
    public static partial void Ready(ILogger logger, string service, double milliseconds);

    [LoggerMessage(3, LogLevel.Error, "{Service}: failed to wake: {Reason}")]
    public static partial void WakeFailed(ILogger logger, string service, string reason);

    [LoggerMessage(4, LogLevel.Information, "{Service}: idle for {Idle}, stopping")]
    public static partial void Idle(ILogger logger, string service, TimeSpan idle);

    [LoggerMessage(5, LogLevel.Information, "{Service}: stopped, dormant")]
    public static partial void Dormant(ILogger logger, string service);

    [LoggerMessage(6, LogLevel.Warning, "{Service}: container exited on its own (status {ExitCode}); restart policy {Policy}: {Action}")]
    public static partial void Exited(ILogger logger, string service, string exitCode, Specs.RestartPolicy policy, string action);

    [LoggerMessage(7, LogLevel.Error, "{Service}: failed to stop the container")]
    public static partial void StopFailed(ILogger logger, string service, Exception exception);

    [LoggerMessage(8, LogLevel.Warning, "{Service}: {Held} connections already held, closing a new one (raise `hold:` to hold more)")]
    public static partial void Rejected(ILogger logger, string service, int held);
}
