using System.Text.Json;
using System.Text.Json.Serialization;
using Podwake.Updates;

namespace Podwake.Control;

/// <summary><see cref="UpdateOutcome"/> in JSON by its word (<see cref="UpdateOutcomeText"/>): <c>"rolled-back"</c>.</summary>
internal sealed class UpdateOutcomeJsonConverter : JsonConverter<UpdateOutcome>
{
    public override UpdateOutcome Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && UpdateOutcomeText.TryParse(reader.GetString(), out var outcome)
            ? outcome
            : throw new JsonException($"not an update outcome: {reader.TokenType}");

    public override void Write(Utf8JsonWriter writer, UpdateOutcome value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToText());
}
