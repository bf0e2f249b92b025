using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Podwake.Activation;
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
/// </remarks>
internal sealed class ContainerWorkload : IWorkload
{
    private readonly ServiceSpec _spec;
    private readonly PodmanClient _podman;
    private readonly bool _rootless;
    private readonly ReadinessProbe _probe;
    private readonly Dictionary<int, int> _publishedPorts = [];
    private string? _id;
    private Run? _current;
    private NetworkNamespace? _netns;
    private bool _lastRunStoppedByUs = true;

    public ContainerWorkload(ServiceSpec spec, PodmanClient podman, bool rootless)
    {
        _spec = spec;
        _podman = podman;
        _rootless = rootless;
        _probe = new ReadinessProbe(spec.Ready, rootless, (command, ct) => _podman.ExecAsync(_id!, command, ct));
    }

    /// <summary>Receives the exit of a run: (generation, exit status).</summary>
    public Action<long, int?>? Exited { get; set; }

    public string? ContainerId => _id;

    /// <summary>Creates the container (replacing a leftover of an earlier podwake with the same name).</summary>
    public async Task CreateAsync(CancellationToken cancellationToken)
    {
        await _podman.RemoveContainerAsync(_spec.ContainerName, force: true, cancellationToken).ConfigureAwait(false);
        foreach (var volume in _spec.Volumes.Where(v => v.IsBindMount))
        {
            // As the contract says: host folders are created if missing.
            Directory.CreateDirectory(volume.Source);
        }

        var portMappings = new List<ContainerPortMapping>();
        if (_rootless)
        {
            // One host port per container port, free for both protocols: a port number used for tcp
            // and udp (DNS) is published as "tcp,udp" and reached at one address either way.
            foreach (var group in _spec.Ports.GroupBy(p => p.ContainerPort))
            {
                var hostPort = FreeLoopbackPort();
                _publishedPorts[group.Key] = hostPort;
                var protocols = string.Join(',', group.Select(p => p.Protocol).Distinct().Order().Select(p => p.ToString().ToLowerInvariant()));
                portMappings.Add(new ContainerPortMapping { HostIp = "127.0.0.1", HostPort = hostPort, ContainerPort = group.Key, Protocol = protocols });
            }
        }

        var create = new ContainerCreateSpec
        {
            Name = _spec.ContainerName,
            Image = _spec.Image ?? throw new InvalidOperationException("a pod service has no single container"),
            Command = _spec.Command,
            Env = _spec.Env,
            Labels = new Dictionary<string, string> { [Labels.Service] = _spec.Name, [Labels.Manager] = "serve" },
            Mounts = [.. _spec.Volumes.Where(v => v.IsBindMount).Select(v => new ContainerMount { Source = v.Source, Destination = v.Target, Options = v.Options })],
            Volumes = [.. _spec.Volumes.Where(v => !v.IsBindMount).Select(v => new ContainerNamedVolume { Name = v.Source, Destination = v.Target, Options = v.Options })],
            PortMappings = portMappings,
            Init = true,
            StopTimeout = 10,
        };
        _id = await _podman.CreateContainerAsync(create, cancellationToken).ConfigureAwait(false);
    }

    public async Task<WorkloadInstance> StartAsync(long generation, CancellationToken cancellationToken)
    {
        var id = _id ?? throw new InvalidOperationException("the container was not created");
        if (!_lastRunStoppedByUs)
        {
            await WaitForCleanupAsync(id, cancellationToken).ConfigureAwait(false);
        }

        _lastRunStoppedByUs = false;
        await _podman.StartContainerAsync(id, cancellationToken).ConfigureAwait(false);
        var inspect = await _podman.InspectContainerAsync(id, cancellationToken).ConfigureAwait(false);
        var pid = inspect.State.Pid;
        Volatile.Write(ref _current, new Run(generation, pid));
        Func<AddressFamily, SocketType, Socket>? sockets = null;
        if (!_rootless)
        {
            var netns = NetworkNamespace.OfProcess(pid);
            Interlocked.Exchange(ref _netns, netns)?.Dispose();
            sockets = netns.CreateSocket;
        }

        var endpoints = new Dictionary<int, IPEndPoint>();
        foreach (var port in _spec.Ports.Select(p => p.ContainerPort).Distinct())
        {
            endpoints[port] = new IPEndPoint(IPAddress.Loopback, _rootless ? _publishedPorts[port] : port);
        }

        return new WorkloadInstance(generation, endpoints, sockets) { PacedForwarder = _rootless };
    }

    public Task<bool> ProbeAsync(WorkloadInstance instance, CancellationToken cancellationToken) =>
        _probe.ProbeAsync(instance, Volatile.Read(ref _current)?.Pid ?? 0, cancellationToken);

    public async Task<bool> IsRunningAsync(WorkloadInstance instance, CancellationToken cancellationToken)
    {
        var inspect = await _podman.InspectContainerAsync(_id!, cancellationToken).ConfigureAwait(false);
        return inspect.State.Running && Volatile.Read(ref _current) is { } current && current.Generation == instance.Generation && current.Pid == inspect.State.Pid;
    }

    public async Task StopAsync(WorkloadInstance? instance, CancellationToken cancellationToken)
    {
        if (_id is { } id)
        {
            await _podman.StopContainerAsync(id, timeoutSeconds: 10, cancellationToken).ConfigureAwait(false);
            _lastRunStoppedByUs = true;
        }

        Interlocked.Exchange(ref _netns, null)?.Dispose();
    }

    public async Task RemoveAsync(CancellationToken cancellationToken)
    {
        if (_id is { } id)
        {
            await _podman.RemoveContainerAsync(id, force: true, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Called for each podman container event. podman writes "died" from its cleanup process, which
    /// may run after podwake already restarted the container (a failed connect found it dead
    /// first), so an event is checked against the container itself: while the current run's
    /// process still runs, the event is about an earlier run and is dropped.
    /// </summary>
    public void OnEvent(PodmanEvent podmanEvent)
    {
        if (podmanEvent.Id != _id || podmanEvent.Action != "died")
        {
            return;
        }

        if (Volatile.Read(ref _current) is not { } run)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                var state = (await _podman.InspectContainerAsync(podmanEvent.Id, CancellationToken.None).ConfigureAwait(false)).State;
                if (state.Running && state.Pid == run.Pid)
                {
                    return;
                }
            }
            catch (PodmanException)
            {
                // Gone or unreadable: certainly not running.
            }

            Exited?.Invoke(run.Generation, podmanEvent.ContainerExitCode);
        });
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

    /// <summary>A loopback port that neither a TCP nor a UDP socket holds now.</summary>
    private static int FreeLoopbackPort()
    {
        for (var attempt = 0; ; attempt++)
        {
            using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            tcp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)tcp.LocalEndPoint!).Port;
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                udp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException) when (attempt < 20)
            {
                // Taken for UDP only: try another.
            }
        }
    }

    private sealed record Run(long Generation, int Pid);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{_spec.ContainerName} ({_id?[..12]})");
}
