using Podwake.Host;
using Podwake.Network;
using Podwake.Pods;
using Podwake.Sidecars;
using Podwake.Specs;
using Podwake.Systemd;
using Podwake.Units;

namespace Podwake.Deploy;

/// <summary>
/// <c>podwake undeploy NAME... [--purge]</c>: stops and removes what deploy installed. Finds a service through root's
/// index (<see cref="DeployedIndex"/>) or, failing that, in the manager the flags name. What is not there is skipped.
/// </summary>
internal sealed class Undeployer
{
    private readonly DeployPlanner _planner;
    private readonly UnixUser _me;
    private readonly TextWriter _output;
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);

    public Undeployer(DeployPlanner planner, UnixUser me, TextWriter output)
    {
        _planner = planner;
        _me = me;
        _output = output;
    }

    public async Task UndeployAsync(string name, bool purge, bool system, CancellationToken cancellationToken)
    {
        var indexed = _me.IsRoot ? DeployedIndex.Read(name) : null;
        var user = indexed is not null && indexed != DeployedIndex.System && indexed != _me.Name
            ? await UnixUser.FindAsync(indexed, cancellationToken).ConfigureAwait(false)
            : null;
        DeployTarget target = (indexed == DeployedIndex.System || (indexed is null && system)) && SystemdHost.IsBooted
            ? new DeployTarget(SystemdManager.System, null, false, false)
            : user is not null
                ? new DeployTarget(SystemdManager.OfUser(user.Name, user.Uid, user.Home), user, false, true)
                : _me.IsRoot
                    ? new DeployTarget(new SystemdManager(false, null, _me.Home, "/run/user/0"), null, false, false)
                    : new DeployTarget(SystemdManager.CurrentUser(), null, false, true);

        var manager = target.Manager;
        var pathUnit = UnitGenerator.SidecarPathUnitName(name);
        var units = new[]
        {
            UnitGenerator.SocketUnitName(name), UnitGenerator.ActivatorUnitName(name), UnitGenerator.ContainerUnitName(name), UnitGenerator.NetworkUnitName(name),
            pathUnit, UnitGenerator.SidecarServiceUnitName(name),
        };
        var owner = target.User;
        var files = new List<string>();
        string[] podFiles = [PodServicePlanner.PodFilePath(manager, name), PodServicePlanner.PlayFilePath(manager, name), PodServicePlanner.PidLinkPath(manager, name)];
        foreach (var path in units.Select(u => Path.Combine(manager.UnitDirectory, u)).Append(DeployPlanner.SpecCopyPath(manager, name)).Concat(podFiles))
        {
            if (await ExistsAsync(name, path, owner).ConfigureAwait(false))
            {
                files.Add(path);
            }
        }

        // What the service left at run time (the last state podwake status shows, the swap lock): removed too, but
        // they alone do not make a service "there".
        var runtime = target.Rootless ? RuntimePaths.ForUser(manager.RuntimeDirectory) : RuntimePaths.ForRoot;
        string[] runtimeFiles =
        [
            runtime.LastStateFile(name), ContainerRunFiles.SwapLockFile(name, manager.RuntimeDirectory),
            LastUpdateRecord.PathOf(runtime, name), ServiceUpdateLock.PathOf(name, manager.RuntimeDirectory),
            runtime.LogFile(name), runtime.OldLogFile(name),
        ];
        var exposeManager = _me.IsRoot ? _planner.ExposeTarget() : null;
        var exposeFiles = exposeManager is null ? [] : DeployPlanner.ExistingExposeUnits(exposeManager.Manager, name).ToList();
        var containerName = $"podwake-{name}";
        var userExists = indexed is null || indexed == DeployedIndex.System || indexed == _me.Name || user is not null;
        var image = userExists
            ? (await target.Podman.RunAsync(["container", "inspect", "--format", "{{.ImageName}}", containerName], cancellationToken).ConfigureAwait(false)) is { Succeeded: true } inspect
                ? inspect.Stdout.Trim()
                : null
            : null;
        // A pod service's: what was played names the service container a play cut short left, and the volumes --purge removes.
        var played = files.Contains(podFiles[1]) ? ReadOrNull(podFiles[1], owner) : null;
        var pod = userExists && (played is not null || await DeployedPod.ExistsAsync(target.Podman, name, cancellationToken).ConfigureAwait(false));

        // A side-car service (never a run_as: one): its wrapper and image (named by the spec copy) and state folder; a state
        // folder alone counts as there.
        var sidecarState = SidecarPaths.For(name, root: !target.Rootless, _me.Home);
        var sidecarSpec = owner is null ? DeployedSidecar.SpecOf(DeployPlanner.SpecCopyPath(manager, name)) : null;
        var wrapper = sidecarSpec?.Sidecar!.Wrapper;
        var sidecar = owner is null && (sidecarSpec is not null || files.Contains(Path.Combine(manager.UnitDirectory, pathUnit)) || Directory.Exists(sidecarState.Directory));
        image ??= sidecarSpec?.Image;

        // A rootful namespace alone is something to take down too: a deploy killed before it wrote a unit left one.
        var namespaceLeft = _me.IsRoot && !target.Rootless && ServiceNetwork.IsPresent(name);
        if (files.Count == 0 && exposeFiles.Count == 0 && image is null && indexed is null && !namespaceLeft && !pod && !sidecar)
        {
            await _output.WriteLineAsync($"{name}: not deployed in {target.Describe()}; nothing to do").ConfigureAwait(false);
            return;
        }

        var reachable = userExists && (manager.IsSystem || await ManagerAnswersAsync(target, cancellationToken).ConfigureAwait(false));
        if (reachable)
        {
            // Socket first: nothing may wake the service while it is taken apart.
            await target.Systemctl.RunAsync(["stop", .. units], cancellationToken).ConfigureAwait(false);
            await target.Systemctl.RunAsync(["disable", units[0]], cancellationToken).ConfigureAwait(false);
            if (sidecar)
            {
                await target.Systemctl.RunAsync(["disable", pathUnit], cancellationToken).ConfigureAwait(false);
            }
        }

        if (exposeManager is not null && exposeFiles.Count > 0)
        {
            var exposeUnits = exposeFiles.Select(Path.GetFileName).OfType<string>().ToList();
            await exposeManager.Systemctl.RunAsync(["disable", "--now", .. exposeUnits], cancellationToken).ConfigureAwait(false);
            await exposeManager.Systemctl.RunAsync(["stop", .. exposeUnits], cancellationToken).ConfigureAwait(false);
            foreach (var file in exposeFiles)
            {
                File.Delete(file);
            }

            await exposeManager.Systemctl.RunAsync(["daemon-reload"], cancellationToken).ConfigureAwait(false);
        }

        foreach (var file in files.Concat(runtimeFiles))
        {
            // Within the user's home and runtime directory nothing is followed: a link there is removed, never its target.
            try
            {
                HostFiles.Delete(file, owner);
            }
            catch (UnsafePathException ex)
            {
                await ReportLeftAsync(name, ex).ConfigureAwait(false);
            }
        }

        if (reachable)
        {
            await target.Systemctl.RunAsync(["daemon-reload"], cancellationToken).ConfigureAwait(false);
            await target.Systemctl.RunAsync(["reset-failed", .. units], cancellationToken).ConfigureAwait(false);
        }

        if (userExists)
        {
            await target.Podman.RemoveContainerAsync(containerName, cancellationToken).ConfigureAwait(false);
            await target.Podman.RemoveContainerAsync($"{containerName}-next", cancellationToken).ConfigureAwait(false);
            CandidateContainer.RemoveFiles(CandidateContainer.Files(name, manager.RuntimeDirectory), owner);
            await target.Podman.RemoveContainerAsync($"{containerName}.previous", cancellationToken).ConfigureAwait(false);
            await target.Podman.RemoveContainerAsync($"{containerName}.updated", cancellationToken).ConfigureAwait(false);
            await RemoveOwnSecretsAsync(target.Podman, name, cancellationToken).ConfigureAwait(false);
            if (sidecar)
            {
                // The path and sync units are stopped: no pass starts another container meanwhile.
                var removed = await DeployedSidecar.RemoveContainersAsync(target.Podman, name, cancellationToken).ConfigureAwait(false);
                await _output.WriteLineAsync($"{name}: {removed} side-car container(s) removed").ConfigureAwait(false);
            }

            if (pod)
            {
                await DeployedPod.RemoveAsync(target.Podman, name, played, cancellationToken).ConfigureAwait(false);
                if (purge && played is not null)
                {
                    await RemoveClaimsAsync(target.Podman, name, played, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        if (sidecar)
        {
            // A call still waiting in the wrapper gives up at its timeout ("did not take the call").
            DeployedSidecar.Uninstall(wrapper, sidecarState);
        }

        try
        {
            HostFiles.RemoveEmptyDirectory(RunningHandover.ControlPaths(runtime, name).Directory, owner);
        }
        catch (UnsafePathException ex)
        {
            await ReportLeftAsync(name, ex).ConfigureAwait(false);
        }

        if (reachable)
        {
            // The last service with update: set takes the periodic update with it.
            await UpdateTimer.SyncAsync(target, _planner.GeneratorOptions(target), null, _output, cancellationToken).ConfigureAwait(false);

            // The last deployed service takes the metrics socket with it.
            await MetricsUnits.SyncAsync(target, _planner.GeneratorOptions(target), null, _output, cancellationToken).ConfigureAwait(false);
        }

        if (_me.IsRoot && !target.Rootless)
        {
            // Its unit's ExecStop took it down; this catches one whose unit never ran (a deploy that failed half-way).
            await ServiceNetwork.DownAsync(name, cancellationToken).ConfigureAwait(false);
        }

        if (purge && image is not null)
        {
            var removed = await target.Podman.RunAsync(["rmi", image], cancellationToken).ConfigureAwait(false);
            if (!removed.Succeeded)
            {
                // Another container still uses it: that is theirs to keep, not a failed undeploy.
                await _output.WriteLineAsync($"{name}: image {image} kept: {removed.Stderr.Trim()}").ConfigureAwait(false);
            }
        }

        if (purge && user is not null)
        {
            await new UserManager(user).StopAsync(cancellationToken).ConfigureAwait(false);
            await UserProcesses.KillAllAsync(user.Uid, cancellationToken).ConfigureAwait(false);
            await ServiceUsers.DeleteAsync(user, cancellationToken).ConfigureAwait(false);
            await _output.WriteLineAsync($"{name}: user {user.Name}, its home and its processes removed").ConfigureAwait(false);
        }

        if (_me.IsRoot && File.Exists(DeployedIndex.PathOf(name)))
        {
            File.Delete(DeployedIndex.PathOf(name));
        }

        await _output.WriteLineAsync($"{name}: undeployed from {target.Describe()}").ConfigureAwait(false);
    }

    /// <summary>The named volumes of the pod's PersistentVolumeClaims (kept unless <c>--purge</c>); one another container uses is kept, with a note.</summary>
    /// <summary>The podman secrets deploy made from the service's secret files (<c>podwake-NAME.SECRET</c>); the user's own stay.</summary>
    private static async Task RemoveOwnSecretsAsync(TargetPodman podman, string name, CancellationToken cancellationToken)
    {
        var list = await podman.RunAsync(["secret", "ls", "--format", "{{.Name}}"], cancellationToken).ConfigureAwait(false);
        foreach (var secret in list.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                     .Where(s => s.StartsWith(SecretSpec.OwnPrefix(name), StringComparison.Ordinal)))
        {
            await podman.RunAsync(["secret", "rm", secret], cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task RemoveClaimsAsync(TargetPodman podman, string name, string played, CancellationToken cancellationToken)
    {
        foreach (var claim in KubePlayFile.Claims(played))
        {
            var removed = await podman.RunAsync(["volume", "rm", claim], cancellationToken).ConfigureAwait(false);
            if (!removed.Succeeded && !removed.Stderr.Contains("no such volume", StringComparison.OrdinalIgnoreCase))
            {
                await _output.WriteLineAsync($"{name}: volume {claim} kept: {removed.Stderr.Trim()}").ConfigureAwait(false);
            }
        }
    }

    private static string? ReadOrNull(string path, UnixUser? owner)
    {
        try
        {
            return HostFiles.ReadOrNull(path, owner);
        }
        catch (Exception ex) when (ex is UnsafePathException or IOException)
        {
            return null;
        }
    }

    /// <summary>Something is at <paramref name="path"/>, reached without following links below the owner's home; a link on the way is reported, not followed.</summary>
    private async Task<bool> ExistsAsync(string name, string path, UnixUser? owner)
    {
        try
        {
            return HostFiles.Exists(path, owner);
        }
        catch (UnsafePathException ex)
        {
            await ReportLeftAsync(name, ex).ConfigureAwait(false);
            return false;
        }
    }

    /// <summary>One line per refused path (every file below a linked directory meets the same link).</summary>
    private async Task ReportLeftAsync(string name, UnsafePathException refused)
    {
        if (_reported.Add(refused.PathName))
        {
            await _output.WriteLineAsync($"{name}: left {refused.PathName} alone: {refused.Problem}").ConfigureAwait(false);
        }
    }

    private static async Task<bool> ManagerAnswersAsync(DeployTarget target, CancellationToken cancellationToken) =>
        (await target.Systemctl.SystemStateAsync(cancellationToken).ConfigureAwait(false)).Answers;
}
