using System.Text.Json.Serialization;
using Podwake.Activation;
using Podwake.Updates;

namespace Podwake.Control;

/// <summary>Source-generated JSON (NativeAOT has no reflection serializer) in snake_case, enums as strings.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    Converters = [typeof(ServiceStateJsonConverter), typeof(UpdateOutcomeJsonConverter)],
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(StatusDocument))]
[JsonSerializable(typeof(List<StatusDocument>))]
[JsonSerializable(typeof(ServiceStatus))]
[JsonSerializable(typeof(ControlRequest))]
[JsonSerializable(typeof(UpdateReport))]
[JsonSerializable(typeof(List<UpdateResult>))]
internal sealed partial class ControlJsonContext : JsonSerializerContext
{
}
