using Podwake.Activation;
using Podwake.Podman;

namespace Podwake.Serve;

/// <content>
/// How a run's end is learnt (podman's "died" event, checked against the container) and explained (its exit code and
/// last lines of output).
/// </content>
internal sealed partial class ContainerWorkload
{
    /// <summary>
    /// The exit code of a run whose process is gone, once podman has noticed (its state lags the process by a few
    /// milliseconds); null when it still calls the container running after a second.
    /// </summary>
    private async Task<int?> ExitCodeOnceStoppedAsync(string id, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var state = (await _podman.InspectContainerAsync(id, cancellationToken).ConfigureAwait(false)).State;
            if (!state.Running)
            {
                return state.ExitCode;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), _time, cancellationToken).ConfigureAwait(false);
        }

        return null;
    }

    public async Task<WorkloadExit> ExplainExitAsync(int? exitCode, CancellationToken cancellationToken)
    {
        if (_id is not { } id)
        {
            return WorkloadExit.DuringStart(ContainerName, exitCode, null);
        }

        IReadOnlyList<string>? lines;
        try
        {
            var state = (await _podman.InspectContainerAsync(id, cancellationToken).ConfigureAwait(false)).State;
            exitCode ??= state.Running ? null : state.ExitCode;

            // This run's lines only (podman keeps every earlier run's too): those logged since podwake asked for the
            // start. Not State.StartedAt: a process that fails at once prints before podman records that.
            lines = await _podman.TailLogsAsync(id, WorkloadExit.TailLines, _startRequestedAt, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is PodmanException or PodmanUnavailableException or HttpRequestException or IOException)
        {
            lines = null;
        }

        return WorkloadExit.DuringStart(ContainerName, exitCode, lines);
    }

    /// <summary>
    /// Called for each podman container event. podman writes "died" from its cleanup process, which
    /// may run after podwake already restarted the container (a failed connect found it dead
    /// first), so an event is checked against the container itself: while the current run's
    /// process still runs, the event is about an earlier run and is dropped. So is one stamped before the current run was
    /// started, even when the check cannot be made (podman's API not answering).
    /// </summary>
    public void OnEvent(PodmanEvent podmanEvent)
    {
        if (podmanEvent.Id != _id || podmanEvent.Action != "died")
        {
            return;
        }

        if (Volatile.Read(ref _current) is not { } run)
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
                if (state.Running && state.Pid == run.Pid)
                {
                    return;
                }
            }
            catch (PodmanException)
            {
                // Gone or unreadable: certainly not running.
            }
            catch (Exception ex)
            {
                // podman's API did not answer (restarting, overloaded): the event is taken at its word rather than
                // dropped, which would leave the service "ready" with nothing behind it.
                ServeLog.DiedUnchecked(_logger, _spec.Name, ContainerName, ex.Message);
            }

            run.Exit.TrySetResult(podmanEvent.ContainerExitCode);
        });
    }
}
