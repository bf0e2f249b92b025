using Podwake.Host;
using Podwake.Podman;
using Podwake.Specs;
using Podwake.Systemd;

namespace Podwake.Deploy;

/// <summary>
/// Carries out a <see cref="DeployPlan"/>: users, managers and images first (a failed build leaves the units and
/// containers as they were), then per service the container, the files, one daemon-reload, and the units. Every step
/// records its undo in a <see cref="DeployJournal"/>: a failure anywhere after the plan puts the host back to the
/// deployment it had (units and spec copies byte for byte, the old container under its name, namespaces, users).
/// </summary>
/// <remarks>
/// A changed service never stops listening: its socket unit stays up (restarted only when its own listen addresses
/// change), so connections wait in the kernel backlog while the activator and container are replaced. The new
/// container is created under a temporary name before the old one stops, which keeps that window to a stop and two
/// renames (the old container is set aside as <c>podwake-NAME.previous</c> and removed once the whole deploy succeeded); a wake inside it waits on the swap lock (<see cref="ContainerSwapLock"/>) and then starts the new one.
/// </remarks>
internal sealed partial class DeployApplier
{
    private readonly DeployPlanner _planner;
    private readonly TextWriter _output;
    private readonly TimeSpan? _updateInterval;

    /// <param name="updateInterval">How often <c>podwake-update.timer</c> runs (<see cref="DeployOptions.UpdateInterval"/>).</param>
    public DeployApplier(DeployPlanner planner, TextWriter output, TimeSpan? updateInterval = null)
    {
        _planner = planner;
        _output = output;
        _updateInterval = updateInterval;
    }

    /// <summary><c>--metrics ADDR</c>: the address of <c>podwake-metrics.socket</c> in this user's own manager; null: left as it is.</summary>
    public System.Net.IPEndPoint? Metrics { get; init; }

    /// <summary>Where <c>--metrics</c> installs its socket: the manager of the user who deploys; null when the plan has no service there.</summary>
    public static DeployTarget? MetricsTarget(DeployPlan plan) =>
        plan.Services.Select(s => s.Target).FirstOrDefault(t => t.User is null);

