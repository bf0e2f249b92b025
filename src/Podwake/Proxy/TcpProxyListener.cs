using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Podwake.Proxy;

/// <summary>
/// Accepts on one listening socket for as long as it runs, dormant or not, so the kernel backlog never fills while a
/// container wakes. Each connection takes a lease from the activator (which holds it until the service is ready) and a
/// socket to the container port (<see cref="TcpBackendConnector"/>), and is pumped both ways (<see cref="TcpPump"/>).
/// A failure of one connection never stops the listener.
/// </summary>
internal sealed class TcpProxyListener : IAsyncDisposable
{
    /// <summary>Pause after a failed accept (EMFILE and the like), so a persistent failure does not spin.</summary>
    private static readonly TimeSpan AcceptRetry = TimeSpan.FromMilliseconds(10);

    private readonly Socket _listener;
    private readonly IServiceGate _activator;
    private readonly TimeProvider _time;
    private readonly TcpBackendConnector _backends;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _accepting = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _connections;
    private Task? _acceptLoop;

    /// <param name="listener">A bound, listening socket; the listener owns it from now on.</param>
    /// <param name="unreachableLimit">How long a connection waits for a dead container to come back.</param>
    /// <param name="time">The clock of every wait: the accept retry, the connect timeout, the unreachable limit and its backoff.</param>
    public TcpProxyListener(Socket listener, int containerPort, IServiceGate activator, TimeSpan unreachableLimit, TimeProvider time, ILogger logger)
    {
        _listener = listener;
        _activator = activator;
        _time = time;
        _logger = logger;
        _backends = new TcpBackendConnector(containerPort, activator, unreachableLimit, time, logger, _stopping.Token);
    }

    public EndPoint? LocalEndPoint => _listener.LocalEndPoint;

    public void Start() => _acceptLoop = Task.Run(AcceptLoopAsync);

    private async Task AcceptLoopAsync()
    {
        while (!_accepting.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_accepting.Token).ConfigureAwait(false);
            }
            catch (Exception) when (_accepting.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException ex)
            {
                // EMFILE, ECONNABORTED and the like: transient; keep the listener alive.
                ProxyLog.AcceptFailed(_logger, _activator.Name, _listener.LocalEndPoint, ex);
                await Task.Delay(AcceptRetry, _time).ConfigureAwait(false);
                continue;
            }

            Interlocked.Increment(ref _connections);
            _ = ServeConnectionAsync(client);
        }
    }

    private async Task ServeConnectionAsync(Socket client)
    {
        Socket? backend = null;
        BackendLease? lease = null;
        var remote = client.RemoteEndPoint;
        try
        {
            // A unix socket listener's client has no Nagle to turn off (setsockopt TCP_NODELAY fails there).
            if (client.AddressFamily != AddressFamily.Unix)
            {
                client.NoDelay = true;
            }

            (lease, backend) = await _backends.ConnectAsync(remote).ConfigureAwait(false);
            if (lease is null || backend is null)
            {
                await SocketClosing.CloseCleanlyAsync(client, _time).ConfigureAwait(false);
                return;
            }

            // The container died under us: end this connection now rather than wait on a socket into
            // a network namespace that is gone.
            using var connection = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token, lease.Lost);
            var result = await TcpPump.RunAsync(client, backend, connection.Token, lease.AwaitsFirstByte ? lease.FirstByteSent : null).ConfigureAwait(false);
            lease.Transferred(result.BytesToBackend, result.BytesToClient);
            if (result.Succeeded)
            {
                ProxyLog.Ended(_logger, _activator.Name, remote, result.BytesToBackend, result.BytesToClient);
            }
            else
            {
                ProxyLog.Failed(_logger, _activator.Name, remote, result.Failed.ToText(), result.Error?.Message ?? "aborted");
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            ProxyLog.Failed(_logger, _activator.Name, remote, PumpSide.Client.ToText(), ex.Message);
        }
        finally
        {
            backend?.Dispose();
            client.Dispose();
            lease?.Dispose();
            if (Interlocked.Decrement(ref _connections) == 0 && _stopping.IsCancellationRequested)
            {
                _drained.TrySetResult();
            }
        }
    }

    /// <summary>
    /// Stops accepting but keeps the listening socket open and the open connections running: <c>podwake activate</c>
    /// leaves new connections in the kernel's queue for systemd, which starts the next activator for them.
    /// </summary>
    public async Task StopAcceptingAsync()
    {
        await _accepting.CancelAsync().ConfigureAwait(false);
        if (_acceptLoop is not null)
        {
            await _acceptLoop.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// <c>serve</c>'s stop: as <see cref="DisposeAsync"/>, but first takes the connections still waiting in the kernel's
    /// accept queue and closes them cleanly (FIN). Closing a listening socket resets what it never accepted, and a client
    /// that connected just before a Ctrl-C would see "connection reset". (<c>activate</c> must not: what waits in the
    /// queue belongs to the next activator systemd starts.)
    /// </summary>
    public async Task ShutDownAsync()
    {
        await StopAcceptingAsync().ConfigureAwait(false);
        var closing = new List<Task>();
        try
        {
            _listener.Blocking = false;
            while (true)
            {
                closing.Add(SocketClosing.CloseCleanlyAsync(_listener.Accept(), _time));
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // EAGAIN: the queue is empty
        }

        await DisposeAsync().ConfigureAwait(false);
        await Task.WhenAll(closing).ConfigureAwait(false);
    }

    /// <summary>Stops accepting, closes the listening socket, aborts every connection and waits for them.</summary>
    public async ValueTask DisposeAsync()
    {
        _accepting.Cancel();
        _stopping.Cancel();
        _listener.Dispose();
        if (_acceptLoop is not null)
        {
            await _acceptLoop.ConfigureAwait(false);
        }

        if (Volatile.Read(ref _connections) > 0)
        {
            await _drained.Task.WaitAsync(TimeSpan.FromSeconds(5), _time).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _stopping.Dispose();
        _accepting.Dispose();
    }
}
