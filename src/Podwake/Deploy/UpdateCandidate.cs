using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Podwake.Activation;
using Podwake.Host;
using Podwake.Podman;
using Podwake.Proxy;
using Podwake.Specs;

namespace Podwake.Deploy;

/// <summary>
/// A deployed service's update candidate (<c>podwake-NAME-next</c>, <see cref="CandidateContainer"/>) as a workload: started
/// and stopped with the podman CLI as the service's user, reached as the activator reaches the service's own container
/// (rootful through its network namespace, rootless through the loopback ports podman published), gated by the
/// service's <c>ready:</c>. <c>podwake update</c> proves it with no traffic while the service is dormant; a running
/// activator hands it the service's new connections (<c>ServiceActivator.ReplaceAsync</c>) until it goes idle.
/// </summary>
/// <remarks>
/// Not the container unit: that one starts <c>podwake-NAME</c> and writes the pidfiles the activator reads, so a wake
/// during the proof must find it untouched. podman runs conmon in a scope unit of its own (its systemd cgroup manager),
/// so the candidate is still in a unit of the service's manager while it runs.
/// </remarks>
internal sealed class UpdateCandidate : IWorkload, IDisposable
{
    private readonly ServiceSpec _spec;
    private readonly TargetPodman _podman;
    private readonly bool _rootless;
    private readonly ReadinessProbe _probe;
    private readonly TimeProvider _time;
    private Run? _current;
    private DateTimeOffset _startedAt;

    public UpdateCandidate(ServiceSpec spec, TargetPodman podman, bool rootless, TimeProvider time)
    {
        _spec = spec;
        _podman = podman;
        _rootless = rootless;
        _time = time;
        _probe = new ReadinessProbe(spec.Ready, rootless, ExecAsync, time);
    }

    public string ContainerName => CandidateContainer.Name(_spec.Name);

    public async Task<WorkloadRun> StartAsync(long generation, CancellationToken cancellationToken)
    {
        _startedAt = _time.GetUtcNow();
        var start = await _podman.RunAsync(["start", ContainerName], cancellationToken).ConfigureAwait(false);
        var pid = await ReadPidAsync(cancellationToken).ConfigureAwait(false);
        if (!start.Succeeded || pid <= 0)
        {
            throw new WorkloadExitedException(await ExplainExitAsync(null, cancellationToken).ConfigureAwait(false));
        }

        ProcessExitWatch watch;
        try
        {
            watch = ProcessExitWatch.Open(pid);
        }
        catch (Win32Exception)
        {
            throw new WorkloadExitedException(await ExplainExitAsync(null, cancellationToken).ConfigureAwait(false));
        }

        (Backend Backend, NetworkNamespace? Namespace) reach;
        try
        {
            var published = _rootless ? await ReadPublishedPortsAsync(cancellationToken).ConfigureAwait(false) : null;
            reach = DeployedBackend.Reach(_spec, _rootless, pid, published, port => $"Failed to find the published port of container port {port.ContainerPort}/{port.Protocol.ToText()} in {ContainerName}");
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

    public Task<bool> ProbeAsync(WorkloadRun run, CancellationToken cancellationToken) =>
        _probe.ProbeAsync(run.Backend, Volatile.Read(ref _current)?.Watch.Pid ?? 0, cancellationToken);

    public Task<bool> IsRunningAsync(WorkloadRun run, CancellationToken cancellationToken) =>
        Task.FromResult(Volatile.Read(ref _current) is { } current && current.Generation == run.Generation && !current.Watch.Exited.IsCompleted);

    public async Task<WorkloadExit> ExplainExitAsync(int? exitCode, CancellationToken cancellationToken)
    {
        exitCode ??= await ReadExitCodeAsync(cancellationToken).ConfigureAwait(false);
        var since = _startedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
        var logs = await _podman.RunAsync(["logs", "--since", since, "--tail", WorkloadExit.TailLines.ToString(CultureInfo.InvariantCulture), ContainerName], cancellationToken)
            .ConfigureAwait(false);
        var lines = logs.Succeeded ? PodmanClient.SplitLines(logs.Stdout + logs.Stderr, WorkloadExit.TailLines) : null;
        return WorkloadExit.DuringStart(ContainerName, exitCode, lines);
    }

    public async Task StopAsync(WorkloadRun? run, CancellationToken cancellationToken)
    {
        // Forget the run first: its exit is ours, not news.
        Interlocked.Exchange(ref _current, null)?.Dispose();
        await _podman.RunAsync(["stop", "--ignore", "-t", ContainerDefaults.StopTimeoutSeconds.ToString(CultureInfo.InvariantCulture), ContainerName], cancellationToken)
            .ConfigureAwait(false);
    }

    public void Dispose() => Interlocked.Exchange(ref _current, null)?.Dispose();

    private async Task<int> ReadPidAsync(CancellationToken cancellationToken)
    {
        var result = await _podman.RunAsync(["container", "inspect", "--format", "{{.State.Pid}}", ContainerName], cancellationToken).ConfigureAwait(false);
        return result.Succeeded && int.TryParse(result.Stdout.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0;
    }

    private async Task<int?> ReadExitCodeAsync(CancellationToken cancellationToken)
    {
        var result = await _podman.RunAsync(["container", "inspect", "--format", "{{.State.ExitCode}}", ContainerName], cancellationToken).ConfigureAwait(false);
        return result.Succeeded && int.TryParse(result.Stdout.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var code) ? code : null;
    }

    private async Task<int> ExecAsync(IReadOnlyList<string> command, CancellationToken cancellationToken) =>
        (await _podman.RunAsync(["exec", ContainerName, .. command], cancellationToken).ConfigureAwait(false)).ExitCode;

    private async Task<Dictionary<(int Port, Protocol Protocol), int>> ReadPublishedPortsAsync(CancellationToken cancellationToken)
    {
        var result = (await _podman.RunAsync(["container", "inspect", "--format", "json", ContainerName], cancellationToken).ConfigureAwait(false))
            .ThrowIfFailed($"read the published ports of {ContainerName}");
        var inspect = JsonSerializer.Deserialize(result.Stdout, PodmanJsonContext.Default.IReadOnlyListContainerInspect);
        var ports = new Dictionary<(int, Protocol), int>();
        foreach (var (key, bindings) in inspect?.FirstOrDefault()?.NetworkSettings?.Ports ?? new Dictionary<string, IReadOnlyList<ContainerPortBinding>?>())
        {
            var parts = key.Split('/');
            if (parts.Length != 2 || !ProtocolText.TryParse(parts[1], out var protocol) || bindings is null
                || !int.TryParse(parts[0], CultureInfo.InvariantCulture, out var containerPort))
            {
                continue;
            }

            foreach (var binding in bindings)
            {
                if (int.TryParse(binding.HostPort, CultureInfo.InvariantCulture, out var hostPort))
                {
                    ports[(containerPort, protocol)] = hostPort;
                }
            }
        }

        return ports;
    }

    private async Task ReportExitAsync(Run run)
    {
        await run.Watch.Exited.ConfigureAwait(false);
        if (Volatile.Read(ref _current) == run)
        {
            run.Exit.TrySetResult(await ReadExitCodeAsync(CancellationToken.None).ConfigureAwait(false));
        }
    }

    private sealed record Run(long Generation, ProcessExitWatch Watch, NetworkNamespace? Netns) : IDisposable
    {
        public TaskCompletionSource<int?> Exit { get; } = new();

        public void Dispose()
        {
            Watch.Dispose();
            Netns?.Dispose();
        }
    }
}
