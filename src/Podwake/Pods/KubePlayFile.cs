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
/// <item>The containerPorts podwake forwards to: rootful, dropped (podwake reaches them inside the pod's network
/// namespace); rootless, published on the loopback ports podwake chose. Other ports stay only with a hostPort
/// (<see cref="Publish"/>).</item>
/// <item>emptyDir volumes get names of the service's own (<see cref="OwnEmptyDirs"/>).</item>
/// <item>Service documents are dropped (podman ignores them); ConfigMap and PersistentVolumeClaim ones stay.</item>
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
            if (kind == "Service")
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
        var emptyDirs = OwnEmptyDirs(spec.Name, podSpec);
        foreach (var container in ((YamlSequenceNode)podSpec.Children[new YamlScalarNode("containers")]).Children.OfType<YamlMappingNode>())
        {
            if (container.Children.TryGetValue(new YamlScalarNode("volumeMounts"), out var mounts) && mounts is YamlSequenceNode mountList)
            {
                foreach (var mount in mountList.Children.OfType<YamlMappingNode>())
                {
                    if (mount.Children.TryGetValue(new YamlScalarNode("name"), out var name) && name is YamlScalarNode { Value: { } volume } && emptyDirs.TryGetValue(volume, out var own))
                    {
                        mount.Children[new YamlScalarNode("name")] = new YamlScalarNode(own);
                    }
                }
            }

            if (container.Children.TryGetValue(new YamlScalarNode("ports"), out var ports) && ports is YamlSequenceNode portList)
            {
                var kept = portList.Children.OfType<YamlMappingNode>().Where(port => Publish(port, forwarded, publishedPorts)).ToList();
                if (kept.Count == 0)
                {
                    container.Children.Remove(new YamlScalarNode("ports"));
                }
                else
                {
                    container.Children[new YamlScalarNode("ports")] = new YamlSequenceNode(kept) { Style = portList.Style };
                }
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
    /// Gives each emptyDir volume a name of the service's own (<c>podwake-NAME-VOLUME</c>), returned by its old name.
    /// podman 4.3 makes an emptyDir a named volume of the name the pod file gives it, so two pods with an emptyDir
    /// "data" shared one volume: one service served the other's data (PodVolumeIsolationTests).
    /// </summary>
    private static Dictionary<string, string> OwnEmptyDirs(string service, YamlMappingNode podSpec)
    {
        var renamed = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!podSpec.Children.TryGetValue(new YamlScalarNode("volumes"), out var volumes) || volumes is not YamlSequenceNode list)
        {
            return renamed;
        }

        foreach (var volume in list.Children.OfType<YamlMappingNode>())
        {
            if (volume.Children.ContainsKey(new YamlScalarNode("emptyDir"))
                && volume.Children.TryGetValue(new YamlScalarNode("name"), out var name) && name is YamlScalarNode { Value: { } old })
            {
                renamed[old] = $"{PodNames.Pod(service)}-{old}";
                volume.Children[new YamlScalarNode("name")] = new YamlScalarNode(renamed[old]);
            }
        }

        return renamed;
    }

    /// <summary>
    /// Whether a containerPort entry stays, made what podwake needs. podman 4.3 publishes every containerPort on the
    /// host, on the same port number and every address, when it has no hostPort: two pods with a containerPort 8080
    /// could not run at once, and the pod was reachable around podwake. So: a port podwake forwards to stays only
    /// rootless, published on its loopback port; a port with a hostPort the user wrote stays as written; any other goes.
    /// </summary>
    private static bool Publish(YamlMappingNode port, HashSet<(int, Protocol)> forwarded, IReadOnlyDictionary<int, int>? publishedPorts)
    {
        var number = int.Parse(((YamlScalarNode)port.Children[new YamlScalarNode("containerPort")]).Value!, CultureInfo.InvariantCulture);
        var protocol = port.Children.TryGetValue(new YamlScalarNode("protocol"), out var text) && text is YamlScalarNode { Value: "UDP" }
            ? Protocol.Udp
            : Protocol.Tcp;
        if (!forwarded.Contains((number, protocol)))
        {
            return port.Children.ContainsKey(new YamlScalarNode("hostPort"));
        }

        port.Children.Remove(new YamlScalarNode("hostPort"));
        port.Children.Remove(new YamlScalarNode("hostIP"));
        if (publishedPorts is null || !publishedPorts.TryGetValue(number, out var hostPort))
        {
            return false;
        }

        port.Children[new YamlScalarNode("hostIP")] = new YamlScalarNode("127.0.0.1");
        port.Children[new YamlScalarNode("hostPort")] = new YamlScalarNode(hostPort.ToString(CultureInfo.InvariantCulture));
        return true;
    }

    private static YamlMappingNode? Child(YamlNode? map, string key) =>
        map is YamlMappingNode m && m.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value as YamlMappingNode : null;
}
