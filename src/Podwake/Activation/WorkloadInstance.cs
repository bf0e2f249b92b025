using System.Net;
using System.Net.Sockets;

namespace Podwake.Activation;

/// <summary>One run of a service's container: where to reach each container port while it lives.</summary>
/// <param name="Generation">Counts wakes of the service; tells a late exit event of an old run from the current one.</param>
/// <param name="Endpoints">Address per container port, as seen from the sockets <see cref="NewSocket"/> makes.</param>
/// <param name="SocketFactory">Makes the sockets (stream for tcp, datagram for udp) that reach
/// <paramref name="Endpoints"/>, e.g. inside the container's network namespace; null means ordinary host sockets.</param>
internal sealed record WorkloadInstance(
    long Generation,
    IReadOnlyDictionary<int, IPEndPoint> Endpoints,
    Func<AddressFamily, SocketType, Socket>? SocketFactory = null)
{
    public IPEndPoint EndpointFor(int containerPort) =>
        Endpoints.TryGetValue(containerPort, out var endpoint)
            ? endpoint
            : throw new InvalidOperationException($"Failed to find an address for container port {containerPort}");

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
