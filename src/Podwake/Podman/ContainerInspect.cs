namespace Podwake.Podman;

/// <summary>The parts of <c>GET /libpod/containers/{id}/json</c> podwake reads.</summary>
internal sealed record ContainerInspect
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required ContainerState State { get; init; }

    /// <summary>The ID of the image the container was created from (not its tag: a tag pulled again names another).</summary>
    public string? Image { get; init; }

    public ContainerNetworkSettings? NetworkSettings { get; init; }
}
