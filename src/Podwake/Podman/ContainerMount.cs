using System.Text.Json.Serialization;

namespace Podwake.Podman;

/// <summary>An OCI runtime-spec mount as libpod's SpecGenerator takes it; podwake uses bind mounts.</summary>
internal sealed record ContainerMount
{
    [JsonPropertyName("destination")]
    public required string Destination { get; init; }

    [JsonPropertyName("type")]
    public string Type { get; init; } = "bind";

    [JsonPropertyName("source")]
    public required string Source { get; init; }

    /// <summary>e.g. <c>ro</c>, <c>z</c>, <c>rbind</c>.</summary>
    [JsonPropertyName("options")]
    public IReadOnlyList<string>? Options { get; init; }
}
