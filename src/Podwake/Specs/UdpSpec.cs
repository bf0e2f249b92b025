namespace Podwake.Specs;

/// <summary>
/// <c>udp:</c>, a podwake extension to the service-file contract: the flow table and datagram buffer of
/// a service's <c>protocol: udp</c> ports. The service-file contract asks for both to be bounded and configurable
/// without naming keys; every key is optional and the defaults fit DNS-like request/response traffic.
/// </summary>
internal sealed record UdpSpec
{
    /// <summary>As Linux conntrack's nf_conntrack_udp_timeout: a client silent this long has gone.</summary>
    public static readonly TimeSpan DefaultFlowIdle = TimeSpan.FromSeconds(30);

    /// <summary>A burst of a few thousand small datagrams during a wake fits; one more than the bench's burst.</summary>
    public const int DefaultHoldDatagrams = 4096;

    /// <summary>4 MiB: the host's default net.core.rmem_max, i.e. no more than one socket buffer could hold.</summary>
    public const long DefaultHoldBytes = 4L * 1024 * 1024;

    /// <summary>
    /// 1024 flows per udp port. Each flow holds one file descriptor (its connected backend socket) and a lease, and a
    /// full table evicts the flow idle longest: so a flood from new source addresses costs at most this many sockets
    /// per port (without a bound, 100,000 spoofable loopback sources took serve to its 20,000-fd limit and 2.2 GB, and
    /// TCP accepts failed with "Too many open files"). 1024 is Linux's default soft RLIMIT_NOFILE, i.e. what one
    /// ordinary process may hold open, and far more concurrent clients than a DNS-like service of one host has; raise
    /// it for more (the table's memory is about a kilobyte per flow).
    /// </summary>
    public const int DefaultMaxFlows = 1024;

    /// <summary>The largest <c>udp.max_flows</c> accepted: Linux's default fs.nr_open, the most fds a process can have.</summary>
    public const int MaxMaxFlows = 1024 * 1024;

    /// <summary>A client's flow (its own backend socket and lease) ends after this long with no datagram either way.</summary>
    public TimeSpan FlowIdle { get; init; } = DefaultFlowIdle;

    /// <summary>Most datagrams buffered across the service's udp ports while it is dormant or waking.</summary>
    public int HoldDatagrams { get; init; } = DefaultHoldDatagrams;

    /// <summary>Most payload bytes buffered across the service's udp ports while it is dormant or waking.</summary>
    public long HoldBytes { get; init; } = DefaultHoldBytes;

    /// <summary>Most flows (client addresses) at once per udp port; a new client past it evicts the flow idle longest.</summary>
    public int MaxFlows { get; init; } = DefaultMaxFlows;
}
