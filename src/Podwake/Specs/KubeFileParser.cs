using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Podwake.Specs;

/// <summary>
/// Reads the Kubernetes file of a <c>pod:</c> service into a <see cref="KubeWorkload"/>, reporting its problems at their
/// own <c>FILE:LINE:COL</c> (in the pod file, not the service file).
/// </summary>
/// <remarks>
/// It checks what podwake relies on and what podman 4.3's kube play would refuse or silently do otherwise: one Pod or
/// Deployment (one replica: podwake wakes one pod), containers with a name and an image, containerPorts that are port
/// numbers, no host network (podwake reaches the pod in its own network namespace). The rest is podman's to judge
/// when it plays the file.
/// </remarks>
internal sealed partial class KubeFileParser
{
    /// <summary>The kinds podman kube play takes (Service documents it accepts and ignores).</summary>
    private static readonly string[] Kinds = ["Pod", "Deployment", "ConfigMap", "PersistentVolumeClaim", "Service"];

    private readonly string _file;
    private readonly List<Diagnostic> _diagnostics;

    private KubeFileParser(string file, List<Diagnostic> diagnostics)
    {
        _file = file;
        _diagnostics = diagnostics;
    }

    /// <param name="displayPath">The file as messages name it.</param>
    /// <param name="path">Its absolute path.</param>
    /// <returns>The workload, or null when the file has a problem (reported in <paramref name="diagnostics"/>).</returns>
    public static KubeWorkload? Parse(string displayPath, string path, List<Diagnostic> diagnostics)
    {
        var text = SpecFileReader.Read(path, out var problem);
        if (text is null)
        {
            diagnostics.Add(problem! with { Location = problem.Location with { File = displayPath } });
            return null;
        }

        var before = diagnostics.Count;
        if (YamlText.Load(displayPath, text, diagnostics) is not { } stream)
        {
            return null;
        }

        var parser = new KubeFileParser(displayPath, diagnostics);
        var workload = parser.ParseDocuments(stream, path, text);
        return diagnostics.Count == before ? workload : null;
    }

    private KubeWorkload? ParseDocuments(YamlStream stream, string path, string text)
    {
        YamlMappingNode? workload = null;
        string? kind = null;
        foreach (var document in stream.Documents.Where(d => !YamlText.IsEmpty(d)))
        {
            if (document.RootNode is not YamlMappingNode map)
            {
                Error(document.RootNode, "expected a Kubernetes object (a mapping with apiVersion, kind and metadata)");
                continue;
            }

            var kindNode = Child(map, "kind");
            var documentKind = (kindNode as YamlScalarNode)?.Value;
            if (documentKind is null || !Kinds.Contains(documentKind, StringComparer.Ordinal))
            {
                Error(kindNode ?? map, $"kind: {(documentKind is null ? "missing" : $"\"{documentKind}\" is not a kind podman kube play runs")}; use Pod or Deployment (ConfigMap, PersistentVolumeClaim and Service documents may go beside it)");
                continue;
            }

            if (documentKind is "Pod" or "Deployment")
            {
                if (workload is not null)
                {
                    Error(kindNode!, $"a second {documentKind}: podwake runs one pod per service; put the other one in a service file of its own");
                    continue;
                }

                workload = map;
                kind = documentKind;
            }
        }

        if (workload is null)
        {
            if (stream.Documents.All(YamlText.IsEmpty) || _diagnostics.Count == 0)
            {
                _diagnostics.Add(new Diagnostic(new SourceLocation(_file, 1, 1), "no Pod or Deployment in this file; pod: names a Kubernetes Pod or Deployment for podman kube play"));
            }

            return null;
        }

        var name = (Child(Child(workload, "metadata") as YamlMappingNode, "name") as YamlScalarNode)?.Value;
        if (string.IsNullOrEmpty(name))
        {
            Error(Child(workload, "metadata") ?? workload, "metadata.name is required; give the workload a name, e.g. metadata: {name: web}");
        }

        var podSpec = kind == "Deployment" ? DeploymentPodSpec(workload) : Child(workload, "spec") as YamlMappingNode;
        if (podSpec is null)
        {
            if (kind == "Pod")
            {
                Error(workload, "spec is required: the pod's containers");
            }

            return null;
        }

