using System.Text.Json;
using Microsoft.Extensions.Logging;
using Podwake.Activation;
using Podwake.Control;
using Podwake.Deploy;
using Podwake.Host;
using Podwake.Specs;
using Podwake.Systemd;
using Podwake.Updates;

namespace Podwake.Activate;

/// <summary>
/// <c>podwake activate NAME</c>: the systemd runtime of one deployed service. Started by its socket unit on the first
/// connection, it adopts the listening sockets (LISTEN_FDS), wakes the container unit, gates on readiness, proxies,
/// and exits once the service is idle and stopped, so that nothing of the service runs while it is dormant: the
/// socket unit holds the ports again and starts the next activator for the next connection.
/// </summary>
/// <remarks>
/// Exit is careful not to lose a connection: accepting stops first (new connections wait in the kernel's queue for the
/// next activator); one accepted just before that is served to its end, and the exit waits until the service comes
/// to rest again with nothing open.
/// </remarks>
internal sealed class ActivateHost : IAsyncDisposable
{
    private readonly ServiceSpec _spec;
    private readonly Systemctl _systemctl;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SystemdNotifier _notifier;
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly DateTimeOffset _startedAt;
    private ActivatedService? _service;
    private IDisposable? _workload;
    private ControlServer? _control;
    private ControlServer? _updateControl;
    private ActivatorUpdate? _update;
    private int _exiting;
    private string? _imageDigest;
    private RuntimePaths? _paths;

    public ActivateHost(ServiceSpec spec, Systemctl systemctl, SystemdNotifier notifier, ILoggerFactory loggers, TimeProvider time)
    {
        _spec = spec;
        _systemctl = systemctl;
        _notifier = notifier;
        _loggers = loggers;
        _logger = loggers.CreateLogger($"podwake.{spec.Name}");
        _time = time;
        _startedAt = time.GetUtcNow();
    }

    /// <summary>Completes when the service is idle and stopped and the activator may exit.</summary>
    public Task Finished => _finished.Task;

    /// <summary>Adopts and matches the sockets, then starts accepting and tells systemd it is ready.</summary>
    public void Start(IReadOnlyList<ListenFd> passed)
    {
        var matched = PassedSockets.Match(_spec, passed);
        var rootless = !Environment.IsPrivilegedProcess;
        IWorkload workload = _spec.Kube is null
            ? new UnitWorkload(_spec, _systemctl, rootless, _time, logger: _logger)
            : new PodUnitWorkload(_spec, _systemctl, rootless, _time, _logger);
        _workload = (IDisposable)workload;
        _service = ActivatedService.Compose(_spec, workload, matched, _time, _loggers, OnSettled);
        RestoreLastState();
        MarkStartedByConnection();
        _update = new ActivatorUpdate(_spec, _service.Activator, _systemctl, rootless: !Environment.IsPrivilegedProcess, _time, _logger);
        try
        {
            var paths = _paths = RuntimePaths.FromEnvironment();
            _control = ControlServer.Start(paths, Snapshot);
            _updateControl = ControlServer.Start(RunningHandover.ControlPaths(paths, _spec.Name), Snapshot, _update.HandleAsync);
        }
        catch (EnvironmentException ex)
        {
            // status is a convenience; the service works without it.
            _logger.LogWarning("{Message}", ex.Message);
        }

        if (_spec.Image is not null)
        {
            _ = ReadImageDigestAsync();
        }

        _service.StartListening();
        ActivateLog.Adopted(_logger, _spec.Name, matched.Count, string.Join(", ", _service.ListenAddresses));
        _notifier.Notify(NotifyState.Ready, NotifyState.Status($"waking {_spec.ContainerName}"));
    }

    private void OnSettled(ServiceState state)
    {
        // Kept at each rest too, not only at exit: a killed activator loses no more than the current wake's counts.
        SaveLastState();
        if (state == ServiceState.Dormant && Interlocked.Exchange(ref _exiting, 1) == 0)
        {
            _ = StopAcceptingThenFinishAsync();
            return;
        }

        if (Volatile.Read(ref _exiting) == 1)
        {
            FinishIfAtRest();
        }
    }

    private async Task StopAcceptingThenFinishAsync()
    {
        _notifier.Notify(NotifyState.Stopping, NotifyState.Status("idle: exiting; the socket unit holds the ports"));
        await _service!.StopAcceptingAsync().ConfigureAwait(false);
        FinishIfAtRest();
    }

    private void FinishIfAtRest()
    {
        var status = _service!.Activator.GetStatus();
        if (status.OpenConnections == 0 && status.State is ServiceState.Dormant or ServiceState.Failed)
        {
            ActivateLog.Exiting(_logger, _spec.Name);
            _finished.TrySetResult();
        }
    }

