using System.Text.Json.Serialization;

namespace Podwake.Podman.Wire;

/// <summary>The answer of container create and exec create: <c>{"Id":"…","Warnings":[]}</c>.</summary>
internal sealed record IdResponse
{
    [JsonPropertyName("Id")]
    public required string Id { get; init; }

    [JsonPropertyName("Warnings")]
    public IReadOnlyList<string>? Warnings { get; init; }
}
