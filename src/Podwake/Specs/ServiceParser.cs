using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Podwake.Specs;

/// <summary>
/// Turns one YAML document into a <see cref="ServiceSpec"/>, reporting every problem in it at once.
/// Checks that span documents (duplicate names, colliding listen addresses) are <see cref="SpecLoader"/>'s.
/// </summary>
/// <remarks>One instance per document; partial by concern (values, ports, ready, files).</remarks>
internal sealed partial class ServiceParser
{
    private readonly string _file;
    private readonly string _directory;
    private readonly List<Diagnostic> _diagnostics = [];
    private readonly List<ListenClaim> _claims = [];

    /// <param name="file">The file as the user named it; shown in messages.</param>
    /// <param name="directory">Absolute directory that relative paths in the file are taken from.</param>
    public ServiceParser(string file, string directory)
    {
        _file = file;
        _directory = directory;
    }

    public ParsedService Parse(YamlNode root)
    {
        if (root is not YamlMappingNode map)
        {
            Error(root, $"expected a service: a mapping of keys such as name, image and ports; found {Describe(root)}");
            return new ParsedService(null, null, At(root), _claims, _diagnostics);
        }

        var entries = Entries(map, "", SpecKeys.Service);
        YamlNode? Value(string key) => entries.TryGetValue(key, out var entry) ? entry.Value : null;
        YamlNode? Key(string key) => entries.TryGetValue(key, out var entry) ? entry.Key : null;

        // First: a side-car service's keys that do not apply leave entries here, so no other key is read for it.
        var isSidecar = entries.TryGetValue(SpecKeys.Sidecar, out var sidecarEntry);
        var sidecar = isSidecar ? ParseSidecarService(sidecarEntry.Key, sidecarEntry.Value, entries) : null;
        var name = ParseName(Value(SpecKeys.Name), map);
        var (image, pod) = ParseImageAndPod(Key(SpecKeys.Image), Value(SpecKeys.Image), Key(SpecKeys.Pod), Value(SpecKeys.Pod), map, isSidecar);
        var build = Key(SpecKeys.Build) is { } buildKey
            ? ParseBuild(buildKey, Value(SpecKeys.Build)!, hasImage: Key(SpecKeys.Image) is not null, name)
            : null;
        var command = Value(SpecKeys.Command) is { } commandNode
            ? ReadCommandLine(commandNode, SpecKeys.Command, "[/bin/sh, -c, \"...\"]")
            : null;
        var env = Value(SpecKeys.Env) is { } envNode ? ReadVariables(envNode, SpecKeys.Env, "variable names to values") : null;
        var volumes = Value(SpecKeys.Volumes) is { } volumesNode ? ParseVolumes(volumesNode) : null;
        var envFiles = Value(SpecKeys.EnvFile) is { } envFileNode ? ParseEnvFiles(envFileNode) : [];
        var secrets = Value(SpecKeys.Secrets) is { } secretsNode ? ParseSecrets(secretsNode) : [];
        var containerUser = Value(SpecKeys.User) is { } containerUserNode ? ParseContainerUser(containerUserNode, Key(SpecKeys.RunAs) is not null) : null;
        var resources = Value(SpecKeys.Resources) is { } resourcesNode ? ParseResources(resourcesNode) : new ResourceSpec();
        var podmanArgs = Value(SpecKeys.PodmanArgs) is { } podmanArgsNode ? ParsePodmanArgs(podmanArgsNode) : [];
        var ports = isSidecar ? ([], true) : ParsePorts(Key(SpecKeys.Ports), Value(SpecKeys.Ports), map);
        // On a bad value these return null (idle: "never"), which is harmless: no spec is built then. A side-car's
        // containers are never stopped for being idle: null.
        var idle = isSidecar ? null : Value(SpecKeys.Idle) is { } idleNode ? ParseIdle(idleNode) : ServiceSpec.DefaultIdle;
        var ready = sidecar is not null ? SidecarReady(sidecar)
            : pod is { Readiness: { } podReady } && Value(SpecKeys.Ready) is null ? podReady
            : ParseReady(Value(SpecKeys.Ready), ports);
        if (pod is not null)
        {
            CheckPodService(pod, ports.Ports, entries);
        }

        var restart = Value(SpecKeys.Restart) is { } restartNode ? ParseRestart(restartNode) : RestartPolicy.OnFailure;
        var update = Value(SpecKeys.Update) is { } updateNode ? ParseUpdate(updateNode) : UpdatePolicy.None;
        var user = Key(SpecKeys.RunAs) is { } userKey ? ParseRunAs(userKey, Value(SpecKeys.RunAs)!) : null;
        var expose = Key(SpecKeys.Expose) is { } exposeKey ? ParseExpose(exposeKey, Value(SpecKeys.Expose)!, ports) : [];
        var hold = Value(SpecKeys.Hold) is { } holdNode ? ParseHold(holdNode) : ServiceSpec.DefaultHold;
        var udp = Key(SpecKeys.Udp) is { } udpKey ? ParseUdp(udpKey, Value(SpecKeys.Udp)!, ports) : new UdpSpec();

        var nameLocation = Value(SpecKeys.Name) is { } nameNode ? At(nameNode) : At(map);
        if (_diagnostics.Count > 0 || name is null || ready is null || udp is null || envFiles is null || secrets is null || resources is null || podmanArgs is null)
        {
            return new ParsedService(null, name, nameLocation, _claims, _diagnostics);
        }

        var spec = new ServiceSpec
        {
            Name = name,
            Image = image,
            Build = build,
            Command = command,
            Env = env ?? new Dictionary<string, string>(),
            Volumes = volumes ?? [],
            EnvFiles = envFiles,
            Secrets = secrets,
            Resources = resources,
            PodmanArgs = podmanArgs,
            Ports = ports.Ports,
            Idle = idle,
            Ready = ready,
            Restart = restart ?? RestartPolicy.OnFailure,
            Update = update ?? UpdatePolicy.None,
            RunAs = user,
            RunAsLocation = Key(SpecKeys.RunAs) is { } userKeyNode ? At(userKeyNode) : null,
            User = containerUser,
            Expose = expose,
            Pod = pod?.Path,
            Kube = pod,
            Hold = hold ?? ServiceSpec.DefaultHold,
            Udp = udp,
            Sidecar = sidecar,
            Location = At(map),
        };
        return new ParsedService(spec, name, nameLocation, _claims, _diagnostics);
    }

