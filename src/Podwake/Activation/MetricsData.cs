namespace Podwake.Activation;

/// <summary>
/// The counters and wake histograms of one service that <c>podwake status</c> does not show, kept with its state (in
/// <c>podwake activate</c>'s last-state file, so they survive the activator's idle exit) and read by the Prometheus
/// exposition. Counters count since the service's state was first kept (a reboot clears the runtime directory).
/// </summary>
internal sealed record MetricsData
{
    /// <summary>Connections and UDP flows that asked for the service.</summary>
    public long ConnectionsAccepted { get; init; }

    /// <summary>Connections and UDP flows that had to wait for a wake.</summary>
    public long ConnectionsHeld { get; init; }

    public long IdleStops { get; init; }

    /// <summary>UDP flows opened (one per client address and port).</summary>
    public long UdpFlows { get; init; }

    /// <summary>Bytes proxied from clients to the service (TCP: counted when a connection ends; UDP: per datagram).</summary>
    public long BytesToService { get; init; }

    /// <summary>Bytes proxied from the service to clients.</summary>
    public long BytesToClient { get; init; }

    /// <summary>Updates that put a new image in service (the activator's own, or <c>serve</c>'s).</summary>
    public long Updates { get; init; }

    /// <summary>Updates whose new container failed, so the old one served on.</summary>
    public long Rollbacks { get; init; }

    /// <summary>Per <see cref="WakePhase"/> (by its text), the durations of the wakes' phases.</summary>
    public IReadOnlyDictionary<string, WakeHistogramData> WakePhases { get; init; } = new Dictionary<string, WakeHistogramData>();

    /// <summary>Whole wakes: accepted to first byte.</summary>
    public WakeHistogramData? WakeToFirstByte { get; init; }
}
