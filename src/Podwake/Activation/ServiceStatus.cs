using Podwake.Sidecars;
using Podwake.Updates;

namespace Podwake.Activation;

/// <summary>A snapshot of one service for <c>podwake status</c>.</summary>
internal sealed record ServiceStatus
{
    public required string Name { get; init; }

    public required ServiceState State { get; init; }

    /// <summary>Listen addresses with their protocol, e.g. <c>127.0.0.1:8080/tcp</c>; filled in by the host.</summary>
    public IReadOnlyList<string> Listen { get; init; } = [];

    /// <summary>Connections and UDP flows open now, held ones included.</summary>
    public int OpenConnections { get; init; }

    /// <summary>Connections waiting for a wake.</summary>
    public int HeldConnections { get; init; }

    /// <summary>Connections closed because more than the hold bound were waiting.</summary>
    public long RejectedConnections { get; init; }

    /// <summary>UDP flows (one per client address and port) alive now; each also counts in <see cref="OpenConnections"/>.</summary>
    public int LiveFlows { get; init; }

    /// <summary>UDP datagrams buffered now, waiting for a wake.</summary>
    public int HeldDatagrams { get; init; }

    /// <summary>UDP datagrams not delivered: past the buffer bound, or their wake failed.</summary>
    public long DroppedDatagrams { get; init; }

    /// <summary>UDP flows ended to make room for new clients: the flow table was full (<c>udp.max_flows</c>).</summary>
    public long EvictedFlows { get; init; }

    public long Wakes { get; init; }

    public long FailedWakes { get; init; }

    public long Restarts { get; init; }

    /// <summary>Milliseconds from the start of the last successful wake to ready.</summary>
    public double? LastWakeMilliseconds { get; init; }

    public DateTimeOffset? LastWakeAt { get; init; }

    /// <summary>Seconds until an idle stop, when one is armed.</summary>
    public double? IdleRemainingSeconds { get; init; }

    public string? LastError { get; init; }

    /// <summary>A <c>pod:</c> service's pod (<c>podwake-NAME</c>); null for a single container. Filled in by the host.</summary>
    public string? Pod { get; init; }

    /// <summary>The image reference of the service file; filled in by the host.</summary>
    public string? Image { get; init; }

    /// <summary>The manifest digest of the image the service's container runs (<c>sha256:…</c>); null for an image built here.</summary>
    public string? ImageDigest { get; init; }

    /// <summary>The last update of this service (<c>podwake update</c>, or the periodic one): when, and how it ended.</summary>
    public UpdateResult? LastUpdate { get; init; }

    /// <summary>The Prometheus exposition's counters and wake histograms (<c>podwake metrics</c>, <c>serve --metrics</c>).</summary>
    public MetricsData? Metrics { get; init; }

    /// <summary>A <c>sidecar:</c> service's keys and their containers; null for any other service.</summary>
    public IReadOnlyList<SidecarKeyStatus>? Sidecars { get; init; }
}
