using Podwake.Specs;

namespace Podwake.Activation;

/// <content>
/// A wake: one or more attempts to start the workload and see it ready. An attempt that fails in a way the restart
/// policy retries (the start failed, the container exited during start) is tried again after a backoff while the
/// connections stay held; after <see cref="ActivationOptions.MaxRestartFailures"/> attempts, or a failure the policy
/// does not retry, the service is failed: held connections get a clean close and new ones are closed at once until
/// the backoff of the whole failure run has passed (<see cref="RestartBackoff"/>, 100 ms doubling to 30 s).
/// A failure run logs its first failure, then at most one "still failing" line per
/// <see cref="ActivationOptions.FailureLogInterval"/>, then one "recovered" line.
/// </content>
internal sealed partial class ServiceActivator
{
    private Task<Run?> BeginWakeLocked(TimeSpan delay = default)
    {
        _state = ServiceState.Waking;
        _retryAt = null;
        var previousStop = _stopping;
        return Task.Run(() => WakeAsync(previousStop, delay));
    }

    private async Task<Run?> WakeAsync(Task previousStop, TimeSpan delay)
    {
        await previousStop.ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, _time, _shutdown.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (_shutdown.IsCancellationRequested)
                {
                    return null;
                }
            }

            var outcome = await AttemptAsync().ConfigureAwait(false);
            if (outcome.Run is { } run)
            {
                return run;
            }

            bool retry;
            string next;
            lock (_lock)
            {
                _failedWakes++;
                if (_failuresInARow++ == 0)
                {
                    _failuresStartedAt = _time.GetTimestamp();
                    _failureLog.Reset();
                }

                _lastError = outcome.Reason;
                retry = !_disposed && outcome.Retryable && attempt < _options.MaxRestartFailures;
                if (retry)
                {
                    delay = RestartBackoff.After(attempt);
                    next = $"restart: {RestartPolicyName} retries in {FormatDelay(delay)} (attempt {attempt + 1} of {_options.MaxRestartFailures}), holding connections";
                }
                else
                {
                    var wait = RestartBackoff.After(_failuresInARow);
                    _retryAt = _time.GetUtcNow() + wait;
                    next = $"held connections closed; the next connection after {FormatDelay(wait)} tries again";
                }

                LogFailureLocked(outcome.Reason, next);
                if (!retry)
                {
                    if (!_disposed)
                    {
                        _state = ServiceState.Failed;
                    }

                    _wake = null;

                    // Waiting clients are closed now; the container is stopped behind them, and the next wake waits
                    // for that stop first.
                    _stopping = StopQuietlyAsync(outcome.Instance);
                }
            }

            if (retry)
            {
                await StopQuietlyAsync(outcome.Instance).ConfigureAwait(false);
                continue;
            }

            if (!_shutdown.IsCancellationRequested)
            {
                Settled?.Invoke(ServiceState.Failed);
            }

