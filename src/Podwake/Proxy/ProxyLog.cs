using System.Net;
using Microsoft.Extensions.Logging;

namespace Podwake.Proxy;

internal static partial class ProxyLog
{
    [LoggerMessage(101, LogLevel.Debug, "{Service}: connection from {Client} ended ({ToBackend} bytes in, {ToClient} bytes out)")]
    public static partial void Ended(ILogger logger, string service, EndPoint? client, long toBackend, long toClient);

    [LoggerMessage(102, LogLevel.Debug, "{Service}: connection from {Client} failed on the {Side} side: {Message}")]
    public static partial void Failed(ILogger logger, string service, EndPoint? client, PumpSide side, string message);

    [LoggerMessage(103, LogLevel.Warning, "{Service}: failed to connect to the container at {Backend}: {Message}")]
    public static partial void ConnectFailed(ILogger logger, string service, EndPoint backend, string message);

    [LoggerMessage(104, LogLevel.Error, "{Service}: failed to accept on {Listen}")]
    public static partial void AcceptFailed(ILogger logger, string service, EndPoint? listen, Exception exception);

    [LoggerMessage(105, LogLevel.Warning, "{Service}: gave up on a connection from {Client}: the container stayed unreachable")]
    public static partial void GaveUp(ILogger logger, string service, EndPoint? client);
}