    private string? ParseName(YamlNode? node, YamlMappingNode map)
    {
        if (node is null)
        {
            Error(map, "name is required; add e.g. name: hello (lowercase letters, digits and '-')");
            return null;
        }

        var name = ReadString(node, SpecKeys.Name, "a name like hello");
        if (name is not null && !NamePattern().IsMatch(name))
        {
            Error(node, $"name: \"{name}\" is not a valid name; use 1 to 48 lowercase letters, digits and '-', starting with a letter or digit (e.g. hello)");
            return null;
        }

        if (name is not null && ReservedSuffix().Match(name) is { Success: true } reserved)
        {
            var owner = name[..reserved.Index];
            Error(node, $"name: \"{name}\" ends with \"{reserved.Value}\", which podwake reserves: {ReservedUse(name, reserved.Value, owner)}; choose a name without that ending, e.g. {owner}-app");
            return null;
        }

        return name;
    }

    private (string? Image, KubeWorkload? Pod) ParseImageAndPod(
        YamlNode? imageKey, YamlNode? imageNode, YamlNode? podKey, YamlNode? podNode, YamlMappingNode map, bool isSidecar)
    {
        string? image = null;
        if (imageNode is not null)
        {
            image = ReadString(imageNode, SpecKeys.Image, $"an image reference like {ImageReference.Example}");
            if (image is not null && ImageReference.Problem(image) is { } problem)
            {
                Error(imageNode, $"image: \"{image}\" is not a valid image reference: {problem}");
            }
        }

        var pod = podKey is null ? null : ParsePod(podNode!);
        if (imageKey is null && podKey is null)
        {
            Error(map, isSidecar
                ? $"image is required for a sidecar: service (its containers run sidecar.command in it); add e.g. image: {ImageReference.Example}"
                : $"image is required; add e.g. image: {ImageReference.Example} (or pod: for a Kubernetes pod file)");
        }
        else if (imageKey is not null && podKey is not null)
        {
            Error(podKey, "image and pod cannot be used together; keep image for one container, or pod for a Kubernetes pod file");
        }

        return (image, pod);
    }

