using System.Text.Json.Serialization;

namespace Podwake.Sidecars;

/// <summary>Source-generated JSON of <c>podwake sidecar list --json</c>, snake_case as every podwake --json.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(IReadOnlyList<SidecarKeyStatus>))]
internal sealed partial class SidecarJsonContext : JsonSerializerContext
{
}
