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
    private IWorkload _workload;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Action<ServiceState>? _settled;
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _shutdown = new();
    private readonly IdleTimer _idle;
    private readonly RestartRule _restart;
    private readonly FailureRun _failures;
    private readonly ActivationCounters _counters = new();
    private readonly ServiceMetrics _metrics = new();
    private WakeAttempt _attempt;
    private readonly LogRateLimit _rejectedLog;

    private ServiceState _state = ServiceState.Dormant;
    private ActiveRun? _run;
    private readonly List<ActiveRun> _draining = [];
    private Task<ActiveRun?>? _wake;
    private Task _stopping = Task.CompletedTask;
    private long _generation;
    private long _wakeAcceptedAt;
    private long? _firstConnectionAt;

    /// <summary><see cref="_wakeAcceptedAt"/> of a wake no connection asked for (an update's proof, until one joins).</summary>
    private const long NoConnectionYet = long.MaxValue;
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
        Task<ActiveRun?> wake;
        lock (_lock)
        {
            if (_disposed)
            {
                return null;
            }

            _open++;
            _metrics.Accepted();
            if (_state == ServiceState.Ready && _run is { } ready)
            {
                _idle.Disarm();
                ready.Leases++;
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
            _metrics.Held();
            if (_wakeAcceptedAt == NoConnectionYet)
            {
                // An update's proof began with no connection: the wake is a client's from this one on.
                _wakeAcceptedAt = _time.GetTimestamp();
            }

            wake = _wake ??= BeginWakeLocked(TimeSpan.Zero);
        }

        ActiveRun? run = null;
        var awaitsFirstByte = false;
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
                if (run is not null)
                {
                    run.Leases++;
                    awaitsFirstByte = run.AwaitingFirstByte is not null;
                }
            }
        }

        if (run is null)
        {
            ReleaseUnserved();
            return null;
        }

        return new BackendLease(this, run.Workload.Backend, run.Lost.Token, awaitsFirstByte);
    }

    public ServiceStatus GetStatus()
    {
        lock (_lock)
        {
            return _counters.ToStatus(Name, _state, _open, _held, _idle.RemainingSeconds, Datagrams) with { Metrics = _metrics.ToData(Datagrams) };
        }
    }

    /// <summary>
    /// Carries on from the state an earlier process of this service left (<c>podwake activate</c> exits when idle and
    /// the next connection starts another): counters and wake histograms go on counting. Before any traffic.
    /// </summary>
    public void Restore(ServiceStatus last)
    {
        lock (_lock)
        {
            _counters.Restore(last);
            _metrics.Restore(last.Metrics);
        }
    }

    /// <summary>
    /// When the connection that started this process arrived (a <see cref="TimeProvider"/> timestamp): systemd starts
    /// <c>podwake activate</c> on a service's first connection, which waits in the socket's queue meanwhile, so the
    /// first wake's first phase starts there, not when this process got to accept it.
    /// </summary>
    public void StartedByConnectionAt(long timestamp)
    {
        lock (_lock)
        {
            _firstConnectionAt = timestamp;
        }
    }

    public void FirstByteSent(BackendLease lease)
    {
        if (!lease.AwaitsFirstByte)
        {
            return; // a connection that came after the wake: not the one whose answer ends it
        }

        var at = _time.GetTimestamp();
        WakeTimeline? wake;
        lock (_lock)
        {
            if (RunOfLocked(lease.Backend) is not { AwaitingFirstByte: { } awaiting } run)
            {
                return;
            }

            wake = awaiting;
            run.AwaitingFirstByte = null;
        }

        _metrics.ObserveFirstByte(wake, at, _time);
    }

    public void Transferred(long toService, long toClient) => _metrics.Transferred(toService, toClient);

    public void Release(BackendLease lease)
    {
        lock (_lock)
        {
            _open--;
            Debug.Assert(_open >= 0, "more releases than acquires");
            if (RunOfLocked(lease.Backend) is { } run)
            {
                run.Leases--;
                if (run.Leases == 0)
                {
                    run.Drained?.TrySetResult();
                }
            }

            ArmIdleIfQuietLocked();
        }
    }

    /// <summary>A connection counted as open that got no lease (the wake failed): it leaves.</summary>
    private void ReleaseUnserved()
    {
        lock (_lock)
        {
            _open--;
            ArmIdleIfQuietLocked();
        }
    }

    /// <summary>The current run, or a draining one, that <paramref name="backend"/> belongs to.</summary>
    private ActiveRun? RunOfLocked(Backend backend) =>
        _run is { } current && ReferenceEquals(current.Workload.Backend, backend) ? current
        : _draining.Find(r => ReferenceEquals(r.Workload.Backend, backend));

    private void ArmIdleIfQuietLocked()
    {
        if (_open == 0 && _state == ServiceState.Ready && !_disposed)
        {
            _idle.Arm();
        }
    }
}
