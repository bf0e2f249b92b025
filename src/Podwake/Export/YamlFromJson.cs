using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Podwake.Export;

/// <summary>
/// Turns a JSON tree (a typed object serialized by <see cref="ExportJsonContext"/>) into YAML nodes, keeping the order
/// of fields, with every string that YAML could read as something else double-quoted.
/// </summary>
internal static partial class YamlFromJson
{
    public static YamlNode Convert(JsonNode? node) => node switch
    {
        JsonObject map => Mapping(map),
        JsonArray list => new YamlSequenceNode(list.Select(Convert)),
        JsonValue value => Scalar(value),
        _ => new YamlScalarNode("null") { Style = ScalarStyle.Plain },
    };

    /// <summary>
    /// A string as YAML writes it: plain when it cannot be read as anything but that string (by YAML 1.1 readers too,
    /// which go-yaml v2 in kubectl and podman is: <c>on</c>, <c>yes</c>, <c>1e3</c>), else double-quoted.
    /// </summary>
    public static YamlScalarNode Text(string value) =>
        new(value) { Style = PlainSafe().IsMatch(value) && !value.EndsWith(':') && !ReservedWord().IsMatch(value) ? ScalarStyle.Plain : ScalarStyle.DoubleQuoted };

    private static YamlMappingNode Mapping(JsonObject map)
    {
        var node = new YamlMappingNode();
        foreach (var (key, value) in map)
        {
            node.Add(Text(key), Convert(value));
        }

        return node;
    }

    private static YamlScalarNode Scalar(JsonValue value) => value.GetValueKind() switch
    {
        JsonValueKind.String => Text(value.GetValue<string>()),
        JsonValueKind.True => new YamlScalarNode("true") { Style = ScalarStyle.Plain },
        JsonValueKind.False => new YamlScalarNode("false") { Style = ScalarStyle.Plain },
        JsonValueKind.Number => new YamlScalarNode(value.ToJsonString()) { Style = ScalarStyle.Plain },
        _ => new YamlScalarNode("null") { Style = ScalarStyle.Plain },
    };

    /// <summary>Starts with a letter, '_' or '/' and holds only characters with no meaning to YAML in a plain scalar.</summary>
    [GeneratedRegex(@"^[A-Za-z_/][A-Za-z0-9_./:@+=-]*\z")]
    private static partial Regex PlainSafe();

    /// <summary>YAML 1.1's booleans and nulls (and 1.2's): read as a string only when quoted.</summary>
    [GeneratedRegex(@"^(y|n|yes|no|on|off|true|false|null)\z", RegexOptions.IgnoreCase)]
    private static partial Regex ReservedWord();
}
