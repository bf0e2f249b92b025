using System.Text.Json.Serialization;

namespace Podwake.Podman.Wire;

/// <summary>
/// One line of the docker-compatible <c>POST images/create?fromImage=…</c> stream (podman 4.3.1): a blob's status
/// (<c>Pulling fs layer</c>, <c>Downloading</c> with <c>progressDetail</c>, <c>Already exists</c>, <c>Download complete</c>)
/// under its short digest in <c>id</c>, or the failure in <c>error</c>. The last line is <c>Download complete</c> with the
/// image's short ID.
/// </summary>
internal sealed record CompatPullReport
{
    [JsonPropertyName("status")]
    public string? Status { get; init; }

    [JsonPropertyName("id")]
    public string? Id { get; init; }

    [JsonPropertyName("error")]
    public string? Error { get; init; }

    [JsonPropertyName("progressDetail")]
    public CompatPullProgress? Progress { get; init; }
}
