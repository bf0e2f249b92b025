using System.Net;
using Microsoft.Extensions.Logging;

namespace Podwake.Proxy;

internal static partial class ProxyLog
{
    [LoggerMessage(101, LogLevel.Debug, "{Service}: connection from {Client} ended ({ToBackend} bytes in, {ToClient} bytes out)")]
    public static partial void Ended(ILogger logger, string service, EndPoint? client, long toBackend, long toClient);

    [LoggerMessage(102, LogLevel.Debug, "{Service}: connection from {Client} failed on the {Side} side: {Message}")]
    public static partial void Failed(ILogger logger, string service, EndPoint? client, string side, string message);

    [LoggerMessage(103, LogLevel.Warning, "{Service}: failed to connect to the container at {Backend}: {Message}")]
    public static partial void ConnectFailed(ILogger logger, string service, EndPoint backend, string message);

    [LoggerMessage(104, LogLevel.Error, "{Service}: failed to accept on {Listen}")]
    public static partial void AcceptFailed(ILogger logger, string service, EndPoint? listen, Exception exception);

    [LoggerMessage(105, LogLevel.Warning, "{Service}: gave up on a connection from {Client}: the container stayed unreachable")]
    public static partial void GaveUp(ILogger logger, string service, EndPoint? client);

    [LoggerMessage(110, LogLevel.Debug, "{Service}: udp flow from {Client} opened")]
    public static partial void FlowOpened(ILogger logger, string service, EndPoint client);

    [LoggerMessage(111, LogLevel.Debug, "{Service}: udp flow from {Client} ended")]
    public static partial void FlowEnded(ILogger logger, string service, EndPoint client);

    [LoggerMessage(112, LogLevel.Debug, "{Service}: udp flow from {Client} idle for {Seconds}s (udp.flow_idle): closing it")]
    public static partial void FlowIdle(ILogger logger, string service, EndPoint client, double seconds);

    [LoggerMessage(113, LogLevel.Warning, "{Service}: udp datagram buffer full ({Datagrams} datagrams, {Bytes} bytes held; udp.hold_datagrams / udp.hold_bytes): dropping datagrams from {Client} and others until the service is ready")]
    public static partial void BufferFull(ILogger logger, string service, EndPoint client, int datagrams, long bytes);

    [LoggerMessage(114, LogLevel.Warning, "{Service}: dropped {Count} buffered datagrams of {Flows} udp flows (latest {Client}): they ended before the service was ready (wake failed, run lost or listener stopping); at most one such line a second")]
    public static partial void HeldDropped(ILogger logger, string service, long count, long flows, EndPoint client);

    [LoggerMessage(134, LogLevel.Warning, "{Service}: dropped {Count} buffered datagrams of {Flows} udp flows (latest {Client}): the flows were evicted to make room for new clients (udp.max_flows) before their datagrams were sent; at most one such line a second")]
    public static partial void HeldEvicted(ILogger logger, string service, long count, long flows, EndPoint client);

    [LoggerMessage(115, LogLevel.Debug, "{Service}: udp flow from {Client} not served: the wake failed or too many flows are waiting (hold)")]
    public static partial void FlowNotServed(ILogger logger, string service, EndPoint client);

    [LoggerMessage(116, LogLevel.Warning, "{Service}: failed to send a datagram from {Client} to the container: {Message}")]
    public static partial void SendFailed(ILogger logger, string service, EndPoint client, string message);

    [LoggerMessage(117, LogLevel.Debug, "{Service}: failed to send a reply to {Client}: {Message}")]
    public static partial void ReplyFailed(ILogger logger, string service, EndPoint client, string message);

    [LoggerMessage(118, LogLevel.Debug, "{Service}: udp flow from {Client} failed: {Message}")]
    public static partial void FlowFailed(ILogger logger, string service, EndPoint client, string message);

    [LoggerMessage(119, LogLevel.Error, "{Service}: failed to receive on {Listen}")]
    public static partial void UdpReceiveFailed(ILogger logger, string service, EndPoint? listen, Exception exception);

    [LoggerMessage(120, LogLevel.Warning, "{Service}: the container refused datagrams at {Backend} (ICMP port unreachable): checking that it still runs")]
    public static partial void UdpUnreachable(ILogger logger, string service, EndPoint backend);
}
