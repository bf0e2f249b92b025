using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Podwake.Specs;

/// <summary>
/// Reads service files (README, "The service file") into <see cref="ServiceSpec"/>s and reports every
/// problem in all of them at once.
/// </summary>
/// <remarks>
/// Uses YamlDotNet's representation model, not its reflection deserializer: the model keeps line/column
/// marks for messages and works under NativeAOT, where the deserializer crashes.
/// </remarks>
internal static class SpecLoader
{
    /// <summary>Loads every service in <paramref name="paths"/>.</summary>
    /// <param name="paths">
    /// Files (one service per YAML document, documents separated by <c>---</c>) or directories (every
    /// <c>*.yaml</c>/<c>*.yml</c> directly in it, by name). Messages name files as given here.
    /// </param>
    public static SpecLoadResult Load(IEnumerable<string> paths)
    {
        var diagnostics = new List<Diagnostic>();
        var parsed = new List<ParsedService>();
        var fileOrder = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var file in ExpandPaths(paths, diagnostics, fileOrder))
        {
            parsed.AddRange(LoadFile(file, diagnostics));
        }

        foreach (var service in parsed)
        {
            diagnostics.AddRange(service.Diagnostics);
        }

        var clashing = CheckAcrossServices(parsed, diagnostics);
        return new SpecLoadResult(
            parsed.Where(p => p.Spec is not null && p.Diagnostics.Count == 0 && !clashing.Contains(p)).Select(p => p.Spec!).ToList(),
            Ordered(diagnostics, fileOrder));
    }

    /// <summary>The files to read, each once, in the order given (directory entries by name).</summary>
    /// <param name="fileOrder">Filled with each path and file in that order, to sort messages by.</param>
    private static List<string> ExpandPaths(IEnumerable<string> paths, List<Diagnostic> diagnostics, Dictionary<string, int> fileOrder)
    {
        var files = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Add(string file)
        {
            if (seen.Add(Path.GetFullPath(file)))
            {
                files.Add(file);
            }
        }

        foreach (var path in paths)
        {
            fileOrder.TryAdd(path, fileOrder.Count);
            if (File.Exists(path))
            {
                Add(path);
            }
            else if (Directory.Exists(path))
            {
                var entries = Directory.EnumerateFiles(path)
                    .Select(Path.GetFileName)
                    .Where(name => name!.EndsWith(".yaml", StringComparison.Ordinal) || name.EndsWith(".yml", StringComparison.Ordinal))
                    .Order(StringComparer.Ordinal)
                    .ToList();
                if (entries.Count == 0)
                {
                    diagnostics.Add(new Diagnostic(SourceLocation.ForFile(path), "no *.yaml or *.yml file in this directory"));
                }

                foreach (var name in entries)
                {
                    var file = Path.Join(path, name);
                    fileOrder.TryAdd(file, fileOrder.Count);
                    Add(file);
                }
            }
            else
            {
                diagnostics.Add(new Diagnostic(SourceLocation.ForFile(path), "no such file or directory"));
            }
        }

        return files;
    }

    private static List<ParsedService> LoadFile(string file, List<Diagnostic> diagnostics)
    {
        var services = new List<ParsedService>();
        var text = SpecFileReader.Read(file, out var problem);
        if (text is null)
        {
            diagnostics.Add(problem!);
            return services;
        }

        var stream = new YamlStream();
        var parser = new BoundedYamlParser(new StringReader(text));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            var at = Position(e, text);
            diagnostics.Add(new Diagnostic(new SourceLocation(file, at.Line, at.Column), YamlMessage(e, text, at.Line)));
            return services;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or IndexOutOfRangeException or FormatException or OverflowException)
        {
            // YamlDotNet 18.1 throws these from inside its scanner on some broken input, e.g. an unclosed flow list
            // followed by a key ("command: [a" then "ports: ..."): before, an unhandled exception and a stack trace.
            var at = parser.Position;
            diagnostics.Add(new Diagnostic(
                new SourceLocation(file, Math.Max(1, checked((int)at.Line)), Math.Max(1, checked((int)at.Column))),
                "invalid YAML: the parser stopped here; look for an unclosed [ { or quote before this point"));
            return services;
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(file))!;
        foreach (var document in stream.Documents)
        {
            // "---" at the end of a stream, or between two, makes an empty document: nothing to ignore there.
            if (document.RootNode is YamlScalarNode { Value: null or "" } root && root.Tag.IsEmpty)
            {
                continue;
            }

            services.Add(new ServiceParser(file, directory).Parse(document.RootNode));
        }

        if (services.Count == 0)
        {
            diagnostics.Add(new Diagnostic(new SourceLocation(file, 1, 1), "no service in this file; a service needs at least name, image and ports"));
        }

        return services;
    }

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

    /// <summary>Names and listen addresses must be unique across everything loaded together.</summary>
    /// <returns>The services reported here (the second of each clashing pair).</returns>
    private static HashSet<ParsedService> CheckAcrossServices(List<ParsedService> services, List<Diagnostic> diagnostics)
    {
        var clashing = new HashSet<ParsedService>(ReferenceEqualityComparer.Instance);
        var names = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        foreach (var service in services)
        {
            if (service.Name is null)
            {
                continue;
            }

            if (names.TryGetValue(service.Name, out var first))
            {
                diagnostics.Add(new Diagnostic(
                    service.NameLocation,
                    $"name: \"{service.Name}\" is already used by the service at {first}; give each service a unique name"));
                clashing.Add(service);
            }
            else
            {
                names[service.Name] = service.NameLocation;
            }
        }

        var claimed = new List<(ParsedService Service, ListenClaim Claim)>();
        foreach (var service in services)
        {
            foreach (var claim in service.Claims)
            {
                var earlier = claimed.FirstOrDefault(c => c.Claim.CollidesWith(claim));
                if (earlier.Claim is { } other)
                {
                    diagnostics.Add(new Diagnostic(claim.Location, CollisionMessage(claim, service, other, earlier.Service)));
                    clashing.Add(service);
                }

                claimed.Add((service, claim));
            }
        }

        return clashing;
    }

    private static string CollisionMessage(ListenClaim claim, ParsedService service, ListenClaim other, ParsedService otherService)
    {
        var owner = ReferenceEquals(service, otherService)
            ? other.Key
            : otherService.Name is { } name ? $"service \"{name}\"" : "another service";
        return claim.Address.Equals(other.Address)
            ? $"{claim.Key}: {claim.Display} is already used by {owner} at {other.Location}; use another port or address"
            : $"{claim.Key}: {claim.Display} collides with {other.Display} of {owner} at {other.Location}; both cannot be bound at once: use another port";
    }

    /// <summary>By file in the order given, then by position, like a compiler's output.</summary>
    private static List<Diagnostic> Ordered(List<Diagnostic> diagnostics, Dictionary<string, int> fileOrder) =>
        diagnostics
            .OrderBy(d => fileOrder.GetValueOrDefault(d.Location.File, int.MaxValue))
            .ThenBy(d => d.Location.Line)
            .ThenBy(d => d.Location.Column)
            .ToList();
}
