using System.Globalization;

namespace Podwake.Activation;

/// <summary>
/// One attempt to wake a service: start the workload and probe it until it is ready, within <c>ready.timeout</c>.
/// An attempt whose run exits meanwhile ends at once (the run's <see cref="WorkloadRun.Exited"/>), explained with the
/// container's exit code and last lines. Knows nothing of the activator's state: what it needs it is given.
/// </summary>
internal sealed class WakeAttempt
{
    private readonly IWorkload _workload;
    private readonly ActivationOptions _options;
    private readonly RestartRule _restart;
    private readonly TimeProvider _time;

    public WakeAttempt(IWorkload workload, ActivationOptions options, RestartRule restart, TimeProvider time)
    {
        _workload = workload;
        _options = options;
        _restart = restart;
        _time = time;
    }

    /// <summary>Starts run <paramref name="generation"/> and waits until it is ready, it ends, or the time is up.</summary>
    public async Task<WakeOutcome> RunAsync(long generation, CancellationToken shutdown)
    {
        var started = _time.GetTimestamp();
        WorkloadRun? run = null;
        using var timeout = new CancellationTokenSource(_options.ReadyTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, shutdown);
        try
        {
            run = await _workload.StartAsync(generation, linked.Token).ConfigureAwait(false);
            var running = _time.GetTimestamp();
            await WaitUntilReadyAsync(run, linked).ConfigureAwait(false);
            var ready = _time.GetTimestamp();
            return WakeOutcome.Ready(run, _time.GetElapsedTime(started, ready).TotalMilliseconds, (started, running, ready));
        }
        catch (Exception ex)
        {
            if (shutdown.IsCancellationRequested)
            {
                return WakeOutcome.Failed(run, "podwake is shutting down", retryable: false);
            }

            if (ex is WorkloadExitedException exited)
            {
                return WakeOutcome.Failed(run, exited.Message, _restart.RestartsAfter(exited.Exit.ExitCode));
            }

            if (run is not null && run.Exited.IsCompleted)
            {
                var explained = await ExplainExitAsync(await run.Exited.ConfigureAwait(false)).ConfigureAwait(false);
                return WakeOutcome.Failed(run, explained.Message, _restart.RestartsAfter(explained.ExitCode));
            }

            if (timeout.IsCancellationRequested)
            {
                // Still running, just not ready: not an exit, so the restart policy has nothing to say.
                return WakeOutcome.Failed(run,
                    $"not ready within {_options.ReadyTimeout.TotalSeconds:0.###}s (ready.timeout); check the `ready:` probe and the container's logs", retryable: false);
            }

            // The start itself failed (podman refused, the image is gone, ...): a failure as the policy sees it.
            return WakeOutcome.Failed(run, ex.Message, _restart.RetriesFailedStart);
        }
    }

    /// <summary>Probes, doubling the pause up to the maximum; the run's exit cancels <paramref name="abort"/>.</summary>
    private async Task WaitUntilReadyAsync(WorkloadRun run, CancellationTokenSource abort)
    {
        // The exit ends the wait at once instead of probing until the timeout. Cancelled by the thread that reports
        // the exit, under no lock of the activator's.
        _ = run.Exited.ContinueWith(
            static (_, state) =>
            {
                try
                {
                    ((CancellationTokenSource)state!).Cancel();
                }
                catch (ObjectDisposedException)
                {
                    // The attempt is over already.
                }
            },
            abort,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

        var cancellationToken = abort.Token;
        var pause = _options.FirstProbeInterval;
        while (true)
        {
            bool ready;
            try
            {
                ready = await _workload.ProbeAsync(run, cancellationToken).ConfigureAwait(false);
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

    private async Task<WorkloadExit> ExplainExitAsync(int? exitCode)
    {
        // Bounded: podman itself may be what is failing.
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(5), _time);
        try
        {
            return await _workload.ExplainExitAsync(exitCode, limit.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            var code = exitCode?.ToString(CultureInfo.InvariantCulture) ?? "unknown";
            return new WorkloadExit(exitCode, $"the container exited with code {code} during start (its output could not be read: {ex.Message})");
        }
    }
}