        var containers = ParseContainers(podSpec);
        if (Child(podSpec, "hostNetwork") is YamlScalarNode { Value: "true" } hostNetwork)
        {
            Error(hostNetwork, "hostNetwork: true is not supported: podwake reaches the pod in its own network namespace; remove it and let ports: listen on the host");
        }

        var (readiness, readinessContainer) = FirstReadiness(podSpec, containers);
        return containers is null || name is null ? null : new KubeWorkload
        {
            Path = path,
            DisplayPath = _file,
            Text = text,
            Kind = kind!,
            Name = name,
            Containers = containers,
            Readiness = readiness,
            ReadinessContainer = readinessContainer,
        };
    }

    private YamlMappingNode? DeploymentPodSpec(YamlMappingNode deployment)
    {
        if (Child(deployment, "spec") is not YamlMappingNode spec)
        {
            Error(deployment, "spec is required: a Deployment's spec.template says what its pod runs");
            return null;
        }

        if (Child(spec, "replicas") is YamlScalarNode replicas && replicas.Value != "1")
        {
            Error(replicas, $"replicas: {replicas.Value}: podwake wakes one pod per service; set replicas: 1 (or remove it)");
        }

        if (Child(Child(spec, "template") as YamlMappingNode, "spec") is YamlMappingNode podSpec)
        {
            return podSpec;
        }

        Error(spec, "template.spec is required: the pod's containers");
        return null;
    }

    private List<KubeContainer>? ParseContainers(YamlMappingNode podSpec)
    {
        if (Child(podSpec, "containers") is not YamlSequenceNode { Children.Count: > 0 } list)
        {
            Error(Child(podSpec, "containers") ?? podSpec, "containers: expected a list with at least one container ({name, image})");
            return null;
        }

        var containers = new List<KubeContainer>();
        foreach (var item in list.Children)
        {
            if (item is not YamlMappingNode container)
            {
                Error(item, "expected a container: a mapping with name and image");
                continue;
            }

            var name = Scalar(container, "name", "a container name like web");
            var image = Scalar(container, "image", "an image reference like localhost/web:1");
            var ports = ParsePorts(container);
            if (name is not null && image is not null && ports is not null)
            {
                containers.Add(new KubeContainer(name, image, ports));
            }
        }

        return containers.Count == list.Children.Count ? containers : null;
    }

    private List<KubeContainerPort>? ParsePorts(YamlMappingNode container)
    {
        var ports = new List<KubeContainerPort>();
        if (Child(container, "ports") is not { } node)
        {
            return ports;
        }

        if (node is not YamlSequenceNode list)
        {
            Error(node, "ports: expected a list of {containerPort, protocol}");
            return null;
        }

        var ok = true;
        foreach (var item in list.Children)
        {
            if (item is not YamlMappingNode port || Child(port, "containerPort") is not YamlScalarNode number
                || !int.TryParse(number.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value is < 1 or > 65535)
            {
                Error(item is YamlMappingNode m ? Child(m, "containerPort") ?? item : item, "containerPort: expected a port number from 1 to 65535");
                ok = false;
                continue;
            }

            var protocol = (Child(port, "protocol") as YamlScalarNode)?.Value ?? "TCP";
            if (protocol is not ("TCP" or "UDP"))
            {
                Error(Child(port, "protocol")!, $"protocol: \"{protocol}\" is not one podwake forwards; use TCP or UDP");
                ok = false;
                continue;
            }

            ports.Add(new KubeContainerPort(value, protocol == "UDP" ? Protocol.Udp : Protocol.Tcp, (Child(port, "name") as YamlScalarNode)?.Value, At(number)));
        }

        return ok ? ports : null;
    }

    private string? Scalar(YamlMappingNode map, string key, string example)
    {
        if (Child(map, key) is YamlScalarNode { Value: { Length: > 0 } value })
        {
            return value;
        }

        Error(Child(map, key) ?? map, $"{key}: expected {example}");
        return null;
    }

    private static YamlNode? Child(YamlMappingNode? map, string key) =>
        map is not null && map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private SourceLocation At(YamlNode node) => new(_file, checked((int)node.Start.Line), checked((int)node.Start.Column));

    private void Error(YamlNode node, string message) => _diagnostics.Add(new Diagnostic(At(node), message));
}
