using System.Text.Json;
using k8s.Models;
using YamlDotNet.RepresentationModel;

namespace Podwake.Export;

/// <summary>A typed object of the export as YAML nodes, through <see cref="ExportJsonContext"/>'s source-generated serializers.</summary>
internal static class ExportedObjects
{
    public static YamlNode ToYaml(object value) => YamlFromJson.Convert(value switch
    {
        V1Deployment deployment => JsonSerializer.SerializeToNode(deployment, ExportJsonContext.Default.V1Deployment),
        V1Service service => JsonSerializer.SerializeToNode(service, ExportJsonContext.Default.V1Service),
        V1ConfigMap configMap => JsonSerializer.SerializeToNode(configMap, ExportJsonContext.Default.V1ConfigMap),
        V1PersistentVolumeClaim claim => JsonSerializer.SerializeToNode(claim, ExportJsonContext.Default.V1PersistentVolumeClaim),
        KnativeService knative => JsonSerializer.SerializeToNode(knative, ExportJsonContext.Default.KnativeService),
        _ => throw new ArgumentException($"no serializer for {value.GetType().Name}", nameof(value)),
    });
}
