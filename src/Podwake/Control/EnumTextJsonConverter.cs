using System.Text.Json;
using System.Text.Json.Serialization;

namespace Podwake.Control;

/// <summary>An enum in the control socket's JSON by its word from its one text table (<see cref="EnumText{TEnum}"/>).</summary>
internal abstract class EnumTextJsonConverter<TEnum>(EnumText<TEnum> table) : JsonConverter<TEnum>
    where TEnum : struct, Enum
{
    public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && table.TryParse(reader.GetString(), out var value)
            ? value
            : throw new JsonException($"not a {typeof(TEnum).Name} ({table.Choices}): {reader.TokenType}");

    public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) => writer.WriteStringValue(table.ToText(value));
}
