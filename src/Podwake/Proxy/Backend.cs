using System.Net;
using System.Net.Sockets;
using Podwake.Specs;

namespace Podwake.Proxy;

/// <summary>Where the proxy reaches a running service: an address per container port, and how to make sockets to it.</summary>
/// <param name="endpoints">Address per container port, as seen from the sockets <see cref="NewSocket"/> makes.</param>
/// <param name="socketFactory">Makes the sockets (stream for tcp, datagram for udp) that reach
/// <paramref name="endpoints"/>, e.g. inside the container's network namespace; null means ordinary host sockets.</param>
/// <param name="udpEndpoints">Where a udp container port is reached when that differs from <paramref name="endpoints"/>
/// (podman's CLI publishes tcp and udp of one port on two host ports); null means the same address.</param>
/// <remarks>Compared by reference: each run of a service has its own, and a report about an old one is ignored.</remarks>
internal sealed class Backend(
    IReadOnlyDictionary<int, IPEndPoint> endpoints,
    Func<AddressFamily, SocketType, Socket>? socketFactory = null,
    IReadOnlyDictionary<int, IPEndPoint>? udpEndpoints = null)
{
    /// <summary>
    /// The container is reached through a userspace forwarder that drops a burst of datagrams (rootless podman's
    /// rootlessport): udp sends to it are paced, as buffered ones always are (<see cref="UdpPacer"/>).
    /// </summary>
    public bool PacedForwarder { get; init; }

    public IPEndPoint EndpointFor(int containerPort, Protocol protocol = Protocol.Tcp) =>
        protocol == Protocol.Udp && udpEndpoints is not null && udpEndpoints.TryGetValue(containerPort, out var udp) ? udp
        : endpoints.TryGetValue(containerPort, out var endpoint) ? endpoint
        : throw new InvalidOperationException($"Failed to find an address for container port {containerPort}/{protocol.ToText()}");

    /// <summary>A TCP socket (<see cref="SocketType.Stream"/>, the default) or a UDP one (<see cref="SocketType.Dgram"/>).</summary>
    public Socket NewSocket(AddressFamily family, SocketType type = SocketType.Stream) =>
        socketFactory?.Invoke(family, type) ?? new Socket(family, type, ProtocolFor(type));

    public static ProtocolType ProtocolFor(SocketType type) => type switch
    {
        SocketType.Stream => ProtocolType.Tcp,
        SocketType.Dgram => ProtocolType.Udp,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "only stream (tcp) and datagram (udp) sockets reach a container"),
    };
}
