namespace Podwake.Activation;

/// <content>
/// Runs stopped by the activator: when idle (<see cref="IdleTimer"/>), and all of them at shutdown. A stop that podman
/// or systemctl refuses is one log line, never an exception out of here.
/// </content>
internal sealed partial class ServiceActivator
{
    public async ValueTask DisposeAsync()
    {
        Task<ActiveRun?>? wake;
        ActiveRun? run;
        ActiveRun[] draining;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _idle.Disarm();
            wake = _wake;
            run = _run;
            _run = null;
            draining = [.. _draining];
            _state = ServiceState.Stopping;
        }

        _shutdown.Cancel();
        run?.Lost.Cancel();
        foreach (var old in draining)
        {
            old.Lost.Cancel();
            old.Drained?.TrySetResult();
        }

        await _updating.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (wake is not null)
        {
            await wake.ConfigureAwait(false);
        }

        await _stopping.ConfigureAwait(false);
        if (run is not null)
        {
            await StopQuietlyAsync(run.Owner, run.Workload).ConfigureAwait(false);
        }

        lock (_lock)
        {
            _state = ServiceState.Dormant;
        }

        await _idle.DisposeAsync().ConfigureAwait(false);
        _shutdown.Dispose();
    }

    private void OnIdleTimer()
    {
        ActiveRun run;
        lock (_lock)
        {
            if (_disposed || _state != ServiceState.Ready || _open != 0 || _run is null || !_idle.IsDue())
            {
                return;
            }

            ActivationLog.Idle(_logger, Name, _idle.Idle ?? TimeSpan.Zero);
            _metrics.IdleStopped();
            run = _run;
            _run = null;
            _state = ServiceState.Stopping;
            _stopping = StopRunAsync(run.Owner, run.Workload);
        }

        // Outside the lock: cancelling runs the proxy's callbacks, which close connections and release leases.
        run.Lost.Cancel();
    }

    private async Task StopRunAsync(IWorkload owner, WorkloadRun run)
    {
        await Task.Yield();
        await StopQuietlyAsync(owner, run).ConfigureAwait(false);
        bool dormant;
        lock (_lock)
        {
            dormant = _state == ServiceState.Stopping && !_disposed;
            if (dormant)
            {
                _state = ServiceState.Dormant;
                ActivationLog.Dormant(_logger, Name);
            }
        }

        if (dormant)
        {
            _settled?.Invoke(ServiceState.Dormant);
        }
    }

    private async Task StopQuietlyAsync(IWorkload owner, WorkloadRun? run)
    {
        try
        {
            await owner.StopAsync(run, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsExpected(ex))
        {
            // podman or systemctl said no (gone, unreachable): one line, no stack trace.
            ActivationLog.StopFailed(_logger, Name, ex.Message);
        }
        catch (Exception ex)
        {
            ActivationLog.StopFailedUnexpectedly(_logger, Name, ex);
        }
    }

    /// <summary>Failures of the host (podman, systemctl, the network) rather than of podwake: logged without a stack trace.</summary>
    private static bool IsExpected(Exception ex) => ex is Podman.PodmanException or Podman.PodmanUnavailableException or Host.ExternalCommandException
        or EnvironmentException or IOException or HttpRequestException or InvalidOperationException or TimeoutException
        or OperationCanceledException or System.Net.Sockets.SocketException;
}
