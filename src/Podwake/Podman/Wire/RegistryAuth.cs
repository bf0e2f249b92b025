using System.Text.Json.Serialization;

namespace Podwake.Podman.Wire;

/// <summary>The credentials of a pull, as podman's <c>X-Registry-Auth</c> header carries them.</summary>
internal sealed record RegistryAuth
{
    [JsonPropertyName("username")]
    public required string Username { get; init; }

    [JsonPropertyName("password")]
    public required string Password { get; init; }
}
