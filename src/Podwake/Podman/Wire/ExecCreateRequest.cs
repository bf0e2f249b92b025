using System.Text.Json.Serialization;

namespace Podwake.Podman.Wire;

/// <summary>Body of <c>POST /libpod/containers/{id}/exec</c>.</summary>
internal sealed record ExecCreateRequest
{
    [JsonPropertyName("Cmd")]
    public required IReadOnlyList<string> Cmd { get; init; }

    [JsonPropertyName("AttachStdout")]
    public bool AttachStdout { get; init; }

    [JsonPropertyName("AttachStderr")]
    public bool AttachStderr { get; init; }
}
