using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Podwake.Proxy;

/// <summary>
/// The flows of one udp listener, by client address: opening a flow for a new client (evicting the idlest when the table
/// is full, <see cref="UdpFlowEviction"/>), sweeping the ones quiet for flow idle, removing ended ones, the reply buffers
/// flows may keep, and the report of datagrams still buffered when a flow ends.
/// </summary>
internal sealed class UdpFlowTable
{
    /// <summary>
    /// Flows that keep a 64 KiB reply buffer for their life (4 MiB per listener at most): receiving straight into a kept
    /// buffer is one syscall per reply, where a flow without one peeks first (see <c>UdpFlow.RelayRepliesAsync</c>).
    /// </summary>
    internal const int KeptReplyBuffers = 64;

    private readonly UdpProxyListener _listener;
    private readonly AddressFamily _family;
    private readonly IServiceGate _activator;
    private readonly int _containerPort;
    private readonly DatagramAccounting _accounting;
    private readonly TimeSpan _flowIdle;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationToken _stopping;
    private readonly ConcurrentDictionary<SocketAddress, UdpFlow> _flows = new();
    private readonly UdpFlowEviction _eviction;
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ITimer _sweeper;
    private readonly HeldDropReport _heldLost;
    private readonly HeldDropReport _heldEvicted;
    private int _running;
    private int _keptReplyBuffers;

