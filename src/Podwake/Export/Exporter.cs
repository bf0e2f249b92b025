using Podwake.Specs;

namespace Podwake.Export;

/// <summary><c>podwake export kube|knative</c>: loaded services to one YAML stream.</summary>
internal static class Exporter
{
    /// <exception cref="ExportException">A <c>pod:</c> service's kube file is unusable.</exception>
    public static string Export(IEnumerable<ServiceSpec> specs, ExportFormat format) =>
        ExportYaml.Write(specs.Select(spec => format == ExportFormat.Knative ? KnativeExporter.Export(spec) : KubeExporter.Export(spec, [])));
}
