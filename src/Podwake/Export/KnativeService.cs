using System.Text.Json.Serialization;
using k8s.Models;

namespace Podwake.Export;

/// <summary>
/// A Knative Serving <c>serving.knative.dev/v1</c> Service: the fields podwake export writes, no more (KubernetesClient
/// has no Knative types). Field names and nesting follow Knative's CRD (config/core/300-resources/service.yaml).
/// </summary>
internal sealed record KnativeService
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; init; } = "serving.knative.dev/v1";

    [JsonPropertyName("kind")]
    public string Kind { get; init; } = "Service";

    [JsonPropertyName("metadata")]
    public required V1ObjectMeta Metadata { get; init; }

    [JsonPropertyName("spec")]
    public required KnativeServiceSpec Spec { get; init; }
}
