using System.Text.Json.Serialization;

namespace Podwake.Logs;

/// <summary>Source-generated JSON (NativeAOT has no reflection serializer) in snake_case, one object a line.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = false,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ServiceLogRecord))]
[JsonSerializable(typeof(LogLine))]
[JsonSerializable(typeof(ServiceEvent))]
internal sealed partial class LogsJsonContext : JsonSerializerContext;
