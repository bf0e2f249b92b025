using System.Text.Json;
using Microsoft.Extensions.Logging;
using Podwake.Activation;
using Podwake.Control;
using Podwake.Proxy;
using Podwake.Specs;

namespace Podwake.Systemd;

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
    private readonly List<TcpProxyListener> _listeners = [];
    private readonly List<UdpProxyListener> _udpListeners = [];
    private readonly DateTimeOffset _startedAt;
    private ServiceActivator? _activator;
    private UnitWorkload? _workload;
    private ControlServer? _control;
    private IReadOnlyList<string> _listen = [];
    private int _exiting;

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
        _workload = new UnitWorkload(_spec, _systemctl, rootless: !Environment.IsPrivilegedProcess, logger: _logger);
        _activator = new ServiceActivator(_spec.Name, ActivationOptions.From(_spec), _workload, _time, _logger);
        _workload.Exited = _activator.OnExited;
        _activator.Settled = OnSettled;
        foreach (var (port, socket) in matched)
        {
            var proxyLogger = _loggers.CreateLogger($"podwake.{_spec.Name}.proxy");
            if (port.Protocol == Protocol.Udp)
            {
                _udpListeners.Add(new UdpProxyListener(socket, port.ContainerPort, _activator, _spec.Udp, _time, proxyLogger));
            }
            else
            {
                _listeners.Add(new TcpProxyListener(socket, port.ContainerPort, _activator, _spec.Ready.Timeout, _time, proxyLogger));
            }
        }

        _listen = [.. _spec.Ports.Select(p => p.ListenDisplay)];
        try
        {
            _control = ControlServer.Start(RuntimePaths.FromEnvironment(), Snapshot);
        }
        catch (EnvironmentException ex)
        {
            // status is a convenience; the service works without it.
            _logger.LogWarning("{Message}", ex.Message);
        }

        _listeners.ForEach(l => l.Start());
        _udpListeners.ForEach(l => l.Start());
        ActivateLog.Adopted(_logger, _spec.Name, matched.Count, string.Join(", ", _listen));
        _notifier.Notify(NotifyState.Ready, NotifyState.Status($"waking {_spec.ContainerName}"));
    }

    private void OnSettled(ServiceState state)
    {
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
        await Task.WhenAll(_listeners.Select(l => l.StopAcceptingAsync())).ConfigureAwait(false);

        // UDP has no accept to stop: our copies of the datagram sockets close (no flow is live: the service is idle),
        // and datagrams that come now wait in the socket for the next activator.
        await Task.WhenAll(_udpListeners.Select(l => l.DisposeAsync().AsTask())).ConfigureAwait(false);
        FinishIfAtRest();
    }

    private void FinishIfAtRest()
    {
        var status = _activator!.GetStatus();
        if (status.OpenConnections == 0 && status.State is ServiceState.Dormant or ServiceState.Failed)
        {
            ActivateLog.Exiting(_logger, _spec.Name);
            _finished.TrySetResult();
        }
    }

    /// <summary>
    /// Leaves the service's last state (last wake time, counters) for <c>podwake status</c>, which has no process to
    /// ask while the service is dormant. Best effort: status then shows no last wake.
    /// </summary>
    private void SaveLastState()
    {
        if (_activator is null)
        {
            return;
        }

        try
        {
            var paths = RuntimePaths.FromEnvironment();
            paths.EnsureExists();
            var file = paths.LastStateFile(_spec.Name);
            var temporary = file + ".tmp";
            File.WriteAllText(temporary, JsonSerializer.Serialize(_activator.GetStatus() with { Listen = _listen }, ControlJsonContext.Default.ServiceStatus));
            File.Move(temporary, file, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or EnvironmentException)
        {
            _logger.LogWarning("Failed to save the last state for podwake status: {Message}", ex.Message);
        }
    }

    public StatusDocument Snapshot() => new()
    {
        Pid = Environment.ProcessId,
        Runtime = StatusDocument.RuntimeSystemd,
        StartedAt = _startedAt,
        Services = _activator is null ? [] : [_activator.GetStatus() with { Listen = _listen }],
    };

    /// <summary>Closes connections and our copies of the sockets, stops the container unit if it runs.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_finished.Task.IsCompleted)
        {
            ActivateLog.Stopping(_logger, _spec.Name);
            _notifier.Notify(NotifyState.Stopping);
        }

        await Task.WhenAll(_listeners.Select(l => l.DisposeAsync().AsTask()).Concat(_udpListeners.Select(l => l.DisposeAsync().AsTask()))).ConfigureAwait(false);
        if (_activator is not null)
        {
            await _activator.DisposeAsync().ConfigureAwait(false);
        }

        _workload?.Dispose();
        if (_control is not null)
        {
            await _control.DisposeAsync().ConfigureAwait(false);
        }

        SaveLastState();
    }
}
