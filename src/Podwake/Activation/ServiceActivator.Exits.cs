using System.Globalization;
using Podwake.Proxy;

namespace Podwake.Activation;

/// <content>
/// A run that ends on its own: restarted per the restart policy (<see cref="RestartRule"/>), or left dormant.
/// </content>
internal sealed partial class ServiceActivator
{
    /// <summary>
    /// A ready run ended on its own (its <see cref="WorkloadRun.Exited"/>, or a failed connection found it gone).
    /// Late or duplicate reports of an old run are ignored by generation.
    /// </summary>
    internal void OnExited(long generation, int? exitCode)
    {
        ActiveRun? lost;
        lock (_lock)
        {
            if (_disposed || _state != ServiceState.Ready || _run is null || _run.Workload.Generation != generation)
            {
                return;
            }

            lost = _run;
            _run = null;
            _idle.Disarm();
            var code = exitCode?.ToString(CultureInfo.InvariantCulture) ?? "unknown";
            if (_restart.RestartsAfter(exitCode))
            {
                _counters.Restarted();
                var delay = _restart.DelayAfterExit(_time.GetElapsedTime(lost.ReadyAt));
                ActivationLog.Exited(_logger, Name, code, _restart.PolicyName,
                    delay == TimeSpan.Zero ? "restarting" : $"restarting in {FormatDelay(delay)} ({_restart.CrashesInARow} exits in a row)");
                _wake = BeginWakeLocked(delay);
            }
            else
            {
                ActivationLog.Exited(_logger, Name, code, _restart.PolicyName, "dormant until the next connection");
                _state = ServiceState.Stopping;
                _stopping = StopRunAsync(lost.Owner, lost.Workload);
            }
        }

        // Outside the lock: cancelling runs the proxy's callbacks, which close connections and release leases.
        lost.Lost.Cancel();
    }

    /// <summary>
    /// A connection to <paramref name="backend"/> failed before its run's exit was seen: ask the workload whether the
    /// run still lives, and treat it as exited when it does not. A report about an earlier run is ignored.
    /// </summary>
    public async Task ReportUnreachableAsync(Backend backend, CancellationToken cancellationToken)
    {
        WorkloadRun? run;
        IWorkload? owner;
        lock (_lock)
        {
            (run, owner) = (_run?.Workload, _run?.Owner);
        }

        if (run is null || owner is null || !ReferenceEquals(run.Backend, backend))
        {
            return;
        }

        bool running;
        try
        {
            running = await owner.IsRunningAsync(run, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            running = false;
        }

        if (!running)
        {
            OnExited(run.Generation, exitCode: null);
        }
    }
}
