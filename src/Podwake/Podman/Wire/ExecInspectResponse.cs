using System.Text.Json.Serialization;

namespace Podwake.Podman.Wire;

/// <summary>The parts of <c>GET /libpod/exec/{id}/json</c> podwake reads.</summary>
internal sealed record ExecInspectResponse
{
    [JsonPropertyName("ExitCode")]
    public int ExitCode { get; init; }

    [JsonPropertyName("Running")]
    public bool Running { get; init; }
}
