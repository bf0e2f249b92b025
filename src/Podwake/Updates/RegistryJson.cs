using System.Text.Json;

namespace Podwake.Updates;

/// <summary>
/// The two small JSON answers a check reads (a token, a 404's error code), with <see cref="JsonDocument"/>: no
/// serializer, so nothing for NativeAOT to trim, and nothing to break when a registry adds fields.
/// </summary>
internal static class RegistryJson
{
    /// <summary>The token endpoint's <c>token</c>, or the OAuth2 <c>access_token</c> (the token spec allows either).</summary>
    public static string? Token(byte[] body)
    {
        using var document = Parse(body);
        if (document?.RootElement is not { ValueKind: JsonValueKind.Object } root)
        {
            return null;
        }

        return String(root, "token") ?? String(root, "access_token");
    }

    /// <summary><c>{"errors": [{"code": "MANIFEST_UNKNOWN", …}]}</c> → the first code.</summary>
    public static string? FirstErrorCode(byte[] body)
    {
        using var document = Parse(body);
        if (document?.RootElement is { ValueKind: JsonValueKind.Object } root
            && root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
        {
            return errors.EnumerateArray().Select(error => String(error, "code")).FirstOrDefault(code => code is not null);
        }

        return null;
    }

    private static JsonDocument? Parse(byte[] body)
    {
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : null;
}
