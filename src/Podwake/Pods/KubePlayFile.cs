using System.Globalization;
using Podwake.Podman;
using Podwake.Specs;
using YamlDotNet.RepresentationModel;

namespace Podwake.Pods;

/// <summary>
/// The Kubernetes YAML podwake hands to <c>podman kube play</c> for a <c>pod:</c> service: the user's file, with the one
/// workload made a Pod that podwake can find and drive.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>A Deployment becomes the Pod of its template (one replica: podwake wakes one pod), so the pod is
/// <c>podwake-NAME</c> whatever the kind (kube play would name a Deployment's <c>NAME-pod-0</c>).</item>
/// <item>Labelled as podwake's (service, manager), as serve's and deploy's single containers are.</item>
/// <item><c>restartPolicy: Never</c>: podwake's <c>restart:</c> restarts a container that dies, with clients held; a
/// restart by podman behind podwake's back would race it.</item>
/// <item>The containerPorts podwake forwards to: rootful, left out (podwake reaches them inside the pod's network
/// namespace; podman 4.3's kube play publishes a containerPort without hostPort on the host port of the same number, on
/// every address, so keeping it took the host's port 8080); rootless, published on the loopback ports podwake chose.
/// Other ports stay only with a hostPort the user wrote (<see cref="Forward"/>).</item>
/// <item>Each emptyDir volume is named <c>podwake-NAME-VOLUME</c>: podman 4.3 makes a volume named as the pod file names it,
/// so two pods with an emptyDir <c>share</c> shared one (one pod served the other's files, measured).</item>
/// <item>Service documents are dropped (podman ignores them), and PersistentVolumeClaim ones (their volumes are created
/// by the caller when missing and kept from one play to the next); ConfigMap ones stay.</item>
/// </list>
/// </remarks>
internal static class KubePlayFile
{
    /// <param name="manager">Who runs it (<c>serve</c> or <c>systemd</c>), as the container label says.</param>
    /// <param name="publishedPorts">Rootless: container port → loopback host port; null rootful.</param>
    public static string Render(ServiceSpec spec, string manager, IReadOnlyDictionary<int, int>? publishedPorts)
    {
        var kube = spec.Kube ?? throw new InvalidOperationException($"service {spec.Name} has no pod file");
        var stream = YamlText.Load(kube.DisplayPath, kube.Text, []) ?? throw new InvalidOperationException($"{kube.DisplayPath} is no longer valid YAML");
        var forwarded = spec.Ports.Select(p => (p.ContainerPort, p.Protocol)).ToHashSet();
        var output = new YamlStream();
        foreach (var document in stream.Documents.Where(d => !YamlText.IsEmpty(d)))
        {
            var map = (YamlMappingNode)document.RootNode;
            var kind = ((YamlScalarNode)map.Children[new YamlScalarNode("kind")]).Value;
            // Service documents podman ignores. PersistentVolumeClaim ones podman 4.3 refuses once their volume exists
            // ("volume with name X already exists"), and a claim's volume outlives the pod on purpose (serve's exit and
            // undeploy keep it): the second serve or deploy of a service failed. The caller creates a missing claim's
            // volume itself before it plays (Claims), and podman mounts it by the claim's name.
            if (kind is "Service" or "PersistentVolumeClaim")
            {
                continue;
            }

            output.Documents.Add(kind is "Pod" or "Deployment"
                ? new YamlDocument(Pod(spec, manager, map, kind, forwarded, publishedPorts))
                : document);
        }

        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        output.Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    private static YamlMappingNode Pod(
        ServiceSpec spec, string manager, YamlMappingNode workload, string kind, HashSet<(int, Protocol)> forwarded, IReadOnlyDictionary<int, int>? publishedPorts)
    {
        var template = kind == "Deployment" ? (YamlMappingNode)Child(Child(workload, "spec"), "template")! : workload;
        var metadata = Child(template, "metadata");
        var labels = Child(metadata, "labels") ?? new YamlMappingNode();
        labels.Children[new YamlScalarNode(ContainerLabels.Service)] = new YamlScalarNode(spec.Name);
        labels.Children[new YamlScalarNode(ContainerLabels.Manager)] = new YamlScalarNode(manager);
        var newMetadata = new YamlMappingNode { { "name", PodNames.Pod(spec.Name) }, { "labels", labels } };
        if (Child(metadata, "annotations") is { } annotations)
        {
            newMetadata.Add("annotations", annotations);
        }

        var podSpec = Child(template, "spec")!;
        podSpec.Children[new YamlScalarNode("restartPolicy")] = new YamlScalarNode("Never");
        var emptyDirs = EmptyDirVolumes(spec.Name, podSpec);
        foreach (var container in Containers(podSpec))
        {
            RenameMounts(container, emptyDirs);
            if (!container.Children.TryGetValue(new YamlScalarNode("ports"), out var ports))
            {
                continue;
            }

            var list = (YamlSequenceNode)ports;
            foreach (var port in list.Children.OfType<YamlMappingNode>().ToList())
            {
                if (!Forward(port, forwarded, publishedPorts))
                {
                    list.Children.Remove(port);
                }
            }

            if (list.Children.Count == 0)
            {
                container.Children.Remove(new YamlScalarNode("ports"));
            }
        }

        return new YamlMappingNode
        {
            { "apiVersion", "v1" },
            { "kind", "Pod" },
            { "metadata", newMetadata },
            { "spec", podSpec },
        };
    }

    /// <summary>
    /// Whether a containerPort entry stays, made what podwake needs. podman 4.3 publishes every containerPort without
    /// hostPort on the host, on the same port number and every address: two pods with a containerPort 8080 could not
    /// run at once, and a pod was reachable around podwake (PodVolumeIsolationTests). So a port podwake forwards to stays
    /// only rootless, on its loopback port; a port with a hostPort the user wrote stays as written; any other goes.
    /// </summary>
    /// <returns>False when the port entry is to be left out.</returns>
    private static bool Forward(YamlMappingNode port, HashSet<(int, Protocol)> forwarded, IReadOnlyDictionary<int, int>? publishedPorts)
    {
        var number = int.Parse(((YamlScalarNode)port.Children[new YamlScalarNode("containerPort")]).Value!, CultureInfo.InvariantCulture);
        var protocol = port.Children.TryGetValue(new YamlScalarNode("protocol"), out var text) && text is YamlScalarNode { Value: "UDP" }
            ? Protocol.Udp
            : Protocol.Tcp;
        if (!forwarded.Contains((number, protocol)))
        {
            return port.Children.ContainsKey(new YamlScalarNode("hostPort"));
        }

        if (publishedPorts is null)
        {
            return false;
        }

        port.Children.Remove(new YamlScalarNode("hostPort"));
        port.Children.Remove(new YamlScalarNode("hostIP"));
        if (publishedPorts is not null && publishedPorts.TryGetValue(number, out var hostPort))
        {
            port.Children[new YamlScalarNode("hostIP")] = new YamlScalarNode("127.0.0.1");
            port.Children[new YamlScalarNode("hostPort")] = new YamlScalarNode(hostPort.ToString(CultureInfo.InvariantCulture));
        }

        return true;
    }

    /// <summary>
    /// The loopback ports a rendered file publishes its containerPorts on (containerPort → hostPort, where hostIP is
    /// 127.0.0.1): what a rootless pod is reached at, read back so a redeploy keeps them and the activator finds them.
    /// </summary>
    public static Dictionary<int, int> PublishedPorts(string renderedText)
    {
        var ports = new Dictionary<int, int>();
        foreach (var podSpec in PodSpecs(renderedText))
        {
            foreach (var container in Containers(podSpec))
            {
                if (!container.Children.TryGetValue(new YamlScalarNode("ports"), out var list) || list is not YamlSequenceNode sequence)
                {
                    continue;
                }

                foreach (var port in sequence.Children.OfType<YamlMappingNode>())
                {
                    if (Scalar(port, "hostIP") == "127.0.0.1"
                        && int.TryParse(Scalar(port, "containerPort"), CultureInfo.InvariantCulture, out var containerPort)
                        && int.TryParse(Scalar(port, "hostPort"), CultureInfo.InvariantCulture, out var hostPort))
                    {
                        ports[containerPort] = hostPort;
                    }
                }
            }
        }

        return ports;
    }

    /// <summary>The claim names of the PersistentVolumeClaim volumes of a rendered file: podman's named volumes.</summary>
    public static IReadOnlyList<string> Claims(string renderedText)
    {
        var claims = new List<string>();
        foreach (var podSpec in PodSpecs(renderedText))
        {
            if (podSpec.Children.TryGetValue(new YamlScalarNode("volumes"), out var volumes) && volumes is YamlSequenceNode list)
            {
                claims.AddRange(list.Children.OfType<YamlMappingNode>().Select(v => Child(v, "persistentVolumeClaim")).OfType<YamlMappingNode>()
                    .Select(c => Scalar(c, "claimName")).OfType<string>());
            }
        }

        return claims.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>The pod specs of a rendered file (its Pod documents).</summary>
    private static IEnumerable<YamlMappingNode> PodSpecs(string renderedText)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(renderedText));
        }
        catch (YamlDotNet.Core.YamlException)
        {
            yield break;
        }