    /// <summary>
    /// systemd started this process for a connection that waits in the socket's queue: the wake it causes counts from
    /// this process's start (the kernel's, to 10 ms), so the activator's own start is part of the wake's first phase. A
    /// process older than a few seconds was not started by a connection (systemctl start, an update): nothing marked.
    /// </summary>
    private void MarkStartedByConnection()
    {
        try
        {
            using var self = System.Diagnostics.Process.GetCurrentProcess();
            var age = DateTime.Now - self.StartTime;
            if (age >= TimeSpan.Zero && age < TimeSpan.FromSeconds(5))
            {
                _service!.Activator.StartedByConnectionAt(_time.GetTimestamp() - (long)(age.TotalSeconds * _time.TimestampFrequency));
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            // Without it the first phase starts at this process's accept.
        }
    }

    /// <summary>
    /// Carries on from the counters and wake histograms the previous activator of this service left: it exits when the
    /// service is idle, and <c>podwake_wakes_total</c> must not start again at each wake. Nothing there: from zero.
    /// </summary>
    private void RestoreLastState()
    {
        try
        {
            var file = RuntimePaths.FromEnvironment().LastStateFile(_spec.Name);
            if (File.Exists(file) && !new FileInfo(file).Attributes.HasFlag(FileAttributes.ReparsePoint)
                && JsonSerializer.Deserialize(File.ReadAllText(file), ControlJsonContext.Default.ServiceStatus) is { } last)
            {
                _service!.Activator.Restore(last);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or EnvironmentException)
        {
            _logger.LogWarning("Failed to read the last state of {Service}, its counters start from zero: {Message}", _spec.Name, ex.Message);
        }
    }

    /// <summary>
    /// Leaves the service's last state (last wake time, counters) for <c>podwake status</c>, which has no process to
    /// ask while the service is dormant. Best effort: status then shows no last wake.
    /// </summary>
    private void SaveLastState()
    {
        if (_service is null)
        {
            return;
        }

        try
        {
            var paths = RuntimePaths.FromEnvironment();
            paths.EnsureExists();
            var file = paths.LastStateFile(_spec.Name);
            var temporary = file + ".tmp";
            File.WriteAllText(temporary, JsonSerializer.Serialize(Status(), ControlJsonContext.Default.ServiceStatus));
            File.Move(temporary, file, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or EnvironmentException)
        {
            _logger.LogWarning("Failed to save the last state for podwake status: {Message}", ex.Message);
        }
    }

    /// <summary>
    /// The digest of the image the container runs, for <c>podwake status</c>: read once, a second after the start, so
    /// the podman call never competes with the first wake.
    /// </summary>
    private async Task ReadImageDigestAsync()
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(1), _time).ConfigureAwait(false);
            _imageDigest = await DeployedContainer.RunningDigestAsync(new TargetPodman(null), _spec, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidOperationException or EnvironmentException or IOException)
        {
            _logger.LogDebug("Failed to read the image digest for podwake status: {Message}", ex.Message);
        }
    }

    private ServiceStatus Status() => _service!.Status() with
    {
        Image = _spec.Image,
        Pod = _spec.Kube is null ? null : _spec.ContainerName,
        ImageDigest = _update?.Last is { Outcome: UpdateOutcome.Updated, To: { } updated } ? updated : _imageDigest,
        LastUpdate = _update?.Last ?? (_paths is null ? null : LastUpdateRecord.Read(_paths, _spec.Name)),
    };

    public StatusDocument Snapshot() => new()
    {
        Pid = Environment.ProcessId,
        Runtime = StatusDocument.RuntimeSystemd,
        StartedAt = _startedAt,
        Services = _service is null ? [] : [Status()],
    };

    /// <summary>Closes connections and our copies of the sockets, stops the container unit if it runs.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_finished.Task.IsCompleted)
        {
            ActivateLog.Stopping(_logger, _spec.Name);
            _notifier.Notify(NotifyState.Stopping);
        }

        if (_service is not null)
        {
            await _service.DisposeAsync().ConfigureAwait(false);
        }

        _workload?.Dispose();

        // Saved while the control socket still answers: a scrape in between sees the live counts, then these, never an
        // older file's (counters that went back would read as a reset).
        SaveLastState();
        if (_control is not null)
        {
            await _control.DisposeAsync().ConfigureAwait(false);
        }

        if (_updateControl is not null)
        {
            await _updateControl.DisposeAsync().ConfigureAwait(false);
        }
    }
}
