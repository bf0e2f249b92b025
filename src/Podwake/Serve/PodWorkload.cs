using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Podwake.Activation;
using Podwake.Host;
using Podwake.Pods;
using Podwake.Podman;
using Podwake.Proxy;
using Podwake.Specs;

namespace Podwake.Serve;

/// <summary>
/// A <c>pod:</c> service in <c>podwake serve</c>: its Kubernetes file played once at start with podman's service
/// container (<c>podman kube play --service-container=true</c>), then woken and stopped as a whole through the REST API.
/// </summary>
/// <remarks>
/// <para>Service-container semantics as podman's own <c>podman-kube@.service</c> has them: a wake starts the service
/// container first and the pod after it; idle stops the pod first (podman then stops the service container, which
/// podwake also asks for, last); exit removes the pod and then the service container.</para>
/// <para>podman 4.3 refuses <c>--service-container</c> with <c>--start=false</c>, so the play at start runs the pod once
/// and podwake stops it at once: created, dormant, before the first listener accepts.</para>
/// <para>Reached as a single container is: rootful inside the pod's network namespace (the infra container's), rootless
/// through loopback ports published for it (<see cref="KubePlayFile"/>). A container of the pod that dies ends the
/// run; the next start (<c>podman pod start</c>) starts what is not running, so a restart keeps what still runs.</para>
/// </remarks>
internal sealed partial class PodWorkload : IServeWorkload
{
    private readonly ServiceSpec _spec;
    private readonly KubeWorkload _kube;
    private readonly PodmanClient _podman;
    private readonly bool _rootless;
    private readonly ReadinessProbe _probe;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _playFile;
    private readonly string _podName;
    private IReadOnlyDictionary<int, int> _publishedPorts = new Dictionary<int, int>();
    private string? _serviceContainer;
    private Run? _current;
    private NetworkNamespace? _netns;
    private DateTimeOffset? _startRequestedAt;

    public PodWorkload(ServiceSpec spec, PodmanClient podman, bool rootless, RuntimePaths paths, TimeProvider time, ILogger logger)
    {
        _spec = spec;
        _kube = spec.Kube ?? throw new ArgumentException($"service {spec.Name} has no pod file", nameof(spec));
        _podman = podman;
        _rootless = rootless;
        _time = time;
        _logger = logger;
        _playFile = paths.PodFile(spec.Name);
        _podName = PodNames.Pod(spec.Name);
        var execIn = PodNames.Container(spec.Name, _kube.ReadinessContainer ?? _kube.Containers[0].Name);
        _probe = new ReadinessProbe(spec.Ready, rootless, (command, ct) => _podman.ExecAsync(execIn, command, ct), time);
    }

    public string DisplayName => _podName;