            return null;
        }
    }

    /// <summary>One start and readiness wait under its own generation, so a late exit of an earlier attempt is ignored.</summary>
    private async Task<Attempt> AttemptAsync()
    {
        long generation;
        int failuresBefore;
        CancellationTokenSource abort;
        lock (_lock)
        {
            generation = ++_generation;
            _wakeGeneration = generation;
            _wakeExit = null;
            abort = CancellationTokenSource.CreateLinkedTokenSource(_shutdown.Token);
            _wakeAbort = abort;
            failuresBefore = _failuresInARow;
        }

        if (failuresBefore == 0)
        {
            ActivationLog.Waking(_logger, _name, generation);
        }
        else
        {
            ActivationLog.WakingAgain(_logger, _name, generation, failuresBefore + 1);
        }

        var started = _time.GetTimestamp();
        WorkloadInstance? instance = null;
        using var timeout = new CancellationTokenSource(_options.ReadyTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, abort.Token);
        try
        {
            instance = await _workload.StartAsync(generation, linked.Token).ConfigureAwait(false);
            await WaitUntilReadyAsync(instance, linked.Token).ConfigureAwait(false);

            var elapsed = _time.GetElapsedTime(started).TotalMilliseconds;
            var run = new Run(instance, new CancellationTokenSource(), _time.GetTimestamp());
            lock (_lock)
            {
                _wakeAbort = null;
                if (!_disposed)
                {
                    if (_failuresInARow > 0)
                    {
                        ActivationLog.Recovered(_logger, _name, _failuresInARow, _time.GetElapsedTime(_failuresStartedAt).TotalSeconds);
                    }

                    _run = run;
                    _state = ServiceState.Ready;
                    _wake = null;
                    _wakes++;
                    _failuresInARow = 0;
                    _lastWakeMilliseconds = elapsed;
                    _lastWakeAt = _time.GetUtcNow();
                    _lastError = null;
                    ArmIdleIfQuietLocked();
                    ActivationLog.Ready(_logger, _name, elapsed);
                    return new Attempt(run, null, "", Retryable: false);
                }
            }

            await StopQuietlyAsync(instance).ConfigureAwait(false);
            return new Attempt(null, null, "podwake is shutting down", Retryable: false);
        }
        catch (Exception ex)
        {
            ExitReport? exit;
            lock (_lock)
            {
                exit = _wakeExit;
                _wakeAbort = null;
            }

            if (_shutdown.IsCancellationRequested)
            {
                return new Attempt(null, instance, "podwake is shutting down", Retryable: false);
            }

            if (ex is WorkloadExitedException exited)
            {
                return new Attempt(null, instance, exited.Message, RestartsAfter(exited.Exit.ExitCode));
            }

            if (exit is not null)
            {
                var explained = await ExplainExitAsync(exit.ExitCode).ConfigureAwait(false);
                return new Attempt(null, instance, explained.Message, RestartsAfter(explained.ExitCode));
            }

            if (timeout.IsCancellationRequested)
            {
                // Still running, just not ready: not an exit, so the restart policy has nothing to say.
                return new Attempt(null, instance,
                    $"not ready within {_options.ReadyTimeout.TotalSeconds:0.###}s (ready.timeout); check the `ready:` probe and the container's logs", Retryable: false);
            }

            // The start itself failed (podman refused, the image is gone, ...): a failure as the policy sees it.
            return new Attempt(null, instance, ex.Message, _options.Restart != RestartPolicy.No);
        }
        finally
        {
            abort.Dispose();
        }
    }

    private async Task<WorkloadExit> ExplainExitAsync(int? exitCode)
    {
        // Bounded: podman itself may be what is failing.
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            return await _workload.ExplainExitAsync(exitCode, limit.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return new WorkloadExit(exitCode, $"the container exited with code {FormatExit(exitCode)} during start (its output could not be read: {ex.Message})");
        }
    }

    private void LogFailureLocked(string reason, string next)
    {
        if (_failuresInARow == 1)
        {
            _failureLog.TryLog(out _);
            ActivationLog.WakeFailed(_logger, _name, reason, next);
        }
        else if (_failureLog.TryLog(out var suppressed))
        {
            ActivationLog.StillFailing(_logger, _name, _failuresInARow, _time.GetElapsedTime(_failuresStartedAt).TotalSeconds, suppressed, reason, next);
        }
        else
        {
            ActivationLog.FailedAgain(_logger, _name, _failuresInARow, reason);
        }
    }

    private async Task WaitUntilReadyAsync(WorkloadInstance instance, CancellationToken cancellationToken)
    {
        var pause = _options.FirstProbeInterval;
        while (true)
        {
            bool ready;
            try
            {
                ready = await _workload.ProbeAsync(instance, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                ready = false;
            }

            if (ready)
            {
                return;
            }

            await Task.Delay(pause, _time, cancellationToken).ConfigureAwait(false);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, _options.MaxProbeInterval.Ticks));
        }
    }

    private string RestartPolicyName => _options.Restart switch
    {
        RestartPolicy.No => "no",
        RestartPolicy.OnFailure => "on-failure",
        _ => "always",
    };

    /// <summary>How an attempt ended: a ready run, or why not and whether the restart policy tries again.</summary>
    private sealed record Attempt(Run? Run, WorkloadInstance? Instance, string Reason, bool Retryable);
}
