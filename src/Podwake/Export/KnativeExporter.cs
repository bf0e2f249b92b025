using k8s.Models;
using Podwake.Specs;

namespace Podwake.Export;

/// <summary>
/// A service as a Knative Serving Service that scales to zero after <c>idle</c>, when Knative can serve it (one tcp
/// port, taken as HTTP); otherwise the Kubernetes export, with a comment saying why.
/// </summary>
internal static class KnativeExporter
{
    public const string MinScale = "autoscaling.knative.dev/min-scale";

    public const string RetentionPeriod = "autoscaling.knative.dev/scale-to-zero-pod-retention-period";

    /// <summary>Knative's upper bound of the retention period (its autoscaling WindowMax).</summary>
    public static readonly TimeSpan MaxRetention = TimeSpan.FromHours(1);

    /// <summary>Ports Knative's queue-proxy takes in every pod; a user container may not use them (k8s_validation.go).</summary>
    private static readonly int[] ReservedPorts = [8008, 8012, 8013, 8022, 9090, 9091];

    /// <summary>Variables Knative sets in every user container and refuses in a revision (k8s_validation.go).</summary>
    private static readonly string[] ReservedVariables = ["K_CONFIGURATION", "K_REVISION", "K_SERVICE", "PORT"];

    public static ExportedService Export(ServiceSpec spec)
    {
        if (WhyNot(spec) is { } reason)
        {
            return KubeExporter.Export(spec, [$"Not a Knative Service: {reason}; exported as podwake export kube does instead."]);
        }

        var port = spec.Ports[0];
        var notes = new List<string>();
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
        if (spec.Idle is { } idle)
        {
            annotations[MinScale] = "0";
            var retention = idle <= MaxRetention ? idle : MaxRetention;
            if (idle > MaxRetention)
            {
                notes.Add($"idle: {Duration.Format(idle)}: exported as {GoDuration.Format(MaxRetention)}, the longest scale-to-zero-pod-retention-period Knative accepts");
            }

            annotations[RetentionPeriod] = GoDuration.Format(retention);
        }
        else
        {
            // idle: never: podwake keeps it up once woken; Knative's nearest is never scaling below one pod.
            annotations[MinScale] = "1";
            notes.Add("idle: never: min-scale \"1\" keeps one pod running from the start, where podwake starts it on the first connection");
        }

        var container = ExportedContainer.Of(spec, [port], notes);
        if (container.ReadinessProbe is { } probe)
        {
            // Knative probes the user port itself when a probe names none; a probe's port may only be that port anyway.
            probe.TcpSocket?.Port = null;
            probe.HttpGet?.Port = null;
        }

        container.Ports = [new V1ContainerPort { ContainerPort = port.ContainerPort }];
        var variables = spec.Env.Where(v => !ReservedVariables.Contains(v.Key)).OrderBy(v => v.Key, StringComparer.Ordinal).ToList();
        if (variables.Count > 0)
        {
            container.Env = variables.Select(v => new V1EnvVar { Name = v.Key, Value = v.Value }).ToList();
        }

        foreach (var reserved in spec.Env.Keys.Where(ReservedVariables.Contains).Order(StringComparer.Ordinal))
        {
            notes.Add($"env: {reserved}: Knative sets {reserved} in every container itself and refuses it in a revision (PORT is the container port)");
        }

        foreach (var volume in spec.Volumes)
        {
            notes.Add(volume.IsBindMount
                ? $"volumes: {KubeVolumes.Display(volume)}: Knative allows no hostPath volume; the container has the image's own {volume.Target}"
                : $"volumes: {KubeVolumes.Display(volume)}: Knative mounts a PersistentVolumeClaim only behind a feature flag and scales to several pods; use podwake export kube for a service that keeps data");
        }

        var service = new KnativeService
        {
            Metadata = new V1ObjectMeta { Name = spec.Name, Labels = KubeLabels.Of(spec.Name) },
            Spec = new KnativeServiceSpec
            {
                Template = new KnativeRevisionTemplate
                {
                    Metadata = new V1ObjectMeta { Annotations = annotations, Labels = KubeLabels.Of(spec.Name) },
                    Spec = new KnativeRevisionSpec { Containers = [container] },
                },
            },
        };
        var header = KubeExporter.Header(spec, "Knative Serving", [], [.. ExportNotes.NotExported(spec, idleExported: true), .. notes]);
        return new ExportedService(spec.Name, header, [ExportedObjects.ToYaml(service)]);
    }

    /// <summary>Why Knative cannot serve <paramref name="spec"/>, or null when it can.</summary>
    /// <remarks>
    /// Knative routes HTTP (HTTP/1, HTTP/2, gRPC) to one container port. A service file does not say what a tcp port
    /// speaks, so podwake takes a service with one tcp port as HTTP unless its <c>ready:</c> is <c>exec:</c>: a service
    /// that needs a command to tell it is up (<c>pg_isready</c>, <c>redis-cli ping</c>) is taken as raw TCP.
    /// </remarks>
    public static string? WhyNot(ServiceSpec spec)
    {
        if (spec.Pod is not null)
        {
            return "a pod: service runs its own Kubernetes workload, which Knative's one-container revision cannot hold";
        }

        if (spec.Ports.FirstOrDefault(p => p.Protocol == Protocol.Udp) is { } udp)
        {
            return $"Knative routes only HTTP over TCP, and {udp.ListenDisplay} is UDP";
        }

        if (spec.Ports.Count != 1)
        {
            return spec.Ports.Count == 0
                ? "it has no port, and Knative routes HTTP requests to one"
                : $"Knative routes to one port of a container, and this service has {spec.Ports.Count}";
        }

        if (spec.Ready.Kind == ReadyKind.Exec)
        {
            return "its ready: is exec:, which podwake takes as a raw TCP service, and Knative routes only HTTP (make it ready: {http: PATH} or {tcp: PORT} if it speaks HTTP)";
        }

        if (ReservedPorts.Contains(spec.Ports[0].ContainerPort))
        {
            return $"container port {spec.Ports[0].ContainerPort} is reserved by Knative's queue-proxy";
        }

        return null;
    }
}
