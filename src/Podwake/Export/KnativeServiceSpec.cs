using System.Text.Json.Serialization;

namespace Podwake.Export;

/// <summary>A Knative Service's <c>spec</c>: only the revision template (traffic defaults to the latest revision).</summary>
internal sealed record KnativeServiceSpec
{
    [JsonPropertyName("template")]
    public required KnativeRevisionTemplate Template { get; init; }
}
