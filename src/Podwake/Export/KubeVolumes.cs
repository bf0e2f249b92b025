using System.Text.RegularExpressions;
using k8s.Models;
using Podwake.Specs;

namespace Podwake.Export;

/// <summary>
/// <c>volumes:</c> in a pod spec: a bind mount is a hostPath volume (DirectoryOrCreate: podwake creates missing host
/// folders too), a named volume a PersistentVolumeClaim <c>NAME-VOLUME</c> (ReadWriteOnce, 1Gi); <c>ro</c> is readOnly.
/// </summary>
internal static partial class KubeVolumes
{
    public const string ClaimSize = "1Gi";

    /// <summary>The pod's volumes and the container's mounts, in the order of <c>volumes:</c>; null when there is none.</summary>
    public static (List<V1Volume>? Volumes, List<V1VolumeMount>? Mounts) Of(ServiceSpec spec, List<string> notes)
    {
        if (spec.Volumes.Count == 0)
        {
            return (null, null);
        }

        var volumes = new List<V1Volume>();
        var mounts = new List<V1VolumeMount>();
        for (var i = 0; i < spec.Volumes.Count; i++)
        {
            var volume = spec.Volumes[i];
            var name = $"volume-{i + 1}";
            volumes.Add(volume.IsBindMount
                ? new V1Volume { Name = name, HostPath = new V1HostPathVolumeSource { Path = volume.Source, Type = "DirectoryOrCreate" } }
                : new V1Volume { Name = name, PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = ClaimName(spec.Name, volume.Source) } });
            var readOnly = volume.Options.Contains("ro");
            mounts.Add(new V1VolumeMount { Name = name, MountPath = volume.Target, ReadOnlyProperty = readOnly ? true : null });
            var other = volume.Options.Where(o => o is not ("ro" or "rw")).ToList();
            if (other.Count > 0)
            {
                notes.Add($"volumes: {Display(volume)}: option {string.Join(", ", other)} not exported; Kubernetes mounts have no such option (only ro: readOnly)");
            }
        }

        return (volumes, mounts);
    }

    /// <summary>A claim for each named volume, in the order of <c>volumes:</c>.</summary>
    public static IEnumerable<V1PersistentVolumeClaim> Claims(ServiceSpec spec) =>
        spec.Volumes
            .Where(v => !v.IsBindMount)
            .Select(v => ClaimName(spec.Name, v.Source))
            .Distinct(StringComparer.Ordinal)
            .Select(name => new V1PersistentVolumeClaim
            {
                ApiVersion = "v1",
                Kind = "PersistentVolumeClaim",
                Metadata = new V1ObjectMeta { Name = name, Labels = KubeLabels.Of(spec.Name) },
                Spec = new V1PersistentVolumeClaimSpec
                {
                    AccessModes = ["ReadWriteOnce"],
                    Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal) { ["storage"] = new ResourceQuantity(ClaimSize) } },
                },
            });

    /// <summary>
    /// <c>NAME-VOLUME</c>, made a DNS-1123 name: podman volume names may hold capitals, '_' and '.', Kubernetes object
    /// names may not, so those become lower case and '-'.
    /// </summary>
    public static string ClaimName(string service, string volume)
    {
        var name = $"{service}-{NotInName().Replace(volume.ToLowerInvariant(), "-")}".TrimEnd('-');
        return name.Length <= 253 ? name : name[..253].TrimEnd('-');
    }

    public static string Display(VolumeSpec volume) =>
        volume.Options.Count == 0 ? $"{volume.Source}:{volume.Target}" : $"{volume.Source}:{volume.Target}:{string.Join(',', volume.Options)}";

    [GeneratedRegex("[^a-z0-9-]+")]
    private static partial Regex NotInName();
}
