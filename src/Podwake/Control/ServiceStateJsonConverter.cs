using System.Text.Json;
using System.Text.Json.Serialization;
using Podwake.Activation;

namespace Podwake.Control;

/// <summary><see cref="ServiceState"/> in the status JSON by its word (<see cref="ServiceStateText"/>): <c>"dormant"</c>.</summary>
internal sealed class ServiceStateJsonConverter : JsonConverter<ServiceState>
{
    public override ServiceState Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && ServiceStateText.TryParse(reader.GetString(), out var state)
            ? state
            : throw new JsonException($"not a service state: {reader.TokenType}");

    public override void Write(Utf8JsonWriter writer, ServiceState value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToText());
}
