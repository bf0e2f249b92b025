using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Podwake.Specs;

/// <summary>
/// Loads a YAML file's text into documents with <see cref="BoundedYamlParser"/>'s limits, a failure reported as
/// <c>FILE:LINE:COL: error: invalid YAML: ...</c>: service files (<see cref="SpecLoader"/>) and the Kubernetes files
/// they name (<see cref="KubeFileParser"/>) alike.
/// </summary>
internal static class YamlText
{
    /// <returns>The documents, or null when the text is not YAML (the problem is in <paramref name="diagnostics"/>).</returns>
    public static YamlStream? Load(string file, string text, List<Diagnostic> diagnostics)
    {
        var stream = new YamlStream();
        var parser = new BoundedYamlParser(new StringReader(text));
        try
        {
            stream.Load(parser);
            return stream;
        }
        catch (YamlException e)
        {
            var at = Position(e, text);
            diagnostics.Add(new Diagnostic(new SourceLocation(file, at.Line, at.Column), YamlMessage(e, text, at.Line)));
            return null;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or IndexOutOfRangeException or FormatException or OverflowException)
        {
            // YamlDotNet 18.1 throws these from inside its scanner on some broken input, e.g. an unclosed flow list
            // followed by a key ("command: [a" then "ports: ..."): before, an unhandled exception and a stack trace.
            var at = parser.Position;
            diagnostics.Add(new Diagnostic(
                new SourceLocation(file, Math.Max(1, checked((int)at.Line)), Math.Max(1, checked((int)at.Column))),
                "invalid YAML: the parser stopped here; look for an unclosed [ { or quote before this point"));
            return null;
        }
    }

    /// <summary>A document that is nothing ("---" at the end of a stream, or two in a row).</summary>
    public static bool IsEmpty(YamlDocument document) =>
        document.RootNode is YamlScalarNode { Value: null or "" } root && root.Tag.IsEmpty;

    /// <summary>Where to point: YamlDotNet's position, except for a tab, which it reports at the mapping it breaks.</summary>
    private static (int Line, int Column) Position(YamlException e, string text)
    {
        var (line, column) = (Math.Max(1, checked((int)e.Start.Line)), Math.Max(1, checked((int)e.Start.Column)));
        if (e.Message.Contains(" tab", StringComparison.Ordinal))
        {
            // The first line from there indented with a tab: "ports:\n\t- ..." said 1:1 (the mapping), not 4:1.
            var lines = text.Split('\n');
            for (var i = line - 1; i < lines.Length; i++)
            {
                var indent = lines[i].Length - lines[i].TrimStart(' ', '\t').Length;
                var tab = lines[i].IndexOf('\t', StringComparison.Ordinal);
                if (tab >= 0 && tab < indent)
                {
                    return (i + 1, tab + 1);
                }
            }
        }

        return (line, column);
    }

    /// <summary>YamlDotNet's message, in the style of the others ("invalid YAML: ...", no final period).</summary>
    private static string YamlMessage(YamlException e, string text, int line)
    {
        var message = e.Message.TrimEnd('.');
        if (message.StartsWith("Duplicate key ", StringComparison.Ordinal))
        {
            return $"duplicate key \"{message["Duplicate key ".Length..]}\"; each key may appear once";
        }

        message = message.Length == 0 ? "invalid YAML" : $"invalid YAML: {char.ToLowerInvariant(message[0])}{message[1..]}";

        // The usual culprit: an unquoted IPv6 address, which YAML reads as the start of a list.
        var lines = text.Split('\n');
        var source = line >= 1 && line <= lines.Length ? lines[line - 1] : "";
        return source.Contains(": [", StringComparison.Ordinal) && source.Contains("]:", StringComparison.Ordinal)
            ? $"{message}; quote values that start with '[', e.g. listen: \"[::1]:8080\""
            : message;
    }

}
