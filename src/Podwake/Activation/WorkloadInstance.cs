using System.Net;
using System.Net.Sockets;

namespace Podwake.Activation;

/// <summary>One run of a service's container: where to reach each container port while it lives.</summary>
/// <param name="Generation">Counts wakes of the service; tells a late exit event of an old run from the current one.</param>
/// <param name="Endpoints">Address per container port, as seen from the sockets <see cref="NewSocket"/> makes.</param>
/// <param name="SocketFactory">Makes the sockets that reach <paramref name="Endpoints"/> (e.g. inside the
/// container's network namespace); null means ordinary host sockets.</param>
internal sealed record WorkloadInstance(
    long Generation,
    IReadOnlyDictionary<int, IPEndPoint> Endpoints,
    Func<AddressFamily, Socket>? SocketFactory = null)
{
    public IPEndPoint EndpointFor(int containerPort) =>
        Endpoints.TryGetValue(containerPort, out var endpoint)
            ? endpoint
            : throw new InvalidOperationException($"Failed to find an address for container port {containerPort}");

    public Socket NewSocket(AddressFamily family) =>
        SocketFactory?.Invoke(family) ?? new Socket(family, SocketType.Stream, ProtocolType.Tcp);
}