    public async Task CreateAsync(CancellationToken cancellationToken)
    {
        await PlayAsync(cancellationToken).ConfigureAwait(false);

        // Dormant until the first connection.
        await StopPodAsync(cancellationToken).ConfigureAwait(false);
        await WaitStoppedAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Plays the pod file (replacing what an earlier play left): the pod runs when this returns.</summary>
    private async Task PlayAsync(CancellationToken cancellationToken)
    {
        // A leftover of an earlier serve that was killed: its pod, and the service container its file named.
        if (_serviceContainer is null && File.Exists(_playFile))
        {
            _serviceContainer = PodNames.ServiceContainer(await File.ReadAllTextAsync(_playFile, cancellationToken).ConfigureAwait(false));
        }

        await RemoveAsync(cancellationToken).ConfigureAwait(false);
        _publishedPorts = _rootless ? ServeContainer.PublishedPortsFor(_spec) : new Dictionary<int, int>();
        var text = KubePlayFile.Render(_spec, "serve", _rootless ? _publishedPorts : null);
        await File.WriteAllTextAsync(_playFile, text, cancellationToken).ConfigureAwait(false);
        var podman = PodmanBinary.OnPath() ?? PodmanBinary.Name;
        // A claim's volume is kept from one serve to the next (its data); created here the first time.
        await ClaimVolumes.EnsureAsync(text, (arguments, ct) => ExternalCommand.RunAsync(podman, arguments, cancellationToken: ct), cancellationToken).ConfigureAwait(false);

        var result = await ExternalCommand.RunAsync(podman, ["kube", "play", "--replace", "--service-container=true", _playFile], cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        result.ThrowIfFailed($"play {_kube.DisplayPath} (podman kube play) for service {_spec.Name}");
        _serviceContainer = PodNames.ServiceContainer(text);
    }

    /// <summary>
    /// Until no container of the pod is still being stopped: podman finishes a stop (its cleanup) after answering,
    /// and a start meanwhile failed with 409 "container state improper".
    /// </summary>
    /// <remarks>
    /// The service container too: podman stops it, asynchronously, from the cleanup of the pod's last container. A wake
    /// that came before that cleanup had its freshly started service container stopped behind it, and with it the pod
    /// (its containers "running" when the wake looked, then stopped: "not ready within 30s" on the first wake after
    /// serve's start, in about one CI run in two).
    /// </remarks>
    private async Task WaitStoppedAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var pod = await _podman.InspectPodAsync(_podName, cancellationToken).ConfigureAwait(false);
            var serviceStopped = _serviceContainer is not { } service
                || (await _podman.InspectContainerAsync(service, cancellationToken).ConfigureAwait(false)).State.Status is "exited" or "created" or "configured";
            if (serviceStopped && pod.Containers.All(c => c.State is "exited" or "created" or "configured"))
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), _time, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<WorkloadRun> StartAsync(long generation, CancellationToken cancellationToken)
    {
        if (_serviceContainer is null)
        {
            await CreateAsync(cancellationToken).ConfigureAwait(false);
        }

        _startRequestedAt = _time.GetUtcNow();
        try
        {
            await StartPodAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PodmanException ex) when (ex.IsGone)
        {
            // podman pod rm -f (or rm of the service container) from outside: play the file again, which starts it.
            _startRequestedAt = _time.GetUtcNow();
            await PlayAsync(cancellationToken).ConfigureAwait(false);
            ServeLog.Recreated(_logger, _spec.Name, $"pod {_podName}");
        }

        var pod = await _podman.InspectPodAsync(_podName, cancellationToken).ConfigureAwait(false);
        var infra = await _podman.InspectContainerAsync(pod.InfraContainerId ?? throw new InvalidOperationException($"pod {_podName} has no infra container"), cancellationToken)
            .ConfigureAwait(false);
        if (pod.Containers.FirstOrDefault(c => c.Id != pod.InfraContainerId && c.State != "running") is { } stopped)
        {
            // One exited already (a config error at start): say which, with its output.
            var inspect = await _podman.InspectContainerAsync(stopped.Id, cancellationToken).ConfigureAwait(false);
            throw new WorkloadExitedException(await ExplainAsync(stopped.Name, stopped.Id, inspect.State.ExitCode, cancellationToken).ConfigureAwait(false));
        }

        var members = pod.Containers.Where(c => c.Id != pod.InfraContainerId).Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var run = new Run(generation, pod.Id, members, infra.State.Pid, _startRequestedAt.Value);
        Volatile.Write(ref _current, run);
        Func<AddressFamily, SocketType, Socket>? sockets = null;
        if (!_rootless)
        {
            var netns = NetworkNamespace.OfProcess(infra.State.Pid);
            Interlocked.Exchange(ref _netns, netns)?.Dispose();
            sockets = netns.CreateSocket;
        }

        var endpoints = _spec.Ports.Select(p => p.ContainerPort).Distinct()
            .ToDictionary(port => port, port => new IPEndPoint(IPAddress.Loopback, _rootless ? _publishedPorts[port] : port));
        return new WorkloadRun(generation, new Backend(endpoints, sockets) { PacedForwarder = _rootless }, run.Exit.Task);
    }

    /// <summary>The service container first, then the pod (every container of it not running yet).</summary>
    private async Task StartPodAsync(CancellationToken cancellationToken)
    {
        await _podman.StartContainerAsync(_serviceContainer!, cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await _podman.StartPodAsync(_podName, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (PodmanException ex) when (ex.IsStateImproper && attempt < 20)
            {
                // podman 4.3 answers 409 "container state improper" while it still cleans up after the pod's stop
                // (seen on the first wake right after serve's start, in CI's fault run): a failed wake for nothing.
                await Task.Delay(TimeSpan.FromMilliseconds(50), _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The pod first, then the service container (podman stops it with the pod's last container; asked again here).</summary>
    private async Task StopPodAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _podman.StopPodAsync(_podName, ContainerDefaults.StopTimeoutSeconds, cancellationToken).ConfigureAwait(false);
        }
        catch (PodmanException ex) when (ex.IsNotFound)
        {
            // Removed behind podwake's back: the next wake plays the file again.
        }

        if (_serviceContainer is { } service)
        {
            try
            {
                await _podman.StopContainerAsync(service, ContainerDefaults.StopTimeoutSeconds, cancellationToken).ConfigureAwait(false);
            }
            catch (PodmanException ex) when (ex.IsNotFound || ex.IsStateImproper)
            {
            }
        }
    }

    public Task<bool> ProbeAsync(WorkloadRun run, CancellationToken cancellationToken) =>
        _probe.ProbeAsync(run.Backend, Volatile.Read(ref _current)?.InfraPid ?? 0, cancellationToken);

    public async Task<bool> IsRunningAsync(WorkloadRun run, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _current) is not { } current || current.Generation != run.Generation)
        {
            return false;
        }

        try
        {
            var pod = await _podman.InspectPodAsync(_podName, cancellationToken).ConfigureAwait(false);
            return pod.Id == current.PodId && pod.Containers.All(c => c.State == "running");
        }
        catch (PodmanException ex) when (ex.IsNotFound)
        {
            return false;
        }
    }

    public async Task StopAsync(WorkloadRun? run, CancellationToken cancellationToken)
    {
        Volatile.Write(ref _current, null);
        Interlocked.Exchange(ref _netns, null)?.Dispose();
        await StopPodAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task RemoveAsync(CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _netns, null)?.Dispose();
        await _podman.RemovePodAsync(_podName, cancellationToken).ConfigureAwait(false);
        if (_serviceContainer is { } service)
        {
            await _podman.RemoveContainerAsync(service, force: true, cancellationToken).ConfigureAwait(false);
        }

        File.Delete(_playFile);
    }

    public async Task RemoveWithCliAsync(string podman)
    {
        var result = await ExternalCommand.RunAsync(podman, ["kube", "play", "--down", _playFile]).ConfigureAwait(false);
        result.ThrowIfFailed($"remove pod {_podName} (podman kube play --down)");
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"pod {_podName}");
}
