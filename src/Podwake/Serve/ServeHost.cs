using Microsoft.Extensions.Logging;
using Podwake.Control;
using Podwake.Deploy;
using Podwake.Host;
using Podwake.Podman;
using Podwake.Sidecars;
using Podwake.Specs;
using Podwake.Updates;

namespace Podwake.Serve;

/// <summary>
/// <c>podwake serve</c>: one process that holds every listener, wakes containers through podman's
/// REST API and stops them when idle. Start-up is all or nothing: every listener is bound and every
/// container created before the first connection is accepted, and a failure undoes what was done.
/// </summary>
internal sealed class ServeHost : IAsyncDisposable
{
    /// <summary>How long shutdown waits for podman's API to answer again before it falls back to the CLI.</summary>
    private static readonly TimeSpan ApiRecoveryTimeout = TimeSpan.FromSeconds(15);

    private readonly IReadOnlyList<ServiceSpec> _specs;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly List<ServiceRuntime> _services = [];
    private readonly List<ServeSidecar> _sidecars = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly DateTimeOffset _startedAt;
    private PodmanService? _podman;
    private ControlServer? _control;
    private readonly Func<IRegistryDigests> _registry;
    private Task? _events;
    private Task? _periodicUpdates;
    private ServeUpdater? _updater;
    private ServiceNameLock? _names;
    private ServeListeners? _listeners;

    /// <param name="registry">Makes the registry client of one update run (credentials are read again each time).</param>
    public ServeHost(IReadOnlyList<ServiceSpec> specs, ILoggerFactory loggers, TimeProvider time, Func<IRegistryDigests> registry)
    {
        _specs = specs;
        _registry = registry;
        _loggers = loggers;
        _logger = loggers.CreateLogger("podwake.serve");
        _time = time;
        _startedAt = time.GetUtcNow();
    }

    public IReadOnlyList<ServiceRuntime> Services => _services;

    /// <summary>How often the services with <c>update:</c> set are updated by themselves; null: only by <c>podwake update</c>.</summary>
    public TimeSpan? UpdateInterval { get; init; }

    /// <summary>Binds, connects to podman, builds or pulls missing images, creates containers; throws on the first failure.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var paths = RuntimePaths.FromEnvironment();

        // Names before anything else: a name another serve or a deployment owns is refused (exit 2) before a port is
        // bound or a container touched; podwake-NAME is theirs. Held until DisposeAsync has removed our containers.
        _names = ServiceNameLock.Acquire(paths, _specs.Select(s => s.Name), ServiceNameLock.ServeOwner);
        foreach (var spec in _specs)
        {
            if (DeployedName.Refusal(spec.Name) is { } refusal)
            {
                throw new EnvironmentException(refusal);
            }
        }

        // Listeners first: a port conflict is found before anything is created.
        _listeners = await ServeListeners.BindAsync(_specs, cancellationToken).ConfigureAwait(false);
        var bound = _listeners.Bound;

