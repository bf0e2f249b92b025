using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Podwake.Specs;

/// <summary><c>build:</c>, <c>volumes:</c> and <c>pod:</c>, the keys that name host paths.</summary>
internal sealed partial class ServiceParser
{
    private const string VolumeExample = "\"./www:/www:ro\" (a folder beside this file) or \"data:/var/lib/data\" (a named volume)";

    /// <summary>The options podman accepts after a volume's container path (podman-run(1), --volume).</summary>
    private static readonly string[] VolumeOptions =
    [
        "ro", "rw", "z", "Z", "U", "O", "copy", "nocopy", "dev", "nodev", "exec", "noexec", "suid", "nosuid",
        "bind", "rbind", "shared", "rshared", "slave", "rslave", "private", "rprivate", "unbindable", "runbindable", "idmap",
    ];

    private BuildSpec? ParseBuild(YamlNode key, YamlNode node, bool hasImage, string? name)
    {
        if (!hasImage)
        {
            Error(key, $"build needs image: to name the image it builds; add e.g. image: localhost/{name ?? "NAME"}:latest");
        }

        string? context;
        YamlNode contextNode;
        string contextKey;
        string? containerfile = null;
        Dictionary<string, string>? args = null;
        var ok = true;
        if (node is YamlMappingNode map)
        {
            var entries = Entries(map, SpecKeys.Build, SpecKeys.BuildMapping);
            contextKey = "build.context";
            (contextNode, context) = entries.TryGetValue(SpecKeys.Context, out var contextEntry)
                ? (contextEntry.Value, ReadString(contextEntry.Value, contextKey, "a directory like ."))
                : (map, ".");
            if (entries.TryGetValue(SpecKeys.Containerfile, out var fileEntry))
            {
                containerfile = ReadContainerfile(fileEntry.Value, context);
                ok &= containerfile is not null;
            }

            if (entries.TryGetValue(SpecKeys.Args, out var argsEntry))
            {
                args = ReadVariables(argsEntry.Value, "build.args", "build argument names to values");
                ok &= args is not null;
            }
        }
        else if (node is YamlScalarNode && !IsNull(node))
        {
            contextKey = SpecKeys.Build;
            contextNode = node;
            context = ReadString(node, contextKey, "a directory");
        }
        else
        {
            Error(node, $"build: expected a context directory like . or a mapping {{context, containerfile, args}}, found {Describe(node)}");
            return null;
        }

        if (context is null)
        {
            return null;
        }

        var contextPath = Resolve(context);
        if (File.Exists(contextPath))
        {
            Error(contextNode, $"{contextKey}: \"{context}\" is a file; name the directory to build in (the build context), e.g. build: .");
            return null;
        }

        if (!Directory.Exists(contextPath))
        {
            Error(contextNode, $"{contextKey}: directory \"{context}\" does not exist (looked for {contextPath}); create it or fix the path");
            return null;
        }

        if (containerfile is null && ok
            && !File.Exists(Path.Join(contextPath, "Containerfile")) && !File.Exists(Path.Join(contextPath, "Dockerfile")))
        {
            Error(contextNode, $"{contextKey}: no Containerfile or Dockerfile in {contextPath}; add one or set build.containerfile");
            return null;
        }

        return ok && hasImage
            ? new BuildSpec { Context = contextPath, Containerfile = containerfile, Args = args ?? new Dictionary<string, string>() }
            : null;
    }

    private string? ReadContainerfile(YamlNode node, string? context)
    {
        var text = ReadString(node, "build.containerfile", "a file like Containerfile");
        if (text is null)
        {
            return null;
        }

        var path = Resolve(text);
        if (File.Exists(path))
        {
            return path;
        }

        // Compose takes the Dockerfile from the context; podwake takes every path from the file's directory.
        var hint = "";
        if (context is not null && !Path.IsPathRooted(text) && File.Exists(Path.Join(Resolve(context), text)))
        {
            hint = $"; paths are relative to this file's directory: did you mean ./{Path.GetRelativePath(_directory, Path.Join(Resolve(context), text))}?";
        }

        Error(node, $"build.containerfile: \"{text}\" does not exist (looked for {path}){hint}");
        return null;
    }

