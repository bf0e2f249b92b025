using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Podwake.Proxy;

/// <summary>
/// Receives on one bound udp socket for as long as it runs, dormant or not, and hands each datagram to its client's
/// <see cref="UdpFlow"/> in the <see cref="UdpFlowTable"/>: each client address gets a flow with its own connected
/// backend socket, and replies go back to that client from the listen address. A flow holds a lease from the activator
/// while it lives, so live flows keep the service awake exactly as open TCP connections do; a flow ends after
/// <c>flowIdle</c> without a datagram either way. Datagrams that arrive while the service is dormant or waking are
/// buffered (bounded by the service's <see cref="DatagramAccounting"/>) and sent in arrival order once it is ready, at
/// the rate of the <see cref="UdpPacer"/>. A failure of one flow never stops the listener.
/// </summary>
/// <remarks>
/// Hot path, per datagram: one ReceiveFromAsync into a reused buffer and <see cref="SocketAddress"/>
/// (ValueTask overloads, no allocation), a flow table lookup by that address, one SendAsync on the
/// flow's connected socket; replies take one ReceiveAsync and one SendToAsync. With socket
/// continuations inlined on the epoll thread (Program.cs) that is the whole cost.
/// </remarks>
internal sealed class UdpProxyListener : IAsyncDisposable
{
    /// <summary>Largest datagram a UDP socket can receive (IPv6 jumbograms aside).</summary>
    private const int MaxDatagramSize = 65535;

    /// <summary>
    /// Datagrams the receive loop handles in a row, each already queued when asked for, before it lets go of its
    /// thread. Socket continuations run inline on the epoll thread (Program.cs), and under a flood every receive
    /// completes at once, so without this the loop kept that thread for as long as the flood lasted and no other socket
    /// of the process (TCP accepts, the control socket, replies) got an event.
    /// </summary>
    private const int ReceivesPerYield = 256;

    private readonly Socket _listener;
    private readonly int _containerPort;
    private readonly IServiceGate _activator;
    private readonly DatagramAccounting _accounting;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly UdpFlowTable _flows;
    private int _dropping;
    private long _lastUnreachableReport;
    private Task? _receiveLoop;
    private int _disposed;

    /// <param name="listener">A bound udp socket; the listener owns it from now on.</param>
    /// <param name="udp">
    /// <c>udp:</c>: a flow ends after <c>flow_idle</c> with no datagram either way; past <c>max_flows</c> (or the process's
    /// <paramref name="budget"/>) a new client evicts the flow idle longest.
    /// </param>
    /// <param name="budget">The process's fd budget for flows; <see cref="FileDescriptorBudget.Process"/> unless a test gives its own.</param>
    public UdpProxyListener(Socket listener, int containerPort, IServiceGate activator, Specs.UdpSpec udp, TimeProvider time, ILogger logger, FileDescriptorBudget? budget = null)
    {
        _listener = listener;
        _containerPort = containerPort;
        _activator = activator;
        _accounting = activator.Datagrams;
        _time = time;
        _logger = logger;
        Pacer = new UdpPacer(time);
        _flows = new UdpFlowTable(this, listener.AddressFamily, activator, containerPort, udp, budget ?? FileDescriptorBudget.Process, time, logger, _stopping.Token);
        _lastUnreachableReport = time.GetTimestamp() - time.TimestampFrequency;
    }

    public EndPoint? LocalEndPoint => _listener.LocalEndPoint;

    /// <summary>Flows in the table now (ready or waiting for a wake).</summary>
    public int FlowCount => _flows.Count;

    /// <summary>Paces this listener's sends where a burst would be lost (buffered datagrams, a rootless forwarder).</summary>
    internal UdpPacer Pacer { get; }

