using System.Net;
using Microsoft.Extensions.Logging;

namespace Podwake.Proxy;

/// <summary>The flow table's bound (<c>udp.max_flows</c> and the process's fd budget).</summary>
internal static partial class ProxyLog
{
    [LoggerMessage(130, LogLevel.Warning, "{Service}: udp flow table of {Listen} full ({Flows} flows; udp.max_flows {MaxFlows}, {Budget} for the whole process): evicting the flows idle longest (first {Client}) to make room for new clients; status counts them in evicted_flows")]
    public static partial void Evicting(ILogger logger, string service, EndPoint? listen, int flows, int maxFlows, int budget, EndPoint client);

    [LoggerMessage(131, LogLevel.Warning, "{Service}: the process holds its most udp flows ({Budget}: open-file limit {Limit} less {Reserve} kept for tcp and podman) and {Listen} has none to evict: dropping datagrams from new clients such as {Client}")]
    public static partial void FlowBudgetExhausted(ILogger logger, string service, EndPoint? listen, int budget, int limit, int reserve, EndPoint client);

    [LoggerMessage(133, LogLevel.Warning, "{Service}: udp flow table of {Listen} full and turning over at its most ({MaxFlows} evictions a second, udp.max_flows): dropping datagrams from new clients such as {Client}; existing flows are served")]
    public static partial void EvictionRateLimited(ILogger logger, string service, EndPoint? listen, int maxFlows, EndPoint client);

    [LoggerMessage(132, LogLevel.Information, "{Service}: udp flow table of {Listen} has room again after {Evicted} evictions")]
    public static partial void EvictionsEnded(ILogger logger, string service, EndPoint? listen, long evicted);
}
