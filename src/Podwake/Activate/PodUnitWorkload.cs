using System.ComponentModel;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Podwake.Activation;
using Podwake.Deploy;
using Podwake.Host;
using Podwake.Pods;
using Podwake.Podman;
using Podwake.Proxy;
using Podwake.Specs;
using Podwake.Systemd;
using Podwake.Units;

namespace Podwake.Activate;

/// <summary>
/// A deployed <c>pod:</c> service as <c>podwake activate</c> drives it: the container unit (service container, then the
/// pod; <see cref="UnitGenerator"/>) started and stopped with systemctl, the run reached as a single container's is
/// (rootful inside the pod's network namespace, the infra container's; rootless at the loopback ports the play file
/// publishes), its end learnt from a pidfd on each container of the pod.
/// </summary>
/// <remarks>
/// A container of the pod that dies ends the run, but not the unit (its main process is the service container's
/// conmon): the next start finds the unit active and starts what does not run with <c>podman pod start</c>, so the
/// containers that still run keep running.
/// </remarks>
internal sealed partial class PodUnitWorkload : IWorkload, IDisposable
{
    private const int Esrch = 3;

    private readonly ServiceSpec _spec;
    private readonly Systemctl _systemctl;
    private readonly bool _rootless;
    private readonly string _podmanPath;
    private readonly string _unit;
    private readonly string _pod;
    private readonly ReadinessProbe _probe;
    private readonly HashSet<string> _containers;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private Run? _current;
    private string? _died;
    private long _outputSince;

    public PodUnitWorkload(ServiceSpec spec, Systemctl systemctl, bool rootless, TimeProvider time, ILogger logger, string podmanPath = PodmanBinary.Installed)
    {
        var kube = spec.Kube ?? throw new ArgumentException($"service {spec.Name} has no pod file", nameof(spec));
        _spec = spec;
        _systemctl = systemctl;
        _rootless = rootless;
        _time = time;
        _logger = logger;
        _podmanPath = podmanPath;
        _outputSince = time.GetUtcNow().UtcTicks;
        _unit = UnitGenerator.ContainerUnitName(spec.Name);
        _pod = PodNames.Pod(spec.Name);
        _containers = kube.Containers.Select(c => PodNames.Container(spec.Name, c.Name)).ToHashSet(StringComparer.Ordinal);
        var execIn = new ContainerCommands(podmanPath, PodNames.Container(spec.Name, kube.ReadinessContainer ?? kube.Containers[0].Name));
        _probe = new ReadinessProbe(spec.Ready, rootless, execIn.ExecAsync, time);
    }

    private string PlayFile => SpecCopy.PlayFileFor(_systemctl.Manager.ConfigDirectory, _spec.Name);

    public async Task<WorkloadRun> StartAsync(long generation, CancellationToken cancellationToken)
    {
        await StartOrReplayAsync(cancellationToken).ConfigureAwait(false);
        var members = await ReadMembersOrReplayAsync(cancellationToken).ConfigureAwait(false);
        if (members.Any(m => !m.Infra && !m.Running))
        {
            // One died in an earlier run (the unit, whose main process is the service container's, still runs): start
            // what does not run; the rest keeps running.
            (await ExternalCommand.RunAsync(_podmanPath, ["pod", "start", _pod], cancellationToken: cancellationToken).ConfigureAwait(false))
                .ThrowIfFailed($"start the pod {_pod}");
            members = await ReadMembersAsync(cancellationToken).ConfigureAwait(false);
        }

        var infra = members.FirstOrDefault(m => m.Infra) ?? throw new InvalidOperationException($"pod {_pod} has no infra container; deploy again (podwake deploy)");
        var watches = new List<(Member Member, ProcessExitWatch Watch)>();
        try
        {
            foreach (var member in members.Where(m => !m.Infra))
            {
                var watch = member.Running && member.Pid > 0 ? TryWatch(member.Pid) : null;
                if (watch is null)
                {
                    // Exited during start (a configuration error): say which, with its output.
                    Volatile.Write(ref _died, member.Name);
                    throw new WorkloadExitedException(await ExplainExitAsync(null, cancellationToken).ConfigureAwait(false));
                }

                watches.Add((member, watch));
            }

            var published = _rootless ? PublishedPorts() : null;
            var reach = DeployedBackend.Reach(_spec, _rootless, infra.Pid, published,
                port => $"Failed to find the loopback port of container port {port.ContainerPort}/{port.Protocol.ToText()} in {PlayFile}: redeploy the service (podwake deploy)");
            var run = new Run(generation, infra.Pid, watches.Select(w => (w.Member.Name, w.Watch)).ToList(), reach.Namespace);
            Interlocked.Exchange(ref _current, run)?.Dispose();
            _ = ReportExitAsync(run);
            return new WorkloadRun(generation, reach.Backend, run.Exit.Task);
        }
        catch
        {
            foreach (var (_, watch) in watches)
            {
                watch.Dispose();
            }

            throw;
        }
    }

