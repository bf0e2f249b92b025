using System.Text.Json.Serialization;
using Podwake.Activation;

namespace Podwake.Control;

/// <summary>Source-generated JSON (NativeAOT has no reflection serializer) in snake_case, enums as strings.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    Converters = [typeof(ServiceStateJsonConverter)],
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(StatusDocument))]
[JsonSerializable(typeof(List<StatusDocument>))]
[JsonSerializable(typeof(ServiceStatus))]
internal sealed partial class ControlJsonContext : JsonSerializerContext
{
}
