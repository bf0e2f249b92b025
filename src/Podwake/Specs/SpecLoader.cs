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
        var inDirectories = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in ExpandPaths(paths, diagnostics, fileOrder, inDirectories))
        {
            parsed.AddRange(LoadFile(file, diagnostics, inDirectories.Contains(file)));
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
    /// <param name="inDirectories">Filled with the files found in a directory (not named themselves).</param>
    private static List<string> ExpandPaths(IEnumerable<string> paths, List<Diagnostic> diagnostics, Dictionary<string, int> fileOrder, HashSet<string> inDirectories)
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
                    inDirectories.Add(file);
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

    /// <param name="inDirectory">Found in a directory: a Kubernetes file there (a pod: service's) is not a service file.</param>
    private static List<ParsedService> LoadFile(string file, List<Diagnostic> diagnostics, bool inDirectory)
    {
        var services = new List<ParsedService>();
        var text = SpecFileReader.Read(file, out var problem);
        if (text is null)
        {
            diagnostics.Add(problem!);
            return services;
        }

        if (YamlText.Load(file, text, diagnostics) is not { } stream)
        {
            return services;
        }

        if (stream.Documents.FirstOrDefault(d => !YamlText.IsEmpty(d))?.RootNode is YamlMappingNode first
            && first.Children.ContainsKey(new YamlScalarNode("apiVersion")) && first.Children.ContainsKey(new YamlScalarNode("kind")))
        {
            // A pod: service's Kubernetes file beside its service file: a directory holds both.
            if (!inDirectory)
            {
                diagnostics.Add(new Diagnostic(new SourceLocation(file, 1, 1),
                    "this is a Kubernetes file (apiVersion, kind), not a service file; name it in a service file's pod: key, e.g. pod: ./pod.yaml"));
            }

            return services;
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(file))!;
        foreach (var document in stream.Documents)
        {
            // "---" at the end of a stream, or between two, makes an empty document: nothing to ignore there.
            if (YamlText.IsEmpty(document))
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

    /// <summary>Names, listen addresses and side-car wrappers must be unique across everything loaded together.</summary>
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

        CheckWrappers(services, diagnostics, clashing);
        return clashing;
    }

    /// <summary>Two side-car services writing one wrapper would replace each other's: the second is reported.</summary>
    private static void CheckWrappers(List<ParsedService> services, List<Diagnostic> diagnostics, HashSet<ParsedService> clashing)
    {
        var wrappers = new Dictionary<string, (string Name, SourceLocation Location)>(StringComparer.Ordinal);
        foreach (var service in services)
        {
            if (service.Spec is not { Sidecar: { } sidecar } spec)
            {
                continue;
            }

            if (wrappers.TryGetValue(sidecar.Wrapper, out var first))
            {
                diagnostics.Add(new Diagnostic(
                    sidecar.Location,
                    $"sidecar.wrapper: {sidecar.Wrapper} is already the wrapper of service \"{first.Name}\" at {first.Location}; give each sidecar: service a wrapper path of its own"));
                clashing.Add(service);
            }
            else
            {
                wrappers[sidecar.Wrapper] = (spec.Name, sidecar.Location);
            }
        }
    }

    private static string CollisionMessage(ListenClaim claim, ParsedService service, ListenClaim other, ParsedService otherService)
    {
        var owner = ReferenceEquals(service, otherService)
            ? other.Key
            : otherService.Name is { } name ? $"service \"{name}\"" : "another service";
        return claim.UnixPath is not null
            ? $"{claim.Key}: {claim.Display} is already used by {owner} at {other.Location}; give each unix socket listener a path of its own"
            : claim.SameAs(other)
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
