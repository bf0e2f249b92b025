using System.Text.Json.Serialization;

namespace Podwake.Podman;

/// <summary>libpod's <c>specgen.Namespace</c>, e.g. <c>{ nsmode: "bridge" }</c>, <c>host</c>, <c>slirp4netns</c>, <c>none</c>.</summary>
internal sealed record ContainerNamespace
{
    [JsonPropertyName("nsmode")]
    public required string Mode { get; init; }

    [JsonPropertyName("value")]
    public string? Value { get; init; }
}
