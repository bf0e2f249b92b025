using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Podwake.Activation;
using Podwake.Proxy;
using Xunit;

namespace Podwake.Tests.Proxy;

/// <summary>The backend connect of a TCP connection on real loopback sockets, its retries on a fake clock.</summary>
public sealed class TcpBackendConnectorTests : IAsyncDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _time = new();
    private readonly Socket _backend = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private ServiceActivator? _activator;

    public TcpBackendConnectorTests() => _backend.Bind(new IPEndPoint(IPAddress.Loopback, 0));

    [Fact]
    public async Task ContainerListening_LeaseAndConnectedSocket()
    {
        _backend.Listen(1);
        var (workload, connector) = Connector();

        var (lease, backend) = await connector.ConnectAsync(null).WaitAsync(Limit);

        Assert.NotNull(lease);
        Assert.NotNull(backend);
        Assert.True(backend.Connected);
        Assert.Same(workload.Sockets.Single(), backend);
        lease.Dispose();
        backend.Dispose();
    }

    [Fact]
    public async Task ContainerRefuses_RetriedUntilTheUnreachableLimitThenGivesUp()
    {
        // Bound, not listening: every connect is refused.
        var (workload, connector) = Connector();
        var started = _time.GetTimestamp();

        var connecting = connector.ConnectAsync(null);
        using var limit = new CancellationTokenSource(Limit);
        while (!connecting.IsCompleted)
        {
            // The clock moves once the attempt failed (its socket closed), so each attempt sees its backoff pass.
            while (workload.Sockets.Count == 0 || !workload.Sockets[^1].SafeHandle.IsClosed)
            {
                await Task.Delay(1, limit.Token);
            }

            await Task.Delay(1, limit.Token);
            _time.Advance(TimeSpan.FromMilliseconds(50));
        }

        var (lease, backend) = await connecting;
        var waited = _time.GetElapsedTime(started);
        Assert.Null(lease);
        Assert.Null(backend);
        Assert.True(waited >= TimeSpan.FromSeconds(1) && waited < TimeSpan.FromSeconds(1.5), $"gave up after {waited}");
        Assert.True(workload.Sockets.Count > 5, $"{workload.Sockets.Count} attempts in {waited}");
        Assert.All(workload.Sockets, s => Assert.True(s.SafeHandle.IsClosed));
    }

    public async ValueTask DisposeAsync()
    {
        if (_activator is not null)
        {
            await _activator.DisposeAsync();
        }

        _backend.Dispose();
    }

    private (LoopbackBackendWorkload Workload, TcpBackendConnector Connector) Connector()
    {
        var workload = new LoopbackBackendWorkload((IPEndPoint)_backend.LocalEndPoint!);
        _activator = new ServiceActivator("svc", new ActivationOptions { Idle = null }, workload, _time, NullLogger.Instance);
        return (workload, new TcpBackendConnector(8080, _activator, TimeSpan.FromSeconds(1), _time, NullLogger.Instance, CancellationToken.None));
    }
}
