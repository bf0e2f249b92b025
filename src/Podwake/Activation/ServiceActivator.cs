using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Podwake.Proxy;

namespace Podwake.Activation;

/// <summary>
/// The activation state machine of one service: dormant → waking → ready → stopping → dormant.
/// Every connection takes a lease through <see cref="AcquireAsync"/>; the first one while dormant
/// starts a single wake that every later arrival joins (single flight), so N simultaneous first
/// connections cause exactly one container start. The idle timer is armed when the last lease is
/// released and re-checked when it fires, as systemd-socket-proxyd does with --exit-idle-time.
/// A live UDP flow holds a lease exactly as an open TCP connection does, so idleness means "no
/// open connection and no live flow" with no UDP-specific state here.
/// </summary>
/// <remarks>
/// This type holds the state and the leases; the concerns it coordinates are types of their own: one wake attempt
/// (<see cref="WakeAttempt"/>), the idle timer (<see cref="IdleTimer"/>), the restart policy (<see cref="RestartRule"/>),
/// failed wakes in a row and their backoff (<see cref="FailureRun"/>), and the counters of <c>podwake status</c>
/// (<see cref="ActivationCounters"/>). All of them are touched under <see cref="_lock"/> only; nothing is cancelled
/// and no callback runs under it.
/// </remarks>
internal sealed partial class ServiceActivator : IServiceGate, IAsyncDisposable
{
    private readonly ActivationOptions _options;
    private readonly IWorkload _workload;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Action<ServiceState>? _settled;
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _shutdown = new();
    private readonly IdleTimer _idle;
    private readonly RestartRule _restart;
    private readonly FailureRun _failures;
    private readonly ActivationCounters _counters = new();
    private readonly WakeAttempt _attempt;
    private readonly LogRateLimit _rejectedLog;

    private ServiceState _state = ServiceState.Dormant;
    private Run? _run;
    private Task<Run?>? _wake;
    private Task _stopping = Task.CompletedTask;
    private long _generation;
    private int _open;
    private int _held;
    private bool _disposed;

    /// <param name="settled">
    /// Called (outside the lock) each time the service comes to rest: <see cref="ServiceState.Dormant"/> after a run was
    /// stopped (idle, or an exit the restart policy does not restart), or <see cref="ServiceState.Failed"/> after a wake
    /// failed. <c>podwake activate</c> exits on the first, leaving the sockets to systemd.
    /// </param>
    public ServiceActivator(string name, ActivationOptions options, IWorkload workload, TimeProvider time, ILogger logger, Action<ServiceState>? settled = null)
    {
        Name = name;
        _options = options;
        _workload = workload;
        _time = time;
        _logger = logger;
        _settled = settled;
        Datagrams = new DatagramAccounting(options.HoldDatagrams, options.HoldBytes);
        _rejectedLog = new LogRateLimit(options.RejectedLogInterval, time);
        _restart = new RestartRule(options.Restart);
        _failures = new FailureRun(name, options.FailureLogInterval, time, logger);
        _attempt = new WakeAttempt(workload, options, _restart, time);
        _idle = new IdleTimer(options.Idle, time, OnIdleTimer);
    }

    public string Name { get; }

    /// <summary>UDP flows and the datagrams buffered for this service; a flow also holds a lease while it lives.</summary>
    public DatagramAccounting Datagrams { get; }

    public ServiceState State
    {
        get
        {
            lock (_lock)
            {
                return _state;
            }
        }
    }

    /// <summary>
    /// Counts a new connection as open and returns a lease on a ready run, waking the service
    /// when needed. Returns null when the wake failed or timed out, or more than
    /// <see cref="ActivationOptions.Hold"/> connections are already waiting: the caller then closes
    /// its connection cleanly.
    /// </summary>
    public async ValueTask<BackendLease?> AcquireAsync(CancellationToken cancellationToken)
    {
        Task<Run?> wake;
        lock (_lock)
        {
            if (_disposed)
            {
                return null;
            }

            _open++;
            if (_state == ServiceState.Ready && _run is { } ready)
            {
                _idle.Disarm();
                return new BackendLease(this, ready.Workload.Backend, ready.Lost.Token);
            }

            if (_held >= _options.Hold)
            {
                _open--;
                _counters.Rejected();

                // A flood past hold: would be one line per connection (thousands a second); one per interval with a count.
                if (_rejectedLog.TryLog(out var suppressed))
                {
                    ActivationLog.Rejected(_logger, Name, _held, suppressed, _options.RejectedLogInterval.TotalSeconds);
                }

                ArmIdleIfQuietLocked();
                return null;
            }

            if (_state == ServiceState.Failed && _failures.IsBackingOff)
            {
                // Backing off after failed wakes: a clean close now, no wake (each connection waking again at once
                // made a tight loop of failures). The first connection after the backoff tries again.
                _open--;
                ArmIdleIfQuietLocked();
                return null;
            }

            _held++;
            wake = _wake ??= BeginWakeLocked(TimeSpan.Zero);
        }

        Run? run = null;
        try
        {
            run = await wake.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            lock (_lock)
            {
                _held--;
            }
        }

        if (run is null)
        {
            Release();
            return null;
        }

        return new BackendLease(this, run.Workload.Backend, run.Lost.Token);
    }

    public ServiceStatus GetStatus()
    {
        lock (_lock)
        {
            return _counters.ToStatus(Name, _state, _open, _held, _idle.RemainingSeconds, Datagrams);
        }
    }

    public void Release()
    {
        lock (_lock)
        {
            _open--;
            Debug.Assert(_open >= 0, "more releases than acquires");
            ArmIdleIfQuietLocked();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task<Run?>? wake;
        Run? run;
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
            _state = ServiceState.Stopping;
        }

        _shutdown.Cancel();
        run?.Lost.Cancel();
        if (wake is not null)
        {
            await wake.ConfigureAwait(false);
        }

        await _stopping.ConfigureAwait(false);
        if (run is not null)
        {
            await StopQuietlyAsync(run.Workload).ConfigureAwait(false);
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
        Run run;
        lock (_lock)
        {
            if (_disposed || _state != ServiceState.Ready || _open != 0 || _run is null || !_idle.IsDue())
            {
                return;
            }

            ActivationLog.Idle(_logger, Name, _idle.Idle ?? TimeSpan.Zero);
            run = _run;
            _run = null;
            _state = ServiceState.Stopping;
            _stopping = StopRunAsync(run.Workload);
        }

        // Outside the lock: cancelling runs the proxy's callbacks, which close connections and release leases.
        run.Lost.Cancel();
    }

    private async Task StopRunAsync(WorkloadRun run)
    {
        await Task.Yield();
        await StopQuietlyAsync(run).ConfigureAwait(false);
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

    private async Task StopQuietlyAsync(WorkloadRun? run)
    {
        try
        {
            await _workload.StopAsync(run, CancellationToken.None).ConfigureAwait(false);
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

    private void ArmIdleIfQuietLocked()
    {
        if (_open == 0 && _state == ServiceState.Ready && !_disposed)
        {
            _idle.Arm();
        }
    }

    /// <summary>A ready run: its workload run, the token its leases watch, and when it got ready (a timestamp).</summary>
    private sealed record Run(WorkloadRun Workload, CancellationTokenSource Lost, long ReadyAt);
}
