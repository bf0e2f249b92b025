using System.Globalization;

namespace Podwake.Activation;

/// <content>
/// A wake: one or more <see cref="WakeAttempt"/>s. An attempt that fails in a way the restart policy retries (the
/// start failed, the container exited during start) is tried again after a backoff while the connections stay held;
/// after <see cref="ActivationOptions.MaxRestartFailures"/> attempts, or a failure the policy does not retry, the
/// service is failed: held connections get a clean close and new ones are closed at once until the backoff of the
/// whole failure run has passed (<see cref="FailureRun"/>).
/// </content>
internal sealed partial class ServiceActivator
{
    /// <summary>How soon after its start a process's first wake counts from that start (<see cref="StartedByConnectionAt"/>).</summary>
    private static readonly TimeSpan FirstConnectionWindow = TimeSpan.FromSeconds(5);

    private Task<ActiveRun?> BeginWakeLocked(TimeSpan delay)
    {
        _state = ServiceState.Waking;
        // The process's start stands for the connection's arrival only for a wake right after it: an activator that
        // deploy started with no connection waits, dormant, for one that comes much later.
        var now = _time.GetTimestamp();
        _wakeAcceptedAt = _firstConnectionAt is { } started && _time.GetElapsedTime(started, now) < FirstConnectionWindow ? started : now;
        _firstConnectionAt = null;
        _failures.ClearBackoff();
        var previousStop = _stopping;
        return Task.Run(() => WakeAsync(previousStop, delay));
    }

    /// <summary>The wake's attempts; everything it reads of the activator's state it reads under the lock.</summary>
    private async Task<ActiveRun?> WakeAsync(Task previousStop, TimeSpan delay)
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

            long generation;
            int failuresBefore;
            IWorkload workload;
            WakeAttempt wakeAttempt;
            lock (_lock)
            {
                generation = ++_generation;
                failuresBefore = _failures.InARow;
                (workload, wakeAttempt) = (_workload, _attempt);
            }

            if (failuresBefore == 0)
            {
                ActivationLog.Waking(_logger, Name, generation);
            }
            else
            {
                ActivationLog.WakingAgain(_logger, Name, generation, failuresBefore + 1);
            }

            var outcome = await wakeAttempt.RunAsync(generation, _shutdown.Token).ConfigureAwait(false);
            if (outcome.IsReady)
            {
                if (Accept(outcome, workload, countAsWake: true) is { } run)
                {
                    return run;
                }

                await StopQuietlyAsync(workload, outcome.Run).ConfigureAwait(false);
                return null;
            }

            bool retry;
            lock (_lock)
            {
                _counters.WakeFailed(outcome.Reason);
                _failures.Count();
                retry = !_disposed && outcome.Retryable && attempt < _options.MaxRestartFailures;
                if (retry)
                {
                    delay = RestartBackoff.After(attempt);
                    _failures.Log(outcome.Reason, $"restart: {_restart.PolicyName} retries in {FormatDelay(delay)} (attempt {attempt + 1} of {_options.MaxRestartFailures}), holding connections");
                }
                else
                {
                    var wait = _failures.BackOff();
                    _failures.Log(outcome.Reason, $"held connections closed; the next connection after {FormatDelay(wait)} tries again");
                    if (!_disposed)
                    {
                        _state = ServiceState.Failed;
                    }

                    _wake = null;

                    // Waiting clients are closed now; the container is stopped behind them, and the next wake waits
                    // for that stop first.
                    _stopping = StopQuietlyAsync(workload, outcome.Run);
                }
            }

            if (retry)
            {
                await StopQuietlyAsync(workload, outcome.Run).ConfigureAwait(false);
                continue;
            }

            if (!_shutdown.IsCancellationRequested)
            {
                _settled?.Invoke(ServiceState.Failed);
            }

            return null;
        }
    }

    /// <summary>
    /// A ready run of <paramref name="owner"/> becomes the service's run, unless podwake is shutting down (then null: the
    /// caller stops it). An update's run that takes over (<paramref name="countAsWake"/> false) is no wake in status.
    /// </summary>
    private ActiveRun? Accept(WakeOutcome outcome, IWorkload owner, bool countAsWake)
    {
        var run = new ActiveRun(outcome.Run!, owner, _time.GetTimestamp());
        WakeTimeline? wake = null;
        lock (_lock)
        {
            if (_disposed)
            {
                return null;
            }

            _failures.Recovered();
            _run = run;
            _state = ServiceState.Ready;
            _wake = null;
            if (countAsWake && _held > 0)
            {
                // The histograms time wakes a client waits for: a restart with nobody waiting has no first byte to
                // time, and its first phase would be the restart's backoff.
                var (startRequestedAt, runningAt, readyAt) = outcome.Moments;
                wake = new WakeTimeline(Math.Min(_wakeAcceptedAt, startRequestedAt), startRequestedAt, runningAt, readyAt);
                run.AwaitingFirstByte = wake;
            }

            if (countAsWake)
            {
                _counters.Woke(outcome.Milliseconds, _time.GetUtcNow());
                ActivationLog.Ready(_logger, Name, outcome.Milliseconds);
            }

            ArmIdleIfQuietLocked();
        }

        if (wake is not null)
        {
            _metrics.ObserveReady(wake, _time);
        }

        WatchExit(run);
        return run;
    }

    /// <summary>The run's end, reported by its workload, restarts it or lets it rest (ServiceActivator.Exits.cs).</summary>
    private void WatchExit(ActiveRun run)
    {
        _ = run.Workload.Exited.ContinueWith(
            static (exited, state) =>
            {
                var (activator, generation) = ((ServiceActivator, long))state!;
                activator.OnExited(generation, exited.Result);
            },
            (this, run.Workload.Generation),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously | TaskContinuationOptions.OnlyOnRanToCompletion,
            TaskScheduler.Default);
    }

    private static string FormatDelay(TimeSpan delay) => delay < TimeSpan.FromSeconds(1)
        ? string.Create(CultureInfo.InvariantCulture, $"{delay.TotalMilliseconds:0} ms")
        : string.Create(CultureInfo.InvariantCulture, $"{delay.TotalSeconds:0.#} s");
}
