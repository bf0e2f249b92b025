using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Podwake.Specs;

/// <summary>Typed reads of YAML nodes; each reports its own error and returns null on a bad value.</summary>
internal sealed partial class ServiceParser
{
    private const string PortRange = "1 to 65535";

    private SourceLocation At(YamlNode node) => new(_file, checked((int)node.Start.Line), checked((int)node.Start.Column));

    private void Error(YamlNode node, string message) => _diagnostics.Add(new Diagnostic(At(node), message));

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" } scalar
        && scalar.Tag.IsEmpty;

    /// <summary>How a node reads in "found ..." of a message.</summary>
    private static string Describe(YamlNode node) => node switch
    {
        _ when IsNull(node) => "no value",
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode scalar => $"\"{scalar.Value}\"",
        _ => "an unsupported YAML node",
    };

    /// <summary>
    /// The entries of <paramref name="map"/> by key name; reports every key not in <paramref name="allowed"/>.
    /// </summary>
    /// <param name="context">Where the mapping is, as shown in messages (<c>ports[0]</c>), or empty for the top level.</param>
    private Dictionary<string, (YamlNode Key, YamlNode Value)> Entries(YamlMappingNode map, string context, IReadOnlyList<string> allowed)
    {
        var prefix = context.Length == 0 ? "" : $"{context}: ";
        var entries = new Dictionary<string, (YamlNode Key, YamlNode Value)>(StringComparer.Ordinal);
        foreach (var (key, value) in map.Children)
        {
            if (key is not YamlScalarNode { Value: { } name } || IsNull(key))
            {
                Error(key, $"{prefix}expected a key such as {allowed[0]}, found {Describe(key)}");
                continue;
            }

            if (!allowed.Contains(name, StringComparer.Ordinal))
            {
                // A compose or Quadlet spelling says which key of podwake's it is; otherwise the nearest key, if any.
                Error(key, ForeignKeys.Counterpart(name, context) is { } counterpart
                    ? $"{prefix}unknown key \"{name}\": {counterpart}"
                    : $"{prefix}unknown key \"{name}\";{KeySuggestions.DidYouMean(name, allowed)} allowed keys: {string.Join(", ", allowed)}");
                continue;
            }

            entries[name] = (key, value);
        }

        return entries;
    }

    /// <summary>A mapping, or null after reporting what was found instead.</summary>
    private YamlMappingNode? ReadMapping(YamlNode node, string key, string expected)
    {
        if (node is YamlMappingNode map)
        {
            return map;
        }

        Error(node, $"{key}: expected {expected}, found {Describe(node)}");
        return null;
    }

    /// <summary>A list, or null after reporting what was found instead.</summary>
    private YamlSequenceNode? ReadSequence(YamlNode node, string key, string expected, string hint = "")
    {
        if (node is YamlSequenceNode sequence)
        {
            return sequence;
        }

        Error(node, $"{key}: expected {expected}, found {Describe(node)}{hint}");
        return null;
    }

    /// <summary>
    /// One of <paramref name="words"/>, or null after reporting: an unknown word names the nearest one and every choice
    /// (<c>restart: "allways" is not a restart policy; did you mean "always"? use no, on-failure or always</c>).
    /// </summary>
    private TEnum? ReadWord<TEnum>(YamlNode node, string key, EnumText<TEnum> words, string what)
        where TEnum : struct, Enum
    {
        var text = ReadString(node, key, words.Choices);
        if (text is null)
        {
            return null;
        }

        if (!words.TryParse(text, out var value))
        {
            Error(node, $"{key}: \"{text}\" is not {what};{KeySuggestions.DidYouMean(text, words.Texts)} use {words.Choices}");
            return null;
        }

        return value;
    }

    /// <summary>A scalar's text as written (numbers and booleans included), or null after reporting.</summary>
    private string? ReadString(YamlNode node, string key, string expected)
    {
        if (node is YamlScalarNode { Value: { } value } && !IsNull(node))
        {
            // A NUL cannot be part of an argv string, an environment entry or a path: runc refused every wake of such
            // a service ("invalid argument"), after validate had said ok.
            if (value.Contains('\0', StringComparison.Ordinal))
            {
                Error(node, $"{key}: contains a NUL character (\\0), which no program argument, environment value or path can hold; remove it");
                return null;
            }

            return value;
        }

        Error(node, $"{key}: expected {expected}, found {Describe(node)}");
        return null;
    }

    /// <summary>A TCP/UDP port number 1..65535, or null after reporting.</summary>
    private int? ReadPort(YamlNode node, string key)
    {
        var text = ReadString(node, key, $"a port number from {PortRange}");
        if (text is null)
        {
            return null;
        }

        if (!Digits().IsMatch(text))
        {
            Error(node, $"{key}: \"{text}\" is not a port number; use an integer from {PortRange}");
            return null;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            Error(node, $"{key}: {text} is out of range; use a port number from {PortRange}");
            return null;
        }

        return port;
    }

    /// <summary>A non-empty list of strings (a command line), or null after reporting.</summary>
    private List<string>? ReadCommandLine(YamlNode node, string key, string example)
    {
        if (node is YamlScalarNode && !IsNull(node))
        {
            Error(node, $"{key}: expected a list of strings, found {Describe(node)}; write it as a list, like {example}");
            return null;
        }

        var sequence = ReadSequence(node, key, "a list of strings", $"; write it as a list, like {example}");
        if (sequence is null)
        {
            return null;
        }

        if (sequence.Children.Count == 0)
        {
            Error(node, $"{key}: the list is empty; give a program and its arguments, like {example}");
            return null;
        }

        var items = new List<string>();
        var ok = true;
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var item = ReadString(sequence.Children[i], $"{key}[{i}]", "a string");
            ok &= item is not null;
            items.Add(item ?? "");
        }

        return ok ? items : null;
    }

    /// <summary>A mapping of variable names to scalar values (<c>env</c>, <c>build.args</c>), or null after reporting.</summary>
    private Dictionary<string, string>? ReadVariables(YamlNode node, string key, string what)
    {
        var map = ReadMapping(node, key, $"a mapping of {what}, like {{ GREETING: hello }}");
        if (map is null)
        {
            return null;
        }

        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        var ok = true;
        foreach (var (nameNode, valueNode) in map.Children)
        {
            if (nameNode is not YamlScalarNode { Value: { } name } || IsNull(nameNode))
            {
                Error(nameNode, $"{key}: expected a variable name, found {Describe(nameNode)}");
                ok = false;
                continue;
            }

            if (!VariableName().IsMatch(name))
            {
                Error(nameNode, $"{key}: \"{name}\" is not a valid variable name; use letters, digits and '_', not starting with a digit (e.g. GREETING)");
                ok = false;
                continue;
            }

            if (IsNull(valueNode))
            {
                Error(valueNode, $"{key}.{name}: has no value; write {name}: \"\" for an empty value");
                ok = false;
                continue;
            }

            var value = ReadString(valueNode, $"{key}.{name}", "a string, number or boolean");
            ok &= value is not null;
            variables[name] = value ?? "";
        }

        return ok ? variables : null;
    }

    /// <summary>An absolute path for <paramref name="path"/>, relative ones taken from the file's directory.</summary>
    private string Resolve(string path) => Path.GetFullPath(path, _directory);

    [GeneratedRegex(@"^[0-9]+\z")]
    private static partial Regex Digits();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*\z")]
    private static partial Regex VariableName();
}
