using Microsoft.Extensions.Time.Testing;
using Podwake.Activation;
using Podwake.Specs;
using Xunit;

namespace Podwake.Tests.Activation;

/// <summary>Failed wakes: the restart policy's retries with backoff, closing during the backoff, recovery, bounded logs.</summary>
public sealed class ServiceActivatorRecoveryTests
{
    private static readonly WorkloadExitedException ExitsWith3 =
        new(WorkloadExit.DuringStart("podwake-svc", 3, ["config error: DATABASE_URL not set"]));

    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-23T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly FakeWorkload _workload = new();
    private readonly ListLogger _log = new();

    public ServiceActivatorRecoveryTests() => _workload.Clock = _time;

    [Fact]
    public async Task ExitDuringStart_OnFailure_RetriesWithBackoffThenFails()
    {
        await using var activator = Create(RestartPolicy.OnFailure);
        _workload.StartFailure = ExitsWith3;

        var acquire = activator.AcquireAsync(CancellationToken.None).AsTask();
        await AdvanceUntil(() => acquire.IsCompleted, TimeSpan.FromSeconds(5));

        Assert.Null(await acquire);
        Assert.Equal(3, _workload.Starts);
        var start = _workload.StartTimes[0];
        Assert.Equal([0, 100, 300], _workload.StartTimes.Select(t => (int)Math.Round((t - start).TotalMilliseconds / 100) * 100));
        var status = activator.GetStatus();
        Assert.Equal(ServiceState.Failed, status.State);
        Assert.Equal(3, status.FailedWakes);
        Assert.StartsWith("container podwake-svc exited with code 3 during start; its last lines:\n  config error: DATABASE_URL not set", status.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExitDuringStart_RestartNo_DoesNotRetry()
    {
        await using var activator = Create(RestartPolicy.No);
        _workload.StartFailure = ExitsWith3;

        Assert.Null(await activator.AcquireAsync(CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(5)));

        Assert.Equal(1, _workload.Starts);
        Assert.Equal(ServiceState.Failed, activator.State);
    }

    [Fact]
    public async Task CleanExitDuringStart_OnFailure_DoesNotRetry_Always_Does()
    {
        _workload.StartFailure = new WorkloadExitedException(WorkloadExit.DuringStart("podwake-svc", 0, []));
        await using (var onFailure = Create(RestartPolicy.OnFailure))
        {
            Assert.Null(await onFailure.AcquireAsync(CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(5)));
            Assert.Equal(1, _workload.Starts);
        }

        await using var always = Create(RestartPolicy.Always);
        var acquire = always.AcquireAsync(CancellationToken.None).AsTask();
        await AdvanceUntil(() => acquire.IsCompleted, TimeSpan.FromSeconds(5));
        Assert.Equal(1 + 3, _workload.Starts);
    }

    [Fact]
    public async Task DuringBackoff_ConnectionsAreClosedWithoutAWake_AfterItTheNextOneTriesAgain()
    {
        await using var activator = Create(RestartPolicy.OnFailure);
        _workload.StartFailure = new InvalidOperationException("Failed to start container: podman answered 404");
        var first = activator.AcquireAsync(CancellationToken.None).AsTask();
        await AdvanceUntil(() => first.IsCompleted, TimeSpan.FromSeconds(5));
        Assert.Equal(3, _workload.Starts);

        // Three failures in a row: the next try is 400 ms later.
        for (var i = 0; i < 100; i++)
        {
            Assert.Null(await activator.AcquireAsync(CancellationToken.None));
        }

        Assert.Equal(3, _workload.Starts);
        Assert.Equal(0, activator.GetStatus().OpenConnections);

        _time.Advance(TimeSpan.FromMilliseconds(400));
        _workload.StartFailure = null;
        using var lease = await activator.AcquireAsync(CancellationToken.None);

        Assert.NotNull(lease);
        Assert.Equal(4, _workload.Starts);
        Assert.Equal(ServiceState.Ready, activator.State);
        Assert.Null(activator.GetStatus().LastError);
    }

    [Fact]
    public async Task PersistentFailure_BackoffGrowsAcrossWakesTo30s()
    {
        await using var activator = Create(RestartPolicy.No);
        _workload.StartFailure = new InvalidOperationException("image gone");

        // A client that connects every 50 ms for 2 minutes of fake time.
        for (var elapsed = TimeSpan.Zero; elapsed < TimeSpan.FromMinutes(2); elapsed += TimeSpan.FromMilliseconds(50))
        {
            Assert.Null(await activator.AcquireAsync(CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(5)));
            _time.Advance(TimeSpan.FromMilliseconds(50));
        }

        // 100 ms, 200 ms, ... 25.6 s, then 30 s: 12 tries in 120 s (the tight loop made one per connection: 2,400).
        var start = _workload.StartTimes[0];
        var gaps = _workload.StartTimes.Zip(_workload.StartTimes.Skip(1), (a, b) => (b - a).TotalSeconds).ToList();
        Assert.Equal(12, _workload.Starts);
        Assert.All(gaps.Zip(gaps.Skip(1)), pair => Assert.True(pair.Second >= pair.First, $"backoff shrank: {string.Join(", ", gaps)}"));
        Assert.InRange(gaps[^1], 30, 30.1);
        Assert.True((_workload.StartTimes[^1] - start).TotalSeconds > 60);
    }

    [Fact]
    public async Task FailureRun_LogsFirstFailureThenRateLimitedSummaries_ThenRecovered()
    {
        await using var activator = Create(RestartPolicy.No);
        _workload.StartFailure = new InvalidOperationException("Failed to start container podwake-svc: no such container");
        for (var elapsed = TimeSpan.Zero; elapsed < TimeSpan.FromSeconds(60); elapsed += TimeSpan.FromMilliseconds(50))
        {
            await activator.AcquireAsync(CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
            _time.Advance(TimeSpan.FromMilliseconds(50));
        }

        _time.Advance(RestartBackoff.Cap);
        _workload.StartFailure = null;
        using var lease = await activator.AcquireAsync(CancellationToken.None);

        Assert.NotNull(lease);
        var lines = _log.Lines;
        var failures = _workload.Starts - 1;
        Assert.Equal(1, lines.Count(l => l.Contains("failed to wake", StringComparison.Ordinal)));
        Assert.InRange(lines.Count(l => l.Contains("still failing", StringComparison.Ordinal)), 1, 7);
        Assert.True(failures > lines.Count, $"{failures} failures, {lines.Count} lines:\n{string.Join('\n', lines)}");
        Assert.Single(lines, l => l.Contains($"recovered after {failures} failed attempts", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("   at ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CrashLoopWhileReady_RestartsBackOff()
    {
        await using var activator = Create(RestartPolicy.Always);
        (await activator.AcquireAsync(CancellationToken.None))!.Dispose();

        for (var crash = 1; crash <= 4; crash++)
        {
            var generation = _workload.LastGeneration;
            _workload.Exit(generation, 1);
            await AdvanceUntil(() => activator.State == ServiceState.Ready && _workload.LastGeneration > generation, TimeSpan.FromSeconds(5));
        }

        // At once, then 100, 200, 400 ms after each exit.
        var gaps = _workload.StartTimes.Zip(_workload.StartTimes.Skip(1), (a, b) => (int)Math.Round((b - a).TotalMilliseconds / 100) * 100).ToList();
        Assert.Equal([0, 100, 200, 400], gaps);
        Assert.Equal(4, activator.GetStatus().Restarts);
    }

    [Theory]
    [InlineData(143, "on-failure", false)]
    [InlineData(0, "on-failure", false)]
    [InlineData(137, "on-failure", true)]
    [InlineData(143, "always", true)]
    [InlineData(1, "no", false)]
    public async Task ExitWhileReady_FollowsThePolicy_143IsAStop(int exitCode, string policy, bool restarted)
    {
        await using var activator = Create(policy switch { "no" => RestartPolicy.No, "always" => RestartPolicy.Always, _ => RestartPolicy.OnFailure });
        (await activator.AcquireAsync(CancellationToken.None))!.Dispose();

        _workload.Exit(_workload.LastGeneration, exitCode);

        var settled = restarted ? ServiceState.Ready : ServiceState.Dormant;
        await AdvanceUntil(() => activator.State == settled && _workload.Starts == (restarted ? 2 : 1), TimeSpan.FromSeconds(1));
        Assert.Equal(restarted ? 1 : 0, activator.GetStatus().Restarts);
    }

    [Fact]
    public async Task FloodPastHold_LogsAtMostOneLineASecondWithACount()
    {
        await using var activator = new ServiceActivator("svc", new ActivationOptions { Hold = 1 }, _workload, _time, _log);
        _workload.StartGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = activator.AcquireAsync(CancellationToken.None).AsTask();

        for (var i = 0; i < 5000; i++)
        {
            Assert.Null(await activator.AcquireAsync(CancellationToken.None));
            if (i == 2500)
            {
                _time.Advance(TimeSpan.FromSeconds(1));
            }
        }

        var rejected = _log.Lines.Where(l => l.Contains("closing new ones", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, rejected.Count);
        Assert.Contains("2500 more closed since the last such line", rejected[1], StringComparison.Ordinal);
        Assert.Equal(5000, activator.GetStatus().RejectedConnections);
        _workload.StartGate.SetResult();
        (await held)!.Dispose();
    }

    private ServiceActivator Create(RestartPolicy restart) =>
        new("svc", new ActivationOptions { Restart = restart, Idle = TimeSpan.FromMinutes(10), ReadyTimeout = TimeSpan.FromSeconds(10) }, _workload, _time, _log);

    /// <summary>Moves fake time in 10 ms steps, letting the wake's backoff and probe loops run between them.</summary>
    private async Task AdvanceUntil(Func<bool> condition, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        var moved = TimeSpan.Zero;
        while (!condition())
        {
            Assert.True(moved <= limit && DateTime.UtcNow < deadline, "condition not reached");
            await Task.Delay(2);
            _time.Advance(TimeSpan.FromMilliseconds(10));
            moved += TimeSpan.FromMilliseconds(10);
        }
    }
}
