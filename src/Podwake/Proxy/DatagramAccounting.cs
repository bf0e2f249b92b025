namespace Podwake.Proxy;

/// <summary>
/// A service's UDP bookkeeping, shared by all of its udp listeners: live flows, and the datagram
/// buffer that fills while the service is dormant or waking. The buffer bound is per service (as
/// <c>hold:</c> is) so that one busy port cannot make the service's memory unbounded by having
/// many siblings. Lock-free: it is touched on the datagram path.
/// </summary>
internal sealed class DatagramAccounting
{
    private readonly int _maxDatagrams;
    private readonly long _maxBytes;
    private int _flows;
    private long _flowsOpened;
    private int _heldDatagrams;
    private long _heldBytes;
    private long _dropped;
    private long _evicted;

    public DatagramAccounting(int maxDatagrams, long maxBytes)
    {
        _maxDatagrams = maxDatagrams;
        _maxBytes = maxBytes;
    }

    public int LiveFlows => Volatile.Read(ref _flows);

    public int HeldDatagrams => Volatile.Read(ref _heldDatagrams);

    public long HeldBytes => Interlocked.Read(ref _heldBytes);

    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Flows ended early to make room for a new client (<c>udp.max_flows</c>, or the process's fd budget).</summary>
    public long EvictedFlows => Interlocked.Read(ref _evicted);

    public void CountEvicted() => Interlocked.Increment(ref _evicted);

    /// <summary>Flows opened since this process started.</summary>
    public long FlowsOpened => Interlocked.Read(ref _flowsOpened);

    public void FlowOpened()
    {
        Interlocked.Increment(ref _flows);
        Interlocked.Increment(ref _flowsOpened);
    }

    public void FlowClosed() => Interlocked.Decrement(ref _flows);

    /// <summary>Reserves room for one buffered datagram of <paramref name="bytes"/>; false (and nothing reserved) past either bound.</summary>
    public bool TryHold(int bytes)
    {
        if (Interlocked.Increment(ref _heldDatagrams) > _maxDatagrams)
        {
            Interlocked.Decrement(ref _heldDatagrams);
            return false;
        }

        if (Interlocked.Add(ref _heldBytes, bytes) > _maxBytes)
        {
            Interlocked.Add(ref _heldBytes, -bytes);
            Interlocked.Decrement(ref _heldDatagrams);
            return false;
        }

        return true;
    }

    /// <summary>Gives back what <see cref="TryHold"/> reserved, once the datagram is sent or dropped.</summary>
    public void Unhold(int bytes)
    {
        Interlocked.Add(ref _heldBytes, -bytes);
        Interlocked.Decrement(ref _heldDatagrams);
    }

    /// <summary>Counts datagrams that were not delivered (past the bound, failed wake, unreachable container).</summary>
    public long CountDropped(int datagrams = 1) => Interlocked.Add(ref _dropped, datagrams);
}
