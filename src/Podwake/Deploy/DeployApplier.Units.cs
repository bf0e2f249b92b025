using Podwake.Systemd;
using Podwake.Units;

namespace Podwake.Deploy;

/// <content>
/// The unit steps every service's deploy shares (a single container's and a pod's): expose sockets going away stopped,
/// what runs stopped before its container or pod is replaced, the sockets (re)started last.
/// </content>
internal sealed partial class DeployApplier
{
    /// <summary>Expose units that are going away stop before their files do.</summary>
    private static async Task StopRemovedSocketsAsync(ServicePlan service, DeployJournal journal)
    {
        var none = CancellationToken.None;
        foreach (var removed in service.Files.Where(f => f is { Change: FileChange.Remove, IsUnit: true } && f.Path.EndsWith(".socket", StringComparison.Ordinal)))
        {
            var unit = Path.GetFileName(removed.Path);
            var manager = new Systemctl(removed.Manager!);
            journal.RestartAfterUndo($"enable and start {unit} again", async () => (await manager.RunAsync(["enable", "--now", unit], none).ConfigureAwait(false)).ThrowIfFailed($"start {unit}"));
            await manager.RunAsync(["disable", "--now", unit], none).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Stops the activator and container units if they run (the socket keeps listening: clients wait in its backlog);
    /// after a rollback what ran runs again. True when the activator ran (it is started again after the deploy).
    /// </summary>
    private static async Task<bool> StopRunningAsync(ServicePlan service, DeployJournal journal)
    {
        var none = CancellationToken.None;
        var systemctl = service.Target.Systemctl;
        var activator = UnitGenerator.ActivatorUnitName(service.Spec.Name);
        var containerUnit = UnitGenerator.ContainerUnitName(service.Spec.Name);
        var wasActive = await systemctl.ActiveStateAsync(activator, none).ConfigureAwait(false) is "active" or "activating" or "reloading";
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
            var stop = await systemctl.RunAsync(["stop", activator, containerUnit], none).ConfigureAwait(false);
            if (!stop.Succeeded)
            {
                // The activator stops the container unit itself as it shuts down, and systemd then cancels our own stop
                // job for that unit ("Job for ...-container.service canceled", exit 1; seen in CI's RedeployTests): what
                // counts is that both are down.
                var activatorState = await systemctl.ActiveStateAsync(activator, none).ConfigureAwait(false);
                var containerState = await systemctl.ActiveStateAsync(containerUnit, none).ConfigureAwait(false);
                if (activatorState is not ("inactive" or "failed") || containerState is not ("inactive" or "failed"))
                {
                    stop.ThrowIfFailed($"stop {activator}");
                }
            }
        }

        return wasActive;
    }

    /// <summary>The socket enabled and listening (restarted when its addresses changed), the activator again if it ran, the expose sockets; then the line saying what happened.</summary>
    private async Task StartUnitsAsync(ServicePlan service, ContainerAction container, bool wasActive, DeployJournal journal)
    {
        var none = CancellationToken.None;
        var spec = service.Spec;
        var systemctl = service.Target.Systemctl;
        var activator = UnitGenerator.ActivatorUnitName(spec.Name);
        await StartSocketAsync(systemctl, UnitGenerator.SocketUnitName(spec.Name), service.SocketListenChanged, [activator, UnitGenerator.ContainerUnitName(spec.Name)], journal, none)
            .ConfigureAwait(false);
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
            ? $"deployed into {service.Target.Describe()} ({(spec.Kube is null ? "container" : "pod")} {container.ToPastText()})"
            : "unchanged";
        await _output.WriteLineAsync($"{spec.Name}: {what}; listening on {string.Join(", ", spec.Ports.Select(p => p.ListenText))}").ConfigureAwait(false);
    }
}
