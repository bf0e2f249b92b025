using Podwake.Specs;

namespace Podwake.Activation;

/// <content>
/// A run that ends on its own: restarted per the restart policy (a crash run backs off), or left dormant.
/// </content>
internal sealed partial class ServiceActivator
{
    /// <summary>
    /// Called by the workload when a run ends on its own (from podman's events, not by polling).
    /// Late or duplicate reports of an old run are ignored by generation.
    /// </summary>
    public void OnExited(long generation, int? exitCode)
    {
        Run? lost;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            if (_state == ServiceState.Waking && _wakeGeneration == generation)
            {
                // Died before it became ready: fail this attempt now instead of probing until the timeout.
                _wakeExit = new ExitReport(exitCode);
                _wakeAbort?.Cancel();
                return;
            }

            if (_state != ServiceState.Ready || _run is null || _run.Instance.Generation != generation)
            {
                return;
            }

            lost = _run;
            _run = null;
            DisarmIdleLocked();
            if (RestartsAfter(exitCode))
            {
                _restarts++;

                // A run that keeps dying soon after it got ready would otherwise restart in a tight loop: the first
                // restart is at once, the next ones of a crash run back off. A run that lived past the cap starts over.
                _crashesInARow = _time.GetElapsedTime(lost.ReadyAt) >= RestartBackoff.Cap ? 1 : _crashesInARow + 1;
                var delay = RestartBackoff.After(_crashesInARow - 1);
                ActivationLog.Exited(_logger, _name, FormatExit(exitCode), _options.Restart,
                    delay == TimeSpan.Zero ? "restarting" : $"restarting in {FormatDelay(delay)} ({_crashesInARow} exits in a row)");
                _wake = BeginWakeLocked(delay);
            }
            else
            {
                ActivationLog.Exited(_logger, _name, FormatExit(exitCode), _options.Restart, "dormant until the next connection");
                _state = ServiceState.Stopping;
                _stopping = StopRunAsync(lost.Instance);
            }
        }

        // Outside the lock: cancelling runs the proxy's callbacks, which close connections and release leases.
        lost.Lost.Cancel();
    }

    /// <summary>
    /// A connection to the run failed before its exit event arrived: ask the workload whether the
    /// run still lives, and treat it as exited when it does not.
    /// </summary>
    public async Task ReportUnreachableAsync(WorkloadInstance instance, CancellationToken cancellationToken)
    {
        bool running;
        try
        {
            running = await _workload.IsRunningAsync(instance, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            running = false;
        }

        if (!running)
        {
            OnExited(instance.Generation, exitCode: null);
        }
    }

    /// <summary>
    /// The restart policy: <c>always</c> restarts any exit, <c>on-failure</c> one that is not clean (unknown included),
    /// <c>no</c> none.
    /// </summary>
    private bool RestartsAfter(int? exitCode) =>
        _options.Restart == RestartPolicy.Always || (_options.Restart == RestartPolicy.OnFailure && !IsCleanExit(exitCode));

    /// <summary>
    /// 0, or 143 (128 + SIGTERM): death by the SIGTERM of a stop (an outside <c>podman stop</c>; busybox-like programs
    /// die of it through the init) is a stop someone asked for, not a failure. The container unit says the same with
    /// <c>SuccessExitStatus=143</c>, so both runtimes leave such a service dormant under <c>on-failure</c> (as podman
    /// and Docker never restart a container a user stopped) and the next connection wakes it again.
    /// </summary>
    public static bool IsCleanExit(int? exitCode) => exitCode is 0 or 143;
}