    private List<VolumeSpec>? ParseVolumes(YamlNode node)
    {
        var sequence = ReadSequence(node, SpecKeys.Volumes, "a list like [\"./www:/www:ro\"]");
        if (sequence is null)
        {
            return null;
        }

        var volumes = new List<VolumeSpec>();
        var targets = new Dictionary<string, string>(StringComparer.Ordinal);
        var ok = true;
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var key = $"volumes[{i}]";
            var item = sequence.Children[i];
            var volume = ParseVolume(item, key);
            if (volume is null)
            {
                ok = false;
                continue;
            }

            if (targets.TryGetValue(volume.Target, out var first))
            {
                Error(item, $"{key}: the container path {volume.Target} is already mounted by {first}; mount each path once");
                ok = false;
                continue;
            }

            targets[volume.Target] = key;
            volumes.Add(volume);
        }

        return ok ? volumes : null;
    }

    private VolumeSpec? ParseVolume(YamlNode node, string key)
    {
        var text = ReadString(node, key, "a string SOURCE:TARGET[:OPTIONS]");
        if (text is null)
        {
            return null;
        }

        var parts = text.Split(':');
        if (parts.Length is < 2 or > 3 || parts[0].Length == 0 || parts[1].Length == 0)
        {
            Error(node, $"{key}: \"{text}\" is not SOURCE:TARGET[:OPTIONS]; e.g. {VolumeExample}");
            return null;
        }

        var (source, target) = (parts[0], parts[1]);
        if (!target.StartsWith('/'))
        {
            Error(node, $"{key}: the container path \"{target}\" must be absolute; e.g. \"{source}:/{target}\"");
            return null;
        }

        if (source.StartsWith('~'))
        {
            Error(node, $"{key}: \"{source}\" is not expanded; use an absolute path or one relative to this file (e.g. ./data)");
            return null;
        }

        var isPath = source.StartsWith('/') || source.StartsWith('.') || source.Contains('/', StringComparison.Ordinal);
        if (!isPath && !VolumeName().IsMatch(source))
        {
            Error(node, $"{key}: \"{source}\" is not a valid volume name; use letters, digits, '_', '.' and '-' (or start a host path with ./ or /)");
            return null;
        }

        if (isPath && !IsExpressibleHostPath(node, key, Resolve(source)))
        {
            return null;
        }

        var options = parts.Length == 3 ? parts[2].Split(',') : [];
        foreach (var option in options)
        {
            if (!VolumeOptions.Contains(option, StringComparer.Ordinal) && !option.StartsWith("idmap=", StringComparison.Ordinal))
            {
                Error(node, $"{key}: unknown option \"{option}\";{KeySuggestions.DidYouMean(option, VolumeOptions)} use one of {string.Join(", ", VolumeOptions)}");
                return null;
            }
        }

        return new VolumeSpec
        {
            Source = isPath ? Resolve(source) : source,
            // "/srv/" is "/srv", and "//" is "/" (trimmed to nothing, the copy deploy writes would not load).
            Target = target.TrimEnd('/') is { Length: > 0 } trimmed ? trimmed : "/",
            Options = options,
        };
    }

    private KubeWorkload? ParsePod(YamlNode node)
    {
        var text = ReadString(node, SpecKeys.Pod, "a Kubernetes YAML file like ./pod.yaml");
        if (text is null)
        {
            return null;
        }

        var path = Resolve(text);
        if (Directory.Exists(path))
        {
            Error(node, $"pod: \"{text}\" is a directory; name the Kubernetes YAML file, e.g. ./pod.yaml");
            return null;
        }

        if (!File.Exists(path))
        {
            Error(node, $"pod: \"{text}\" does not exist (looked for {path}); fix the path");
            return null;
        }

        // Messages name the pod file as the service file's folder (as the user named it) joined with the value.
        var display = Path.IsPathRooted(text) ? text : Path.Join(Path.GetDirectoryName(_file), text.StartsWith("./", StringComparison.Ordinal) ? text[2..] : text);
        return KubeFileParser.Parse(display, path, _diagnostics);
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.-]*\z")]
    private static partial Regex VolumeName();
}