    public void Start()
    {
        _flows.Start();
        _receiveLoop = Task.Run(ReceiveLoopAsync);
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = GC.AllocateUninitializedArray<byte>(MaxDatagramSize, pinned: true);
        var from = new SocketAddress(_listener.AddressFamily);
        var inARow = 0;
        while (true)
        {
            int length;
            try
            {
                // No token: registering one per receive costs more than the datagram; disposing the
                // socket ends the pending receive instead.
                var receive = _listener.ReceiveFromAsync(buffer.AsMemory(), SocketFlags.None, from);
                // Only receives that complete at once (a queue that never empties: a flood) count toward a yield; a
                // receive that waited gave the thread back already. Yielding every 64 receives regardless cost 20 % of
                // the UDP round trips in bench/run (44.5k vs 55.3k/s); every 64 completed at once still cost 10 %
                // (50.7k), every 256 nothing measurable (55.8k) while the flood test keeps status and tcp answering.
                inARow = receive.IsCompleted ? inARow + 1 : 0;
                length = await receive.ConfigureAwait(false);
            }
            catch (Exception) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException ex)
            {
                // Transient (ENOMEM, a queued error): keep receiving.
                ProxyLog.UdpReceiveFailed(_logger, _activator.Name, _listener.LocalEndPoint, ex);
                continue;
            }

            await ForwardAsync(buffer.AsMemory(0, length), from).ConfigureAwait(false);
            if (inARow >= ReceivesPerYield)
            {
                inARow = 0;
                await Task.Yield();
            }
        }
    }

    private async ValueTask ForwardAsync(ReadOnlyMemory<byte> datagram, SocketAddress from)
    {
        var now = _time.GetTimestamp();
        // Twice at most: a flow that closed (idle, run lost) just as this datagram came is replaced.
        for (var attempt = 0; attempt < 2; attempt++)
        {
            if (!_flows.TryGet(from, out var flow))
            {
                if (_stopping.IsCancellationRequested)
                {
                    return;
                }

                flow = _flows.Open(from, now);
                if (flow is null)
                {
                    _accounting.CountDropped();
                    return;
                }
            }

            var backend = flow.Accept(datagram, now, out var closed, out var dropped);
            if (backend is not null)
            {
                try
                {
                    if (flow.Paced)
                    {
                        await Pacer.PaceAsync().ConfigureAwait(false);
                    }

                    await backend.SendAsync(datagram, SocketFlags.None).ConfigureAwait(false);
                    return;
                }
                catch (ObjectDisposedException)
                {
                    // Closed between Accept and the send: try a new flow.
                    _flows.Forget(flow);
                    continue;
                }
                catch (SocketException ex)
                {
                    OnSendFailed(flow, ex);
                    return;
                }
            }

            if (dropped)
            {
                OnBufferFull(flow);
            }
            else if (!closed)
            {
                Volatile.Write(ref _dropping, 0);
            }

            if (!closed)
            {
                return;
            }

            _flows.Forget(flow);
        }
    }

    internal async ValueTask SendToClientAsync(ReadOnlyMemory<byte> reply, UdpFlow flow)
    {
        try
        {
            await _listener.SendToAsync(reply, SocketFlags.None, flow.Client).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            // The client's side (e.g. ENOBUFS, EPERM from a firewall): this reply is lost, the flow goes on.
            ProxyLog.ReplyFailed(_logger, _activator.Name, flow.ClientEndPoint, ex.Message);
        }
    }

    internal void OnWakeFailed(UdpFlow flow) => ProxyLog.FlowNotServed(_logger, _activator.Name, flow.ClientEndPoint);

    internal void OnSendFailed(UdpFlow flow, SocketException ex)
    {
        _accounting.CountDropped();
        ProxyLog.SendFailed(_logger, _activator.Name, flow.ClientEndPoint, ex.Message);
    }

    internal void OnFlowFailed(UdpFlow flow, Exception ex)
    {
        if (!_stopping.IsCancellationRequested)
        {
            ProxyLog.FlowFailed(_logger, _activator.Name, flow.ClientEndPoint, ex.Message);
        }
    }

    /// <summary>
    /// The container answered with ICMP port unreachable: ask the activator whether the run still
    /// lives (it restarts a dead one per policy). At most once a second: every datagram sent to a
    /// dead port brings another such error.
    /// </summary>
    internal void OnUnreachable(Backend instance)
    {
        var last = Volatile.Read(ref _lastUnreachableReport);
        if (_time.GetElapsedTime(last) < TimeSpan.FromSeconds(1)
            || Interlocked.CompareExchange(ref _lastUnreachableReport, _time.GetTimestamp(), last) != last)
        {
            return;
        }

        ProxyLog.UdpUnreachable(_logger, _activator.Name, instance.EndpointFor(_containerPort, Specs.Protocol.Udp));
        _ = _activator.ReportUnreachableAsync(instance, _stopping.Token);
    }

    private void OnBufferFull(UdpFlow flow)
    {
        _accounting.CountDropped();
        // One warning per run of drops, not one per datagram of a flood.
        if (Interlocked.Exchange(ref _dropping, 1) == 0)
        {
            ProxyLog.BufferFull(_logger, _activator.Name, flow.ClientEndPoint, _accounting.HeldDatagrams, _accounting.HeldBytes);
        }
    }

    /// <summary>Stops receiving, closes the socket, ends every flow (dropping what is buffered) and waits for them.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return; // podwake activate closes udp listeners when it goes idle, and again on exit
        }

        _stopping.Cancel();
        await _flows.StopSweepingAsync().ConfigureAwait(false);
        _listener.Dispose();
        if (_receiveLoop is not null)
        {
            await _receiveLoop.ConfigureAwait(false);
        }

        await _flows.CloseAllAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }
}
