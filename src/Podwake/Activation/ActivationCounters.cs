using Podwake.Proxy;

namespace Podwake.Activation;

/// <summary>
/// What <c>podwake status</c> shows of a service's history: wakes, failures, restarts, rejections, the last wake and
/// the last error. Not thread-safe: the activator calls it under its lock.
/// </summary>
internal sealed class ActivationCounters
{
    private long _rejected;
    private long _wakes;
    private long _failedWakes;
    private long _restarts;
    private double? _lastWakeMilliseconds;
    private DateTimeOffset? _lastWakeAt;
    private string? _lastError;
    private long _droppedBefore;
    private long _evictedBefore;

    /// <summary>Carries on from the counts an earlier process of this service left (<c>podwake activate</c> exits when idle).</summary>
    public void Restore(ServiceStatus last)
    {
        _rejected = last.RejectedConnections;
        _wakes = last.Wakes;
        _failedWakes = last.FailedWakes;
        _restarts = last.Restarts;
        _lastWakeMilliseconds = last.LastWakeMilliseconds;
        _lastWakeAt = last.LastWakeAt;
        _droppedBefore = last.DroppedDatagrams;
        _evictedBefore = last.EvictedFlows;
    }

    public void Rejected() => _rejected++;

    public void Restarted() => _restarts++;

    public void WakeFailed(string reason)
    {
        _failedWakes++;
        _lastError = reason;
    }

    public void Woke(double milliseconds, DateTimeOffset at)
    {
        _wakes++;
        _lastWakeMilliseconds = milliseconds;
        _lastWakeAt = at;
        _lastError = null;
    }

    public ServiceStatus ToStatus(string name, ServiceState state, int open, int held, double? idleRemainingSeconds, DatagramAccounting datagrams) => new()
    {
        Name = name,
        State = state,
        OpenConnections = open,
        HeldConnections = held,
        RejectedConnections = _rejected,
        Wakes = _wakes,
        FailedWakes = _failedWakes,
        Restarts = _restarts,
        LastWakeMilliseconds = _lastWakeMilliseconds,
        LastWakeAt = _lastWakeAt,
        IdleRemainingSeconds = idleRemainingSeconds,
        LastError = _lastError,
        LiveFlows = datagrams.LiveFlows,
        HeldDatagrams = datagrams.HeldDatagrams,
        DroppedDatagrams = _droppedBefore + datagrams.Dropped,
        EvictedFlows = _evictedBefore + datagrams.EvictedFlows,
    };
}
