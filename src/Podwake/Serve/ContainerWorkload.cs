using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Podwake.Activation;
using Podwake.Host;
using Podwake.Podman;
using Podwake.Proxy;
using Podwake.Specs;

namespace Podwake.Serve;

/// <summary>
/// A service's container in <c>podwake serve</c>: created once at start so that a wake is one REST
/// call (start, not create), stopped when idle, removed on exit.
/// </summary>
/// <remarks>
/// Rootful: the proxy opens its sockets inside the container's network namespace and connects to
/// the container's own loopback (<see cref="NetworkNamespace"/>): no bridge, NAT or forwarder hop,
/// and the same path for the readiness probe, so "ready" means exactly what the proxy will see.
/// Rootless podwake may not enter a namespace owned by podman's user namespace: its ports are
/// published on loopback ports chosen here, and since podman's rootless port forwarder accepts on
/// the host side before the container listens, a TCP readiness check reads the container's own
/// socket table (<c>/proc/PID/net/tcp</c>) instead of trusting a connect. A UDP readiness check
/// reads <c>/proc/PID/net/udp</c> in both modes.
/// A container removed behind podwake's back (<c>podman rm -f</c>) is created again by the next wake; a container that
/// exits while starting is reported with its exit code and last lines of output (<see cref="WorkloadExit"/>), never as
/// a missing <c>/proc/PID/ns/net</c>.
/// </remarks>
internal sealed partial class ContainerWorkload : IServeWorkload
{
    private readonly ServiceSpec _spec;
    private readonly PodmanClient _podman;
    private readonly bool _rootless;
    private readonly ReadinessProbe _probe;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private IReadOnlyDictionary<int, int> _publishedPorts = new Dictionary<int, int>();
    private string? _id;
    private Run? _current;
    private NetworkNamespace? _netns;
    private bool _lastRunStoppedByUs = true;
    private DateTimeOffset? _startRequestedAt;
    private string _containerName;

    /// <param name="containerName">The container's name: the service's (<c>podwake-NAME</c>), or an update's new container
    /// (<c>podwake-NAME-next</c>) until it takes the service's name (<see cref="RenameAsync"/>).</param>
    public ContainerWorkload(ServiceSpec spec, PodmanClient podman, bool rootless, TimeProvider time, ILogger? logger = null, string? containerName = null)
    {
        _spec = spec;
        _containerName = containerName ?? spec.ContainerName;
        _time = time;
        _logger = logger ?? NullLogger.Instance;
        _podman = podman;
        _rootless = rootless;
        _probe = new ReadinessProbe(spec.Ready, rootless, (command, ct) => _podman.ExecAsync(_id!, command, ct), time);
    }

    public string? ContainerId => _id;

    public string ContainerName => Volatile.Read(ref _containerName);

    public string DisplayName => ContainerName;

