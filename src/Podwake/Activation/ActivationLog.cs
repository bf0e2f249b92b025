using Microsoft.Extensions.Logging;

namespace Podwake.Activation;

internal static partial class ActivationLog
{
    [LoggerMessage(1, LogLevel.Information, "{Service}: waking (generation {Generation})")]
    public static partial void Waking(ILogger logger, string service, long generation);

    [LoggerMessage(2, LogLevel.Information, "{Service}: ready in {Milliseconds:F0} ms")]
    public static partial void Ready(ILogger logger, string service, double milliseconds);

    [LoggerMessage(3, LogLevel.Error, "{Service}: failed to wake: {Reason}; {Next}")]
    public static partial void WakeFailed(ILogger logger, string service, string reason, string next);

    [LoggerMessage(4, LogLevel.Information, "{Service}: idle for {Idle}, stopping")]
    public static partial void Idle(ILogger logger, string service, TimeSpan idle);

    [LoggerMessage(5, LogLevel.Information, "{Service}: stopped, dormant")]
    public static partial void Dormant(ILogger logger, string service);

    [LoggerMessage(6, LogLevel.Warning, "{Service}: container exited on its own (status {ExitCode}); restart policy {Policy}: {Action}")]
    public static partial void Exited(ILogger logger, string service, string exitCode, string policy, string action);

    [LoggerMessage(7, LogLevel.Error, "{Service}: failed to stop the container: {Message}")]
    public static partial void StopFailed(ILogger logger, string service, string message);

    [LoggerMessage(8, LogLevel.Warning, "{Service}: {Held} connections already held, closing new ones (raise `hold:` to hold more); {Suppressed} more closed since the last such line (at most one a {Seconds} s)")]
    public static partial void Rejected(ILogger logger, string service, int held, long suppressed, double seconds);

    [LoggerMessage(9, LogLevel.Debug, "{Service}: waking again (generation {Generation}, attempt {Attempt} of a failure run)")]
    public static partial void WakingAgain(ILogger logger, string service, long generation, int attempt);

    [LoggerMessage(10, LogLevel.Warning, "{Service}: still failing ({Attempts} attempts in a row over {Seconds:F0} s, {Suppressed} not logged): {Reason}; {Next}")]
    public static partial void StillFailing(ILogger logger, string service, int attempts, double seconds, long suppressed, string reason, string next);

    [LoggerMessage(11, LogLevel.Debug, "{Service}: failed again (attempt {Attempt}): {Reason}")]
    public static partial void FailedAgain(ILogger logger, string service, int attempt, string reason);

    [LoggerMessage(12, LogLevel.Information, "{Service}: recovered after {Attempts} failed attempts in {Seconds:F1} s")]
    public static partial void Recovered(ILogger logger, string service, int attempts, double seconds);

    [LoggerMessage(13, LogLevel.Error, "Failed to stop the container of {Service}")]
    public static partial void StopFailedUnexpectedly(ILogger logger, string service, Exception exception);

    [LoggerMessage(14, LogLevel.Information, "{Service}: update: starting the new container beside the running one (generation {Generation})")]
    public static partial void UpdateStarting(ILogger logger, string service, long generation);

    [LoggerMessage(15, LogLevel.Information, "{Service}: update: new container ready in {Milliseconds:F0} ms; new connections go to it, {Open} open connections on the old one finish (at most {Drain})")]
    public static partial void UpdateSwitched(ILogger logger, string service, double milliseconds, int open, TimeSpan drain);

    [LoggerMessage(16, LogLevel.Information, "{Service}: update: the old container is drained and stopped")]
    public static partial void UpdateDrained(ILogger logger, string service);

    [LoggerMessage(17, LogLevel.Warning, "{Service}: update: {Open} connections still open on the old container after {Drain}, closing them")]
    public static partial void UpdateDrainTimedOut(ILogger logger, string service, int open, TimeSpan drain);

    [LoggerMessage(18, LogLevel.Warning, "{Service}: update: the new container failed: {Reason}; it is stopped, the old one stays")]
    public static partial void UpdateNotReady(ILogger logger, string service, string reason);

    [LoggerMessage(19, LogLevel.Information, "{Service}: update: proving the new container while dormant (started with no traffic, generation {Generation})")]
    public static partial void UpdateProving(ILogger logger, string service, long generation);

    [LoggerMessage(20, LogLevel.Information, "{Service}: update: the new container was ready in {Milliseconds:F0} ms; stopped again, dormant")]
    public static partial void UpdateProved(ILogger logger, string service, double milliseconds);
}
