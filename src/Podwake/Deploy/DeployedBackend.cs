using System.Net;
using Podwake.Proxy;
using Podwake.Specs;

namespace Podwake.Deploy;

/// <summary>
/// Where the activator reaches a deployed service's running container (its own, or an update's new one beside it):
/// rootful through the container's network namespace, at the container's own loopback; rootless at the loopback ports
/// podman published (podwake may not enter a namespace of podman's user namespace).
/// </summary>
internal static class DeployedBackend
{
    /// <param name="pid">The container's main process.</param>
    /// <param name="published">Rootless: (container port, protocol) → host loopback port; ignored rootful.</param>
    /// <param name="unpublished">What to say when a port is not published (names the container and the fix).</param>
    /// <returns>The backend, and the namespace it makes sockets in (rootful; the caller owns and disposes it).</returns>
    public static (Backend Backend, NetworkNamespace? Namespace) Reach(
        ServiceSpec spec, bool rootless, int pid, IReadOnlyDictionary<(int Port, Protocol Protocol), int>? published, Func<PortSpec, string> unpublished)
    {
        var endpoints = new Dictionary<int, IPEndPoint>();
        var udpEndpoints = new Dictionary<int, IPEndPoint>();
        NetworkNamespace? netns = null;
        if (rootless)
        {
            foreach (var port in spec.Ports)
            {
                var map = port.Protocol == Protocol.Udp ? udpEndpoints : endpoints;
                map[port.ContainerPort] = new IPEndPoint(IPAddress.Loopback, published is not null && published.TryGetValue((port.ContainerPort, port.Protocol), out var hostPort)
                    ? hostPort
                    : throw new InvalidOperationException(unpublished(port)));
            }
        }
        else
        {
            netns = NetworkNamespace.OfProcess(pid);
            foreach (var port in spec.Ports.Select(p => p.ContainerPort).Distinct())
            {
                endpoints[port] = new IPEndPoint(IPAddress.Loopback, port);
            }
        }

        var backend = new Backend(endpoints, netns is null ? null : netns.CreateSocket, udpEndpoints.Count == 0 ? null : udpEndpoints)
        {
            PacedForwarder = rootless,
        };
        return (backend, netns);
    }
}
