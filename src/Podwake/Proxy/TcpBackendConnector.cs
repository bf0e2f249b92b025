using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Podwake.Proxy;

/// <summary>
/// The backend side of a TCP listener's connections: a lease from the activator (held until the service is ready) and a
/// connected socket to the container port, retried while a container that refuses is checked and restarted.
/// </summary>
internal sealed class TcpBackendConnector
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    private readonly int _containerPort;
    private readonly IServiceGate _activator;
    private readonly TimeSpan _unreachableLimit;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationToken _stopping;

    /// <param name="unreachableLimit">How long a connection waits for a dead container to come back.</param>
    /// <param name="time">The clock of the connect timeout, the unreachable limit and the backoff between attempts.</param>
    /// <param name="stopping">The listener's stop: ends every wait.</param>
    public TcpBackendConnector(int containerPort, IServiceGate activator, TimeSpan unreachableLimit, TimeProvider time, ILogger logger, CancellationToken stopping)
    {
        _containerPort = containerPort;
        _activator = activator;
        _unreachableLimit = unreachableLimit;
        _time = time;
        _logger = logger;
        _stopping = stopping;
    }

    /// <summary>
    /// Takes a lease and connects to the container. A refused or unreachable container that has not
    /// reported its exit yet is checked with the activator, which restarts it per policy; the
    /// connection is then held again rather than refused, up to the unreachable limit.
    /// </summary>
    public async Task<(BackendLease? Lease, Socket? Backend)> ConnectAsync(EndPoint? remote)
    {
        var started = _time.GetTimestamp();
        for (var attempt = 0; ; attempt++)
        {
            var lease = await _activator.AcquireAsync(_stopping).ConfigureAwait(false);
            if (lease is null)
            {
                return (null, null);
            }

            var endpoint = lease.Backend.EndpointFor(_containerPort);
            Socket? backend = null;
            // The connect timeout on the listener's clock, cancelled too by a stop or a lost run (what a linked source
            // with CancelAfter did, which only knows the system clock: the same one source and two registrations).
            using var connect = new CancellationTokenSource(ConnectTimeout, _time);
            using var stopping = _stopping.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), connect);
            using var lost = lease.Lost.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), connect);
            try
            {
                backend = lease.Backend.NewSocket(endpoint.AddressFamily);
                backend.NoDelay = true;
                await backend.ConnectAsync(endpoint, connect.Token).ConfigureAwait(false);
                return (lease, backend);
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException && !_stopping.IsCancellationRequested)
            {
                backend?.Dispose();
                ProxyLog.ConnectFailed(_logger, _activator.Name, endpoint, ex.Message);
                var instance = lease.Backend;
                lease.Dispose();
                if (_time.GetElapsedTime(started) >= _unreachableLimit)
                {
                    ProxyLog.GaveUp(_logger, _activator.Name, remote);
                    return (null, null);
                }

                if (!lease.Lost.IsCancellationRequested)
                {
                    await _activator.ReportUnreachableAsync(instance, _stopping).ConfigureAwait(false);
                    // Still running yet refusing (e.g. its server restarts inside): back off a little.
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(10 * (attempt + 1), 200)), _time, _stopping).ConfigureAwait(false);
                }
            }
        }
    }
}
