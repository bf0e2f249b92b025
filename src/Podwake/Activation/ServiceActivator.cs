using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Podwake.Specs;

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
internal sealed class ServiceActivator : IAsyncDisposable
{
    private readonly string _name;
    private readonly ActivationOptions _options;
    private readonly IWorkload _workload;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly ITimer _idleTimer;
    private readonly CancellationTokenSource _shutdown = new();

    private ServiceState _state = ServiceState.Dormant;
    private Task<Run?>? _wake;
    private CancellationTokenSource? _wakeAbort;
    private long _wakeGeneration;
    private string? _wakeAbortReason;
    private Task _stopping = Task.CompletedTask;
    private Run? _run;
    private long _generation;
    private int _open;
    private int _held;
    private long _rejected;
    private long _wakes;
    private long _failedWakes;
    private long _restarts;
    private int _restartFailuresInARow;
    private double? _lastWakeMilliseconds;
    private DateTimeOffset? _lastWakeAt;
    private DateTimeOffset? _idleDueAt;
    private string? _lastError;
    private bool _disposed;

    public ServiceActivator(string name, ActivationOptions options, IWorkload workload, TimeProvider time, ILogger logger)
    {
        _name = name;
        _options = options;
        _workload = workload;
        _time = time;
        _logger = logger;
        Datagrams = new DatagramAccounting(options.HoldDatagrams, options.HoldBytes);
        _idleTimer = time.CreateTimer(static s => ((ServiceActivator)s!).OnIdleTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public string Name => _name;

    /// <summary>
    /// Called (outside the lock) each time the service comes to rest: <see cref="ServiceState.Dormant"/> after a run was
    /// stopped (idle, or an exit the restart policy does not restart), or <see cref="ServiceState.Failed"/> after a wake
    /// failed. <c>podwake activate</c> exits on the first, leaving the sockets to systemd.
    /// </summary>
    public Action<ServiceState>? Settled { get; set; }

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
    public async ValueTask<ActivationLease?> AcquireAsync(CancellationToken cancellationToken)
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
                DisarmIdleLocked();
                return new ActivationLease(this, ready.Instance, ready.Lost.Token);
            }

            if (_held >= _options.Hold)
            {
                _open--;
                _rejected++;
                ActivationLog.Rejected(_logger, _name, _held);
                ArmIdleIfQuietLocked();
                return null;
            }

            _held++;
            wake = _wake ??= BeginWakeLocked();
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

        return new ActivationLease(this, run.Instance, run.Lost.Token);
    }

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
                // Died before it became ready: fail this wake now instead of probing until the timeout.
                _wakeAbortReason = $"the container exited with status {FormatExit(exitCode)} before it was ready";
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
            var restart = _options.Restart == RestartPolicy.Always
                || (_options.Restart == RestartPolicy.OnFailure && exitCode != 0);
            if (restart && _restartFailuresInARow < _options.MaxRestartFailures)
            {
                _restarts++;
                ActivationLog.Exited(_logger, _name, FormatExit(exitCode), _options.Restart, "restarting");
                _wake = BeginWakeLocked(isRestart: true);
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

    public ServiceStatus GetStatus()
    {
        lock (_lock)
        {
            return new ServiceStatus
            {
                Name = _name,
                State = _state,
                OpenConnections = _open,
                HeldConnections = _held,
                RejectedConnections = _rejected,
                Wakes = _wakes,
                FailedWakes = _failedWakes,
                Restarts = _restarts,
                LastWakeMilliseconds = _lastWakeMilliseconds,
                LastWakeAt = _lastWakeAt,
                IdleRemainingSeconds = _idleDueAt is { } due ? Math.Max(0, (due - _time.GetUtcNow()).TotalSeconds) : null,
                LastError = _lastError,
                LiveFlows = Datagrams.LiveFlows,
                HeldDatagrams = Datagrams.HeldDatagrams,
                DroppedDatagrams = Datagrams.Dropped,
                EvictedFlows = Datagrams.EvictedFlows,
            };
        }
    }

    internal void Release()
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
            DisarmIdleLocked();
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
            await StopQuietlyAsync(run.Instance).ConfigureAwait(false);
        }

        lock (_lock)
        {
            _state = ServiceState.Dormant;
        }

