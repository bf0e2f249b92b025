using Microsoft.Extensions.Logging;

namespace Podwake.Activate;

internal static partial class ActivateLog
{
    [LoggerMessage(401, LogLevel.Information, "{Service}: adopted {Count} listening socket(s) from systemd: {Listen}")]
    public static partial void Adopted(ILogger logger, string service, int count, string listen);

    [LoggerMessage(402, LogLevel.Information, "{Service}: idle and stopped; leaving the sockets to systemd and exiting")]
    public static partial void Exiting(ILogger logger, string service);

    [LoggerMessage(403, LogLevel.Information, "{Service}: stopping (signal): closing connections, stopping the container unit")]
    public static partial void Stopping(ILogger logger, string service);

    [LoggerMessage(404, LogLevel.Warning, "{Service}: container {Container} was gone (removed outside podwake?): created it again as deploy did")]
    public static partial void Recreated(ILogger logger, string service, string container);

    [LoggerMessage(405, LogLevel.Warning, "{Service}: pod {Pod} was gone (removed outside podwake?): played {File} again as deploy did")]
    public static partial void Replayed(ILogger logger, string service, string pod, string file);
}
