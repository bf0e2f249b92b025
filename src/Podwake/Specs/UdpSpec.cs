namespace Podwake.Specs;

/// <summary>
/// <c>udp:</c>, a podwake extension to the service-file contract: the flow table and datagram buffer of
/// a service's <c>protocol: udp</c> ports. DESIGN.md asks for both to be bounded and configurable
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

    /// <summary>A client's flow (its own backend socket and lease) ends after this long with no datagram either way.</summary>
    public TimeSpan FlowIdle { get; init; } = DefaultFlowIdle;

    /// <summary>Most datagrams buffered across the service's udp ports while it is dormant or waking.</summary>
    public int HoldDatagrams { get; init; } = DefaultHoldDatagrams;

    /// <summary>Most payload bytes buffered across the service's udp ports while it is dormant or waking.</summary>
    public long HoldBytes { get; init; } = DefaultHoldBytes;
}
