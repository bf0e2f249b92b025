using Podwake.Activation;
using Podwake.Podman;

namespace Podwake.Serve;

/// <content>How a run's end is learnt (a "died" event of a container of the pod) and explained (which container, its
/// exit code and last lines).</content>
internal sealed partial class PodWorkload
{
    private string? _diedContainer;

    /// <summary>
    /// A container of the current run's pod that died (not its infra container, not one podwake stopped) ends the run.
    /// Known by its ID: podman 4.3's events carry an empty podId even for a pod's containers.
    /// As for a single container, an event stamped before the run was started is an earlier run's, and one whose
    /// container runs again (with another PID) is dropped.
    /// </summary>
    public void OnEvent(PodmanEvent podmanEvent)
    {
        if (podmanEvent.Action != "died" || Volatile.Read(ref _current) is not { } run
            || !run.Members.Contains(podmanEvent.Id))
        {
            return;
        }

        if (podmanEvent.TimeNano > 0 && podmanEvent.Timestamp < run.StartRequestedAt)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                var state = (await _podman.InspectContainerAsync(podmanEvent.Id, CancellationToken.None).ConfigureAwait(false)).State;
                if (state.Running && state.StartedAt > podmanEvent.Timestamp)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is PodmanException or PodmanUnavailableException or HttpRequestException or IOException)
            {
                // Gone, or podman's API did not answer: the event is taken at its word.
            }

            Volatile.Write(ref _diedContainer, podmanEvent.Id);
            run.Exit.TrySetResult(podmanEvent.ContainerExitCode);
        });
    }

    public async Task<WorkloadExit> ExplainExitAsync(int? exitCode, CancellationToken cancellationToken)
    {
        try
        {
            var pod = await _podman.InspectPodAsync(_podName, cancellationToken).ConfigureAwait(false);
            var died = pod.Containers.FirstOrDefault(c => c.Id == Volatile.Read(ref _diedContainer))
                ?? pod.Containers.FirstOrDefault(c => c.Id != pod.InfraContainerId && c.State != "running");
            if (died is not null)
            {
                var state = (await _podman.InspectContainerAsync(died.Id, cancellationToken).ConfigureAwait(false)).State;
                return await ExplainAsync(died.Name, died.Id, exitCode ?? state.ExitCode, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is PodmanException or PodmanUnavailableException or HttpRequestException or IOException)
        {
        }

        return WorkloadExit.DuringStart(_podName, exitCode, null);
    }

    private async Task<WorkloadExit> ExplainAsync(string name, string id, int? exitCode, CancellationToken cancellationToken)
    {
        IReadOnlyList<string>? lines;
        try
        {
            lines = await _podman.TailLogsAsync(id, WorkloadExit.TailLines, _startRequestedAt, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is PodmanException or PodmanUnavailableException or HttpRequestException or IOException)
        {
            lines = null;
        }

        return WorkloadExit.DuringStart(name, exitCode, lines);
    }

    /// <param name="StartRequestedAt">When podwake asked podman to start it: a "died" event stamped earlier is an earlier run's.</param>
    /// <param name="Members">The IDs of the pod's containers but its infra container.</param>
    private sealed record Run(long Generation, string PodId, IReadOnlySet<string> Members, int InfraPid, DateTimeOffset StartRequestedAt)
    {
        /// <summary>The run's end on its own, with the exit code of the container that died.</summary>
        public TaskCompletionSource<int?> Exit { get; } = new();
    }
}
