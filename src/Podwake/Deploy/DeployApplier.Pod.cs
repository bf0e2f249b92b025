using Podwake.Host;
using Podwake.Units;

namespace Podwake.Deploy;

/// <content>
/// A <c>pod:</c> service's part of a deploy: its files, then its pod played (new), replayed (its play file changed) or
/// kept, each step with its undo, then its units as for a single container.
/// </content>
/// <remarks>
/// A pod cannot be prepared beside the one that serves, as a single container is (podman 4.3 has no <c>pod rename</c>,
/// and the pod's name is in the file). So a replay stops what runs first (the socket keeps listening: clients wait in its
/// backlog) and plays the new file over the old pod; a rollback plays the old file again, which brings back the old
/// pod's containers (emptyDir volumes start empty again, as after any replay; PersistentVolumeClaims' named volumes
/// stay).
/// </remarks>
internal sealed partial class DeployApplier
{
    private async Task ApplyPodServiceAsync(ServicePlan service, DeployJournal journal, CancellationToken interrupt)
    {
        var spec = service.Spec;
        var target = service.Target;
        var podman = target.Podman;
        var none = CancellationToken.None;
        var playPath = PodServicePlanner.PlayFilePath(target.Manager, spec.Name);
        var pidLink = PodServicePlanner.PidLinkPath(target.Manager, spec.Name);
        var play = service.Files.Single(f => f.Path == playPath);

        // Decided again now: the plan was read before the images were pulled, and the pod may have gone meanwhile.
        var action = await PodServicePlanner.ActionAsync(spec, podman, play, none).ConfigureAwait(false);
        var oldText = action == ContainerAction.Create ? null : HostFiles.ReadOrNull(playPath, target.User);

        interrupt.ThrowIfCancellationRequested();
        await StopRemovedSocketsAsync(service, journal).ConfigureAwait(false);
        interrupt.ThrowIfCancellationRequested();
        await WriteFilesAsync(service, journal, none).ConfigureAwait(false);

        interrupt.ThrowIfCancellationRequested();
        var wasActive = action != ContainerAction.Keep || service.RestartsRunning
            ? await StopRunningAsync(service, journal).ConfigureAwait(false)
            : false;

        interrupt.ThrowIfCancellationRequested();
        if (action == ContainerAction.Keep)
        {
            // Same pod; the link the unit's PIDFile= reads is put right if it was lost.
            await DeployedPod.LinkPidFileAsync(podman, spec.Name, pidLink, target.User, none).ConfigureAwait(false);
        }
        else
        {
            var systemctl = target.Systemctl;
            var units = new[] { UnitGenerator.ActivatorUnitName(spec.Name), UnitGenerator.ContainerUnitName(spec.Name) };
            journal.Undo(oldText is null ? $"remove the pod {spec.ContainerName}" : $"play the old pod {spec.ContainerName} again", async () =>
            {
                await systemctl.RunAsync(["stop", .. units], none).ConfigureAwait(false);
                if (oldText is null)
                {
                    await DeployedPod.RemoveAsync(podman, spec.Name, play.Content, none).ConfigureAwait(false);
                    HostFiles.Delete(pidLink, target.User);
                    return;
                }

                // The file undo puts the same bytes back afterwards; podman must read them now.
                await HostFiles.WriteAtomicallyAsync(playPath, oldText, target.User, none).ConfigureAwait(false);
                await DeployedPod.PlayAsync(podman, spec.Name, playPath, oldText, pidLink, target.User, none).ConfigureAwait(false);
            });
            await DeployedPod.PlayAsync(podman, spec.Name, playPath, play.Content!, pidLink, target.User, none).ConfigureAwait(false);
            await _output.WriteLineAsync($"{spec.Name}: pod {spec.ContainerName} played from {spec.Kube!.DisplayPath}").ConfigureAwait(false);
        }

        interrupt.ThrowIfCancellationRequested();
        // Failed units from an earlier run would keep a start limit; and a service nobody asked to start stays dormant.
        await target.Systemctl.RunAsync(["reset-failed", UnitGenerator.ActivatorUnitName(spec.Name), UnitGenerator.ContainerUnitName(spec.Name)], none).ConfigureAwait(false);
        interrupt.ThrowIfCancellationRequested();
        await StartUnitsAsync(service, action, wasActive, journal).ConfigureAwait(false);
    }
}
