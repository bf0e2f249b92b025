using System.Text.Json.Serialization;

namespace Podwake.Podman.Wire;

/// <summary>podman's error body: <c>{"cause":"no such container","message":"…","response":404}</c>.</summary>
internal sealed record ErrorResponse
{
    [JsonPropertyName("cause")]
    public string? Cause { get; init; }

    [JsonPropertyName("message")]
    public string? Message { get; init; }

    [JsonPropertyName("response")]
    public int Response { get; init; }
}
