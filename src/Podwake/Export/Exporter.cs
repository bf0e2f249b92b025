using Podwake.Specs;

namespace Podwake.Export;

/// <summary><c>podwake export kube|knative</c>: loaded services to one YAML stream.</summary>
internal static class Exporter
{
    /// <exception cref="ExportException">A <c>pod:</c> service's kube file is unusable, or a service is a <c>sidecar:</c> one.</exception>
    public static string Export(IEnumerable<ServiceSpec> specs, ExportFormat format)
    {
        var all = specs.ToList();
        if (all.FirstOrDefault(spec => spec.Sidecar is not null) is { Sidecar: { } sidecar } unexportable)
        {
            // Refused before any output: a stream missing one service would look complete.
            throw new ExportException(new Diagnostic(
                sidecar.Location,
                $"sidecar: service \"{unexportable.Name}\" cannot be exported: Kubernetes has no equivalent of a container per caller's key started by calls of a wrapper; export the other services without it, and run this one with podwake deploy or serve"));
        }

        return ExportYaml.Write(all.Select(spec => format == ExportFormat.Knative ? KnativeExporter.Export(spec) : KubeExporter.Export(spec, [])));
    }
}
