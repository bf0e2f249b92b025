namespace Podwake.Activation;

/// <content>
/// An update: another workload of the same service (its container on a new image) takes over, proved ready first. A
/// running service keeps serving on the old run until the new one is ready; then new connections go to the new run
/// while the old run's connections finish (drain), and the old run is stopped. A dormant service's new workload is
/// started with no traffic, probed, and stopped again; connections that arrive meanwhile are held on that run as on
/// a wake and served by it, or by the old workload when the new one fails. A new run that is not ready in time is
/// stopped and the old workload stays: a rollback, with no connection refused.
/// </content>
internal sealed partial class ServiceActivator
{
    private Task _updating = Task.CompletedTask;

    /// <summary>
    /// Replaces the service's workload with <paramref name="next"/>, proved ready first. Returns once the old run has
    /// drained (at most <paramref name="drain"/>) and stopped, or the new one was stopped again.
    /// </summary>
    public async Task<ReplaceOutcome> ReplaceAsync(IWorkload next, TimeSpan drain)
    {
        // A wake or a stop in flight is waited for: an update starts from a settled state.
        for (var attempt = 0; ; attempt++)
        {
            Task? busy = null;
            Task<ReplaceOutcome> update;
            lock (_lock)
            {
                if (_disposed)
                {
                    return ReplaceOutcome.NotStarted("podwake is shutting down");
                }

                if (!_updating.IsCompleted)
                {
                    return ReplaceOutcome.NotStarted("another update of this service is running");
                }

                if (_state == ServiceState.Waking && _wake is { } wake)
                {
                    busy = wake;
                }
                else if (_state == ServiceState.Stopping)
                {
                    busy = _stopping;
                }

                if (busy is null || attempt >= 100)
                {
                    update = _state == ServiceState.Ready && _run is { } current
                        ? ReplaceRunningAsync(next, current, drain)
                        : BeginProofLocked(next);
                    _updating = update;
                    busy = null;
                }
                else
                {
                    update = null!;
                }
            }

            if (busy is null)
            {
                var outcome = await update.ConfigureAwait(false);
                _metrics.Updated(outcome);
                return outcome;
            }

            await busy.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Running: the new run starts beside the current one, takes new connections once ready, the old one drains.</summary>
    private async Task<ReplaceOutcome> ReplaceRunningAsync(IWorkload next, ActiveRun old, TimeSpan drain)
    {
        await Task.Yield();
        var (attempt, outcome) = await StartCandidateAsync(next, dormant: false).ConfigureAwait(false);
        if (!outcome.IsReady)
        {
            ActivationLog.UpdateNotReady(_logger, Name, outcome.Reason);
            await StopQuietlyAsync(next, outcome.Run).ConfigureAwait(false);
            return ReplaceOutcome.RolledBackBecause(outcome.Reason, wasRunning: true);
        }

        var run = new ActiveRun(outcome.Run!, next, _time.GetTimestamp());
        bool tookOver;
        bool adopted;
        lock (_lock)
        {
            tookOver = !_disposed && _state == ServiceState.Ready && ReferenceEquals(_run, old);
            adopted = tookOver || (!_disposed && _state is ServiceState.Dormant or ServiceState.Stopping or ServiceState.Failed);
            if (adopted)
            {
                _workload = next;
                _attempt = attempt;
            }

            if (tookOver)
            {
                _run = run;
                old.Drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                if (old.Leases == 0)
                {
                    old.Drained.TrySetResult();
                }

                _draining.Add(old);
                ArmIdleIfQuietLocked();
                ActivationLog.UpdateSwitched(_logger, Name, outcome.Milliseconds, old.Leases, drain);
            }
        }

        if (!tookOver)
        {
            // The old run went idle (or exited and stayed down) meanwhile: the proved workload is the service's now
            // and its run is stopped like an idle one. Restarted meanwhile: the old workload stays, the update failed.
            await StopQuietlyAsync(next, outcome.Run).ConfigureAwait(false);
            return adopted
                ? ReplaceOutcome.Done(wasRunning: false, outcome.Milliseconds)
                : ReplaceOutcome.NotStarted("the service was restarting during the update; run the update again");
        }

        WatchExit(run);
        var closed = 0;
        if (!await WaitDrainedAsync(old.Drained!.Task, drain).ConfigureAwait(false))
        {
            lock (_lock)
            {
                closed = old.Leases;
            }

            ActivationLog.UpdateDrainTimedOut(_logger, Name, closed, drain);
        }

        // Its connections (if any are left) close now, cleanly; then its container stops.
        old.Lost.Cancel();
        lock (_lock)
        {
            _draining.Remove(old);
        }

        await StopQuietlyAsync(old.Owner, old.Workload).ConfigureAwait(false);
        ActivationLog.UpdateDrained(_logger, Name);
        return ReplaceOutcome.Done(wasRunning: true, outcome.Milliseconds, closed);
    }

    /// <summary>The new workload's run, a generation of its own, started and probed as a wake attempt is.</summary>
    private async Task<(WakeAttempt Attempt, WakeOutcome Outcome)> StartCandidateAsync(IWorkload next, bool dormant)
    {
        long generation;
        lock (_lock)
        {
            generation = ++_generation;
        }

        if (dormant)
        {
            ActivationLog.UpdateProving(_logger, Name, generation);
        }
        else
        {
            ActivationLog.UpdateStarting(_logger, Name, generation);
        }

        var attempt = new WakeAttempt(next, _options, _restart, _time);
        return (attempt, await attempt.RunAsync(generation, _shutdown.Token).ConfigureAwait(false));
    }

    private async Task<bool> WaitDrainedAsync(Task drained, TimeSpan drain)
    {
        try
        {
            await drained.WaitAsync(drain, _time, _shutdown.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Dormant (or failed): a wake of the new workload with no traffic; connections arriving meanwhile join it.</summary>
    private Task<ReplaceOutcome> BeginProofLocked(IWorkload next)
    {
        var result = new TaskCompletionSource<ReplaceOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        var before = _state;
        var previousStop = _stopping;
        _state = ServiceState.Waking;
        _wakeAcceptedAt = NoConnectionYet;
        _wake = Task.Run(() => ProveAsync(next, before, previousStop, result));
        return result.Task;
    }

    private async Task<ActiveRun?> ProveAsync(IWorkload next, ServiceState before, Task previousStop, TaskCompletionSource<ReplaceOutcome> result)
    {
        await previousStop.ConfigureAwait(false);
        var (attempt, outcome) = await StartCandidateAsync(next, dormant: true).ConfigureAwait(false);
        if (outcome.IsReady)
        {
            bool serve;
            lock (_lock)
            {
                _workload = next;
                _attempt = attempt;
                serve = _held > 0 && !_disposed;
                if (!serve)
                {
                    // Proved: stopped again, as an idle run is. A connection arriving from here on wakes the new
                    // workload once this stop is done.
                    _wake = null;
                    _state = ServiceState.Stopping;
                    _stopping = StopRunAsync(next, outcome.Run!);
                }
            }

            if (serve && Accept(outcome, next, countAsWake: true) is { } run)
            {
                // Connections came while it was proved: it serves them, a wake like any other.
                result.TrySetResult(ReplaceOutcome.Done(wasRunning: false, outcome.Milliseconds));
                return run;
            }

            if (serve)
            {
                await StopQuietlyAsync(next, outcome.Run).ConfigureAwait(false);
            }

            ActivationLog.UpdateProved(_logger, Name, outcome.Milliseconds);
            result.TrySetResult(ReplaceOutcome.Done(wasRunning: false, outcome.Milliseconds));
            return null;
        }

        ActivationLog.UpdateNotReady(_logger, Name, outcome.Reason);
        await StopQuietlyAsync(next, outcome.Run).ConfigureAwait(false);
        result.TrySetResult(ReplaceOutcome.RolledBackBecause(outcome.Reason, wasRunning: false));
        bool wakeOld;
        lock (_lock)
        {
            wakeOld = _held > 0 && !_disposed;
            if (!wakeOld)
            {
                _wake = null;
                if (!_disposed)
                {
                    _state = before == ServiceState.Failed ? ServiceState.Failed : ServiceState.Dormant;
                }
            }
        }

        // Connections came while the new one failed: the old workload wakes for them, held all along.
        return wakeOld ? await WakeAsync(Task.CompletedTask, TimeSpan.Zero).ConfigureAwait(false) : null;
    }
}
