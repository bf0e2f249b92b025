using System.Text.Json.Serialization;

namespace Podwake.Podman;

/// <summary>One secret mounted as a file (libpod's specgen.Secret: no JSON tags, so its Go field names).</summary>
internal sealed record ContainerSecretMount
{
    [JsonPropertyName("Source")]
    public required string Source { get; init; }

    [JsonPropertyName("Target")]
    public required string Target { get; init; }

    /// <summary>Readable by every user of the container (podman's default for a mounted secret is 0444).</summary>
    [JsonPropertyName("Mode")]
    public uint Mode { get; init; } = 0x124; // 0444
}
