using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Podwake.Activation;
using Podwake.Proxy;
using Podwake.Specs;
using Xunit;

namespace Podwake.Tests.Proxy;

/// <summary>
/// A udp listener's flows, through the listener on real loopback sockets (clients, an echo backend) with the flow
/// table's clock faked: idle flows are swept, the table is bounded by max_flows and evicts the flow idle longest, and
/// datagrams held during a wake are bounded and released in order.
/// </summary>
public sealed class UdpFlowTableTests : IAsyncDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _time = new();
    private readonly UdpEchoBackend _backend = new();
    private readonly List<Socket> _clients = [];
    private ServiceActivator? _activator;
    private UdpProxyListener? _listener;

    [Fact]
    public async Task QuietForFlowIdle_FlowRemovedAndItsSocketClosed()
    {
        var workload = new LoopbackBackendWorkload(_backend.EndPoint);
        var listener = Start(workload, new UdpSpec { FlowIdle = TimeSpan.FromSeconds(10) });
        var client = NewClient();
        await RoundTripAsync(client, 1);
        // A second round trip: the first datagram was held during the wake, and the flow is ready once it was sent.
        await RoundTripAsync(client, 2);

        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(1, listener.FlowCount);
        Assert.False(workload.Sockets[0].SafeHandle.IsClosed);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, listener.FlowCount);
        Assert.True(workload.Sockets[0].SafeHandle.IsClosed);
        Assert.Equal(0, _activator!.Datagrams.LiveFlows);

        // The client's next datagram opens a new flow.
        await RoundTripAsync(client, 3);
        Assert.Equal(1, listener.FlowCount);
        Assert.Equal(2, workload.Sockets.Count);
    }

    [Fact]
    public async Task ActiveFlow_NotSweptWhileItsDatagramsKeepComing()
    {
        var workload = new LoopbackBackendWorkload(_backend.EndPoint);
        var listener = Start(workload, new UdpSpec { FlowIdle = TimeSpan.FromSeconds(10) });
        var client = NewClient();
        await RoundTripAsync(client, 1);

        for (var i = 0; i < 5; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(6));
            await RoundTripAsync(client, (byte)(2 + i));
        }

        Assert.Equal(1, listener.FlowCount);
        Assert.Single(workload.Sockets);
    }

    [Fact]
    public async Task TableFull_NewClientEvictsTheFlowIdleLongest()
    {
        var workload = new LoopbackBackendWorkload(_backend.EndPoint);
        var listener = Start(workload, new UdpSpec { MaxFlows = 2 });
        var (first, second, third) = (NewClient(), NewClient(), NewClient());
        await RoundTripAsync(first, 1);
        _time.Advance(TimeSpan.FromSeconds(1));
        await RoundTripAsync(second, 2);
        _time.Advance(TimeSpan.FromSeconds(1));
        // The first client speaks again: the second is now the idlest.
        await RoundTripAsync(first, 3);
        _time.Advance(TimeSpan.FromSeconds(1));

        await RoundTripAsync(third, 4);

        Assert.Equal(2, listener.FlowCount);
        Assert.Equal(1, _activator!.Datagrams.EvictedFlows);
        var sockets = workload.Sockets;
        Assert.Equal(3, sockets.Count);
        Assert.False(sockets[0].SafeHandle.IsClosed, "the first client's flow was evicted although it spoke last but one");
        Assert.True(sockets[1].SafeHandle.IsClosed, "the idlest flow (the second client's) was not evicted");
        Assert.False(sockets[2].SafeHandle.IsClosed);
        // The first client's flow still works.
        await RoundTripAsync(first, 5);
        Assert.Equal(3, workload.Sockets.Count);
    }

    [Fact]
    public async Task DuringWake_HeldUpToTheBoundThenSentInOrder()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var workload = new LoopbackBackendWorkload(_backend.EndPoint) { StartGate = gate };
        Start(workload, new UdpSpec(), new ActivationOptions { Idle = null, HoldDatagrams = 3 });
        var client = NewClient();

        for (byte i = 1; i <= 5; i++)
        {
            await client.SendToAsync(new[] { i }, SocketFlags.None, _listener!.LocalEndPoint!);
        }

        await Until(() => _activator!.Datagrams.Dropped == 2);
        Assert.Equal(3, _activator!.Datagrams.HeldDatagrams);
        gate.SetResult();

        await Until(() => _backend.Count == 3);
        Assert.Equal([[1], [2], [3]], _backend.Received);
        await Until(() => _activator.Datagrams.HeldDatagrams == 0);
        Assert.Equal(2, _activator.Datagrams.Dropped);
    }

    public async ValueTask DisposeAsync()
    {
        if (_listener is not null)
        {
            await _listener.DisposeAsync();
        }

        if (_activator is not null)
        {
            await _activator.DisposeAsync();
        }

        _clients.ForEach(c => c.Dispose());
        await _backend.DisposeAsync();
    }

    private UdpProxyListener Start(LoopbackBackendWorkload workload, UdpSpec udp, ActivationOptions? options = null)
    {
        // Idle: null: the service never stops while the test moves the clock.
        _activator = new ServiceActivator("svc", options ?? new ActivationOptions { Idle = null }, workload, _time, NullLogger.Instance);
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener = new UdpProxyListener(socket, 8080, _activator, udp, _time, NullLogger.Instance, new FileDescriptorBudget(10_000));
        _listener.Start();
        return _listener;
    }

    private Socket NewClient()
    {
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        client.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _clients.Add(client);
        return client;
    }

    /// <summary>Sends one datagram through the listener and waits for the backend's echo of it.</summary>
    private async Task RoundTripAsync(Socket client, byte value)
    {
        await client.SendToAsync(new[] { value }, SocketFlags.None, _listener!.LocalEndPoint!);
        var buffer = new byte[16];
        var received = await client.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0)).WaitAsync(Limit);
        Assert.Equal(1, received.ReceivedBytes);
        Assert.Equal(value, buffer[0]);
    }

    private static async Task Until(Func<bool> condition)
    {
        using var limit = new CancellationTokenSource(Limit);
        while (!condition())
        {
            await Task.Delay(5, limit.Token);
        }
    }
}
