using Podwake.Activation;
using Podwake.Proxy;
using Podwake.Specs;

namespace Podwake.Serve;

/// <summary>One service inside a serve: its spec, container, state machine and listeners.</summary>
internal sealed record ServiceRuntime(ServiceSpec Spec, ContainerWorkload Workload, ServiceActivator Activator, List<TcpProxyListener> Listeners)
{
    public IReadOnlyList<string> ListenAddresses { get; } =
        [.. Spec.Ports.Select(p => $"{ListenSocket.Format(p.Listen)}/{p.Protocol.ToString().ToLowerInvariant()}")];
}
