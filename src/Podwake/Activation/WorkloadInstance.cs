using System.Net;

namespace Podwake.Activation;

/// <summary>One run of a service's container: where to reach each container port while it lives.</summary>
/// <param name="Generation">Counts wakes of the service; tells a late exit event of an old run from the current one.</param>
/// <param name="Endpoints">Host-reachable address per container port.</param>
internal sealed record WorkloadInstance(long Generation, IReadOnlyDictionary<int, IPEndPoint> Endpoints)
{
    public IPEndPoint EndpointFor(int containerPort) =>
        Endpoints.TryGetValue(containerPort, out var endpoint)
            ? endpoint
            : throw new InvalidOperationException($"Failed to find an address for container port {containerPort}");
}
