namespace Podwake.Specs;

/// <summary>
/// The Kubernetes file a <c>pod:</c> service names, as podwake read and checked it: its text (what is played, so a file
/// edited after validation is not half-applied), the one Pod or Deployment in it, and what podwake needs from it.
/// </summary>
/// <remarks>
/// podman kube play also takes ConfigMap and PersistentVolumeClaim documents (and ignores Service ones); they stay in
/// <see cref="Text"/> and reach podman as written. The Pods layer turns the text into what podwake plays.
/// </remarks>
internal sealed record KubeWorkload
{
    /// <summary>Absolute path of the file.</summary>
    public required string Path { get; init; }

    /// <summary>The file as messages show it (relative to the service file's folder as the user named it).</summary>
    public required string DisplayPath { get; init; }

    /// <summary>The file's text as read when the service was loaded.</summary>
    public required string Text { get; init; }

    /// <summary><c>Pod</c> or <c>Deployment</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>The workload's <c>metadata.name</c>.</summary>
    public required string Name { get; init; }

    public required IReadOnlyList<KubeContainer> Containers { get; init; }

    /// <summary>The first readinessProbe a container declares, as a podwake probe; null when none does.</summary>
    public ReadySpec? Readiness { get; init; }

    /// <summary>The container whose readinessProbe <see cref="Readiness"/> is: an exec probe runs there.</summary>
    public string? ReadinessContainer { get; init; }

    /// <summary>Every containerPort, in the file's order.</summary>
    public IEnumerable<KubeContainerPort> Ports => Containers.SelectMany(c => c.Ports);
}
