namespace Podwake.Podman;

/// <summary>
/// <c>NetworkSettings</c> of a container inspect. Rootless (slirp4netns) containers have no IP reachable from the
/// host: <see cref="IPAddress"/> is empty and <see cref="Networks"/> has no entry; use a published port.
/// </summary>
internal sealed record ContainerNetworkSettings
{
    public string? IPAddress { get; init; }

    public string? Gateway { get; init; }

    /// <summary><c>"8080/tcp"</c> → host bindings (null for an exposed but unpublished port).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<ContainerPortBinding>?>? Ports { get; init; }

    /// <summary>Network name (e.g. <c>podman</c>) → this container's address on it.</summary>
    public IReadOnlyDictionary<string, ContainerNetworkEndpoint>? Networks { get; init; }
}
