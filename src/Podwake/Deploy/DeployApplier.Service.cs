using Podwake.Host;
using Podwake.Network;
using Podwake.Podman;
using Podwake.Specs;
using Podwake.Systemd;
using Podwake.Units;

namespace Podwake.Deploy;

/// <summary>One service's part of a deploy, each step recorded in the <see cref="DeployJournal"/> with its undo.</summary>
internal sealed partial class DeployApplier
{
    private async Task ApplyServiceAsync(ServicePlan service, DeployJournal journal, CancellationToken interrupt)
    {
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

        // Expose units that are going away stop before their files do.
        foreach (var removed in service.Files.Where(f => f is { Change: FileChange.Remove, IsUnit: true } && f.Path.EndsWith(".socket", StringComparison.Ordinal)))
        {
            var unit = Path.GetFileName(removed.Path);
            var manager = new Systemctl(removed.Manager!);
            journal.RestartAfterUndo($"enable and start {unit} again", async () => (await manager.RunAsync(["enable", "--now", unit], none).ConfigureAwait(false)).ThrowIfFailed($"start {unit}"));
            await manager.RunAsync(["disable", "--now", unit], none).ConfigureAwait(false);
        }

        interrupt.ThrowIfCancellationRequested();
        await WriteFilesAsync(service, journal, none).ConfigureAwait(false);

        interrupt.ThrowIfCancellationRequested();
        var activator = UnitGenerator.ActivatorUnitName(spec.Name);
        var containerUnit = UnitGenerator.ContainerUnitName(spec.Name);
        var wasActive = false;

        // From the stop to the rename, a connection may start a new activator: it waits for this lock, then wakes the new container.
        using var swap = container == ContainerAction.Recreate
            ? await ContainerSwapLock.AcquireForSwapAsync(ContainerRunFiles.SwapLockFile(spec.Name, target.Manager.RuntimeDirectory), target.User, interrupt).ConfigureAwait(false)
            : null;
        if (container == ContainerAction.Recreate || service.RestartsRunning)
        {
            wasActive = await systemctl.ActiveStateAsync(activator, none).ConfigureAwait(false) is "active" or "activating" or "reloading";
            var running = wasActive || await systemctl.ActiveStateAsync(containerUnit, none).ConfigureAwait(false) is not ("inactive" or "failed");
            if (running)
            {
                // After the rollback: the old units and container are back, so what ran runs again, as it was.
                var restart = wasActive ? activator : containerUnit;
                journal.RestartAfterUndo($"start {restart} again", async () =>
                {
                    await systemctl.RunAsync(["stop", activator, containerUnit], none).ConfigureAwait(false);
                    await systemctl.RunAsync(["reset-failed", activator, containerUnit], none).ConfigureAwait(false);
                    await systemctl.StartAsync(restart, none).ConfigureAwait(false);
                });
                (await systemctl.RunAsync(["stop", activator, containerUnit], none).ConfigureAwait(false)).ThrowIfFailed($"stop {activator}");
            }
        }

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
        await StartSocketAsync(systemctl, UnitGenerator.SocketUnitName(spec.Name), service.SocketListenChanged, [activator, containerUnit], journal, none).ConfigureAwait(false);
        if (wasActive)
        {
            await systemctl.StartAsync(activator, none).ConfigureAwait(false);
        }

        if (service.ExposeTarget is { } exposeTarget)
        {
            foreach (var socket in service.Files.Where(f => f.Manager == exposeTarget.Manager && f.Change != FileChange.Remove
                                                              && f.Path.EndsWith(".socket", StringComparison.Ordinal)
                                                              && Path.GetFileName(f.Path).StartsWith($"podwake-{spec.Name}-expose", StringComparison.Ordinal)))
            {
                var forwarder = Path.ChangeExtension(Path.GetFileName(socket.Path), ".service");
                await StartSocketAsync(exposeTarget.Systemctl, Path.GetFileName(socket.Path), service.ExposeListenChanged, [forwarder], journal, none).ConfigureAwait(false);
            }
        }

        var what = service.Files.Any(f => f.Changes) || container != ContainerAction.Keep
            ? $"deployed into {target.Describe()} (container {container.ToPastText()})"
            : "unchanged";
        await _output.WriteLineAsync($"{spec.Name}: {what}; listening on {string.Join(", ", spec.Ports.Select(p => SpecWriter.Address(p.Listen)))}").ConfigureAwait(false);
    }
}
