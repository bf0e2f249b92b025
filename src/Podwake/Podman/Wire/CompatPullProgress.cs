using System.Text.Json.Serialization;

namespace Podwake.Podman.Wire;

/// <summary>A <c>Downloading</c> line's bytes so far and the blob's size; empty (<c>{}</c>) on the other lines.</summary>
internal sealed record CompatPullProgress
{
    [JsonPropertyName("current")]
    public long Current { get; init; }

    [JsonPropertyName("total")]
    public long Total { get; init; }
}
