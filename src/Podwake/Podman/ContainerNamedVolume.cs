using System.Text.Json.Serialization;
using Podwake.Specs;

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

    /// <summary>The named volumes among a service's <c>volumes:</c> (serve's container and each side-car's alike).</summary>
    public static IReadOnlyList<ContainerNamedVolume> NamedVolumesOf(IEnumerable<VolumeSpec> volumes) =>
        [.. volumes.Where(v => !v.IsBindMount).Select(v => new ContainerNamedVolume { Name = v.Source, Destination = v.Target, Options = v.Options })];
}
