namespace Podwake.Export;

/// <summary>What <c>podwake export</c> writes.</summary>
internal enum ExportFormat
{
    /// <summary>Deployments, Services, ConfigMaps and PersistentVolumeClaims.</summary>
    Kube,

    /// <summary>Knative Serving Services where Knative can serve the service, else as <see cref="Kube"/>.</summary>
    Knative,
}