        try
        {
            _podman = await PodmanService.ConnectAsync(
                message => ServeLog.Podman(_logger, message), message => ServeLog.PodmanService(_logger, message), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (PodmanUnavailableException ex)
        {
            _listeners.Close();
            throw new EnvironmentException(ex.Message, ex);
        }

        var rootless = !Environment.IsPrivilegedProcess;
        foreach (var spec in _specs.Where(s => s.Sidecar is null))
        {
            var sockets = bound.Where(b => ReferenceEquals(b.Spec, spec)).Select(b => (b.Port, b.Socket)).ToList();
            _services.Add(ServiceRuntime.Compose(spec, sockets, _podman.Client, rootless, paths, _time, _loggers));
        }

        // Events before the first start, so no exit can be missed.
        _events = Task.Run(() => WatchEventsAsync(_stopping.Token), CancellationToken.None);
        using var registry = _registry();
        foreach (var service in _services)
        {
            // A pod: podman kube play pulls what its file names and is missing.
            if (service.Spec.Kube is null)
            {
                // Progress goes where serve's log goes (stderr): drawn in place on a terminal, a line per step otherwise.
                await ServeImage.PrepareAsync(service.Spec, _podman.Client, _logger, registry.CredentialsFor, _time, Console.IsErrorRedirected ? null : Console.Error, cancellationToken)
                    .ConfigureAwait(false);
                service.ImageDigest = ImageCheck.DigestOf(await _podman.Client.InspectImageAsync(service.Spec.Image!, cancellationToken).ConfigureAwait(false), service.Spec.Image!);

                await PodmanSecrets.PrepareAsync(service.Spec, PodmanBinary.RunAsync, cancellationToken).ConfigureAwait(false);

                // An update's new container left by a serve that was killed mid-update.
                await _podman.Client.RemoveContainerAsync($"{service.Spec.ContainerName}-next", force: true, cancellationToken).ConfigureAwait(false);
            }

            await service.Workload.CreateAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var spec in _specs.Where(s => s.Sidecar is not null))
        {
            // A call never pulls, as a wake never does: the image is made local now.
            await ServeImage.PrepareAsync(spec, _podman.Client, _logger, registry.CredentialsFor, _time, Console.IsErrorRedirected ? null : Console.Error, cancellationToken)
                .ConfigureAwait(false);
            var sidecar = ServeSidecar.Install(spec, _podman.Client, _loggers.CreateLogger("podwake.sidecar"), _time);
            sidecar.ImageDigest = ImageCheck.DigestOf(await _podman.Client.InspectImageAsync(spec.Image!, cancellationToken).ConfigureAwait(false), spec.Image!);
            _sidecars.Add(sidecar);
        }

        _updater = new ServeUpdater(_services, _podman.Client, _registry, rootless, _time, _loggers);
        _control = ControlServer.Start(paths, Snapshot, _updater.UpdateAsync);
        if (UpdateInterval is { } interval)
        {
            _periodicUpdates = Task.Run(() => _updater.RunPeriodicallyAsync(interval, _stopping.Token), CancellationToken.None);
        }

        foreach (var service in _services)
        {
            service.Service.StartListening();
            ServeLog.Serving(_logger, service.Spec.Name, string.Join(", ", service.ListenAddresses), $"{(service.Spec.Kube is null ? "container" : "pod")} {service.Workload.DisplayName}");
        }

        foreach (var sidecar in _sidecars)
        {
            sidecar.Start();
            ServeLog.ServingSidecar(_logger, sidecar.Spec.Name, sidecar.Spec.Sidecar!.Wrapper, sidecar.Paths.Directory);
        }
    }

    private async Task WatchEventsAsync(CancellationToken cancellationToken)
    {
        // podman's event stream can end under load: the next subscription replays from the last event seen (that one
        // again too; a workload takes a repeated "died" for what it is), so a container that died in between is noticed.
        // The first subscription starts at the log's end: for a since, podman reads its event log from the start.
        DateTimeOffset? since = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            var subscribedAt = _time.GetUtcNow();
            try
            {
                await foreach (var podmanEvent in _podman!.Client.StreamEventsAsync(since, cancellationToken).ConfigureAwait(false))
                {
                    if (podmanEvent.TimeNano > 0)
                    {
                        // podman's file logger re-reads its whole log when the file is rotated: every earlier "died"
                        // of our container came again at once, each an inspect, 26 to 137 connections to podman in a
                        // burst (bench/soak). Anything older than the last event seen was handled already.
                        if (since is { } last && podmanEvent.Timestamp < last)
                        {
                            continue;
                        }

                        since = podmanEvent.Timestamp;
                    }

                    foreach (var service in _services)
                    {
                        service.OnEvent(podmanEvent);
                    }

                    foreach (var sidecar in _sidecars)
                    {
                        sidecar.OnEvent(podmanEvent);
                    }
                }
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                ServeLog.EventsFailed(_logger, ex.Message);
            }

            since ??= subscribedAt;

            await Task.Delay(TimeSpan.FromMilliseconds(500), _time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public StatusDocument Snapshot() => new()
    {
        Pid = Environment.ProcessId,
        StartedAt = _startedAt,
        Services = [.. _services.Select(s => s.Status()), .. _sidecars.Select(s => s.Status())],
    };

    /// <summary>Stops accepting, closes connections, stops and removes every container, stops podman's service if ours.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        _stopping.Cancel();
        await Task.WhenAll(_services.Select(s => s.Service.CloseListenersAsync())).ConfigureAwait(false);
        _listeners?.RemoveFiles();
        if (_podman is not null && _services.Count + _sidecars.Count > 0)
        {
            // Stopping and removing need the API: our own service may be restarting (after kill -9, or systemd's stop
            // signalled it with us); wait for it rather than fail every call.
            await _podman.EnsureAnsweringAsync(ApiRecoveryTimeout, CancellationToken.None).ConfigureAwait(false);
        }

        await Task.WhenAll(_services.Select(ShutDownServiceAsync).Concat(_sidecars.Select(ShutDownSidecarAsync))).ConfigureAwait(false);
        foreach (var service in _services.Where(s => s.Spec.Secrets.Count > 0))
        {
            // Made from the service's secret files at start: nothing of it outlives serve.
            await PodmanSecrets.RemoveOwnAsync(service.Spec, PodmanBinary.RunAsync, CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (_control is not null)
        {
            await _control.DisposeAsync().ConfigureAwait(false);
        }

        if (_events is not null)
        {
            await _events.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (_periodicUpdates is not null)
        {
            await _periodicUpdates.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (_podman is not null)
        {
            await _podman.DisposeAsync().ConfigureAwait(false);
        }

        _names?.Dispose();
        _stopping.Dispose();
    }

    private async Task ShutDownServiceAsync(ServiceRuntime service)
    {
        await service.Service.DisposeAsync().ConfigureAwait(false);
        if (service.Candidate is { } candidate)
        {
            // Shut down mid-update: the new container goes too.
            await candidate.RemoveAsync(CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        try
        {
            await service.Workload.RemoveAsync(CancellationToken.None).ConfigureAwait(false);
            return;
        }
        catch (PodmanUnavailableException ex) when (_podman is not null)
        {
            // systemd's stop (KillMode=control-group) sends SIGTERM to podman's API service together with us.
            ServeLog.RemoveRetrying(_logger, service.Workload.DisplayName, ex.Message);
        }
        catch (Exception ex)
        {
            ServeLog.RemoveFailed(_logger, service.Workload.DisplayName, ex.Message);
            return;
        }

        if (await _podman!.EnsureAnsweringAsync(ApiRecoveryTimeout, CancellationToken.None).ConfigureAwait(false))
        {
            try
            {
                await service.Workload.RemoveAsync(CancellationToken.None).ConfigureAwait(false);
                return;
            }
            catch (PodmanUnavailableException ex)
            {
                ServeLog.RemoveRetrying(_logger, service.Workload.DisplayName, ex.Message);
            }
            catch (Exception ex)
            {
                ServeLog.RemoveFailed(_logger, service.Workload.DisplayName, ex.Message);
                return;
            }
        }

        await RemoveWithCliAsync(service).ConfigureAwait(false);
    }

    private async Task ShutDownSidecarAsync(ServeSidecar sidecar)
    {
        try
        {
            await sidecar.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is PodmanException or PodmanUnavailableException or IOException)
        {
            ServeLog.RemoveFailed(_logger, SidecarNames.ContainerPrefix(sidecar.Spec.Name) + "*", ex.Message);
        }
    }

    /// <summary>The last resort when the API stays away: the podman command, which needs no service.</summary>
    private async Task RemoveWithCliAsync(ServiceRuntime service)
    {
        try
        {
            await service.Workload.RemoveWithCliAsync(PodmanBinary.OnPath() ?? PodmanBinary.Name).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ExternalCommandException or EnvironmentException)
        {
            ServeLog.RemoveFailed(_logger, service.Workload.DisplayName, ex.Message);
        }
    }
}
