using System.Text.Json;

namespace Podwake.Updates;

/// <summary>One auth file as read: its <c>auths</c>, <c>credHelpers</c> (keyed by normalized registry) and <c>credsStore</c>.</summary>
internal sealed record AuthFile(string Path, Dictionary<string, AuthEntry> Auths, Dictionary<string, string> CredHelpers, string? CredsStore)
{
    // JsonDocument, not a serializer: the file is podman's or docker's and may hold anything else too.
    public static AuthFile Parse(string path, string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            var root = document.RootElement;
            var auths = new Dictionary<string, AuthEntry>(StringComparer.Ordinal);
            var helpers = new Dictionary<string, string>(StringComparer.Ordinal);
            string? store = null;
            if (root.ValueKind == JsonValueKind.Object)
            {
                if (root.TryGetProperty("auths", out var entries) && entries.ValueKind == JsonValueKind.Object)
                {
                    foreach (var entry in entries.EnumerateObject())
                    {
                        auths[entry.Name] = new AuthEntry(Text(entry.Value, "auth"), Text(entry.Value, "identitytoken"));
                    }
                }

                if (root.TryGetProperty("credHelpers", out var credHelpers) && credHelpers.ValueKind == JsonValueKind.Object)
                {
                    foreach (var helper in credHelpers.EnumerateObject())
                    {
                        helpers[ImageLocation.NormalizeRegistry(helper.Name)] = helper.Value.ToString();
                    }
                }

                store = Text(root, "credsStore");
            }

            return new AuthFile(path, auths, helpers, string.IsNullOrEmpty(store) ? null : store);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not valid JSON ({e.Message}); fix it or log in again with podman login", e);
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
