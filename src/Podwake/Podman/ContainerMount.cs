using System.Text.Json.Serialization;
using Podwake.Specs;

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

    /// <summary>The bind mounts among a service's <c>volumes:</c> (serve's container and each side-car's alike).</summary>
    public static IReadOnlyList<ContainerMount> BindMountsOf(IEnumerable<VolumeSpec> volumes) =>
        [.. volumes.Where(v => v.IsBindMount).Select(v => new ContainerMount { Source = v.Source, Destination = v.Target, Options = v.Options })];
}
