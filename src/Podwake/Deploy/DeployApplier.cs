using Podwake.Control;
using Podwake.Host;
using Podwake.Network;
using Podwake.Podman;
using Podwake.Specs;
using Podwake.Systemd;
using Podwake.Units;

namespace Podwake.Deploy;

/// <summary>
/// Carries out a <see cref="DeployPlan"/>: users, managers and images first (a failed build leaves the units and
/// containers as they were), then per service the container, the files, one daemon-reload, and the units.
/// </summary>
/// <remarks>
/// A changed service never stops listening: its socket unit stays up (restarted only when its own listen addresses
/// change), so connections wait in the kernel backlog while the activator and container are replaced. The new
/// container is created under a temporary name before the old one stops, which keeps that window to a stop, an
/// rm and a rename; a wake inside it waits on the swap lock (<see cref="ContainerSwapLock"/>) and then starts the new one.
/// </remarks>
internal sealed class DeployApplier
{
    private readonly DeployPlanner _planner;
    private readonly TextWriter _output;

    public DeployApplier(DeployPlanner planner, TextWriter output)
    {
        _planner = planner;
        _output = output;
    }

    public async Task ApplyAsync(IReadOnlyList<ServiceSpec> specs, DeployPlan plan, CancellationToken cancellationToken)
    {
        var created = new List<UnixUser>();
        try
        {
            foreach (var name in plan.Services.Where(s => s.Target.CreateUser).Select(s => s.Target.User!.Name).Distinct())
            {
                created.Add(await ServiceUsers.CreateAsync(name, cancellationToken).ConfigureAwait(false));
                await _output.WriteLineAsync($"{name}: user created").ConfigureAwait(false);
            }

            if (created.Count > 0)
            {
                // Now with the users' real UIDs and homes.
                var (again, problems) = await _planner.PlanAsync(specs, cancellationToken).ConfigureAwait(false);
                plan = again ?? throw new InvalidOperationException(string.Join('\n', problems));
            }

            foreach (var target in plan.Services.SelectMany(s => new[] { s.Target, s.ExposeTarget }).OfType<DeployTarget>().DistinctBy(t => t.Manager))
            {
                await EnsureManagerAsync(target, cancellationToken).ConfigureAwait(false);
            }

            foreach (var service in plan.Services)
            {
                await MakeImageLocalAsync(service, cancellationToken).ConfigureAwait(false);
            }
        }
        catch when (created.Count > 0)
        {
            // Nothing was installed for them yet: take the new users away again, so a failed deploy changes nothing.
            foreach (var user in created)
            {
                await new UserManager(user).StopAsync(CancellationToken.None).ConfigureAwait(false);
                await UserProcesses.KillAllAsync(user.Uid, CancellationToken.None).ConfigureAwait(false);
                await ServiceUsers.DeleteAsync(user, CancellationToken.None).ConfigureAwait(false);
            }

            throw;
        }

        foreach (var service in plan.Services)
        {
            await ApplyServiceAsync(service, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task EnsureManagerAsync(DeployTarget target, CancellationToken cancellationToken)
    {
        if (target.Manager.IsSystem)
        {
            return;
        }

        if (Environment.IsPrivilegedProcess)
        {
            var user = target.User ?? await UnixUser.CurrentAsync(cancellationToken).ConfigureAwait(false);
            await new UserManager(user).EnsureRunningAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        var (answers, state) = await target.Systemctl.SystemStateAsync(cancellationToken).ConfigureAwait(false);
        if (!answers)
        {
            throw new EnvironmentException(
                $"your systemd user manager does not answer ({state}); "
                + $"start it: `sudo loginctl enable-linger {Environment.UserName}` (hosts with logind) or `sudo podwake user-manager start {Environment.UserName}`");
        }
    }

    private async Task MakeImageLocalAsync(ServicePlan service, CancellationToken cancellationToken)
    {
        var spec = service.Spec;
        var podman = service.Target.Podman;
        if (spec.Build is { } build)
        {
            // As the target user (their image store), through the same arguments podwake serve builds with.
            var arguments = ImageBuilder.BuildArguments(build.Context, build.Containerfile, build.Args, spec.Image!);
            var result = await podman.RunAsync(arguments, cancellationToken).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                throw new ImageBuildException(spec.Image!, result.ExitCode, Tail(result.Stdout + result.Stderr));
            }

            await _output.WriteLineAsync($"{spec.Name}: image {spec.Image} built").ConfigureAwait(false);
        }
        else if (service.Image == ImageAction.Pull)
        {
            (await podman.RunAsync(["pull", spec.Image!], cancellationToken).ConfigureAwait(false)).ThrowIfFailed($"pull {spec.Image}");
            await _output.WriteLineAsync($"{spec.Name}: image {spec.Image} pulled").ConfigureAwait(false);
        }
    }

    private async Task ApplyServiceAsync(ServicePlan service, CancellationToken cancellationToken)
    {
        var spec = service.Spec;
        var target = service.Target;
        var podman = target.Podman;
        var systemctl = target.Systemctl;

        // The container's identity: its create command and the image now in the store (a build may have changed it).
        var imageId = await podman.ImageIdAsync(spec.Image!, cancellationToken).ConfigureAwait(false)
            ?? throw new EnvironmentException($"Failed to find the image {spec.Image} in podman's store after building or pulling it");
        var create = _planner.CreateCommand(spec, target);
        var hash = SpecHash.Of(create, imageId);
        var label = await podman.ContainerLabelAsync(spec.ContainerName, SpecHash.Label, cancellationToken).ConfigureAwait(false);
        var container = label is null ? ContainerAction.Create : label == hash ? ContainerAction.Keep : ContainerAction.Recreate;

        foreach (var volume in spec.Volumes.Where(v => v.IsBindMount && !Directory.Exists(v.Source) && !File.Exists(v.Source)))
        {
            // "host folders are created if missing" (DESIGN.md), owned by whoever runs the container.
            HostFiles.CreateDirectories(volume.Source, target.User);
        }

        var networkNamespace = _planner.GeneratorOptions(target).NetworkNamespace;
        if (networkNamespace)
        {
            // podman create checks that the namespace exists; its unit, started below, finds it up.
            await ServiceNetwork.UpAsync(spec.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        var next = $"{spec.ContainerName}-next";
        if (container == ContainerAction.Recreate)
        {
            // Created beside the running one: the slow part happens while the old container still serves.
            await podman.RemoveContainerAsync(next, cancellationToken).ConfigureAwait(false);
            var words = SpecHash.Labelled(create, hash);
            words[words.IndexOf("--name") + 1] = next;
            (await podman.RunAsync(words.Skip(1), cancellationToken).ConfigureAwait(false)).ThrowIfFailed($"create the container of {spec.Name}");
        }

        if (service.Files.Any(f => f is { Change: FileChange.Remove } && Path.GetFileName(f.Path) == UnitGenerator.NetworkUnitName(spec.Name)))
        {
            // A namespace no longer wanted (the old container, which joined it, is replaced below).
            await systemctl.RunAsync(["stop", UnitGenerator.NetworkUnitName(spec.Name)], cancellationToken).ConfigureAwait(false);
            await ServiceNetwork.DownAsync(spec.Name, cancellationToken).ConfigureAwait(false);
        }

        // Expose units that are going away stop before their files do.
        foreach (var removed in service.Files.Where(f => f is { Change: FileChange.Remove, IsUnit: true } && f.Path.EndsWith(".socket", StringComparison.Ordinal)))
        {
            await new Systemctl(removed.Manager!).RunAsync(["disable", "--now", Path.GetFileName(removed.Path)], cancellationToken).ConfigureAwait(false);
        }

        foreach (var file in service.Files.Where(f => f.Changes))
        {
            var owner = file.Manager == target.Manager ? target.User : null;
            if (file.Change == FileChange.Remove)
            {
                HostFiles.Delete(file.Path, owner);
            }
            else
            {
                await HostFiles.WriteAtomicallyAsync(file.Path, file.Content!, owner, cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var manager in service.Files.Where(f => f is { Changes: true, IsUnit: true }).Select(f => f.Manager!).Distinct())
        {
            (await new Systemctl(manager).RunAsync(["daemon-reload"], cancellationToken).ConfigureAwait(false)).ThrowIfFailed("reload systemd's units");
        }

        var activator = UnitGenerator.ActivatorUnitName(spec.Name);
        var containerUnit = UnitGenerator.ContainerUnitName(spec.Name);
        var wasActive = false;

        // From the stop to the rename, a connection may start a new activator: it waits for this lock, then wakes the new container.
        using var swap = container == ContainerAction.Recreate
            ? await ContainerSwapLock.AcquireForSwapAsync(ContainerRunFiles.SwapLockFile(spec.Name, target.Manager.RuntimeDirectory), target.User, cancellationToken).ConfigureAwait(false)
            : null;
        if (container == ContainerAction.Recreate || service.RestartsRunning)
        {
            wasActive = await systemctl.ActiveStateAsync(activator, cancellationToken).ConfigureAwait(false) is "active" or "activating" or "reloading";
            var running = wasActive || await systemctl.ActiveStateAsync(containerUnit, cancellationToken).ConfigureAwait(false) is not ("inactive" or "failed");
            if (running)
            {
                (await systemctl.RunAsync(["stop", activator, containerUnit], cancellationToken).ConfigureAwait(false)).ThrowIfFailed($"stop {activator}");
            }
        }

        if (container == ContainerAction.Recreate)
        {
            await podman.RemoveContainerAsync(spec.ContainerName, cancellationToken).ConfigureAwait(false);
            (await podman.RunAsync(["rename", next, spec.ContainerName], cancellationToken).ConfigureAwait(false))
                .ThrowIfFailed($"rename the new container of {spec.Name}");
            swap!.Dispose();
        }
        else if (container == ContainerAction.Create)
        {
            (await podman.RunAsync(SpecHash.Labelled(create, hash).Skip(1), cancellationToken).ConfigureAwait(false))
                .ThrowIfFailed($"create the container of {spec.Name}");
        }

        // Failed units from an earlier run would keep a start limit; and a service nobody asked to start stays dormant.
        await systemctl.RunAsync(["reset-failed", activator, containerUnit], cancellationToken).ConfigureAwait(false);
        if (networkNamespace)
        {
            await systemctl.StartAsync(UnitGenerator.NetworkUnitName(spec.Name), cancellationToken).ConfigureAwait(false);
        }

        await StartSocketAsync(systemctl, UnitGenerator.SocketUnitName(spec.Name), service.SocketListenChanged, cancellationToken).ConfigureAwait(false);
        if (wasActive)
        {
            await systemctl.StartAsync(activator, cancellationToken).ConfigureAwait(false);
        }

        if (service.ExposeTarget is { } exposeTarget)
        {
            foreach (var socket in service.Files.Where(f => f.Manager == exposeTarget.Manager && f.Change != FileChange.Remove
                                                              && f.Path.EndsWith(".socket", StringComparison.Ordinal)
                                                              && Path.GetFileName(f.Path).StartsWith($"podwake-{spec.Name}-expose", StringComparison.Ordinal)))
            {
                await StartSocketAsync(exposeTarget.Systemctl, Path.GetFileName(socket.Path), service.ExposeListenChanged, cancellationToken).ConfigureAwait(false);
            }
        }

        var what = service.Files.Any(f => f.Changes) || container != ContainerAction.Keep
            ? $"deployed into {target.Describe()} (container {(container == ContainerAction.Keep ? "kept" : container == ContainerAction.Create ? "created" : "recreated")})"
            : "unchanged";
        await _output.WriteLineAsync($"{spec.Name}: {what}; listening on {string.Join(", ", spec.Ports.Select(p => SpecWriter.Address(p.Listen)))}").ConfigureAwait(false);
    }

    /// <summary>Enabled and listening; restarted only when it listens elsewhere now (that drops its queued connections).</summary>
    private static async Task StartSocketAsync(Systemctl systemctl, string socket, bool listenChanged, CancellationToken cancellationToken)
    {
        var enabled = await systemctl.RunAsync(["is-enabled", socket], cancellationToken).ConfigureAwait(false);
        if (enabled.Stdout.Trim() != "enabled")
        {
            (await systemctl.RunAsync(["enable", socket], cancellationToken).ConfigureAwait(false)).ThrowIfFailed($"enable {socket}");
        }

        var state = await systemctl.ActiveStateAsync(socket, cancellationToken).ConfigureAwait(false);
        if (state == "active" && listenChanged)
        {
            (await systemctl.RunAsync(["restart", socket], cancellationToken).ConfigureAwait(false)).ThrowIfFailed($"restart {socket}");
        }
        else if (state != "active")
        {
            await systemctl.StartAsync(socket, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Tail(string text)
    {
        var lines = text.TrimEnd().Split('\n');
        return string.Join('\n', lines.Skip(Math.Max(0, lines.Length - 20)));
    }
}
