using Podwake.Specs;

namespace Podwake.Deploy;

/// <summary>Everything deploy will do for one service, worked out before anything is touched.</summary>
/// <param name="Files">Units, the spec copy, expose units and the index entry, each with what happens to it.</param>
/// <param name="ImageId">The image's ID in the target's store now (null when absent); a build may change it.</param>
/// <param name="SocketListenChanged">The socket's listen addresses differ from the installed unit's: it must be restarted.</param>
/// <param name="ExposeListenChanged">The same for the expose sockets.</param>
internal sealed record ServicePlan(
    ServiceSpec Spec,
    DeployTarget Target,
    DeployTarget? ExposeTarget,
    IReadOnlyList<PlannedFile> Files,
    ImageAction Image,
    string? ImageId,
    ContainerAction Container,
    bool SocketListenChanged,
    bool ExposeListenChanged)
{
    /// <summary>
    /// The activator or container would run something stale: restart them if they run. A unit that only names another
    /// podwake binary (an upgrade to an installed copy) restarts nothing: the next wake runs the new one.
    /// </summary>
    public bool RestartsRunning =>
        Container == ContainerAction.Recreate
        || Files.Any(f => f is { Change: FileChange.Update, OnlyPodwakePath: false } && f.Manager is not null && !f.Path.EndsWith(".socket", StringComparison.Ordinal)
                          && !Path.GetFileName(f.Path).Contains("-expose", StringComparison.Ordinal));

    /// <summary>The <c>podman create</c> command line of the service's container (not of a pod's or a side-car's).</summary>
    public IReadOnlyList<string>? CreateCommand { get; init; }

    /// <summary>A <c>sidecar:</c> service's wrapper and state folder; null for any other service.</summary>
    public SidecarInstallPlan? Sidecar { get; init; }

    public bool ChangesAnything =>
        Target.CreateUser || Image == ImageAction.Pull || Container != ContainerAction.Keep || Files.Any(f => f.Changes) || Sidecar?.Changes == true;
}
