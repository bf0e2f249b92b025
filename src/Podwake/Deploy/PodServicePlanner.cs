using Podwake.Host;
using Podwake.Pods;
using Podwake.Specs;
using Podwake.Systemd;
using Podwake.Units;

namespace Podwake.Deploy;

/// <summary>
/// <see cref="DeployPlanner"/>'s part for a <c>pod:</c> service: its deploy state (the spec copy naming deploy's copy of
/// the pod file, that copy, and the play file podman played) and whether its pod is played, replayed or kept.
/// </summary>
internal static class PodServicePlanner
{
    public static string PlayFilePath(SystemdManager manager, string service) => SpecCopy.PlayFileFor(manager.ConfigDirectory, service);

    public static string PodFilePath(SystemdManager manager, string service) => SpecCopy.PodFileFor(manager.ConfigDirectory, service);

    public static string PidLinkPath(SystemdManager manager, string service) => SpecCopy.ConmonPidLinkFor(manager.ConfigDirectory, service);

    /// <summary>
    /// The spec copy (its <c>pod:</c> naming deploy's copy of the pod file, which the activator reads: a <c>run_as:</c>
    /// service's user may not read the original), that copy, and the play file (a change replays the pod).
    /// </summary>
    public static IEnumerable<PlannedFile> Files(ServiceSpec spec, DeployTarget target)
    {
        var manager = target.Manager;
        var podCopy = PodFilePath(manager, spec.Name);
        yield return DeployPlanner.Planned(DeployPlanner.SpecCopyPath(manager, spec.Name), SpecWriter.Write(spec with { Pod = podCopy }), manager, target.User);
        yield return DeployPlanner.Planned(podCopy, spec.Kube!.Text, manager, target.User);
        yield return DeployPlanner.Planned(PlayFilePath(manager, spec.Name), PlayText(spec, target), manager, target.User);
    }

    /// <summary>
    /// What deploy plays (<see cref="KubePlayFile"/>, manager <c>systemd</c>). Rootless, the forwarded ports are published
    /// on the loopback ports the installed play file has (an unchanged redeploy plays the same bytes: nothing is
    /// replayed), or on new free ones.
    /// </summary>
    public static string PlayText(ServiceSpec spec, DeployTarget target)
    {
        if (!target.Rootless)
        {
            return KubePlayFile.Render(spec, UnitGenerator.ManagerLabelValue, null);
        }

        var installed = target.CreateUser ? null : HostFiles.ReadOrNull(PlayFilePath(target.Manager, spec.Name), target.User);
        var ports = LoopbackPorts.Keep(spec, installed is null ? new Dictionary<int, int>() : KubePlayFile.PublishedPorts(installed));
        return KubePlayFile.Render(spec, UnitGenerator.ManagerLabelValue, ports);
    }

    /// <summary>Played when there is no pod, replayed when its play file changed or an image under a name it uses did, else kept.</summary>
    public static async Task<ContainerAction> ActionAsync(ServiceSpec spec, TargetPodman podman, PlannedFile played, CancellationToken cancellationToken) =>
        !await DeployedPod.ExistsAsync(podman, spec.Name, cancellationToken).ConfigureAwait(false) ? ContainerAction.Create
        : played.Changes || !await DeployedPod.ImagesCurrentAsync(podman, spec, cancellationToken).ConfigureAwait(false) ? ContainerAction.Recreate
        : ContainerAction.Keep;

    /// <summary>
    /// Its images pulled when missing (kube play would pull them itself, but a refused pull must stop deploy before
    /// anything changes); its pod played when there is none, replayed when its play file changed, else kept.
    /// </summary>
    public static async Task<ServicePlan> PlanAsync(DeployPlanner planner, ServiceSpec spec, DeployTarget target, DeployTarget? expose, CancellationToken cancellationToken)
    {
        var (files, socketListenChanged, exposeListenChanged) = planner.PlanFiles(spec, target, expose);
        var kube = spec.Kube!;
        var exists = !target.CreateUser;
        var image = ImageAction.Present;
        foreach (var name in kube.Containers.Select(c => c.Image).Distinct())
        {
            if (!exists || await target.Podman.ImageIdAsync(name, cancellationToken).ConfigureAwait(false) is null)
            {
                image = ImageAction.Pull;
            }
        }

        var played = files.Single(f => f.Path == PlayFilePath(target.Manager, spec.Name));
        var container = exists ? await ActionAsync(spec, target.Podman, played, cancellationToken).ConfigureAwait(false) : ContainerAction.Create;
        return new ServicePlan(spec, target, expose, files, image, null, container, socketListenChanged, exposeListenChanged);
    }
}
