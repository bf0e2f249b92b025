using System.Text.Json.Serialization;

namespace Podwake.Podman;

/// <summary>libpod's <c>types.PortMapping</c>: publish <see cref="ContainerPort"/> on the host.</summary>
internal sealed record ContainerPortMapping
{
    /// <summary>Empty = all addresses.</summary>
    [JsonPropertyName("host_ip")]
    public string? HostIp { get; init; }

    /// <summary>0 = podman picks a free port.</summary>
    [JsonPropertyName("host_port")]
    public int HostPort { get; init; }

    [JsonPropertyName("container_port")]
    public required int ContainerPort { get; init; }

    /// <summary><c>tcp</c>, <c>udp</c> or both comma-separated.</summary>
    [JsonPropertyName("protocol")]
    public string Protocol { get; init; } = "tcp";
}