    private TimeSpan? ParseIdle(YamlNode node)
    {
        var text = ReadString(node, SpecKeys.Idle, $"a duration like 30s or \"never\"");
        if (text is null)
        {
            return null;
        }

        if (text == "never")
        {
            return null;
        }

        if (!Duration.TryParse(text, out var idle, out var problem, " or \"never\""))
        {
            Error(node, $"idle: {problem}");
            return null;
        }

        return idle;
    }

    private RestartPolicy? ParseRestart(YamlNode node) =>
        ReadWord(node, SpecKeys.Restart, RestartPolicyText.Table, "a restart policy");

    private UpdatePolicy? ParseUpdate(YamlNode node)
    {
        if (ReadWord(node, SpecKeys.Update, UpdatePolicyText.Table, "an update policy") is not { } policy)
        {
            return null;
        }

        var feature = policy switch
        {
            UpdatePolicy.Registry => SpecFeature.RegistryUpdates,
            UpdatePolicy.Local => SpecFeature.LocalUpdates,
            _ => (SpecFeature?)null,
        };
        if (feature is { } used)
        {
            ReportIfNotSupported(used, node);
        }

        return policy;
    }

    /// <summary>
    /// <c>hold:</c> — a podwake extension to the contract: most connections held open while the service is
    /// dormant or waking (default <see cref="ServiceSpec.DefaultHold"/>); past it, new ones are closed and counted.
    /// </summary>
    private int? ParseHold(YamlNode node)
    {
        var text = ReadString(node, SpecKeys.Hold, "a positive integer like 512");
        if (text is null)
        {
            return null;
        }

        if (!Digits().IsMatch(text) || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var hold) || hold < 1)
        {
            Error(node, $"hold: \"{text}\" is not a positive integer; give the most connections to hold while waking, e.g. hold: {ServiceSpec.DefaultHold}");
            return null;
        }

        return hold;
    }

    /// <summary>The single call site of <see cref="SupportedFeatures"/>: reports a use of a feature this build lacks.</summary>
    private void ReportIfNotSupported(SpecFeature feature, YamlNode node)
    {
        if (SupportedFeatures.NotSupportedMessage(feature) is { } message)
        {
            Error(node, message);
        }
    }

    /// <summary>A valid <c>name:</c>; also what the internal commands that take a service name accept.</summary>
    public static bool IsValidName(string name) => NamePattern().IsMatch(name);

    [GeneratedRegex(@"^[a-z0-9][a-z0-9-]{0,47}\z")]
    private static partial Regex NamePattern();

    /// <summary>
    /// Suffixes podwake appends to a service's name for its other units and containers (<c>-container</c>,
    /// <c>-network</c>, <c>-sidecar</c> and <c>-expose[-PORT]</c> units, the <c>-next</c> container of an update): a service named so would
    /// share unit or container names with another, even one deployed from another file at another time.
    /// </summary>
    [GeneratedRegex(@"-(container|network|next|sidecar|expose(-[0-9]+)?)\z")]
    private static partial Regex ReservedSuffix();

    private static string ReservedUse(string name, string suffix, string owner) => suffix switch
    {
        "-container" => $"podwake-{name}.service is the container unit of a service named \"{owner}\"",
        "-network" => $"podwake-{name}.service is the network unit of a service named \"{owner}\"",
        "-next" => $"podwake-{name} is the container an update of a service named \"{owner}\" creates",
        "-sidecar" => $"podwake-{name}.path and podwake-{name}.service are the sync units of a sidecar: service named \"{owner}\"",
        _ => $"podwake-{name}.socket is an expose unit of a service named \"{owner}\"",
    };

    [GeneratedRegex(@"^[a-z_][a-z0-9_-]{0,31}\z")]
    private static partial Regex UserPattern();
}
