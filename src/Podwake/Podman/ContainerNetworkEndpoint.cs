namespace Podwake.Podman;

/// <summary>A container's endpoint on one podman network.</summary>
internal sealed record ContainerNetworkEndpoint
{
    public string? IPAddress { get; init; }

    public string? Gateway { get; init; }

    public string? MacAddress { get; init; }
}