    /// <summary>The ID of the image the container was created from, as podman says now; null when it has no container.</summary>
    public async Task<string?> ImageIdAsync(CancellationToken cancellationToken)
    {
        if (_id is not { } id)
        {
            return null;
        }

        try
        {
            return (await _podman.InspectContainerAsync(id, cancellationToken).ConfigureAwait(false)).Image;
        }
        catch (PodmanException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }

    /// <summary>Gives the container another name (an update's new container takes the service's once the old one is removed).</summary>
    public async Task RenameAsync(string name, CancellationToken cancellationToken)
    {
        if (_id is { } id)
        {
            try
            {
                await _podman.RenameContainerAsync(id, name, cancellationToken).ConfigureAwait(false);
            }
            catch (PodmanException ex) when (ex.IsNotFound)
            {
                // Removed behind podwake's back: the container created again at the next start takes the name.
            }
        }

        Volatile.Write(ref _containerName, name);
    }

    /// <summary>Creates the container (replacing a leftover of an earlier podwake with the same name).</summary>
    public async Task CreateAsync(CancellationToken cancellationToken)
    {
        await _podman.RemoveContainerAsync(ContainerName, force: true, cancellationToken).ConfigureAwait(false);
        foreach (var volume in _spec.Volumes.Where(v => v.IsBindMount))
        {
            // As the contract says: host folders are created if missing.
            Directory.CreateDirectory(volume.Source);
        }

        var container = ServeContainer.For(_spec, _rootless, ContainerName);
        _publishedPorts = container.PublishedPorts;
        _id = _spec.PodmanArgs.Count == 0
            ? await _podman.CreateContainerAsync(container.Create, cancellationToken).ConfigureAwait(false)
            : await CreateWithPodmanArgsAsync(container.Create, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>podman create</c> with the service's <c>podman_args:</c>, which the API's create request has no field for.</summary>
    private async Task<string> CreateWithPodmanArgsAsync(ContainerCreateSpec create, CancellationToken cancellationToken)
    {
        var result = await PodmanBinary.RunAsync(ContainerCreateCommand.Of(create, _spec.PodmanArgs), cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new PodmanException(
                $"create container {create.Name} with podman_args {string.Join(' ', _spec.PodmanArgs)}", System.Net.HttpStatusCode.InternalServerError, result.Stderr.Trim(), null);
        }

        return result.Stdout.Trim();
    }

    public async Task<WorkloadRun> StartAsync(long generation, CancellationToken cancellationToken)
    {
        var id = await StartContainerAsync(cancellationToken).ConfigureAwait(false);
        var inspect = await _podman.InspectContainerAsync(id, cancellationToken).ConfigureAwait(false);
        var pid = inspect.State.Pid;
        if (!inspect.State.Running || pid <= 0)
        {
            // Exited already (a config error at start): say so, with its output, rather than fail on /proc/0/ns/net.
            throw new WorkloadExitedException(await ExplainExitAsync(inspect.State.ExitCode, cancellationToken).ConfigureAwait(false));
        }

        var run = new Run(generation, pid, _startRequestedAt ?? DateTimeOffset.MinValue);
        Volatile.Write(ref _current, run);
        Func<AddressFamily, SocketType, Socket>? sockets = null;
        if (!_rootless)
        {
            NetworkNamespace netns;
            try
            {
                netns = NetworkNamespace.OfProcess(pid);
            }
            catch (IOException ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
            {
                // Exited between the inspect and here (a zombie has no ns/net either; podman may still call it running
                // for a moment).
                throw new WorkloadExitedException(await ExplainExitAsync(await ExitCodeOnceStoppedAsync(id, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false));
            }

            Interlocked.Exchange(ref _netns, netns)?.Dispose();
            sockets = netns.CreateSocket;
        }

        var endpoints = new Dictionary<int, IPEndPoint>();
        foreach (var port in _spec.Ports.Select(p => p.ContainerPort).Distinct())
        {
            endpoints[port] = new IPEndPoint(IPAddress.Loopback, _rootless ? _publishedPorts[port] : port);
        }

        return new WorkloadRun(generation, new Backend(endpoints, sockets) { PacedForwarder = _rootless }, run.Exit.Task);
    }

    /// <summary>Starts the container, creating it again first when it was removed behind podwake's back; returns its ID.</summary>
    private async Task<string> StartContainerAsync(CancellationToken cancellationToken)
    {
        if (_id is { } id)
        {
            try
            {
                if (!_lastRunStoppedByUs)
                {
                    await WaitForCleanupAsync(id, cancellationToken).ConfigureAwait(false);
                }

                _lastRunStoppedByUs = false;
                _startRequestedAt = _time.GetUtcNow();
                await _podman.StartContainerAsync(id, cancellationToken).ConfigureAwait(false);
                return id;
            }
            catch (PodmanException ex) when (ex.IsNotFound)
            {
                // podman rm -f (or podman rmi -f of its image) from outside: fall through and create it again.
            }
        }

        await RecreateAsync(cancellationToken).ConfigureAwait(false);
        _lastRunStoppedByUs = false;
        _startRequestedAt = _time.GetUtcNow();
        await _podman.StartContainerAsync(_id!, cancellationToken).ConfigureAwait(false);
        return _id!;
    }

    private async Task RecreateAsync(CancellationToken cancellationToken)
    {
        var image = _spec.Image!;
        if (!await _podman.ImageExistsAsync(image, cancellationToken).ConfigureAwait(false))
        {
            var fix = _spec.Build is null
                ? $"pull it again (podman pull {image})"
                : $"build it again (podman build -t {image} {_spec.Build.Context}, or restart podwake serve, which builds it)";
            throw new InvalidOperationException(
                $"container {ContainerName} is gone and its image {image} is no longer in podman's local storage (removed with podman rmi?): {fix}; a wake never pulls");
        }

        _id = null;
        await CreateAsync(cancellationToken).ConfigureAwait(false);
        ServeLog.Recreated(_logger, _spec.Name, $"container {ContainerName}");
    }

    public Task<bool> ProbeAsync(WorkloadRun run, CancellationToken cancellationToken) =>
        _probe.ProbeAsync(run.Backend, Volatile.Read(ref _current)?.Pid ?? 0, cancellationToken);

    public async Task<bool> IsRunningAsync(WorkloadRun run, CancellationToken cancellationToken)
    {
        if (_id is null)
        {
            return false;
        }

        ContainerInspect inspect;
        try
        {
            inspect = await _podman.InspectContainerAsync(_id, cancellationToken).ConfigureAwait(false);
        }
        catch (PodmanException ex) when (ex.IsNotFound)
        {
            return false;
        }

        return inspect.State.Running && Volatile.Read(ref _current) is { } current && current.Generation == run.Generation && current.Pid == inspect.State.Pid;
    }

    public async Task StopAsync(WorkloadRun? run, CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _netns, null)?.Dispose();
        if (_id is { } id)
        {
            try
            {
                await _podman.StopContainerAsync(id, timeoutSeconds: ContainerDefaults.StopTimeoutSeconds, cancellationToken).ConfigureAwait(false);
            }
            catch (PodmanException ex) when (ex.IsNotFound)
            {
                // Removed behind our back: stopped as much as it can be; the next wake creates it again.
            }

            _lastRunStoppedByUs = true;
        }
    }

    public async Task RemoveAsync(CancellationToken cancellationToken)
    {
        if (_id is { } id)
        {
            await _podman.RemoveContainerAsync(id, force: true, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary><c>podman rm -f</c> (serve's exit when podman's API stays away).</summary>
    public async Task RemoveWithCliAsync(string podman)
    {
        var result = await ExternalCommand.RunAsync(podman, ["rm", "--force", "--ignore", "--time", ContainerDefaults.StopTimeoutSeconds.ToString(CultureInfo.InvariantCulture), _id ?? ContainerName])
            .ConfigureAwait(false);
        result.ThrowIfFailed($"remove container {ContainerName}");
    }

    /// <summary>
    /// A run that ended on its own is cleaned up by podman afterwards (conmon's exit command runs
    /// <c>podman container cleanup</c>: state "stopped" until then, "exited" after). Starting the
    /// container before that finishes lets the late cleanup tear down the new run's network; seen
    /// here as a rootless port forwarder that never came back after a kill -9.
    /// </summary>
    private async Task WaitForCleanupAsync(string id, CancellationToken cancellationToken)
    {
        var state = (await _podman.InspectContainerAsync(id, cancellationToken).ConfigureAwait(false)).State.Status;
        if (state is "stopped" or "stopping")
        {
            await _podman.WaitAsync(id, ContainerWaitCondition.Exited, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <param name="StartRequestedAt">When podwake asked podman to start it: a "died" event stamped earlier is an earlier run's.</param>
    private sealed record Run(long Generation, int Pid, DateTimeOffset StartRequestedAt)
    {
        /// <summary>The run's end on its own, with podman's exit code (<see cref="WorkloadRun.Exited"/>).</summary>
        public TaskCompletionSource<int?> Exit { get; } = new();
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{ContainerName} ({_id?[..12]})");
}
