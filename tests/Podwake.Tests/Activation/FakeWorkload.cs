using System.Collections.Concurrent;
using System.Net;
using Podwake.Activation;
using Podwake.Proxy;

namespace Podwake.Tests.Activation;

/// <summary>A workload for the state machine's unit tests: records calls, readiness set by the test.</summary>
internal sealed class FakeWorkload : IWorkload
{
    private int _starts;
    private int _stops;

    public volatile bool Ready = true;

    public volatile bool Running = true;

    /// <summary>When set, StartAsync waits for it: lets a test pile connections onto one wake.</summary>
    public TaskCompletionSource? StartGate { get; set; }

    public int Starts => Volatile.Read(ref _starts);

    public int Stops => Volatile.Read(ref _stops);

    public long LastGeneration { get; private set; }

    /// <summary>When set, StartAsync throws it (after counting the start): a start podman refused.</summary>
    public Exception? StartFailure { get; set; }

    /// <summary>Times of each start, on the activator's clock, when <see cref="Clock"/> is set.</summary>
    public List<DateTimeOffset> StartTimes { get; } = [];

    public TimeProvider? Clock { get; set; }

    private readonly ConcurrentDictionary<long, WorkloadRun> _runs = new();

    private readonly ConcurrentDictionary<long, TaskCompletionSource<int?>> _exits = new();

    /// <summary>Run <paramref name="generation"/> ends on its own, as podman's "died" event or the unit's process exit reports it.</summary>
    public void Exit(long generation, int? exitCode)
    {
        if (_exits.TryGetValue(generation, out var exit))
        {
            exit.TrySetResult(exitCode);
        }
    }

    /// <summary>The generation of the run <paramref name="backend"/> belongs to.</summary>
    public long GenerationOf(Backend backend) => _runs.Values.Single(r => ReferenceEquals(r.Backend, backend)).Generation;

    public async Task<WorkloadRun> StartAsync(long generation, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _starts);
        LastGeneration = generation;
        var exit = _exits[generation] = new TaskCompletionSource<int?>();
        var run = _runs[generation] = new WorkloadRun(generation, new Backend(new Dictionary<int, IPEndPoint> { [8080] = new(IPAddress.Loopback, 8080) }), exit.Task);
        if (Clock is { } clock)
        {
            lock (StartTimes)
            {
                StartTimes.Add(clock.GetUtcNow());
            }
        }

        if (StartFailure is { } failure)
        {
            throw failure;
        }

        if (StartGate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        return run;
    }

    /// <summary>
    /// When set, the next run to be found ready exits with this code during that probe (once: the restart that follows
    /// gets ready normally): an exit between the last probe and the activator taking the run.
    /// </summary>
    public int? ExitAtReadyProbe { get; set; }

    public Task<bool> ProbeAsync(WorkloadRun run, CancellationToken cancellationToken)
    {
        if (Ready && ExitAtReadyProbe is { } code)
        {
            ExitAtReadyProbe = null;
            Exit(run.Generation, code);
        }

        return Task.FromResult(Ready);
    }

    public Task<bool> IsRunningAsync(WorkloadRun run, CancellationToken cancellationToken) => Task.FromResult(Running);

    public Task<WorkloadExit> ExplainExitAsync(int? exitCode, CancellationToken cancellationToken) =>
        Task.FromResult(WorkloadExit.DuringStart("podwake-svc", exitCode, ["config error: DATABASE_URL not set"]));

    public Task StopAsync(WorkloadRun? run, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _stops);
        return Task.CompletedTask;
    }
}
