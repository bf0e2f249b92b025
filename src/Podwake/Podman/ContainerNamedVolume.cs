using System.Text.Json.Serialization;

namespace Podwake.Podman;

/// <summary>libpod's <c>specgen.NamedVolume</c>: a Go struct without JSON tags, hence the capitalized names.</summary>
internal sealed record ContainerNamedVolume
{
    [JsonPropertyName("Name")]
    public required string Name { get; init; }

    [JsonPropertyName("Dest")]
    public required string Destination { get; init; }

    [JsonPropertyName("Options")]
    public IReadOnlyList<string>? Options { get; init; }
}
