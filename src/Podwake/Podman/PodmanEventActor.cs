using System.Text.Json.Serialization;

namespace Podwake.Podman;

/// <summary>The object an event is about: its ID and attributes (name, image, containerExitCode, the labels).</summary>
internal sealed record PodmanEventActor
{
    [JsonPropertyName("ID")]
    public string Id { get; init; } = "";

    [JsonPropertyName("Attributes")]
    public IReadOnlyDictionary<string, string>? Attributes { get; init; }
}
