using System.Net;
using Podwake.Proxy;
using Podwake.Specs;

namespace Podwake.Activation;

/// <summary>
/// One check of a service's <c>ready:</c> condition against a started run, the same in both runtimes.
/// </summary>
/// <remarks>
/// Rootful, the run's sockets open inside the container's network namespace, so a TCP connect there means exactly
/// what the proxy will see. Rootless, the container is reached through podman's port forwarder, which accepts on the
/// host side before the container listens: a TCP check reads the container's own socket table instead.
/// </remarks>
internal sealed class ReadinessProbe
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(1);

    private readonly ReadySpec _ready;
    private readonly bool _rootless;
    private readonly Func<IReadOnlyList<string>, CancellationToken, Task<int>> _exec;
    private readonly TimeProvider _time;

    /// <param name="exec">Runs a command inside the container and returns its exit status (<c>ready.exec</c>).</param>
    /// <param name="time">The clock of the connect and HTTP timeouts.</param>
    public ReadinessProbe(ReadySpec ready, bool rootless, Func<IReadOnlyList<string>, CancellationToken, Task<int>> exec, TimeProvider time)
    {
        _ready = ready;
        _time = time;
        _rootless = rootless;
        _exec = exec;
    }

    /// <param name="pid">The container's main process as the host sees it.</param>
    public async Task<bool> ProbeAsync(Backend backend, int pid, CancellationToken cancellationToken)
    {
        switch (_ready.Kind)
        {
            case ReadyKind.Tcp when _rootless:
                return ContainerSocketTable.IsListening(pid, _ready.Port);
            case ReadyKind.Tcp:
                return await CanConnectAsync(backend, backend.EndpointFor(_ready.Port), cancellationToken).ConfigureAwait(false);
            case ReadyKind.Udp:
                // Rootful too: there is no UDP handshake to try, and the socket table is exact.
                return ContainerSocketTable.IsUdpBound(pid, _ready.Port);
            case ReadyKind.Http:
                var endpoint = backend.EndpointFor(_ready.Port);
                return await HttpProbe.IsHealthyAsync(backend.NewSocket(endpoint.AddressFamily), endpoint, _ready.HttpPath ?? "/", ConnectTimeout, _time, cancellationToken).ConfigureAwait(false);
            case ReadyKind.Exec:
                return await _exec(_ready.Exec!, cancellationToken).ConfigureAwait(false) == 0;
            default:
                throw new InvalidOperationException($"unknown readiness kind {_ready.Kind}");
        }
    }

    private async Task<bool> CanConnectAsync(Backend backend, IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        using var socket = backend.NewSocket(endpoint.AddressFamily);
        using var limit = new CancellationTokenSource(ConnectTimeout, _time);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limit.Token);
        try
        {
            await socket.ConnectAsync(endpoint, timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