    private static ProcessExitWatch? TryWatch(int pid)
    {
        try
        {
            var watch = ProcessExitWatch.Open(pid);
            if (!watch.Exited.IsCompleted)
            {
                return watch;
            }

            watch.Dispose();
            return null;
        }
        catch (Win32Exception ex) when (ex.NativeErrorCode == Esrch)
        {
            return null;
        }
    }

    /// <summary>(container port, protocol) → the loopback port the play file publishes it on.</summary>
    private Dictionary<(int Port, Protocol Protocol), int> PublishedPorts()
    {
        var byPort = KubePlayFile.PublishedPorts(File.ReadAllText(PlayFile));
        return _spec.Ports.Where(p => byPort.ContainsKey(p.ContainerPort)).ToDictionary(p => (p.ContainerPort, p.Protocol), p => byPort[p.ContainerPort]);
    }

    /// <summary>The pod's containers (its infra container among them) with their state and main PID: one podman call.</summary>
    private async Task<List<Member>> ReadMembersAsync(CancellationToken cancellationToken)
    {
        var result = (await ExternalCommand.RunAsync(_podmanPath, ["ps", "--all", "--filter", $"pod={_pod}", "--format", "json"], cancellationToken: cancellationToken)
            .ConfigureAwait(false)).ThrowIfFailed($"list the containers of the pod {_pod}");
        var listed = JsonSerializer.Deserialize(result.Stdout, PodmanJsonContext.Default.IReadOnlyListContainerSummary) ?? [];
        // Init containers (initContainers) run to their end at each pod start: neither waited for nor watched.
        return listed.Where(c => c.IsInfra || _containers.Contains(c.Name))
            .Select(c => new Member(c.Name, c.State == "running", c.IsInfra, c.Pid)).ToList();
    }

    public Task<bool> ProbeAsync(WorkloadRun run, CancellationToken cancellationToken) =>
        _probe.ProbeAsync(run.Backend, Volatile.Read(ref _current)?.InfraPid ?? 0, cancellationToken);

    public Task<bool> IsRunningAsync(WorkloadRun run, CancellationToken cancellationToken) =>
        Task.FromResult(Volatile.Read(ref _current) is { } current && current.Generation == run.Generation && current.Watches.All(w => !w.Watch.Exited.IsCompleted));

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
        var first = await Task.WhenAny(run.Watches.Select(w => w.Watch.Exited)).ConfigureAwait(false);
        if (Volatile.Read(ref _current) != run)
        {
            return; // stopped by us
        }

        var died = run.Watches.First(w => w.Watch.Exited == first).Name;
        Volatile.Write(ref _died, died);
        run.Exit.TrySetResult(await new ContainerCommands(_podmanPath, died).ReadExitCodeAsync().ConfigureAwait(false));
    }

    public async Task<WorkloadExit> ExplainExitAsync(int? exitCode, CancellationToken cancellationToken)
    {
        var died = Volatile.Read(ref _died) ?? _pod;
        var container = new ContainerCommands(_podmanPath, died);
        exitCode ??= await container.ReadExitCodeAsync().ConfigureAwait(false);
        var lines = await container.TailLogsAsync(new DateTimeOffset(Volatile.Read(ref _outputSince), TimeSpan.Zero), cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _outputSince, _time.GetUtcNow().UtcTicks);
        return WorkloadExit.DuringStart(died, exitCode, lines);
    }

    private sealed record Member(string Name, bool Running, bool Infra, int Pid);

    private sealed record Run(long Generation, int InfraPid, IReadOnlyList<(string Name, ProcessExitWatch Watch)> Watches, NetworkNamespace? Netns) : IDisposable
    {
        /// <summary>The run's end on its own, with the exit code of the container that died.</summary>
        public TaskCompletionSource<int?> Exit { get; } = new();

        public void Dispose()
        {
            foreach (var (_, watch) in Watches)
            {
                watch.Dispose();
            }

            Netns?.Dispose();
        }
    }
}
