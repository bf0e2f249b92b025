using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Podwake.Activation;
using Podwake.Specs;
using Xunit;

namespace Podwake.Tests.Activation;

public sealed class ServiceActivatorTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-23T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly FakeWorkload _workload = new();
    private readonly List<ServiceState> _settled = [];
    private ServiceActivator _activator = null!;

    public Task InitializeAsync()
    {
        _activator = Create(new ActivationOptions { Idle = TimeSpan.FromSeconds(30), ReadyTimeout = TimeSpan.FromSeconds(10) });
        return Task.CompletedTask;
    }

    private IReadOnlyList<ServiceState> Settled
    {
        get
        {
            lock (_settled)
            {
                return [.. _settled];
            }
        }
    }

    public async Task DisposeAsync() => await _activator.DisposeAsync();

    [Fact]
    public async Task FirstConnection_WakesAndReturnsLease()
    {
        using var lease = await _activator.AcquireAsync(CancellationToken.None);

        Assert.NotNull(lease);
        Assert.Equal(1, _workload.Starts);
        Assert.Equal(ServiceState.Ready, _activator.State);
        Assert.Equal(1, _activator.GetStatus().OpenConnections);
    }

    [Fact]
    public async Task ManySimultaneousFirstConnections_StartOnce()
    {
        _workload.StartGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var acquires = Enumerable.Range(0, 50).Select(_ => _activator.AcquireAsync(CancellationToken.None).AsTask()).ToArray();
        await WaitUntil(() => _activator.GetStatus().HeldConnections == 50);
        Assert.Equal(ServiceState.Waking, _activator.State);

        _workload.StartGate.SetResult();
        var leases = await Task.WhenAll(acquires);

        Assert.All(leases, Assert.NotNull);
        Assert.Equal(1, _workload.Starts);
        Assert.Equal(50, _activator.GetStatus().OpenConnections);
        foreach (var lease in leases)
        {
            lease!.Dispose();
        }

        Assert.Equal(0, _activator.GetStatus().OpenConnections);
    }

    [Fact]
    public async Task NoConnectionForIdle_StopsAndGoesDormant()
    {
        (await _activator.AcquireAsync(CancellationToken.None))!.Dispose();
        Assert.Equal(30, _activator.GetStatus().IdleRemainingSeconds);

        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(ServiceState.Ready, _activator.State);
        Assert.Equal(1, _activator.GetStatus().IdleRemainingSeconds);

        _time.Advance(TimeSpan.FromSeconds(1));
        await WaitUntil(() => _activator.State == ServiceState.Dormant);
        Assert.Equal(1, _workload.Stops);
    }

    [Fact]
    public async Task IdleStop_ReportsSettledDormant_Once()
    {
        (await _activator.AcquireAsync(CancellationToken.None))!.Dispose();

        _time.Advance(TimeSpan.FromSeconds(30));
        await WaitUntil(() => _activator.State == ServiceState.Dormant);

        await WaitUntil(() => Settled.Count == 1);
        Assert.Equal([ServiceState.Dormant], Settled);
    }

    [Fact]
    public async Task FailedWake_ReportsSettledFailed()
    {
        _workload.Ready = false;
        var acquire = _activator.AcquireAsync(CancellationToken.None).AsTask();
        await WaitUntil(() => _workload.Starts == 1);

        await AdvanceUntil(() => acquire.IsCompleted, TimeSpan.FromSeconds(11));

        await WaitUntil(() => Settled.Count == 1);
        Assert.Equal([ServiceState.Failed], Settled);
    }

    [Fact]
    public async Task OpenConnection_KeepsServiceUpPastIdle()
    {
        var lease = await _activator.AcquireAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(ServiceState.Ready, _activator.State);
        Assert.Null(_activator.GetStatus().IdleRemainingSeconds);

        lease!.Dispose();
        _time.Advance(TimeSpan.FromSeconds(30));
        await WaitUntil(() => _activator.State == ServiceState.Dormant);
    }

    [Fact]
    public async Task ConnectionDuringIdleCountdown_RestartsCountdown()
    {
        (await _activator.AcquireAsync(CancellationToken.None))!.Dispose();
        _time.Advance(TimeSpan.FromSeconds(20));
        (await _activator.AcquireAsync(CancellationToken.None))!.Dispose();
        _time.Advance(TimeSpan.FromSeconds(20));

        Assert.Equal(ServiceState.Ready, _activator.State);
        Assert.Equal(0, _workload.Stops);
        _time.Advance(TimeSpan.FromSeconds(10));
        await WaitUntil(() => _activator.State == ServiceState.Dormant);
    }

    [Fact]
    public async Task ConnectionAfterIdleStop_WakesAgain()
    {
        (await _activator.AcquireAsync(CancellationToken.None))!.Dispose();
        _time.Advance(TimeSpan.FromSeconds(30));
        await WaitUntil(() => _activator.State == ServiceState.Dormant);

        using var lease = await _activator.AcquireAsync(CancellationToken.None);

        Assert.NotNull(lease);
        Assert.Equal(2, _workload.Starts);
        Assert.Equal(2, _workload.GenerationOf(lease.Backend));
        Assert.Equal(2, _activator.GetStatus().Wakes);
    }

    [Fact]
    public async Task IdleNever_NeverStops()
    {
        await using var activator = Create(new ActivationOptions { Idle = null });
        (await activator.AcquireAsync(CancellationToken.None))!.Dispose();
        _time.Advance(TimeSpan.FromDays(3));
        Assert.Equal(ServiceState.Ready, activator.State);
        Assert.Null(activator.GetStatus().IdleRemainingSeconds);
    }

    [Fact]
    public async Task NeverReady_FailsAtTimeoutAndStopsContainer()
    {
        _workload.Ready = false;
        var acquire = _activator.AcquireAsync(CancellationToken.None).AsTask();
        await WaitUntil(() => _workload.Starts == 1);

        await AdvanceUntil(() => acquire.IsCompleted, TimeSpan.FromSeconds(11));

        Assert.Null(await acquire);
        var status = _activator.GetStatus();
        Assert.Equal(ServiceState.Failed, status.State);
        Assert.Equal(1, status.FailedWakes);
        Assert.Equal(0, status.OpenConnections);
        Assert.Contains("ready.timeout", status.LastError, StringComparison.Ordinal);
        Assert.Equal(1, _workload.Stops);
    }

    [Fact]
    public async Task AfterFailedWake_NextConnectionAfterTheBackoffTriesAgain()
    {
        _workload.Ready = false;
        var first = _activator.AcquireAsync(CancellationToken.None).AsTask();
        await AdvanceUntil(() => first.IsCompleted, TimeSpan.FromSeconds(11));
        _workload.Ready = true;
        Assert.Null(await _activator.AcquireAsync(CancellationToken.None));
        _time.Advance(RestartBackoff.First);

        using var lease = await _activator.AcquireAsync(CancellationToken.None);

        Assert.NotNull(lease);
        Assert.Equal(2, _workload.Starts);
    }

    [Fact]
    public async Task ExitBeforeReady_FailsWakeWithoutWaitingForTimeout()
    {
        _workload.Ready = false;
        var acquire = _activator.AcquireAsync(CancellationToken.None).AsTask();
        await WaitUntil(() => _workload.Starts == 1);

        _workload.Exit(_workload.LastGeneration, 0);

        Assert.Null(await acquire.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal("container podwake-svc exited with code 0 during start; its last lines:\n  config error: DATABASE_URL not set", _activator.GetStatus().LastError);
        Assert.Equal(1, _workload.Starts);
    }

    [Fact]
    public async Task ExitWhileReady_OnFailure_RestartsAndCancelsOpenLeases()
    {
        var lease = await _activator.AcquireAsync(CancellationToken.None);

        _workload.Exit(_workload.GenerationOf(lease!.Backend), 137);

        Assert.True(lease.Lost.IsCancellationRequested);
        lease.Dispose();
        await WaitUntil(() => _activator.State == ServiceState.Ready && _workload.Starts == 2);
        Assert.Equal(1, _activator.GetStatus().Restarts);
    }

    [Fact]
    public async Task CleanExit_OnFailure_GoesDormant()
    {
        (await _activator.AcquireAsync(CancellationToken.None))!.Dispose();

        _workload.Exit(1, 0);

        await WaitUntil(() => _activator.State == ServiceState.Dormant);
        Assert.Equal(1, _workload.Starts);
    }

    [Fact]
    public async Task ExitOfOldGeneration_IsIgnored()
    {
        (await _activator.AcquireAsync(CancellationToken.None))!.Dispose();
        _time.Advance(TimeSpan.FromSeconds(30));
        await WaitUntil(() => _activator.State == ServiceState.Dormant);
        using var lease = await _activator.AcquireAsync(CancellationToken.None);

        _workload.Exit(1, 137);

        Assert.False(lease!.Lost.IsCancellationRequested);
        Assert.Equal(ServiceState.Ready, _activator.State);
    }

    [Fact]
    public async Task RestartAlways_RestartsAfterCleanExit()
    {
        await using var activator = Create(new ActivationOptions { Restart = RestartPolicy.Always });
        (await activator.AcquireAsync(CancellationToken.None))!.Dispose();

        _workload.Exit(1, 0);

        await WaitUntil(() => activator.State == ServiceState.Ready && _workload.Starts == 2);
    }

    [Fact]
    public async Task RestartNo_StaysDormantUntilNextConnection()
    {
        await using var activator = Create(new ActivationOptions { Restart = RestartPolicy.No });
        (await activator.AcquireAsync(CancellationToken.None))!.Dispose();

        _workload.Exit(1, 137);

        await WaitUntil(() => activator.State == ServiceState.Dormant);
        Assert.Equal(1, _workload.Starts);
        using var lease = await activator.AcquireAsync(CancellationToken.None);
        Assert.Equal(2, _workload.Starts);
    }

    [Fact]
    public async Task MoreThanHoldWaiting_ClosesTheExtraAndCountsIt()
    {
        await using var activator = Create(new ActivationOptions { Hold = 2 });
        _workload.StartGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = activator.AcquireAsync(CancellationToken.None).AsTask();
        var second = activator.AcquireAsync(CancellationToken.None).AsTask();

        var third = await activator.AcquireAsync(CancellationToken.None);

        Assert.Null(third);
        Assert.Equal(1, activator.GetStatus().RejectedConnections);
        _workload.StartGate.SetResult();
        Assert.NotNull(await first);
        Assert.NotNull(await second);
    }

    [Fact]
    public async Task ExitRightAfterTheLastProbe_IsAnExitWhileReady_RestartedAtOnce()
    {
        // Before the run's Exited task, such an exit left the service "ready" on a dead run until a connection failed.
        _workload.ExitAtReadyProbe = 137;

        var lease = await _activator.AcquireAsync(CancellationToken.None);

        Assert.NotNull(lease);
        Assert.True(lease.Lost.IsCancellationRequested);
        lease.Dispose();
        await WaitUntil(() => _activator.State == ServiceState.Ready && _workload.Starts == 2);
        Assert.Equal(1, _activator.GetStatus().Restarts);
    }

    [Fact]
    public async Task UnreachableBackendOfAnEarlierRun_IsIgnored()
    {
        var first = await _activator.AcquireAsync(CancellationToken.None);
        var stale = first!.Backend;
        first.Dispose();
        _time.Advance(TimeSpan.FromSeconds(30));
        await WaitUntil(() => _activator.State == ServiceState.Dormant);
        using var lease = await _activator.AcquireAsync(CancellationToken.None);
        _workload.Running = false;

        await _activator.ReportUnreachableAsync(stale, CancellationToken.None);

        Assert.False(lease!.Lost.IsCancellationRequested);
        Assert.Equal(ServiceState.Ready, _activator.State);
        Assert.Equal(2, _workload.Starts);
    }

    [Fact]
    public async Task UnreachableRunThatStopped_IsTreatedAsExited()
    {
        var lease = await _activator.AcquireAsync(CancellationToken.None);
        _workload.Running = false;

        await _activator.ReportUnreachableAsync(lease!.Backend, CancellationToken.None);

        Assert.True(lease.Lost.IsCancellationRequested);
        lease.Dispose();
        await WaitUntil(() => _workload.Starts == 2);
    }

    [Fact]
    public async Task CancelledWaiter_ReleasesItsCount()
    {
        _workload.StartGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cts = new CancellationTokenSource();
        var acquire = _activator.AcquireAsync(cts.Token).AsTask();
        await WaitUntil(() => _activator.GetStatus().HeldConnections == 1);

        await cts.CancelAsync();

        Assert.Null(await acquire);
        Assert.Equal(0, _activator.GetStatus().OpenConnections);
        _workload.StartGate.SetResult();
    }

    [Fact]
    public async Task Dispose_StopsTheRunningContainer()
    {
        (await _activator.AcquireAsync(CancellationToken.None))!.Dispose();

        await _activator.DisposeAsync();

        Assert.Equal(1, _workload.Stops);
        Assert.Null(await _activator.AcquireAsync(CancellationToken.None));
    }

    private ServiceActivator Create(ActivationOptions options) =>
        new("svc", options, _workload, _time, NullLogger.Instance, state =>
        {
            lock (_settled)
            {
                _settled.Add(state);
            }
        });

    /// <summary>Waits in real time for work the activator finishes on the thread pool.</summary>
    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached within 5 s");
            await Task.Delay(5);
        }
    }

    /// <summary>Moves fake time in small steps, letting the wake's probe loop run between them.</summary>
    private async Task AdvanceUntil(Func<bool> condition, TimeSpan limit)
    {
        var moved = TimeSpan.Zero;
        while (!condition() && moved <= limit)
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
            moved += TimeSpan.FromMilliseconds(100);
            await Task.Delay(1);
        }

        await WaitUntil(condition);
    }
}
