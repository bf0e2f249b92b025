using System.Text.Json;
using System.Text.Json.Serialization;

namespace Podwake.Control;

/// <summary>Enum values as the CLI prints them: <c>dormant</c>, <c>ready</c>, <c>on_failure</c>.</summary>
internal sealed class LowercaseEnumConverter<TEnum> : JsonStringEnumConverter<TEnum>
    where TEnum : struct, Enum
{
    public LowercaseEnumConverter()
        : base(JsonNamingPolicy.SnakeCaseLower)
    {
    }
}
