using Podwake.Host;
using Podwake.Network;
using Podwake.Podman;
using Podwake.Units;

namespace Podwake.Deploy;

/// <summary>One service's part of a deploy, each step recorded in the <see cref="DeployJournal"/> with its undo.</summary>
internal sealed partial class DeployApplier
{
    private async Task ApplyServiceAsync(ServicePlan service, DeployJournal journal, CancellationToken interrupt)
    {
        if (service.Spec.Kube is not null)
        {
            await ApplyPodServiceAsync(service, journal, interrupt).ConfigureAwait(false);
            return;
        }

        if (service.Sidecar is not null)
        {
            await ApplySidecarServiceAsync(service, journal, interrupt).ConfigureAwait(false);
            return;
        }

        var spec = service.Spec;
        var target = service.Target;
        var podman = target.Podman;
        var systemctl = target.Systemctl;
        // A signal (interrupt) is observed between steps, never inside one: every command runs to its end (each takes
        // well under a second; a podman create or ip/CNI call killed half-way would leave what no undo was recorded
        // for), then the next checkpoint throws and the journal rolls back what was applied.
        var none = CancellationToken.None;

        // The container's identity: its create command and the image now in the store (a build may have changed it).
        var imageId = await podman.ImageIdAsync(spec.Image!, none).ConfigureAwait(false)
            ?? throw new EnvironmentException($"Failed to find the image {spec.Image} in podman's store after building or pulling it");
        // The secrets first: podman create copies their values into the container.
        await PodmanSecrets.PrepareAsync(spec, (words, token) => podman.RunAsync(words, token), none).ConfigureAwait(false);
        var create = _planner.CreateCommand(spec, target);
        var hash = SpecHash.Of(create, imageId);
        var label = await podman.ContainerLabelAsync(spec.ContainerName, SpecHash.Label, none).ConfigureAwait(false);
        var container = label is null ? ContainerAction.Create : label == hash ? ContainerAction.Keep : ContainerAction.Recreate;

        foreach (var volume in spec.Volumes.Where(v => v.IsBindMount && !Directory.Exists(v.Source) && !File.Exists(v.Source)))
        {
            // "host folders are created if missing" (the service-file contract), owned by whoever runs the container.
            var missing = HostFiles.MissingDirectories(volume.Source);
            journal.Undo($"remove {volume.Source}, created for {spec.Name}", () =>
            {
                foreach (var directory in Enumerable.Reverse(missing))
                {
                    HostFiles.RemoveEmptyDirectory(directory, target.User);
                }

                return Task.CompletedTask;
            });
            HostFiles.CreateDirectories(volume.Source, target.User);
        }

        interrupt.ThrowIfCancellationRequested();
        var networkNamespace = _planner.GeneratorOptions(target).NetworkNamespace;
        var namespaceWasUp = true;
        if (networkNamespace)
        {
            // podman create checks that the namespace exists; its unit, started below, finds it up.
            journal.Undo($"take down the network namespace of {spec.Name}", async () =>
            {
                if (!namespaceWasUp)
                {
                    await ServiceNetwork.DownAsync(spec.Name, none).ConfigureAwait(false);
                }
            });
            namespaceWasUp = !await ServiceNetwork.UpAsync(spec.Name, cancellationToken: none).ConfigureAwait(false);
        }

        interrupt.ThrowIfCancellationRequested();
        var next = $"{spec.ContainerName}-next";

        // A service name has no '.', so no other service's container can be called this.
        var previous = $"{spec.ContainerName}.previous";
        if (container == ContainerAction.Recreate)
        {
            // Created beside the running one: the slow part happens while the old container still serves.
            await RemoveStrayAsync(podman, next, none).ConfigureAwait(false);
            await RemoveStrayAsync(podman, previous, none).ConfigureAwait(false);
            var words = SpecHash.Labelled(create, hash);
            words[words.IndexOf("--name") + 1] = next;
            (await podman.RunAsync(words.Skip(1), none).ConfigureAwait(false)).ThrowIfFailed($"create the container of {spec.Name}");
            journal.Undo($"remove the new container {next}", () => podman.RemoveContainerAsync(next, none));
        }

        interrupt.ThrowIfCancellationRequested();
        if (service.Files.Any(f => f is { Change: FileChange.Remove } && Path.GetFileName(f.Path) == UnitGenerator.NetworkUnitName(spec.Name)))
        {
            // A namespace no longer wanted (the old container, which joined it, is replaced below).
            journal.Undo($"bring the network namespace of {spec.Name} back", () => ServiceNetwork.UpAsync(spec.Name, cancellationToken: none));
            journal.RestartAfterUndo($"start {UnitGenerator.NetworkUnitName(spec.Name)} again", () => systemctl.StartAsync(UnitGenerator.NetworkUnitName(spec.Name), none));
            await systemctl.RunAsync(["stop", UnitGenerator.NetworkUnitName(spec.Name)], none).ConfigureAwait(false);
            await ServiceNetwork.DownAsync(spec.Name, none).ConfigureAwait(false);
        }

        await StopRemovedSocketsAsync(service, journal).ConfigureAwait(false);
        interrupt.ThrowIfCancellationRequested();
        await WriteFilesAsync(service, journal, none).ConfigureAwait(false);

        interrupt.ThrowIfCancellationRequested();
        var activator = UnitGenerator.ActivatorUnitName(spec.Name);
        var containerUnit = UnitGenerator.ContainerUnitName(spec.Name);
        // From the stop to the rename, a connection may start a new activator: it waits for this lock, then wakes the new container.
        using var swap = container == ContainerAction.Recreate
            ? await ContainerSwapLock.AcquireForSwapAsync(ContainerRunFiles.SwapLockFile(spec.Name, target.Manager.RuntimeDirectory), target.User, interrupt).ConfigureAwait(false)
            : null;
        var wasActive = container == ContainerAction.Recreate || service.RestartsRunning
            ? await StopRunningAsync(service, journal).ConfigureAwait(false)
            : false;

        interrupt.ThrowIfCancellationRequested();
        if (container == ContainerAction.Recreate)
        {
            // The old container is kept (stopped, renamed) until the whole deploy succeeded: a rollback renames it back.
            (await podman.RunAsync(["rename", spec.ContainerName, previous], none).ConfigureAwait(false))
                .ThrowIfFailed($"set the old container of {spec.Name} aside");
            journal.Undo($"put the old container {spec.ContainerName} back", async () =>
            {
                await systemctl.RunAsync(["stop", activator, containerUnit], none).ConfigureAwait(false);
                if (await podman.ContainerIdAsync(spec.ContainerName, none).ConfigureAwait(false) is not null)
                {
                    (await podman.RunAsync(["rename", spec.ContainerName, next], none).ConfigureAwait(false)).ThrowIfFailed($"set the new container of {spec.Name} aside");
                }

                (await podman.RunAsync(["rename", previous, spec.ContainerName], none).ConfigureAwait(false)).ThrowIfFailed($"rename {previous} back");
            });
            (await podman.RunAsync(["rename", next, spec.ContainerName], none).ConfigureAwait(false))
                .ThrowIfFailed($"rename the new container of {spec.Name}");
            swap!.Dispose();
            journal.OnCommit($"remove the replaced container {previous}", () => podman.RemoveContainerAsync(previous, none));
        }
        else if (container == ContainerAction.Create)
        {
            (await podman.RunAsync(SpecHash.Labelled(create, hash).Skip(1), none).ConfigureAwait(false))
                .ThrowIfFailed($"create the container of {spec.Name}");
            journal.Undo($"remove the container {spec.ContainerName}", () => podman.RemoveContainerAsync(spec.ContainerName, none));
        }

        interrupt.ThrowIfCancellationRequested();
        // Failed units from an earlier run would keep a start limit; and a service nobody asked to start stays dormant.
        await systemctl.RunAsync(["reset-failed", activator, containerUnit], none).ConfigureAwait(false);
        if (networkNamespace)
        {
            var networkUnit = UnitGenerator.NetworkUnitName(spec.Name);
            if (await systemctl.ActiveStateAsync(networkUnit, none).ConfigureAwait(false) != "active")
            {
                journal.Undo($"stop {networkUnit}", async () =>
                {
                    // Its stop takes the namespace down; one that was up before this deploy comes back.
                    await systemctl.RunAsync(["stop", networkUnit], none).ConfigureAwait(false);
                    await systemctl.RunAsync(["reset-failed", networkUnit], none).ConfigureAwait(false);
                    if (namespaceWasUp)
                    {
                        await ServiceNetwork.UpAsync(spec.Name, cancellationToken: none).ConfigureAwait(false);
                    }
                });
            }

            await systemctl.StartAsync(networkUnit, none).ConfigureAwait(false);
        }

        interrupt.ThrowIfCancellationRequested();
        await StartUnitsAsync(service, container, wasActive, journal).ConfigureAwait(false);
    }
}
