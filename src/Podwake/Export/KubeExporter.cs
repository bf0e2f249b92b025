using k8s.Models;
using Podwake.Specs;

namespace Podwake.Export;

/// <summary>
/// An image service as Kubernetes objects, in apply order: the ConfigMap of its <c>env:</c>, a PersistentVolumeClaim per
/// named volume, the Deployment (one replica) and the Service of its ports.
/// </summary>
internal static class KubeExporter
{
    /// <param name="leading">Notes to put first (why Knative could not take the service, when it falls back to this).</param>
    public static ExportedService Export(ServiceSpec spec, IReadOnlyList<string> leading)
    {
        if (spec.Pod is not null)
        {
            return PodExporter.Export(spec, leading);
        }

        var notes = new List<string>();
        var container = ExportedContainer.Of(spec, spec.Ports, notes);
        var (volumes, mounts) = KubeVolumes.Of(spec, notes);
        container.VolumeMounts = mounts;
        var documents = new List<object>();
        if (spec.Env.Count > 0)
        {
            var configMap = EnvConfigMap(spec);
            documents.Add(configMap);
            container.EnvFrom = [new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = configMap.Metadata.Name } }];
        }

        documents.AddRange(KubeVolumes.Claims(spec));
        documents.Add(new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = new V1ObjectMeta { Name = spec.Name, Labels = KubeLabels.Of(spec.Name) },
            Spec = new V1DeploymentSpec
            {
                Replicas = 1,
                Selector = new V1LabelSelector { MatchLabels = KubeLabels.Selector(spec.Name) },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = KubeLabels.Of(spec.Name) },
                    Spec = new V1PodSpec { Containers = [container], Volumes = volumes },
                },
            },
        });
        if (KubeService.Of(spec, KubeLabels.Selector(spec.Name), notes) is { } service)
        {
            documents.Add(service);
        }

        return new ExportedService(spec.Name, Header(spec, "Kubernetes", leading, [.. ExportNotes.NotExported(spec, idleExported: false), .. notes]), documents.Select(ExportedObjects.ToYaml).ToList());
    }

    /// <summary><c>env:</c> as the ConfigMap <c>NAME-env</c> the container takes with envFrom, variables by name.</summary>
    public static V1ConfigMap EnvConfigMap(ServiceSpec spec) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = new V1ObjectMeta { Name = $"{spec.Name}-env", Labels = KubeLabels.Of(spec.Name) },
        Data = spec.Env.OrderBy(v => v.Key, StringComparer.Ordinal).ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal),
    };

    /// <summary>The comment above a service's first document: what it is, then each note as a list item.</summary>
    public static List<string> Header(ServiceSpec spec, string target, IReadOnlyList<string> leading, IReadOnlyList<string> notes)
    {
        List<string> header = [$"podwake service {spec.Name}, exported for {target} by podwake export.", .. leading];
        if (notes.Count > 0)
        {
            header.Add("Not exported (no equivalent there):");
            header.AddRange(notes.Select(note => $"- {note}"));
        }

        return header;
    }
}
