using System.Buffers;
using System.Net;
using System.Net.Sockets;

namespace Podwake.Proxy;

/// <summary>
/// One client address of a udp listener (an entry of its <see cref="UdpFlowTable"/>): its own connected backend socket
/// (so the container sees one peer per client and its replies need no lookup), the lease that keeps the service awake
/// while the flow lives, and the datagrams buffered until the service is ready. Datagrams of a flow reach the container
/// in arrival order: while the flow is not ready they queue, and it becomes ready only once that queue is sent.
/// </summary>
internal sealed class UdpFlow
{
    /// <summary>
    /// Larger than any UDP payload (65507 bytes over IPv4), so no reply is ever truncated. The first flows of a listener
    /// keep one for their life (<see cref="UdpFlowTable.TryRentReplyBuffer"/>, a bounded number); the others rent one
    /// only while a reply is in hand and wait with a zero-byte MSG_PEEK receive, so a flood of flows costs no 64 KiB each
    /// (100,000 flows once held ~6 GB of them).
    /// </summary>
    internal const int ReplyBufferSize = 64 * 1024;

    /// <summary>
    /// A wake releases a burst of buffered datagrams at once, and their replies arrive as fast as the container sends
    /// them; 1 MiB keeps a few thousand small replies (the kernel caps it at net.core.rmem_max).
    /// </summary>
    private const int BackendReceiveBuffer = 1024 * 1024;

    private readonly UdpFlowTable _table;
    private readonly UdpProxyListener _listener;
    private readonly DatagramAccounting _accounting;
    private readonly Lock _lock = new();
    private Queue<HeldDatagram>? _held = new();
    private Socket? _ready;
    private Socket? _socket;
    private BackendLease? _lease;
    private bool _closed;
    private long _lastActivity;

    // Bytes each way, given to the lease's counters when the flow ends (as a TCP connection's are). One writer at a
    // time each: the listener's receive loop (Accept) or this flow's own loops.
    private long _bytesToService;
    private long _bytesToClient;

    public UdpFlow(UdpFlowTable table, UdpProxyListener listener, DatagramAccounting accounting, SocketAddress client, EndPoint clientEndPoint, long now)
    {
        _table = table;
        _listener = listener;
        _accounting = accounting;
        Client = client;
        ClientEndPoint = clientEndPoint;
        _lastActivity = now;
    }

    /// <summary>The client's address as the kernel reports it; the flow table's key and where replies go.</summary>
    public SocketAddress Client { get; }

    public EndPoint ClientEndPoint { get; }

    /// <summary>Timestamp (<see cref="TimeProvider.GetTimestamp"/>) of the last datagram either way.</summary>
    public long LastActivity => Volatile.Read(ref _lastActivity);

    /// <summary>Sends to this flow's container go through <see cref="UdpPacer"/> (a rootless forwarder).</summary>
    public bool Paced => Volatile.Read(ref _lease)?.Backend.PacedForwarder == true;

    /// <summary>Closed: idle, evicted, run lost or listener stopping.</summary>
    public bool IsClosed => Volatile.Read(ref _closed);

    /// <summary>True once the buffered datagrams are sent and new ones go straight to the container.</summary>
    public bool IsReady => Volatile.Read(ref _ready) is not null;

    /// <summary>
    /// Takes a datagram from the client. Returns the backend socket when the caller should send it
    /// there now; otherwise null: it was buffered, or dropped past the bound (<paramref name="dropped"/>),
    /// or the flow has ended (<paramref name="closed"/>: the caller opens a new flow).
    /// </summary>
    public Socket? Accept(ReadOnlyMemory<byte> datagram, long now, out bool closed, out bool dropped)
    {
        closed = false;
        dropped = false;
        Volatile.Write(ref _lastActivity, now);
        if (Volatile.Read(ref _ready) is { } ready)
        {
            _bytesToService += datagram.Length;
            return ready;
        }

        lock (_lock)
        {
            if (_closed)
            {
                closed = true;
                return null;
            }

            if (_ready is { } justReady)
            {
                _bytesToService += datagram.Length;
                return justReady;
            }

            if (!_accounting.TryHold(datagram.Length))
            {
                dropped = true;
                return null;
            }

            var copy = ArrayPool<byte>.Shared.Rent(Math.Max(datagram.Length, 1));
            datagram.CopyTo(copy);
            _held!.Enqueue(new HeldDatagram(copy, datagram.Length));
            return null;
        }
    }