    public async Task ApplyAsync(IReadOnlyList<ServiceSpec> specs, DeployPlan plan, CancellationToken cancellationToken)
    {
        var journal = new DeployJournal();
        var createdUsers = false;
        try
        {
            foreach (var name in plan.Services.Where(s => s.Target.CreateUser).Select(s => s.Target.User!.Name).Distinct())
            {
                // Recorded first, so it runs last: everything installed for the user goes before the user does.
                journal.Undo($"remove the user {name} this deploy created", () => RemoveCreatedUserAsync(name));
                await ServiceUsers.CreateAsync(name, cancellationToken).ConfigureAwait(false);
                createdUsers = true;
                await _output.WriteLineAsync($"{name}: user created").ConfigureAwait(false);
            }

            if (createdUsers)
            {
                // Now with the users' real UIDs and homes.
                var (again, problems) = await _planner.PlanAsync(specs, cancellationToken).ConfigureAwait(false);
                plan = again ?? throw new EnvironmentException(string.Join('\n', problems));
            }

            // A manager this run started stays up (it runs no unit of a rolled-back service); images built or pulled stay
            // in the store too: neither is part of a deployment, and the old container keeps its own image by ID.
            foreach (var target in plan.Services.SelectMany(s => new[] { s.Target, s.ExposeTarget }).OfType<DeployTarget>().DistinctBy(t => t.Manager))
            {
                await EnsureManagerAsync(target, cancellationToken).ConfigureAwait(false);
            }

            foreach (var service in plan.Services)
            {
                await MakeImageLocalAsync(service, cancellationToken).ConfigureAwait(false);
            }

            foreach (var service in plan.Services)
            {
                await ApplyServiceAsync(service, journal, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (journal.Count > 0)
        {
            await _output.WriteLineAsync(ex is OperationCanceledException
                ? "podwake: deploy interrupted; rolling back to the previous deployment"
                : $"podwake: deploy failed ({FirstLine(ex.Message)}); rolling back to the previous deployment").ConfigureAwait(false);
            var failed = await journal.RollBackAsync(_output).ConfigureAwait(false);
            await _output.WriteLineAsync(failed == 0
                ? "podwake: rolled back: units, spec copies, containers and network namespaces are as they were before this deploy"
                : $"podwake: rolled back with {failed} step(s) failed (above): check `podwake status` and deploy again").ConfigureAwait(false);
            throw;
        }

        await journal.CommitAsync(_output).ConfigureAwait(false);
        foreach (var target in plan.Services.Select(s => s.Target).DistinctBy(t => t.Manager))
        {
            // After the commit: the timer is not part of any one service's deployment, and a failure here leaves them deployed.
            try
            {
                await UpdateTimer.SyncAsync(target, _planner.GeneratorOptions(target), _updateInterval, _output, cancellationToken).ConfigureAwait(false);
                if (Metrics is null)
                {
                    // An installed metrics socket keeps its address; its service template is run by this podwake.
                    await MetricsUnits.SyncAsync(target, _planner.GeneratorOptions(target), null, _output, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is ExternalCommandException or IOException or UnauthorizedAccessException or EnvironmentException)
            {
                await _output.WriteLineAsync($"podwake: warning: Failed to install {Units.UnitGenerator.UpdateTimerName} into {target.Describe()}: {ex.Message}").ConfigureAwait(false);
            }
        }

        if (Metrics is { } address)
        {
            // This user's own manager: one metrics socket per manager, on the address given. A failure (the address is
            // in use) fails the command; the services stay deployed.
            var own = MetricsTarget(plan) ?? throw new EnvironmentException("--metrics: no service of this deploy goes into your own manager");
            await MetricsUnits.SyncAsync(own, _planner.GeneratorOptions(own), address, _output, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task RemoveCreatedUserAsync(string name)
    {
        if (await UnixUser.FindAsync(name, CancellationToken.None).ConfigureAwait(false) is not { } user)
        {
            return;
        }

        await new UserManager(user).StopAsync(CancellationToken.None).ConfigureAwait(false);
        await UserProcesses.KillAllAsync(user.Uid, CancellationToken.None).ConfigureAwait(false);
        await ServiceUsers.DeleteAsync(user, CancellationToken.None).ConfigureAwait(false);
    }

    private static string FirstLine(string text) => text.Split('\n')[0];

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
            // Its STEP lines as they come (a build takes a while); the rest is in the error when it fails.
            var arguments = ImageBuilder.BuildArguments(build.Context, build.Containerfile, build.Args, spec.Image!);
            var result = await podman.RunAsync(arguments, cancellationToken, line =>
            {
                if (PodmanCliOutput.IsBuildStep(line))
                {
                    _output.WriteLine($"{spec.Name}: {line}");
                }
            }).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                throw new ImageBuildException(spec.Image!, result.ExitCode, Tail(result.Stdout + result.Stderr));
            }

            await _output.WriteLineAsync($"{spec.Name}: image {spec.Image} built").ConfigureAwait(false);
        }
        else if (service.Image == ImageAction.Pull)
        {
            // A pod's images: each one missing (kube play would pull them itself, with no clear error when it cannot).
            foreach (var image in spec.Image is { } single ? [single] : spec.Kube!.Containers.Select(c => c.Image).Distinct())
            {
                if (spec.Image is null && await podman.ImageIdAsync(image, cancellationToken).ConfigureAwait(false) is not null)
                {
                    continue;
                }

                await PullAsync(spec, podman, image, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task PullAsync(ServiceSpec spec, TargetPodman podman, string image, CancellationToken cancellationToken)
    {
        // podman's own steps, a plain line each as it prints them, on a terminal too: an inherited terminal would
        // draw podman's byte bars but lose its error text, which says which registry failed and why (exit 2), and
        // parsing those bars would need a pseudo-terminal (podman may run as another user through runuser).
        var result = await podman.RunAsync(["pull", image], cancellationToken, line =>
        {
            if (PodmanCliOutput.IsPullStep(line))
            {
                _output.WriteLine($"{spec.Name}: {line}");
            }
        }).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new EnvironmentException($"{spec.Name}: {PodmanCliOutput.PullFailure(image, result.Stderr).Message}");
        }

        await _output.WriteLineAsync($"{spec.Name}: image {image} pulled").ConfigureAwait(false);
    }

    private static string Tail(string text)
    {
        var lines = text.TrimEnd().Split('\n');
        return string.Join('\n', lines.Skip(Math.Max(0, lines.Length - 20)));
    }
}
