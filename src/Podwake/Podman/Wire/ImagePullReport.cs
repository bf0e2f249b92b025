using System.Text.Json.Serialization;

namespace Podwake.Podman.Wire;

/// <summary>
/// One line of libpod's <c>POST images/pull</c> stream: progress text (<c>stream</c>), the failure (<c>error</c>), or
/// the end (<c>images</c> and <c>id</c>). podman 4.3 answers 200 before it pulls, so a failure comes as a line, not a status.
/// </summary>
internal sealed record ImagePullReport
{
    [JsonPropertyName("stream")]
    public string? Stream { get; init; }

    [JsonPropertyName("error")]
    public string? Error { get; init; }

    [JsonPropertyName("images")]
    public IReadOnlyList<string>? Images { get; init; }

    [JsonPropertyName("id")]
    public string? Id { get; init; }
}