        foreach (var map in stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>())
        {
            if (Child(map, "spec") is { } podSpec && podSpec.Children.ContainsKey(new YamlScalarNode("containers")))
            {
                yield return podSpec;
            }
        }
    }

    private static IEnumerable<YamlMappingNode> Containers(YamlMappingNode podSpec) =>
        new[] { "initContainers", "containers" }
            .Select(key => podSpec.Children.TryGetValue(new YamlScalarNode(key), out var list) ? list as YamlSequenceNode : null)
            .OfType<YamlSequenceNode>()
            .SelectMany(list => list.Children.OfType<YamlMappingNode>());

    /// <summary>Renames the pod's emptyDir volumes to <c>podwake-NAME-VOLUME</c>; old name → new name.</summary>
    private static Dictionary<string, string> EmptyDirVolumes(string service, YamlMappingNode podSpec)
    {
        var renamed = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!podSpec.Children.TryGetValue(new YamlScalarNode("volumes"), out var volumes) || volumes is not YamlSequenceNode list)
        {
            return renamed;
        }

        foreach (var volume in list.Children.OfType<YamlMappingNode>())
        {
            if (Scalar(volume, "name") is { } name && volume.Children.ContainsKey(new YamlScalarNode("emptyDir")))
            {
                renamed[name] = $"{PodNames.Pod(service)}-{name}";
                volume.Children[new YamlScalarNode("name")] = new YamlScalarNode(renamed[name]);
            }
        }

        return renamed;
    }

    private static void RenameMounts(YamlMappingNode container, Dictionary<string, string> renamed)
    {
        if (renamed.Count == 0 || !container.Children.TryGetValue(new YamlScalarNode("volumeMounts"), out var mounts) || mounts is not YamlSequenceNode list)
        {
            return;
        }

        foreach (var mount in list.Children.OfType<YamlMappingNode>())
        {
            if (Scalar(mount, "name") is { } name && renamed.TryGetValue(name, out var newName))
            {
                mount.Children[new YamlScalarNode("name")] = new YamlScalarNode(newName);
            }
        }
    }

    private static string? Scalar(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode scalar ? scalar.Value : null;

    private static YamlMappingNode? Child(YamlNode? map, string key) =>
        map is YamlMappingNode m && m.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value as YamlMappingNode : null;
}