    /// <summary>
    /// The flow's life: wait for a lease (the wake), connect a backend socket, send what was
    /// buffered, then relay replies until the flow is closed (idle, run lost, listener stopping).
    /// </summary>
    public async Task RunAsync(IServiceGate activator, int containerPort, CancellationToken stopping)
    {
        try
        {
            var lease = await activator.AcquireAsync(stopping).ConfigureAwait(false);
            if (lease is null)
            {
                _listener.OnWakeFailed(this);
                return;
            }

            Socket backend;
            lock (_lock)
            {
                if (_closed)
                {
                    lease.Dispose();
                    return;
                }

                _lease = lease;
                var endpoint = lease.Backend.EndpointFor(containerPort, Specs.Protocol.Udp);
                backend = lease.Backend.NewSocket(endpoint.AddressFamily, SocketType.Dgram);
                _socket = backend;
                backend.ReceiveBufferSize = BackendReceiveBuffer;
                // connect(2) on UDP only sets the peer: replies from anyone else are filtered out by the kernel.
                backend.Connect(endpoint);
            }

            // The run died: drop this backend socket (its namespace is gone); the client's next
            // datagram opens a new flow, which waits for the restart like a first one.
            using var lost = lease.Lost.UnsafeRegister(static s => ((UdpFlow)s!).Close(), this);
            var replies = RelayRepliesAsync(backend, lease);
            await SendHeldAsync(backend).ConfigureAwait(false);
            await replies.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            _listener.OnFlowFailed(this, ex);
        }
        finally
        {
            Close();
        }
    }

    /// <summary>Ends the flow: closes its backend socket, drops what is still buffered, releases its lease. Idempotent.</summary>
    public void Close() => Close(evicted: false);

    /// <summary>Ends the flow to make room for a new client (<see cref="Close()"/>; its drops are reported as evictions).</summary>
    public void Evict() => Close(evicted: true);

    private void Close(bool evicted)
    {
        Queue<HeldDatagram>? held;
        Socket? socket;
        BackendLease? lease;
        lock (_lock)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            held = _held;
            _held = null;
            socket = _socket;
            lease = _lease;
        }

        _table.Remove(this);
        socket?.Dispose();
        if (held is { Count: > 0 })
        {
            _table.OnHeldDropped(this, held.Count, evicted);
            foreach (var datagram in held)
            {
                _accounting.Unhold(datagram.Length);
                ArrayPool<byte>.Shared.Return(datagram.Buffer);
            }
        }

        lease?.Transferred(Interlocked.Read(ref _bytesToService), Interlocked.Read(ref _bytesToClient));
        lease?.Dispose();
        _accounting.FlowClosed();
    }

    /// <summary>Sends the buffered datagrams in order; the flow becomes ready when none is left.</summary>
    private async Task SendHeldAsync(Socket backend)
    {
        while (true)
        {
            HeldDatagram next;
            lock (_lock)
            {
                if (_closed)
                {
                    return;
                }

                if (!_held!.TryDequeue(out next))
                {
                    _held = null;
                    Volatile.Write(ref _ready, backend);
                    return;
                }
            }

            try
            {
                await _listener.Pacer.PaceAsync().ConfigureAwait(false);
                await backend.SendAsync(next.Memory, SocketFlags.None).ConfigureAwait(false);
                _bytesToService += next.Length;
            }
            catch (SocketException ex)
            {
                _listener.OnSendFailed(this, ex);
            }
            finally
            {
                _accounting.Unhold(next.Length);
                ArrayPool<byte>.Shared.Return(next.Buffer);
            }
        }
    }

    private async Task RelayRepliesAsync(Socket backend, BackendLease lease)
    {
        var instance = lease.Backend;
        var awaitsFirstByte = lease.AwaitsFirstByte;
        // Yield first: the caller goes on to send the held datagrams while this receive is pending.
        await Task.Yield();
        var buffer = _table.TryRentReplyBuffer();
        try
        {
            while (true)
            {
                byte[]? rented = null;
                try
                {
                    int length;
                    if (buffer is not null)
                    {
                        // One of the listener's kept buffers: receive straight into it, one syscall per reply.
                        // Memory<byte>: the ValueTask overload, which allocates nothing per receive.
                        length = await backend.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).ConfigureAwait(false);
                    }
                    else
                    {
                        // Past the listener's kept buffers (a flood of flows): wait for a reply without taking it
                        // (MSG_PEEK into no buffer), then take it into a rented one, which completes at once. A waiting
                        // flow then holds no 64 KiB; the peek costs a syscall per reply (bench: 20 % of UDP round trips
                        // when every flow did this).
                        await backend.ReceiveAsync(Memory<byte>.Empty, SocketFlags.Peek).ConfigureAwait(false);
                        rented = ArrayPool<byte>.Shared.Rent(ReplyBufferSize);
                        length = await backend.ReceiveAsync(rented.AsMemory(), SocketFlags.None).ConfigureAwait(false);
                    }

                    Volatile.Write(ref _lastActivity, _table.Now);
                    await _listener.SendToClientAsync((buffer ?? rented!).AsMemory(0, length), this).ConfigureAwait(false);
                    _bytesToClient += length;
                    if (awaitsFirstByte)
                    {
                        awaitsFirstByte = false;
                        lease.FirstByteSent();
                    }
                }
                catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
                {
                    // ICMP port unreachable for an earlier datagram: nothing listens in the container
                    // (its server restarts, or the container died before its exit event came).
                    _listener.OnUnreachable(instance);
                }
                finally
                {
                    if (rented is not null)
                    {
                        ArrayPool<byte>.Shared.Return(rented);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is ObjectDisposedException or SocketException { SocketErrorCode: SocketError.OperationAborted })
        {
            // Closed: idle, evicted, run lost or listener stopping.
        }
        finally
        {
            if (buffer is not null)
            {
                _table.ReturnReplyBuffer(buffer);
            }
        }
    }
}
