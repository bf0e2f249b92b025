using System.Diagnostics;
using Microsoft.Extensions.Logging;

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
internal sealed partial class ServiceActivator : IAsyncDisposable
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
    private readonly LogRateLimit _rejectedLog;
    private readonly LogRateLimit _failureLog;
    private Task<Run?>? _wake;
    private CancellationTokenSource? _wakeAbort;
    private long _wakeGeneration;
    private ExitReport? _wakeExit;
    private Task _stopping = Task.CompletedTask;
    private Run? _run;
    private long _generation;
    private int _open;
    private int _held;
    private long _rejected;
    private long _wakes;
    private long _failedWakes;
    private long _restarts;
    private int _failuresInARow;
    private long _failuresStartedAt;
    private int _crashesInARow;
    private DateTimeOffset? _retryAt;
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
        _rejectedLog = new LogRateLimit(options.RejectedLogInterval, time);
        _failureLog = new LogRateLimit(options.FailureLogInterval, time);
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

                // A flood past hold: would be one line per connection (thousands a second); one per interval with a count.
                if (_rejectedLog.TryLog(out var suppressed))
                {
                    ActivationLog.Rejected(_logger, _name, _held, suppressed, _options.RejectedLogInterval.TotalSeconds);
                }

                ArmIdleIfQuietLocked();
                return null;
            }

            if (_state == ServiceState.Failed && _retryAt is { } retryAt && _time.GetUtcNow() < retryAt)
            {
                // Backing off after failed wakes: a clean close now, no wake (each connection waking again at once
                // made a tight loop of failures). The first connection after retryAt tries again.
                _open--;
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
        catch (Exception ex) when (IsExpected(ex))
        {
            // podman or systemctl said no (gone, unreachable): one line, no stack trace.
            ActivationLog.StopFailed(_logger, _name, ex.Message);
        }
        catch (Exception ex)
        {
            ActivationLog.StopFailedUnexpectedly(_logger, _name, ex);
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

    /// <summary>Failures of the host (podman, systemctl, the network) rather than of podwake: logged without a stack trace.</summary>
    private static bool IsExpected(Exception ex) => ex is Podman.PodmanException or Podman.PodmanUnavailableException or Host.ExternalCommandException
        or EnvironmentException or IOException or HttpRequestException or InvalidOperationException or TimeoutException
        or OperationCanceledException or System.Net.Sockets.SocketException;

    private static string FormatExit(int? exitCode) => exitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown";

    private static string FormatDelay(TimeSpan delay) => delay < TimeSpan.FromSeconds(1)
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{delay.TotalMilliseconds:0} ms")
        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{delay.TotalSeconds:0.#} s");

    /// <param name="ReadyAt">Timestamp (<see cref="TimeProvider.GetTimestamp"/>) when the run got ready.</param>
    private sealed record Run(WorkloadInstance Instance, CancellationTokenSource Lost, long ReadyAt);

    /// <summary>The exit of the run being woken, reported before it got ready.</summary>
    private sealed record ExitReport(int? ExitCode);
}
