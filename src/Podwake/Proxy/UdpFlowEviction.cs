using System.Collections.Concurrent;
using System.Net;

namespace Podwake.Proxy;

/// <summary>
/// The bound of one udp listener's flow table: at most <c>udp.max_flows</c> flows, within the process's
/// <see cref="FileDescriptorBudget"/>, and which flow goes when a new client needs room: the one idle longest.
/// </summary>
/// <remarks>
/// Finding the idlest flow is a scan of the table; under a flood every new datagram needs an eviction, so one scan
/// sorts the table and keeps its idlest <see cref="BatchSize"/> as candidates, each evicted only if it has had no
/// datagram since the scan (else it is skipped). Touched by the listener's receive loop only, except the counters.
/// </remarks>
internal sealed class UdpFlowEviction
{
    private readonly Queue<(UdpFlow Flow, long Seen)> _candidates = new();
    private readonly long _frequency;
    private int _flows;
    private double _tokens;
    private long _refilledAt;

    /// <param name="frequency">Ticks per second of the timestamps <see cref="TryEvictNow"/> gets (<see cref="TimeProvider.TimestampFrequency"/>).</param>
    public UdpFlowEviction(int maxFlows, FileDescriptorBudget budget, long frequency)
    {
        MaxFlows = maxFlows;
        Budget = budget;
        BatchSize = Math.Clamp(maxFlows / 16, 1, 256);
        _frequency = frequency;
        _tokens = maxFlows;
    }

    public int MaxFlows { get; }

    public FileDescriptorBudget Budget { get; }

    /// <summary>Candidates one scan keeps: a sixteenth of the table, so a flood pays one scan per that many new clients.</summary>
    public int BatchSize { get; }

    /// <summary>Flows of this listener now.</summary>
    public int Flows => Volatile.Read(ref _flows);

    /// <summary>A run of evictions is under way (it was logged once).</summary>
    public bool Evicting { get; set; }

    /// <summary>Evictions in the current run.</summary>
    public long RunEvictions { get; set; }

    /// <summary>The budget's exhaustion was logged since room was last found.</summary>
    public bool BudgetWarned { get; set; }

    /// <summary>Evictions were refused for their rate since room was last found (logged once).</summary>
    public bool RateLimited { get; set; }

    /// <summary>
    /// Whether one more eviction may happen now: at most <see cref="MaxFlows"/> a second (a token bucket as deep as the
    /// table), i.e. a full table turns over at most once a second. Opening a flow (a socket, a connect, often a setns)
    /// costs far more than reading a datagram: with evictions unbounded, 100,000 new sources kept the receive loop
    /// opening and evicting flows (about 4,000 a second here) while the kernel dropped two thirds of the flood from the
    /// listen socket's queue, a legitimate client's datagrams among them (14 of 20 answered). Past the rate, datagrams
    /// of new clients are read and dropped (counted), which keeps that queue drained for the flows that exist.
    /// </summary>
    public bool TryEvictNow(long now)
    {
        var elapsed = (now - _refilledAt) / (double)_frequency;
        _refilledAt = now;
        _tokens = Math.Min(MaxFlows, _tokens + (elapsed * MaxFlows));
        if (_tokens < 1)
        {
            return false;
        }

        _tokens--;
        return true;
    }

    /// <summary>Room for one more flow in this table and in the process's budget; false (nothing taken) when either is full.</summary>
    public bool TryTake()
    {
        if (Interlocked.Increment(ref _flows) > MaxFlows)
        {
            Interlocked.Decrement(ref _flows);
            return false;
        }

        if (!Budget.TryTake())
        {
            Interlocked.Decrement(ref _flows);
            return false;
        }

        return true;
    }

    /// <summary>A flow ended: its room is free.</summary>
    public void Give()
    {
        Interlocked.Decrement(ref _flows);
        Budget.Give();
    }

    /// <summary>The flow idle longest (as of the last scan, and quiet since); null when the table is empty.</summary>
    public UdpFlow? NextVictim(ConcurrentDictionary<SocketAddress, UdpFlow> flows)
    {
        for (var scans = 0; ; scans++)
        {
            while (_candidates.TryDequeue(out var candidate))
            {
                // After two scans found only flows that had a datagram meanwhile, take the idlest anyway.
                if (!candidate.Flow.IsClosed && (candidate.Flow.LastActivity == candidate.Seen || scans > 2))
                {
                    return candidate.Flow;
                }
            }

            if (!Scan(flows))
            {
                return null;
            }
        }
    }

    private bool Scan(ConcurrentDictionary<SocketAddress, UdpFlow> flows)
    {
        var all = new List<(UdpFlow Flow, long Seen)>(Math.Max(Flows, 16));
        foreach (var (_, flow) in flows)
        {
            if (!flow.IsClosed)
            {
                all.Add((flow, flow.LastActivity));
            }
        }

        if (all.Count == 0)
        {
            return false;
        }

        all.Sort(static (a, b) => a.Seen.CompareTo(b.Seen));
        foreach (var candidate in all.Take(BatchSize))
        {
            _candidates.Enqueue(candidate);
        }

        return true;
    }
}
