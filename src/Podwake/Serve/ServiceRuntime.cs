using Podwake.Activation;
using Podwake.Proxy;
using Podwake.Specs;

namespace Podwake.Serve;

/// <summary>One service inside a serve: its spec, container, state machine and listeners.</summary>
internal sealed record ServiceRuntime(
    ServiceSpec Spec,
    ContainerWorkload Workload,
    ServiceActivator Activator,
    List<TcpProxyListener> TcpListeners,
    List<UdpProxyListener> UdpListeners)
{
    public void StartListeners()
    {
        TcpListeners.ForEach(l => l.Start());
        UdpListeners.ForEach(l => l.Start());
    }

    public IEnumerable<Task> StopListeners() =>
        TcpListeners.Select(l => l.ShutDownAsync()).Concat(UdpListeners.Select(l => l.DisposeAsync().AsTask()));

    public IReadOnlyList<string> ListenAddresses { get; } =
        [.. Spec.Ports.Select(p => p.ListenDisplay)];
}
