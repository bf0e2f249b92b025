using System.ComponentModel;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Podwake.Activation;
using Podwake.Host;
using Podwake.Podman;
using Podwake.Proxy;
using Podwake.Specs;
using Podwake.Systemd;
using Podwake.Units;

namespace Podwake.Activate;

/// <summary>
/// A deployed service's container as <c>podwake activate</c> drives it: the container unit is started and stopped with
/// systemctl (systemd owns it: StopWhenUnneeded=, Restart=, podman auto-update), and the run is reached as
/// <c>podwake serve</c> reaches its containers: rootful through the container's network namespace, rootless
/// through the loopback ports podman published when deploy created the container.
/// </summary>
/// <remarks>
/// The container's main PID comes from the pidfile conmon writes (<see cref="ContainerRunFiles"/>): no podman call on
/// the rootful wake path. Its exit is learnt from a pidfd (<see cref="ProcessExitWatch"/>), not by polling.
/// </remarks>
internal sealed partial class UnitWorkload : IWorkload, IDisposable
{
    private const int Esrch = 3;

    private readonly ServiceSpec _spec;
    private readonly Systemctl _systemctl;
    private readonly bool _rootless;
    private readonly string _podmanPath;
    private readonly string _unit;
    private readonly ContainerRunFiles _files;
    private readonly ReadinessProbe _probe;
    private readonly string _swapLock;
    private Task<IReadOnlyDictionary<(int Port, Protocol Protocol), int>>? _publishedPorts;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private Run? _current;
    private int _lastPid;
    private DateTimeOffset? _startRequestedAt;

    public UnitWorkload(ServiceSpec spec, Systemctl systemctl, bool rootless, TimeProvider time, string podmanPath = PodmanBinary.Installed, ILogger? logger = null)
    {
        _spec = spec;
        _time = time;
        _logger = logger ?? NullLogger.Instance;
        _systemctl = systemctl;
        _rootless = rootless;
        _podmanPath = podmanPath;
        _unit = UnitGenerator.ContainerUnitName(spec.Name);
        _files = ContainerRunFiles.For(spec.Name, systemctl.Manager.RuntimeDirectory);
        _probe = new ReadinessProbe(spec.Ready, rootless, ExecAsync);
        _swapLock = ContainerRunFiles.SwapLockFile(spec.Name, systemctl.Manager.RuntimeDirectory);
    }

    public async Task<WorkloadRun> StartAsync(long generation, CancellationToken cancellationToken)
    {
        var (pid, watch) = await StartUnitAsync(cancellationToken).ConfigureAwait(false);

        NetworkNamespace? netns = null;
        var endpoints = new Dictionary<int, IPEndPoint>();
        var udpEndpoints = new Dictionary<int, IPEndPoint>();
        try
        {
            if (_rootless)
            {
                var published = await _publishedPorts!.WaitAsync(cancellationToken).ConfigureAwait(false);
                foreach (var port in _spec.Ports)
                {
                    var map = port.Protocol == Protocol.Udp ? udpEndpoints : endpoints;
                    map[port.ContainerPort] = new IPEndPoint(IPAddress.Loopback, published.TryGetValue((port.ContainerPort, port.Protocol), out var hostPort)
                        ? hostPort
                        : throw new InvalidOperationException($"Failed to find the published port of container port {port.ContainerPort}/{port.Protocol.ToString().ToLowerInvariant()} in {_spec.ContainerName}: redeploy the service (podwake deploy)"));
                }
            }
            else
            {
                netns = NetworkNamespace.OfProcess(pid);
                foreach (var port in _spec.Ports.Select(p => p.ContainerPort).Distinct())
                {
                    endpoints[port] = new IPEndPoint(IPAddress.Loopback, port);
                }
            }
        }
        catch
        {
            watch.Dispose();
            netns?.Dispose();
            throw;
        }

        var run = new Run(generation, watch, netns);
        Interlocked.Exchange(ref _current, run)?.Dispose();
        _ = ReportExitAsync(run);
        var backend = new Backend(endpoints, netns is null ? null : netns.CreateSocket, udpEndpoints.Count == 0 ? null : udpEndpoints)
        {
            PacedForwarder = _rootless,
        };
        return new WorkloadRun(generation, backend, run.Exit.Task);
    }

