using System.Text.Json.Serialization;
using k8s.Models;

namespace Podwake.Export;

/// <summary><c>spec.template</c>: the revision's metadata (where the autoscaling annotations go) and its pod spec.</summary>
internal sealed record KnativeRevisionTemplate
{
    [JsonPropertyName("metadata")]
    public required V1ObjectMeta Metadata { get; init; }

    [JsonPropertyName("spec")]
    public required KnativeRevisionSpec Spec { get; init; }
}
