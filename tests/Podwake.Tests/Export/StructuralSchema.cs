using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Podwake.Tests.Export;

/// <summary>
/// Checks a YAML document against a Kubernetes structural (OpenAPI v3) schema, as a CRD's: types, required fields,
/// patterns, and unknown fields where an object is closed. The YAML is read as its scalars are written: quoted is a
/// string, a plain number an integer or number, plain true/false a boolean. Enough for the Knative Service fixture
/// (schema/README.md); not a general JSON Schema validator.
/// </summary>
internal static class StructuralSchema
{
    /// <summary>Every problem, as <c>PATH: what is wrong</c>; empty when the document matches.</summary>
    public static List<string> Check(YamlNode document, JsonElement schema)
    {
        var problems = new List<string>();
        Check(document, schema, "", problems);
        return problems;
    }

    private static void Check(YamlNode node, JsonElement schema, string path, List<string> problems)
    {
        var at = path.Length == 0 ? "." : path;
        if (Flag(schema, "x-kubernetes-int-or-string"))
        {
            if (Kind(node) is not ("integer" or "string"))
            {
                problems.Add($"{at}: {Kind(node)}, expected an integer or a string");
            }

            return;
        }

        if (schema.TryGetProperty("anyOf", out var anyOf))
        {
            if (!anyOf.EnumerateArray().Any(branch => Check(node, branch).Count == 0))
            {
                problems.Add($"{at}: matches none of anyOf");
            }
        }

        if (!schema.TryGetProperty("type", out var typeElement))
        {
            return;
        }

        var type = typeElement.GetString();
        var kind = Kind(node);
        var matches = type == kind || (type == "number" && kind == "integer");
        if (!matches)
        {
            problems.Add($"{at}: {kind}, expected {type}");
            return;
        }

        switch (node)
        {
            case YamlMappingNode map:
                CheckObject(map, schema, path, problems);
                break;
            case YamlSequenceNode list when schema.TryGetProperty("items", out var items):
                for (var i = 0; i < list.Children.Count; i++)
                {
                    Check(list.Children[i], items, $"{path}[{i}]", problems);
                }

                break;
            case YamlScalarNode scalar:
                CheckScalar(scalar, schema, at, problems);
                break;
        }
    }

    private static void CheckObject(YamlMappingNode map, JsonElement schema, string path, List<string> problems)
    {
        var keys = map.Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToList();
        if (schema.TryGetProperty("required", out var required))
        {
            foreach (var name in required.EnumerateArray().Select(r => r.GetString()!).Where(name => !keys.Contains(name)))
            {
                problems.Add($"{path}.{name}: required, missing");
            }
        }

        var hasProperties = schema.TryGetProperty("properties", out var properties);
        var hasAdditional = schema.TryGetProperty("additionalProperties", out var additional);
        var open = Flag(schema, "x-kubernetes-preserve-unknown-fields") || !hasProperties;
        foreach (var (key, value) in map.Children)
        {
            var name = ((YamlScalarNode)key).Value!;
            if (hasProperties && properties.TryGetProperty(name, out var property))
            {
                Check(value, property, $"{path}.{name}", problems);
            }
            else if (hasAdditional && additional.ValueKind == JsonValueKind.Object)
            {
                Check(value, additional, $"{path}.{name}", problems);
            }
            else if (!open && !(hasAdditional && additional.ValueKind == JsonValueKind.True))
            {
                problems.Add($"{path}.{name}: unknown field (the schema lists {string.Join(", ", properties.EnumerateObject().Select(p => p.Name))})");
            }
        }
    }

    private static void CheckScalar(YamlScalarNode scalar, JsonElement schema, string at, List<string> problems)
    {
        if (schema.TryGetProperty("pattern", out var pattern) && !Regex.IsMatch(scalar.Value ?? "", pattern.GetString()!))
        {
            problems.Add($"{at}: \"{scalar.Value}\" does not match {pattern.GetString()}");
        }

        if (schema.TryGetProperty("format", out var format) && format.GetString() == "int32"
            && !int.TryParse(scalar.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
        {
            problems.Add($"{at}: {scalar.Value} is not an int32");
        }
    }

    private static bool Flag(JsonElement schema, string name) =>
        schema.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    /// <summary>The JSON type a YAML node is read as.</summary>
    internal static string Kind(YamlNode node) => node switch
    {
        YamlMappingNode => "object",
        YamlSequenceNode => "array",
        YamlScalarNode { Style: ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded } => "string",
        YamlScalarNode { Value: "true" or "false" } => "boolean",
        YamlScalarNode { Value: null or "" or "null" or "~" } => "null",
        YamlScalarNode { Value: var v } when Regex.IsMatch(v!, @"^-?[0-9]+\z") => "integer",
        YamlScalarNode { Value: var v } when Regex.IsMatch(v!, @"^-?[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?\z") => "number",
        _ => "string",
    };
}
