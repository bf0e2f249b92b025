using System.Text.Json.Serialization;

namespace Podwake.Podman.Wire;

/// <summary>Body of <c>POST /libpod/exec/{id}/start</c>.</summary>
internal sealed record ExecStartRequest
{
    [JsonPropertyName("Detach")]
    public bool Detach { get; init; }

    [JsonPropertyName("Tty")]
    public bool Tty { get; init; }
}
