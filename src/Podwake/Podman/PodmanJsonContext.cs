using System.Text.Json.Serialization;
using Podwake.Podman.Wire;

namespace Podwake.Podman;

/// <summary>
/// Source-generated (NativeAOT-safe) serialization of every libpod type. Reading is case-insensitive: podman mixes
/// Go-style (<c>Id</c>, <c>State</c>) and lower-case (<c>status</c>, <c>time</c>) names.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNameCaseInsensitive = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(ContainerCreateSpec))]
[JsonSerializable(typeof(ContainerInspect))]
[JsonSerializable(typeof(IReadOnlyList<ContainerInspect>))]
[JsonSerializable(typeof(IReadOnlyList<ContainerSummary>))]
[JsonSerializable(typeof(PodmanEvent))]
[JsonSerializable(typeof(PodmanVersion))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(IdResponse))]
[JsonSerializable(typeof(ImagePullReport))]
[JsonSerializable(typeof(CompatPullReport))]
[JsonSerializable(typeof(ImageInspect))]
[JsonSerializable(typeof(PodInspect))]
[JsonSerializable(typeof(RegistryAuth))]
[JsonSerializable(typeof(ExecCreateRequest))]
[JsonSerializable(typeof(ExecStartRequest))]
[JsonSerializable(typeof(ExecInspectResponse))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(Dictionary<string, string[]>))]
internal sealed partial class PodmanJsonContext : JsonSerializerContext
{
}
