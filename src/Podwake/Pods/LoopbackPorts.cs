using System.Net;
using System.Net.Sockets;
using Podwake.Specs;

namespace Podwake.Pods;

/// <summary>
/// Rootless publishing: the loopback port each container port of a service is published on, chosen by podwake (serve's
/// containers and pods, deploy's pods), since podman's rootless network cannot be entered.
/// </summary>
internal static class LoopbackPorts
{
    /// <summary>One free loopback port per container port of the service (new ones each time), free for both protocols.</summary>
    public static Dictionary<int, int> For(ServiceSpec spec) =>
        spec.Ports.Select(p => p.ContainerPort).Distinct().ToDictionary(port => port, _ => Free());

    /// <summary>
    /// <paramref name="previous"/> when it publishes every container port of the service (a redeploy keeps its ports, so
    /// an unchanged service plays the same file), else new ones.
    /// </summary>
    public static Dictionary<int, int> Keep(ServiceSpec spec, IReadOnlyDictionary<int, int> previous)
    {
        var ports = spec.Ports.Select(p => p.ContainerPort).Distinct().ToList();
        return ports.All(previous.ContainsKey) ? ports.ToDictionary(port => port, port => previous[port]) : For(spec);
    }

    /// <summary>A loopback port that neither a TCP nor a UDP socket holds now.</summary>
    private static int Free()
    {
        for (var attempt = 0; ; attempt++)
        {
            using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            tcp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)tcp.LocalEndPoint!).Port;
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                udp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException) when (attempt < 20)
            {
                // Taken for UDP only: try another.
            }
        }
    }
}
