using Microsoft.Extensions.Logging;

namespace Podwake.Serve;

internal static partial class ServeLog
{
    [LoggerMessage(201, LogLevel.Information, "{Service}: listening on {Listen}, dormant ({Workload} created, not started)")]
    public static partial void Serving(ILogger logger, string service, string listen, string workload);

    [LoggerMessage(202, LogLevel.Information, "{Service}: building image {Image} from {Context}")]
    public static partial void Building(ILogger logger, string service, string image, string context);

    [LoggerMessage(203, LogLevel.Debug, "{Message}")]
    public static partial void Podman(ILogger logger, string message);

    [LoggerMessage(204, LogLevel.Warning, "Failed to read podman's events, retrying: {Message}")]
    public static partial void EventsFailed(ILogger logger, string message);

    [LoggerMessage(205, LogLevel.Error, "Failed to remove container {Container}: {Message}")]
    public static partial void RemoveFailed(ILogger logger, string container, string message);

    [LoggerMessage(209, LogLevel.Warning, "{Service}: {Workload} was gone (removed outside podwake?): created it again")]
    public static partial void Recreated(ILogger logger, string service, string workload);

    [LoggerMessage(206, LogLevel.Information, "Stopping: closing listeners and connections, removing containers")]
    public static partial void Stopping(ILogger logger);

    [LoggerMessage(207, LogLevel.Warning, "Failed to remove container {Container} through podman's API, retrying: {Message}")]
    public static partial void RemoveRetrying(ILogger logger, string container, string message);

    [LoggerMessage(208, LogLevel.Warning, "{Message}")]
    public static partial void PodmanService(ILogger logger, string message);

    [LoggerMessage(210, LogLevel.Warning, "{Service}: podman reported container {Container} died, and checking it failed ({Message}): taking it as exited")]
    public static partial void DiedUnchecked(ILogger logger, string service, string container, string message);

    [LoggerMessage(211, LogLevel.Information, "{Service}: pulling image {Image}")]
    public static partial void Pulling(ILogger logger, string service, string image);

    [LoggerMessage(212, LogLevel.Information, "{Service}: {Progress}")]
    public static partial void ImageStep(ILogger logger, string service, string progress);

    [LoggerMessage(214, LogLevel.Information, "{Line}")]
    public static partial void UpdateResult(ILogger logger, string line);

    [LoggerMessage(215, LogLevel.Warning, "the periodic update failed: {Message}")]
    public static partial void UpdateRunFailed(ILogger logger, string message);

    [LoggerMessage(220, LogLevel.Information, "{Service}: side-car wrapper {Wrapper} ready; calls are recorded in {State}, one container per key")]
    public static partial void ServingSidecar(ILogger logger, string service, string wrapper, string state);
}
