using System.Net;
using System.Net.Sockets;

namespace Podwake.Proxy;

/// <summary>The flow table: opening a flow for a new client (evicting the idlest when full), sweeping idle ones, removing ended ones.</summary>
internal sealed partial class UdpProxyListener
{
    /// <summary>A new flow for a new client, evicting the flow idle longest when the table is full; null when nothing can be evicted.</summary>
    private UdpFlow? OpenFlow(SocketAddress from, long now)
    {
        // The receive loop reuses `from`: the table keeps its own copy.
        var client = new SocketAddress(from.Family, from.Size);
        from.Buffer.Span[..from.Size].CopyTo(client.Buffer.Span);
        var endpoint = (_listener.AddressFamily == AddressFamily.InterNetworkV6 ? new IPEndPoint(IPAddress.IPv6Any, 0) : new IPEndPoint(IPAddress.Any, 0)).Create(client);
        if (!MakeRoom(endpoint, now))
        {
            return null;
        }

        var flow = new UdpFlow(this, _accounting, client, endpoint, now);
        _flows[client] = flow;
        _accounting.FlowOpened();
        Interlocked.Increment(ref _running);
        ProxyLog.FlowOpened(_logger, _activator.Name, endpoint);
        _ = RunFlowAsync(flow);
        return flow;
    }

    /// <summary>
    /// Takes room for one more flow: within <c>udp.max_flows</c> and the process's fd budget, evicting this listener's
    /// flows idle longest until there is. False (the datagram is dropped) only when the budget is spent by other
    /// listeners and this one has nothing to evict. Only the receive loop opens flows, so this runs on one thread at a time.
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
            await flow.RunAsync(_activator, _containerPort, _stopping.Token).ConfigureAwait(false);
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

    /// <summary>Called once per flow, by its <see cref="UdpFlow.Close()"/>: its room in the table and the fd budget is free again.</summary>
    internal void Remove(UdpFlow flow)
    {
        _eviction.Give();
        if (_flows.TryRemove(new KeyValuePair<SocketAddress, UdpFlow>(flow.Client, flow)))
        {
            ProxyLog.FlowEnded(_logger, _activator.Name, flow.ClientEndPoint);
        }
    }
}
