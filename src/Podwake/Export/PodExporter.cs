using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using Podwake.Specs;

namespace Podwake.Export;

/// <summary>
/// A <c>pod:</c> service: the documents of its kube file as they are (re-written by YamlDotNet, so comments and
/// layout are not kept), then a <c>v1</c> Service for its <c>ports:</c>, selecting the labels of the file's pods.
/// </summary>
internal static class PodExporter
{
    public static ExportedService Export(ServiceSpec spec, IReadOnlyList<string> leading)
    {
        var file = spec.Pod ?? throw new ArgumentException("not a pod: service", nameof(spec));
        var documents = Read(file, spec.Kube?.Text);
        var notes = new List<string>();
        var selector = documents.Select(PodLabels).FirstOrDefault(labels => labels is not null);
        if (selector is null && spec.Ports.Count > 0)
        {
            notes.Add($"the Service selects no pods: {Path.GetFileName(file)} gives its pods no labels; add metadata.labels to them and a selector to the Service");
        }

        if (spec.Kube?.Readiness is not { } own || own.Kind != spec.Ready.Kind || own.Port != spec.Ready.Port || own.HttpPath != spec.Ready.HttpPath)
        {
            notes.Add($"ready: {spec.Ready.Kind.ToText()}: not added to the pod; its containers keep the readinessProbe {Path.GetFileName(file)} gives them, if any");
        }

        List<YamlNode> all = [.. documents];
        if (KubeService.Of(spec, selector, notes) is { } service)
        {
            all.Add(ExportedObjects.ToYaml(service));
        }

        var header = KubeExporter.Header(spec, "Kubernetes", leading, [.. ExportNotes.NotExported(spec, idleExported: false), .. notes]);
        return new ExportedService(spec.Name, header, all);
    }

    /// <summary>The non-empty documents of the kube file: the text the loader read and checked, else the file now.</summary>
    /// <exception cref="ExportException">The file is not YAML (with its FILE:LINE:COL).</exception>
    private static List<YamlNode> Read(string file, string? loaded)
    {
        var text = loaded ?? SpecFileReader.Read(file, out var problem) ?? throw new ExportException(problem!);
        var stream = new YamlStream();
        try
        {
            stream.Load(new BoundedYamlParser(new StringReader(text)));
        }
        catch (YamlException e)
        {
            throw new ExportException(new Diagnostic(new SourceLocation(file, Math.Max(1, checked((int)e.Start.Line)), Math.Max(1, checked((int)e.Start.Column))), $"invalid YAML: {e.Message}"));
        }

        return stream.Documents
            .Select(d => d.RootNode)
            .Where(root => root is not YamlScalarNode { Value: null or "" })
            .ToList();
    }

    /// <summary>The labels of the pods a document makes: a Pod's own, a Deployment's (or other controller's) template's.</summary>
    private static Dictionary<string, string>? PodLabels(YamlNode document)
    {
        var kind = Child(document, "kind") is YamlScalarNode { Value: { } value } ? value : null;
        var labels = kind switch
        {
            "Pod" => Child(Child(document, "metadata"), "labels"),
            "Deployment" or "StatefulSet" or "DaemonSet" or "ReplicaSet" or "Job" => Child(Child(Child(Child(document, "spec"), "template"), "metadata"), "labels"),
            _ => null,
        };
        if (labels is not YamlMappingNode map || map.Children.Count == 0)
        {
            return null;
        }

        return map.Children
            .Where(c => c.Key is YamlScalarNode { Value: not null } && c.Value is YamlScalarNode { Value: not null })
            .ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => ((YamlScalarNode)c.Value).Value!, StringComparer.Ordinal);
    }

    private static YamlNode? Child(YamlNode? node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;
}