    /// <param name="listener">The listener the flows reply through.</param>
    /// <param name="family">The listen socket's address family (that of every client address).</param>
    /// <param name="stopping">Cancelled when the listener stops: flows end, and no new one opens.</param>
    public UdpFlowTable(
        UdpProxyListener listener, AddressFamily family, IServiceGate activator, int containerPort, Specs.UdpSpec udp,
        FileDescriptorBudget budget, TimeProvider time, ILogger logger, CancellationToken stopping)
    {
        _listener = listener;
        _family = family;
        _activator = activator;
        _containerPort = containerPort;
        _accounting = activator.Datagrams;
        _flowIdle = udp.FlowIdle;
        _eviction = new UdpFlowEviction(udp.MaxFlows, budget, time.TimestampFrequency);
        _time = time;
        _logger = logger;
        _stopping = stopping;
        _heldLost = new HeldDropReport(time);
        _heldEvicted = new HeldDropReport(time);
        _sweeper = time.CreateTimer(static s => ((UdpFlowTable)s!).Sweep(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Flows in the table now (ready or waiting for a wake).</summary>
    public int Count => _flows.Count;

    internal long Now => _time.GetTimestamp();

    /// <summary>The flow of this client address, if one is open.</summary>
    public bool TryGet(SocketAddress client, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out UdpFlow flow) => _flows.TryGetValue(client, out flow);

    /// <summary>Starts the sweep of idle flows.</summary>
    public void Start()
    {
        // A quarter of flow idle: a flow ends between 1 and 1.25 flow idles after its last datagram.
        var period = TimeSpan.FromTicks(Math.Clamp(_flowIdle.Ticks / 4, TimeSpan.FromMilliseconds(50).Ticks, TimeSpan.FromSeconds(5).Ticks));
        _sweeper.Change(period, period);
    }

    /// <summary>
    /// A new flow for a new client, evicting the flow idle longest when the table is full; null when nothing can be
    /// evicted. Only the receive loop opens flows, so this runs on one thread at a time.
    /// </summary>
    public UdpFlow? Open(SocketAddress from, long now)
    {
        // The receive loop reuses `from`: the table keeps its own copy.
        var client = new SocketAddress(from.Family, from.Size);
        from.Buffer.Span[..from.Size].CopyTo(client.Buffer.Span);
        var endpoint = (_family == AddressFamily.InterNetworkV6 ? new IPEndPoint(IPAddress.IPv6Any, 0) : new IPEndPoint(IPAddress.Any, 0)).Create(client);
        if (!MakeRoom(endpoint, now))
        {
            return null;
        }

        var flow = new UdpFlow(this, _listener, _accounting, client, endpoint, now);
        _flows[client] = flow;
        _accounting.FlowOpened();
        Interlocked.Increment(ref _running);
        ProxyLog.FlowOpened(_logger, _activator.Name, endpoint);
        _ = RunFlowAsync(flow);
        return flow;
    }

    /// <summary>Takes a flow found closed out of the table, so the next datagram of its client opens a new one.</summary>
    public void Forget(UdpFlow flow) => _flows.TryRemove(new KeyValuePair<SocketAddress, UdpFlow>(flow.Client, flow));

    /// <summary>Called once per flow, by its <see cref="UdpFlow.Close()"/>: its room in the table and the fd budget is free again.</summary>
    internal void Remove(UdpFlow flow)
    {
        _eviction.Give();
        if (_flows.TryRemove(new KeyValuePair<SocketAddress, UdpFlow>(flow.Client, flow)))
        {
            ProxyLog.FlowEnded(_logger, _activator.Name, flow.ClientEndPoint);
        }
    }

    /// <summary>
    /// A reply buffer a flow may keep while it lives, or null when <see cref="KeptReplyBuffers"/> flows already keep one.
    /// Return it with <see cref="ReturnReplyBuffer"/>.
    /// </summary>
    internal byte[]? TryRentReplyBuffer()
    {
        if (Interlocked.Increment(ref _keptReplyBuffers) > KeptReplyBuffers)
        {
            Interlocked.Decrement(ref _keptReplyBuffers);
            return null;
        }

        return ArrayPool<byte>.Shared.Rent(UdpFlow.ReplyBufferSize);
    }

    internal void ReturnReplyBuffer(byte[] buffer)
    {
        ArrayPool<byte>.Shared.Return(buffer);
        Interlocked.Decrement(ref _keptReplyBuffers);
    }

    /// <summary>A flow ended with datagrams still buffered: counted, and logged at most once a second per reason (<see cref="HeldDropReport"/>).</summary>
    internal void OnHeldDropped(UdpFlow flow, int count, bool evicted)
    {
        _accounting.CountDropped(count);
        if (evicted)
        {
            LogHeldEvicted(_heldEvicted.Add(count, flow.ClientEndPoint));
        }
        else
        {
            LogHeldLost(_heldLost.Add(count, flow.ClientEndPoint));
        }
    }

    /// <summary>Stops the sweep (first thing when the listener stops, before its socket closes).</summary>
    public ValueTask StopSweepingAsync() => _sweeper.DisposeAsync();

    /// <summary>Ends every flow (dropping what is buffered), waits for them and logs the last drops.</summary>
    public async Task CloseAllAsync()
    {
        foreach (var (_, flow) in _flows)
        {
            flow.Close();
        }

        if (Volatile.Read(ref _running) > 0)
        {
            await _drained.Task.WaitAsync(TimeSpan.FromSeconds(5), _time).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        ReportHeldDrops(final: true);
    }

    /// <summary>
    /// Takes room for one more flow: within <c>udp.max_flows</c> and the process's fd budget, evicting this listener's
    /// flows idle longest until there is. False (the datagram is dropped) only when the budget is spent by other
    /// listeners and this one has nothing to evict.
    /// </summary>
    private bool MakeRoom(EndPoint client, long now)
    {
        var evicted = 0;
        while (!_eviction.TryTake())
        {
            if (!_eviction.TryEvictNow(now))
            {
                if (!_eviction.RateLimited)
                {
                    _eviction.RateLimited = true;
                    ProxyLog.EvictionRateLimited(_logger, _activator.Name, _listener.LocalEndPoint, _eviction.MaxFlows, client);
                }

                return false;
            }

            if (_eviction.NextVictim(_flows) is not { } victim)
            {
                if (!_eviction.BudgetWarned)
                {
                    _eviction.BudgetWarned = true;
                    ProxyLog.FlowBudgetExhausted(_logger, _activator.Name, _listener.LocalEndPoint, _eviction.Budget.MaxFlows, _eviction.Budget.Limit, _eviction.Budget.Reserve, client);
                }

                return false;
            }

            if (!_eviction.Evicting)
            {
                _eviction.Evicting = true;
                ProxyLog.Evicting(_logger, _activator.Name, _listener.LocalEndPoint, _eviction.Flows, _eviction.MaxFlows, _eviction.Budget.MaxFlows, victim.ClientEndPoint);
            }

            evicted++;
            _accounting.CountEvicted();
            _eviction.RunEvictions++;
            victim.Evict();
        }

        if (evicted == 0 && _eviction.Evicting)
        {
            // A new client found room without evicting: the run of evictions is over.
            ProxyLog.EvictionsEnded(_logger, _activator.Name, _listener.LocalEndPoint, _eviction.RunEvictions);
            _eviction.Evicting = false;
            _eviction.RunEvictions = 0;
        }

        _eviction.BudgetWarned = false;
        _eviction.RateLimited = false;
        return true;
    }

    private async Task RunFlowAsync(UdpFlow flow)
    {
        // Off the receive loop: the flow's first await (the wake) must not delay the next datagram.
        await Task.Yield();
        try
        {
            await flow.RunAsync(_activator, _containerPort, _stopping).ConfigureAwait(false);
        }
        finally
        {
            if (Interlocked.Decrement(ref _running) == 0 && _stopping.IsCancellationRequested)
            {
                _drained.TrySetResult();
            }
        }
    }

    /// <summary>Ends flows that were quiet for flow idle; a flow still waiting for its wake is left alone.</summary>
    private void Sweep()
    {
        ReportHeldDrops();
        foreach (var (_, flow) in _flows)
        {
            if (flow.IsReady && _time.GetElapsedTime(flow.LastActivity) >= _flowIdle)
            {
                ProxyLog.FlowIdle(_logger, _activator.Name, flow.ClientEndPoint, _flowIdle.TotalSeconds);
                flow.Close();
            }
        }
    }

    /// <summary>Logs the drops counted since the last line, once that is a second ago (the sweep calls it, and stop).</summary>
    private void ReportHeldDrops(bool final = false)
    {
        LogHeldEvicted(_heldEvicted.Flush(final));
        LogHeldLost(_heldLost.Flush(final));
    }

    private void LogHeldEvicted(HeldDropSummary? summary)
    {
        if (summary is { } s)
        {
            ProxyLog.HeldEvicted(_logger, _activator.Name, s.Datagrams, s.Flows, s.Latest);
        }
    }

    private void LogHeldLost(HeldDropSummary? summary)
    {
        if (summary is { } s)
        {
            ProxyLog.HeldDropped(_logger, _activator.Name, s.Datagrams, s.Flows, s.Latest);
        }
    }
}
