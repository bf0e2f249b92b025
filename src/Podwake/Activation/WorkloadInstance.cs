using System.Net;
using System.Net.Sockets;

namespace Podwake.Activation;

/// <summary>One run of a service's container: where to reach each container port while it lives.</summary>
/// <param name="Generation">Counts wakes of the service; tells a late exit event of an old run from the current one.</param>
/// <param name="Endpoints">Address per container port, as seen from the sockets <see cref="NewSocket"/> makes.</param>
/// <param name="SocketFactory">Makes the sockets (stream for tcp, datagram for udp) that reach
/// <paramref name="Endpoints"/>, e.g. inside the container's network namespace; null means ordinary host sockets.</param>
/// <param name="UdpEndpoints">Where a udp container port is reached when that differs from <paramref name="Endpoints"/>
/// (podman's CLI publishes tcp and udp of one port on two host ports); null means the same address.</param>
internal sealed record WorkloadInstance(
    long Generation,
    IReadOnlyDictionary<int, IPEndPoint> Endpoints,
    Func<AddressFamily, SocketType, Socket>? SocketFactory = null,
    IReadOnlyDictionary<int, IPEndPoint>? UdpEndpoints = null)
{
    public IPEndPoint EndpointFor(int containerPort, Specs.Protocol protocol = Specs.Protocol.Tcp) =>
        protocol == Specs.Protocol.Udp && UdpEndpoints is not null && UdpEndpoints.TryGetValue(containerPort, out var udp) ? udp
        : Endpoints.TryGetValue(containerPort, out var endpoint) ? endpoint
        : throw new InvalidOperationException($"Failed to find an address for container port {containerPort}/{protocol.ToString().ToLowerInvariant()}");

    /// <summary>
    /// The container is reached through a userspace forwarder that drops a burst of datagrams (rootless podman's
    /// rootlessport): udp sends to it are paced, as buffered ones always are (<c>Proxy.UdpProxyListener</c>).
    /// </summary>
    public bool PacedForwarder { get; init; }

    /// <summary>A TCP socket (<see cref="SocketType.Stream"/>, the default) or a UDP one (<see cref="SocketType.Dgram"/>).</summary>
    public Socket NewSocket(AddressFamily family, SocketType type = SocketType.Stream) =>
        SocketFactory?.Invoke(family, type) ?? new Socket(family, type, ProtocolFor(type));

    public static ProtocolType ProtocolFor(SocketType type) => type switch
    {
        SocketType.Stream => ProtocolType.Tcp,
        SocketType.Dgram => ProtocolType.Udp,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "only stream (tcp) and datagram (udp) sockets reach a container"),
    };
}