    /// <summary>
    /// Starts the container unit and opens a watch on the container's process. Right after a container died, the unit
    /// may still look active (conmon has not exited, or systemd has not reacted yet) and its pidfile names the dead
    /// process: then wait for systemd to notice and restart it, with a short backoff, until the caller's deadline.
    /// </summary>
    private async Task<(int Pid, ProcessExitWatch Watch)> StartUnitAsync(CancellationToken cancellationToken)
    {
        // A redeploy may be swapping the container right now: wake the new one, not the old one or none.
        await ContainerSwapLock.WaitUntilNoSwapAsync(_swapLock, cancellationToken).ConfigureAwait(false);

        // Rootless: the published ports are fixed when deploy creates the container (and no swap happens while this
        // activator runs: deploy stops it first), so read them once, alongside the first start rather than after it.
        if (_rootless)
        {
            _publishedPorts ??= ReadPublishedPortsAsync();
        }

        _startRequestedAt = _time.GetUtcNow();
        var pause = TimeSpan.FromMilliseconds(10);
        while (true)
        {
            // Joins the start job the activator unit's Wants= queued, or a restart systemd has scheduled.
            await StartOrRecoverAsync(cancellationToken).ConfigureAwait(false);
            var pid = await ReadPidAsync(cancellationToken).ConfigureAwait(false);
            ProcessExitWatch? watch = null;
            try
            {
                watch = ProcessExitWatch.Open(pid);
            }
            catch (Win32Exception ex) when (ex.NativeErrorCode == Esrch)
            {
            }
            catch (Win32Exception ex)
            {
                throw new InvalidOperationException($"Failed to watch the container process {pid} of {_unit}: {ex.Message}", ex);
            }

            if (watch is not null && !watch.Exited.IsCompleted && !IsZombie(pid))
            {
                _lastPid = pid;
                return (pid, watch);
            }

            watch?.Dispose();
            if (pid != _lastPid)
            {
                // Not the pidfile of an earlier run that died: this run itself exited during start.
                _lastPid = pid;
                throw new WorkloadExitedException(await ExplainExitAsync(null, cancellationToken).ConfigureAwait(false));
            }

            await Task.Delay(pause, _time, cancellationToken).ConfigureAwait(false);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromMilliseconds(100).Ticks));
        }
    }

    /// <summary>A process that died but was not reaped yet still has a PID (and a pidfd): it is not a live run.</summary>
    private static bool IsZombie(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return true;
        }
    }

    public Task<bool> ProbeAsync(WorkloadRun run, CancellationToken cancellationToken) =>
        _probe.ProbeAsync(run.Backend, Volatile.Read(ref _current)?.Watch.Pid ?? 0, cancellationToken);

    public Task<bool> IsRunningAsync(WorkloadRun run, CancellationToken cancellationToken) =>
        Task.FromResult(Volatile.Read(ref _current) is { } current && current.Generation == run.Generation && !current.Watch.Exited.IsCompleted);

    public async Task StopAsync(WorkloadRun? run, CancellationToken cancellationToken)
    {
        // Forget the run first: its exit is ours, not news.
        Interlocked.Exchange(ref _current, null)?.Dispose();
        await _systemctl.StopAsync(_unit, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => Interlocked.Exchange(ref _current, null)?.Dispose();

    private async Task ReportExitAsync(Run run)
    {
        await run.Watch.Exited.ConfigureAwait(false);
        if (Volatile.Read(ref _current) != run)
        {
            return; // stopped by us
        }

        run.Exit.TrySetResult(await ReadExitCodeAsync().ConfigureAwait(false));
    }

    private async Task<int> ReadPidAsync(CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await File.ReadAllTextAsync(_files.ContainerPidFile, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            throw new InvalidOperationException(
                $"Failed to read the container's PID from {_files.ContainerPidFile} after starting {_unit}: {ex.Message}; redeploy the service (podwake deploy) so the container writes it", ex);
        }

        return int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0
            ? pid
            : throw new InvalidOperationException($"Failed to read the container's PID: {_files.ContainerPidFile} holds \"{text.Trim()}\"");
    }

    /// <summary>The exit status podman recorded, or null when it cannot tell (the restart policy then treats it as a failure).</summary>
    private async Task<int?> ReadExitCodeAsync()
    {
        try
        {
            var result = await ExternalCommand.RunAsync(_podmanPath, ["container", "inspect", "--format", "{{.State.ExitCode}}", _spec.ContainerName]).ConfigureAwait(false);
            if (!result.Succeeded || !int.TryParse(result.Stdout.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var code))
            {
                return null;
            }

            // 143 stays 143 (the log shows what happened); RestartRule.IsCleanExit counts it clean, as the unit's SuccessExitStatus= does.
            return code;
        }
        catch (Exception ex) when (ex is EnvironmentException or IOException)
        {
            return null;
        }
    }

    public async Task<WorkloadExit> ExplainExitAsync(int? exitCode, CancellationToken cancellationToken)
    {
        exitCode ??= await ReadExitCodeAsync().ConfigureAwait(false);
        IReadOnlyList<string>? lines = null;
        try
        {
            // Both streams in the order the container wrote them: podman logs writes them to its own two.
            // Since this wake asked for the start: podman keeps every earlier run's output too.
            var since = (_startRequestedAt ?? DateTimeOffset.UnixEpoch).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
            var result = await ExternalCommand.RunAsync("/bin/sh", ["-c", "exec \"$0\" logs --since \"$3\" --tail \"$1\" \"$2\" 2>&1", _podmanPath,
                WorkloadExit.TailLines.ToString(CultureInfo.InvariantCulture), _spec.ContainerName, since], cancellationToken: cancellationToken).ConfigureAwait(false);
            if (result.Succeeded)
            {
                lines = PodmanClient.SplitLines(result.Stdout, WorkloadExit.TailLines);
            }
        }
        catch (Exception ex) when (ex is EnvironmentException or IOException)
        {
        }

        return WorkloadExit.DuringStart(_spec.ContainerName, exitCode, lines);
    }

    /// <summary>(container port, protocol) → the loopback port podman published it on, from <c>"8080/tcp"</c>-style keys.</summary>
    private async Task<IReadOnlyDictionary<(int Port, Protocol Protocol), int>> ReadPublishedPortsAsync()
    {
        var result = (await ExternalCommand.RunAsync(_podmanPath, ["container", "inspect", "--format", "json", _spec.ContainerName]).ConfigureAwait(false))
            .ThrowIfFailed($"read the published ports of {_spec.ContainerName}");
        var inspect = JsonSerializer.Deserialize(result.Stdout, PodmanJsonContext.Default.IReadOnlyListContainerInspect);
        var ports = new Dictionary<(int, Protocol), int>();
        foreach (var (key, bindings) in inspect?.FirstOrDefault()?.NetworkSettings?.Ports ?? new Dictionary<string, IReadOnlyList<ContainerPortBinding>?>())
        {
            var parts = key.Split('/');
            Protocol? protocol = parts.Length != 2 ? null : parts[1] switch { "tcp" => Protocol.Tcp, "udp" => Protocol.Udp, _ => null };
            if (protocol is null || bindings is null || !int.TryParse(parts[0], CultureInfo.InvariantCulture, out var containerPort))
            {
                continue;
            }

            foreach (var binding in bindings)
            {
                if (int.TryParse(binding.HostPort, CultureInfo.InvariantCulture, out var hostPort))
                {
                    ports[(containerPort, protocol.Value)] = hostPort;
                }
            }
        }

        return ports;
    }

    private async Task<int> ExecAsync(IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        var result = await ExternalCommand.RunAsync(_podmanPath, ["exec", _spec.ContainerName, .. command], cancellationToken: cancellationToken).ConfigureAwait(false);
        return result.ExitCode;
    }

    private sealed record Run(long Generation, ProcessExitWatch Watch, NetworkNamespace? Netns) : IDisposable
    {
        /// <summary>The run's end on its own, with podman's exit code (<see cref="WorkloadRun.Exited"/>).</summary>
        public TaskCompletionSource<int?> Exit { get; } = new();

        public void Dispose()
        {
            Watch.Dispose();
            Netns?.Dispose();
        }
    }
}
