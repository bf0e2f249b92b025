using System.ComponentModel;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Podwake.Activation;
using Podwake.Deploy;
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
    private readonly ContainerCommands _container;
    private readonly ReadinessProbe _probe;
    private readonly string _swapLock;
    private Task<IReadOnlyDictionary<(int Port, Protocol Protocol), int>>? _publishedPorts;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private Run? _current;
    private int _lastPid;
    /// <summary>
    /// Where the output a failed start is explained with begins (UTC ticks): when this activator started, then when it
    /// last stopped the container. An explanation does not move it: systemd restarts the container unit by itself
    /// (the activator unit's Wants=, Restart=on-failure 100 ms after a failure), so the run being explained may have
    /// printed before, or while, the previous failure was explained. The last lines since podwake last stopped the
    /// container are the failed runs' lines, newest last, whichever run printed them.
    /// </summary>
    private long _outputSince;

    public UnitWorkload(ServiceSpec spec, Systemctl systemctl, bool rootless, TimeProvider time, string podmanPath = PodmanBinary.Installed, ILogger? logger = null)
    {
        _spec = spec;
        _time = time;
        _outputSince = time.GetUtcNow().UtcTicks;
        _logger = logger ?? NullLogger.Instance;
        _systemctl = systemctl;
        _rootless = rootless;
        _podmanPath = podmanPath;
        _unit = UnitGenerator.ContainerUnitName(spec.Name);
        _files = ContainerRunFiles.For(spec.Name, systemctl.Manager.RuntimeDirectory);
        _container = new ContainerCommands(podmanPath, spec.ContainerName);
        _probe = new ReadinessProbe(spec.Ready, rootless, _container.ExecAsync, time);
        _swapLock = ContainerRunFiles.SwapLockFile(spec.Name, systemctl.Manager.RuntimeDirectory);
    }

    public async Task<WorkloadRun> StartAsync(long generation, CancellationToken cancellationToken)
    {
        var (pid, watch) = await StartUnitAsync(cancellationToken).ConfigureAwait(false);

        (Backend Backend, NetworkNamespace? Namespace) reach;
        try
        {
            var published = _rootless ? await _publishedPorts!.WaitAsync(cancellationToken).ConfigureAwait(false) : null;
            reach = DeployedBackend.Reach(_spec, _rootless, pid, published, port => $"Failed to find the published port of container port {port.ContainerPort}/{port.Protocol.ToText()} in {_spec.ContainerName}: redeploy the service (podwake deploy)");
        }
        catch
        {
            watch.Dispose();
            throw;
        }

        var run = new Run(generation, watch, reach.Namespace);
        Interlocked.Exchange(ref _current, run)?.Dispose();
        _ = ReportExitAsync(run);
        var backend = reach.Backend;
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
        await ContainerSwapLock.WaitUntilNoSwapAsync(_swapLock, cancellationToken, _time).ConfigureAwait(false);

        // Rootless: the published ports are fixed when deploy creates the container (and no swap happens while this
        // activator runs: deploy stops it first), so read them once, alongside the first start rather than after it.
        if (_rootless)
        {
            _publishedPorts ??= _container.ReadPublishedPortsAsync();
        }

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
        Volatile.Write(ref _outputSince, _time.GetUtcNow().UtcTicks);
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

        run.Exit.TrySetResult(await _container.ReadExitCodeAsync().ConfigureAwait(false));
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

    public async Task<WorkloadExit> ExplainExitAsync(int? exitCode, CancellationToken cancellationToken)
    {
        exitCode ??= await _container.ReadExitCodeAsync().ConfigureAwait(false);
        var since = new DateTimeOffset(Volatile.Read(ref _outputSince), TimeSpan.Zero);
        var lines = await _container.TailLogsAsync(since, cancellationToken).ConfigureAwait(false);
        return WorkloadExit.DuringStart(_spec.ContainerName, exitCode, lines);
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
