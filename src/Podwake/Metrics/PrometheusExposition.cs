using Podwake.Activation;
using Prometheus;

namespace Podwake.Metrics;

/// <summary>
/// The Prometheus text exposition of services' states, counters and wake histograms, made with prometheus-net from
/// <see cref="ServiceStatus"/> snapshots. A registry is built per scrape: in systemd mode the numbers come from
/// activators that may have exited (their last-state files), not from instruments living in this process. A histogram
/// is replayed bucket by bucket (its count at the mean of its own sum), which gives back the exact bucket counts and
/// the exact sum.
/// </summary>
internal static class PrometheusExposition
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private static readonly string[] Service = ["service"];

    public static async Task WriteAsync(Stream stream, IReadOnlyList<ServiceStatus> services, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);

        var state = Gauge(factory, "podwake_service_state", "1 for the state the service is in, 0 for the others.", "service", "state");
        var open = Gauge(factory, "podwake_open_connections", "Connections and UDP flows open now, held ones included.");
        var held = Gauge(factory, "podwake_held_connections", "Connections waiting for a wake now.");
        var flows = Gauge(factory, "podwake_udp_live_flows", "UDP flows (one per client address and port) alive now.");
        var sinceWake = Gauge(factory, "podwake_seconds_since_last_wake", "Seconds since the last successful wake got ready.");

        var wakes = Counter(factory, "podwake_wakes_total", "Successful wakes.");
        var failedWakes = Counter(factory, "podwake_wake_failures_total", "Wakes that failed (the container exited, was not ready in time, or could not start).");
        var idleStops = Counter(factory, "podwake_idle_stops_total", "Containers stopped after the idle time with no connection.");
        var restarts = Counter(factory, "podwake_restarts_total", "Runs restarted after they exited on their own (restart: policy).");
        var accepted = Counter(factory, "podwake_connections_accepted_total", "Connections and UDP flows that asked for the service.");
        var heldTotal = Counter(factory, "podwake_connections_held_total", "Connections and UDP flows that waited for a wake.");
        var rejected = Counter(factory, "podwake_connections_rejected_total", "Connections closed because more than hold: were waiting.");
        var udpFlows = Counter(factory, "podwake_udp_flows_total", "UDP flows opened.");
        var dropped = Counter(factory, "podwake_udp_datagrams_dropped_total", "UDP datagrams not delivered (past the buffer bound, failed wake, unreachable container).");
        var evicted = Counter(factory, "podwake_udp_flows_evicted_total", "UDP flows ended early to make room for new clients.");
        var bytes = Counter(factory, "podwake_proxied_bytes_total", "Bytes proxied, by direction (TCP counted when a connection ends).", "service", "direction");
        var updates = Counter(factory, "podwake_updates_total", "Updates that put a new image in service.");
        var rollbacks = Counter(factory, "podwake_rollbacks_total", "Updates whose new container failed, so the old one served on.");

        var buckets = WakeHistogram.UpperBounds.ToArray();
        var phases = factory.CreateHistogram("podwake_wake_duration_seconds",
            "Wake phases, each named after the moment it ends at: start_requested (from the connection accepted), running (the container runs), ready (the probe passed), first_byte (the first answer reached a client).",
            new HistogramConfiguration { LabelNames = ["service", "phase"], Buckets = buckets });
        var whole = factory.CreateHistogram("podwake_wake_to_first_byte_seconds",
            "Whole wakes: from the connection that started the wake to the first byte that reached a client.",
            new HistogramConfiguration { LabelNames = Service, Buckets = buckets });

        foreach (var service in services.Where(s => s.Sidecars is null))
        {
            var name = service.Name;
            foreach (var text in ServiceStateText.Table.Texts)
            {
                state.WithLabels(name, text).Set(service.State.ToText() == text ? 1 : 0);
            }

            open.WithLabels(name).Set(service.OpenConnections);
            held.WithLabels(name).Set(service.HeldConnections);
            flows.WithLabels(name).Set(service.LiveFlows);
            if (service.LastWakeAt is { } lastWake)
            {
                sinceWake.WithLabels(name).Set(Math.Max(0, (now - lastWake).TotalSeconds));
            }

            var data = service.Metrics ?? new MetricsData();
            wakes.WithLabels(name).IncTo(service.Wakes);
            failedWakes.WithLabels(name).IncTo(service.FailedWakes);
            idleStops.WithLabels(name).IncTo(data.IdleStops);
            restarts.WithLabels(name).IncTo(service.Restarts);
            accepted.WithLabels(name).IncTo(data.ConnectionsAccepted);
            heldTotal.WithLabels(name).IncTo(data.ConnectionsHeld);
            rejected.WithLabels(name).IncTo(service.RejectedConnections);
            udpFlows.WithLabels(name).IncTo(data.UdpFlows);
            dropped.WithLabels(name).IncTo(service.DroppedDatagrams);
            evicted.WithLabels(name).IncTo(service.EvictedFlows);
            bytes.WithLabels(name, "to_service").IncTo(data.BytesToService);
            bytes.WithLabels(name, "to_client").IncTo(data.BytesToClient);
            updates.WithLabels(name).IncTo(data.Updates);
            rollbacks.WithLabels(name).IncTo(data.Rollbacks);

            foreach (var phase in WakePhaseText.All)
            {
                Replay(phases.WithLabels(name, phase.ToText()), data.WakePhases.GetValueOrDefault(phase.ToText()));
            }

            Replay(whole.WithLabels(name), data.WakeToFirstByte);
        }

        await registry.CollectAndExportAsTextAsync(stream, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Each bucket's observations as its count at their mean, kept inside the bucket's bounds against rounding.</summary>
    private static void Replay(Histogram.Child histogram, WakeHistogramData? data)
    {
        if (data is null || data.Counts.Count != WakeHistogram.UpperBounds.Count + 1 || data.Sums.Count != data.Counts.Count)
        {
            return;
        }

        for (var bucket = 0; bucket < data.Counts.Count; bucket++)
        {
            var count = data.Counts[bucket];
            if (count <= 0)
            {
                continue;
            }

            var mean = data.Sums[bucket] / count;
            var upper = bucket < WakeHistogram.UpperBounds.Count ? WakeHistogram.UpperBounds[bucket] : double.PositiveInfinity;
            var lower = bucket == 0 ? 0 : Math.BitIncrement(WakeHistogram.UpperBounds[bucket - 1]);
            histogram.Observe(Math.Clamp(mean, lower, upper), count);
        }
    }

    private static Gauge Gauge(MetricFactory factory, string name, string help, params string[] labels) =>
        factory.CreateGauge(name, help, new GaugeConfiguration { LabelNames = labels.Length == 0 ? Service : labels });

    private static Counter Counter(MetricFactory factory, string name, string help, params string[] labels) =>
        factory.CreateCounter(name, help, new CounterConfiguration { LabelNames = labels.Length == 0 ? Service : labels });
}
