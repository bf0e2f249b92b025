using System.Text.Json.Serialization;
using k8s.Models;

namespace Podwake.Export;

/// <summary><c>spec.template.spec</c>: Knative's RevisionSpec, a restricted pod spec; podwake fills only the container.</summary>
internal sealed record KnativeRevisionSpec
{
    [JsonPropertyName("containers")]
    public required IList<V1Container> Containers { get; init; }
}
