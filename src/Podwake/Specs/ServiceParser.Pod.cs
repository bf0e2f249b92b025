using YamlDotNet.RepresentationModel;

namespace Podwake.Specs;

/// <summary>A <c>pod:</c> service: its ports lead to containerPorts of the pod file, and the container keys live there.</summary>
internal sealed partial class ServiceParser
{
    /// <summary>Service keys that describe one container: for a pod they belong in the pod file, per container.</summary>
    private static readonly (string Key, string InPodFile)[] ContainerKeys =
    [
        (SpecKeys.Build, "build the image first (podman build -t IMAGE .) and name it in containers[].image"),
        (SpecKeys.Command, "containers[].command and args"),
        (SpecKeys.Env, "containers[].env, or a ConfigMap beside the pod"),
        (SpecKeys.EnvFile, "containers[].envFrom with a ConfigMap beside the pod"),
        (SpecKeys.Secrets, "containers[].env valueFrom secretKeyRef, or a Secret document podman kube play reads"),
        (SpecKeys.User, "containers[].securityContext.runAsUser (and runAsGroup)"),
        (SpecKeys.Resources, "containers[].resources.limits (memory, cpu)"),
        (SpecKeys.PodmanArgs, "the pod file (podman kube play takes no podman create options)"),
        (SpecKeys.Volumes, "spec.volumes with containers[].volumeMounts (hostPath, emptyDir or a PersistentVolumeClaim)"),
        (SpecKeys.Update, "update a pod's images with podman and restart podwake (updates of pod: services are not supported)"),
    ];

    private void CheckPodService(KubeWorkload pod, List<PortSpec> ports, Dictionary<string, (YamlNode Key, YamlNode Value)> entries)
    {
        foreach (var (key, inPodFile) in ContainerKeys)
        {
            if (entries.TryGetValue(key, out var entry))
            {
                Error(entry.Key, $"{key}: does not apply to a pod: service, whose containers {pod.DisplayPath} describes; there: {inPodFile}");
            }
        }

        for (var i = 0; i < ports.Count; i++)
        {
            var port = ports[i];
            if (pod.Ports.Any(p => p.Port == port.ContainerPort && p.Protocol == port.Protocol))
            {
                continue;
            }

            var declared = pod.Containers.SelectMany(c => c.Ports.Select(p => $"{c.Name} {p.Display} at {p.Location}")).ToList();
            var which = declared.Count == 0
                ? $"no container of it declares a containerPort; add ports: [{{containerPort: {port.ContainerPort}}}] to the container that listens"
                : $"it declares {string.Join(", ", declared)}; use one of those, or add containerPort: {port.ContainerPort}{(port.Protocol == Protocol.Udp ? " with protocol: UDP" : "")} to the container that listens";
            _diagnostics.Add(new Diagnostic(port.Location, $"ports: container {port.ContainerPort}/{port.Protocol.ToText()} is not a containerPort of {pod.DisplayPath}: {which}"));
        }
    }
}
