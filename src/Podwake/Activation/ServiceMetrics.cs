using Podwake.Proxy;

namespace Podwake.Activation;

/// <summary>
/// The counters and wake-phase histograms of one service beyond what <see cref="ActivationCounters"/> keeps for
/// <c>podwake status</c>. Counters are touched on the connection path, so they are lock-free; the histograms are
/// observed once per wake, under a lock of their own.
/// </summary>
internal sealed class ServiceMetrics
{
    private readonly Lock _lock = new();
    private readonly WakeHistogram[] _phases = [.. WakePhaseText.All.Select(_ => new WakeHistogram())];
    private readonly WakeHistogram _toFirstByte = new();
    private long _accepted;
    private long _held;
    private long _idleStops;
    private long _udpFlowsBefore;
    private long _bytesToService;
    private long _bytesToClient;
    private long _updates;
    private long _rollbacks;

    public void Accepted() => Interlocked.Increment(ref _accepted);

    public void Held() => Interlocked.Increment(ref _held);

    public void IdleStopped() => Interlocked.Increment(ref _idleStops);

    public void Updated(ReplaceOutcome outcome)
    {
        if (outcome.Replaced)
        {
            Interlocked.Increment(ref _updates);
        }
        else if (outcome.RolledBack)
        {
            Interlocked.Increment(ref _rollbacks);
        }
    }

    public void Transferred(long toService, long toClient)
    {
        if (toService > 0)
        {
            Interlocked.Add(ref _bytesToService, toService);
        }

        if (toClient > 0)
        {
            Interlocked.Add(ref _bytesToClient, toClient);
        }
    }

    /// <summary>The phases up to ready, when the wake is ready (the first byte comes later, or never).</summary>
    public void ObserveReady(WakeTimeline wake, TimeProvider time)
    {
        lock (_lock)
        {
            _phases[(int)WakePhase.StartRequested].Observe(time.GetElapsedTime(wake.AcceptedAt, wake.StartRequestedAt).TotalSeconds);
            _phases[(int)WakePhase.Running].Observe(time.GetElapsedTime(wake.StartRequestedAt, wake.RunningAt).TotalSeconds);
            _phases[(int)WakePhase.Ready].Observe(time.GetElapsedTime(wake.RunningAt, wake.ReadyAt).TotalSeconds);
        }
    }

    /// <summary>The last phase and the whole wake, when the first byte of the woken run went back to a client.</summary>
    public void ObserveFirstByte(WakeTimeline wake, long firstByteAt, TimeProvider time)
    {
        lock (_lock)
        {
            _phases[(int)WakePhase.FirstByte].Observe(time.GetElapsedTime(wake.ReadyAt, firstByteAt).TotalSeconds);
            _toFirstByte.Observe(time.GetElapsedTime(wake.AcceptedAt, firstByteAt).TotalSeconds);
        }
    }

    public MetricsData ToData(DatagramAccounting datagrams)
    {
        lock (_lock)
        {
            return new MetricsData
            {
                ConnectionsAccepted = Interlocked.Read(ref _accepted),
                ConnectionsHeld = Interlocked.Read(ref _held),
                IdleStops = Interlocked.Read(ref _idleStops),
                UdpFlows = _udpFlowsBefore + datagrams.FlowsOpened,
                BytesToService = Interlocked.Read(ref _bytesToService),
                BytesToClient = Interlocked.Read(ref _bytesToClient),
                Updates = Interlocked.Read(ref _updates),
                Rollbacks = Interlocked.Read(ref _rollbacks),
                WakePhases = WakePhaseText.All.ToDictionary(p => p.ToText(), p => _phases[(int)p].ToData()),
                WakeToFirstByte = _toFirstByte.ToData(),
            };
        }
    }

    /// <summary>Carries on from the counts an earlier process of this service left (called before any traffic).</summary>
    public void Restore(MetricsData? data)
    {
        if (data is null)
        {
            return;
        }

        lock (_lock)
        {
            _accepted = data.ConnectionsAccepted;
            _held = data.ConnectionsHeld;
            _idleStops = data.IdleStops;
            _udpFlowsBefore = data.UdpFlows;
            _bytesToService = data.BytesToService;
            _bytesToClient = data.BytesToClient;
            _updates = data.Updates;
            _rollbacks = data.Rollbacks;
            foreach (var phase in WakePhaseText.All)
            {
                _phases[(int)phase].Restore(data.WakePhases.GetValueOrDefault(phase.ToText()));
            }

            _toFirstByte.Restore(data.WakeToFirstByte);
        }
    }
}
