using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Podwake.Proxy;
using Podwake.Specs;

namespace Podwake.Activation;

/// <summary>
/// One service as both runtimes run it: its activator (the state machine), and a proxy listener on each of its
/// listening sockets, the listeners asking the activator for a backend per connection or UDP flow. <c>podwake serve</c>
/// composes one per service file with sockets it binds and a <c>Serve.ContainerWorkload</c>; <c>podwake activate</c>
/// composes one with the sockets systemd passed and an <c>Activate.UnitWorkload</c>.
/// </summary>
internal sealed class ActivatedService : IAsyncDisposable
{
    private readonly List<TcpProxyListener> _tcp;
    private readonly List<UdpProxyListener> _udp;
    private int _listenersClosed;

    private ActivatedService(ServiceSpec spec, ServiceActivator activator, List<TcpProxyListener> tcp, List<UdpProxyListener> udp)
    {
        Spec = spec;
        Activator = activator;
        _tcp = tcp;
        _udp = udp;
        ListenAddresses = [.. spec.Ports.Select(p => p.ListenDisplay)];
    }

    public ServiceSpec Spec { get; }

    public ServiceActivator Activator { get; }

    /// <summary>The service's listen addresses as <c>podwake status</c> shows them (<c>127.0.0.1:8080/tcp</c>).</summary>
    public IReadOnlyList<string> ListenAddresses { get; }

    /// <summary>
    /// Composes a service; nothing is accepted until <see cref="StartListening"/>. Takes ownership of the sockets.
    /// </summary>
    /// <param name="sockets">A bound, listening socket per port of <paramref name="spec"/>.</param>
    /// <param name="settled">Told each time the service comes to rest (<see cref="ServiceActivator"/>); null: nobody asks.</param>
    public static ActivatedService Compose(
        ServiceSpec spec,
        IWorkload workload,
        IReadOnlyList<(PortSpec Port, Socket Socket)> sockets,
        TimeProvider time,
        ILoggerFactory loggers,
        Action<ServiceState>? settled = null)
    {
        var activator = new ServiceActivator(spec.Name, ActivationOptions.From(spec), workload, time, loggers.CreateLogger($"podwake.{spec.Name}"), settled);
        var proxyLogger = loggers.CreateLogger($"podwake.{spec.Name}.proxy");
        var tcp = sockets
            .Where(s => s.Port.Protocol == Protocol.Tcp)
            .Select(s => new TcpProxyListener(s.Socket, s.Port.ContainerPort, activator, spec.Ready.Timeout, time, proxyLogger))
            .ToList();
        var udp = sockets
            .Where(s => s.Port.Protocol == Protocol.Udp)
            .Select(s => new UdpProxyListener(s.Socket, s.Port.ContainerPort, activator, spec.Udp, time, proxyLogger))
            .ToList();
        return new ActivatedService(spec, activator, tcp, udp);
    }

    public void StartListening()
    {
        _tcp.ForEach(l => l.Start());
        _udp.ForEach(l => l.Start());
    }

    /// <summary>
    /// <c>podwake activate</c>'s idle exit: accepting stops (new connections wait in the kernel's queue for the next
    /// activator) while accepted ones are served to their end; our copies of the UDP sockets close (no flow is live:
    /// the service is idle), and datagrams that come now wait in the socket for the next activator.
    /// </summary>
    public async Task StopAcceptingAsync()
    {
        await Task.WhenAll(_tcp.Select(l => l.StopAcceptingAsync())).ConfigureAwait(false);
        await Task.WhenAll(_udp.Select(l => l.DisposeAsync().AsTask())).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>podwake serve</c>'s shutdown: the listeners close, connections still in the accept queue get a clean close
    /// (FIN, not RST), open connections are closed.
    /// </summary>
    public Task CloseListenersAsync() =>
        Interlocked.Exchange(ref _listenersClosed, 1) != 0
            ? Task.CompletedTask
            : Task.WhenAll(_tcp.Select(l => l.ShutDownAsync()).Concat(_udp.Select(l => l.DisposeAsync().AsTask())));

    public ServiceStatus Status() => Activator.GetStatus() with { Listen = ListenAddresses };

    /// <summary>Closes the listeners (if still open) and their connections, then stops the service's run.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _listenersClosed, 1) == 0)
        {
            await Task.WhenAll(_tcp.Select(l => l.DisposeAsync().AsTask()).Concat(_udp.Select(l => l.DisposeAsync().AsTask()))).ConfigureAwait(false);
        }

        await Activator.DisposeAsync().ConfigureAwait(false);
    }
}