        await _idleTimer.DisposeAsync().ConfigureAwait(false);
        _shutdown.Dispose();
    }

    private Task<Run?> BeginWakeLocked(bool isRestart = false)
    {
        _state = ServiceState.Waking;
        var generation = ++_generation;
        _wakeGeneration = generation;
        _wakeAbortReason = null;
        _wakeAbort = CancellationTokenSource.CreateLinkedTokenSource(_shutdown.Token);
        var previousStop = _stopping;
        return Task.Run(() => WakeAsync(generation, previousStop, _wakeAbort, isRestart));
    }

    private async Task<Run?> WakeAsync(long generation, Task previousStop, CancellationTokenSource abort, bool isRestart)
    {
        var started = _time.GetTimestamp();
        WorkloadInstance? instance = null;
        using var timeout = new CancellationTokenSource(_options.ReadyTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, abort.Token);
        try
        {
            await previousStop.ConfigureAwait(false);
            ActivationLog.Waking(_logger, _name, generation);
            instance = await _workload.StartAsync(generation, linked.Token).ConfigureAwait(false);
            await WaitUntilReadyAsync(instance, linked.Token).ConfigureAwait(false);

            var elapsed = _time.GetElapsedTime(started).TotalMilliseconds;
            var run = new Run(instance, new CancellationTokenSource());
            lock (_lock)
            {
                if (!_disposed)
                {
                    _run = run;
                    _state = ServiceState.Ready;
                    _wake = null;
                    _wakes++;
                    _restartFailuresInARow = 0;
                    _lastWakeMilliseconds = elapsed;
                    _lastWakeAt = _time.GetUtcNow();
                    _lastError = null;
                    ArmIdleIfQuietLocked();
                    ActivationLog.Ready(_logger, _name, elapsed);
                    return run;
                }
            }

            await StopQuietlyAsync(instance).ConfigureAwait(false);
            return null;
        }
        catch (Exception ex)
        {
            string reason;
            lock (_lock)
            {
                reason = _shutdown.IsCancellationRequested ? "podwake is shutting down"
                    : _wakeAbortReason is { } why ? why
                    : timeout.IsCancellationRequested ? $"not ready within {_options.ReadyTimeout.TotalSeconds:0.###}s (ready.timeout); check the `ready:` probe and the container's logs"
                    : ex.Message;
                _failedWakes++;
                if (isRestart)
                {
                    _restartFailuresInARow++;
                }

                _lastError = reason;
            }

            ActivationLog.WakeFailed(_logger, _name, reason);
            lock (_lock)
            {
                if (!_disposed)
                {
                    _state = ServiceState.Failed;
                }

                if (ReferenceEquals(_wakeAbort, abort))
                {
                    _wake = null;
                    _wakeAbort = null;
                }

                // Waiting clients are closed now; the container is stopped behind them, and the
                // next wake waits for that stop first.
                _stopping = StopQuietlyAsync(instance);
            }

            if (!_shutdown.IsCancellationRequested)
            {
                Settled?.Invoke(ServiceState.Failed);
            }

            return null;
        }
        finally
        {
            abort.Dispose();
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

    private void OnIdleTimer()
    {
        lock (_lock)
        {
            if (_disposed || _state != ServiceState.Ready || _open != 0 || _run is null || _idleDueAt is null)
            {
                return;
            }

            // A timer can fire a little early or after a re-arm raced it; re-check the deadline.
            var remaining = _idleDueAt.Value - _time.GetUtcNow();
            if (remaining > TimeSpan.Zero)
            {
                _idleTimer.Change(remaining, Timeout.InfiniteTimeSpan);
                return;
            }

            ActivationLog.Idle(_logger, _name, _options.Idle ?? TimeSpan.Zero);
            var run = _run;
            _run = null;
            _idleDueAt = null;
            _state = ServiceState.Stopping;
            _stopping = StopRunAsync(run.Instance);
            run.Lost.Cancel();
        }
    }

    private async Task StopRunAsync(WorkloadInstance instance)
    {
        await Task.Yield();
        await StopQuietlyAsync(instance).ConfigureAwait(false);
        bool dormant;
        lock (_lock)
        {
            dormant = _state == ServiceState.Stopping && !_disposed;
            if (dormant)
            {
                _state = ServiceState.Dormant;
                ActivationLog.Dormant(_logger, _name);
            }
        }

        if (dormant)
        {
            Settled?.Invoke(ServiceState.Dormant);
        }
    }

    private async Task StopQuietlyAsync(WorkloadInstance? instance)
    {
        try
        {
            await _workload.StopAsync(instance, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            ActivationLog.StopFailed(_logger, _name, ex);
        }
    }

    private void ArmIdleIfQuietLocked()
    {
        if (_open == 0 && _state == ServiceState.Ready && _options.Idle is { } idle && !_disposed)
        {
            _idleDueAt = _time.GetUtcNow() + idle;
            _idleTimer.Change(idle, Timeout.InfiniteTimeSpan);
        }
    }

    private void DisarmIdleLocked()
    {
        if (_idleDueAt is not null)
        {
            _idleDueAt = null;
            _idleTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    private static string FormatExit(int? exitCode) => exitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown";

    private sealed record Run(WorkloadInstance Instance, CancellationTokenSource Lost);
}
