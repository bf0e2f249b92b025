using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Podwake.Activation;
using Xunit;

namespace Podwake.Tests.Activation;

/// <summary>The wake phases and counters the activator keeps for the Prometheus exposition, on a fake clock.</summary>
public sealed class ServiceActivatorMetricsTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-30T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly FakeWorkload _workload = new();
    private readonly List<ServiceActivator> _activators = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var activator in _activators)
        {
            await activator.DisposeAsync();
        }
    }

    [Fact]
    public async Task AWake_EachPhaseEndsAtItsMoment_AndTheyAddUpToTheWhole()
    {
        var activator = Create();
        var lease = await WakeAsync(activator, starting: TimeSpan.FromMilliseconds(200));
        Assert.True(lease.AwaitsFirstByte);

        _time.Advance(TimeSpan.FromMilliseconds(50));
        lease.FirstByteSent();

        var metrics = activator.GetStatus().Metrics!;
        Assert.Equal(0, metrics.WakePhases["start_requested"].Sum, 6);
        Assert.Equal(0.2, metrics.WakePhases["running"].Sum, 6);
        Assert.Equal(0, metrics.WakePhases["ready"].Sum, 6);
        Assert.Equal(0.05, metrics.WakePhases["first_byte"].Sum, 6);
        Assert.All(metrics.WakePhases.Values, phase => Assert.Equal(1, phase.Count));
        Assert.Equal(0.25, metrics.WakeToFirstByte!.Sum, 6);
        Assert.Equal(1, metrics.WakeToFirstByte.Count);
        Assert.Equal(1, metrics.ConnectionsAccepted);
        Assert.Equal(1, metrics.ConnectionsHeld);
        lease.Dispose();
    }

    [Fact]
    public async Task OnlyTheFirstByteOfTheWokenRunEndsTheWake_LaterConnectionsAreNotWatched()
    {
        var activator = Create();
        using var first = await WakeAsync(activator, starting: TimeSpan.FromMilliseconds(10));
        first.FirstByteSent();
        first.FirstByteSent();

        using var later = (await activator.AcquireAsync(CancellationToken.None))!;

        Assert.False(later.AwaitsFirstByte);
        var metrics = activator.GetStatus().Metrics!;
        Assert.Equal(1, metrics.WakeToFirstByte!.Count);
        Assert.Equal(2, metrics.ConnectionsAccepted);
        Assert.Equal(1, metrics.ConnectionsHeld);
    }

    [Fact]
    public async Task ThePhasesOfAProcessStartedByTheConnection_StartAtThatProcessStart()
    {
        var activator = Create();
        activator.StartedByConnectionAt(_time.GetTimestamp() - _time.TimestampFrequency / 2);

        using var lease = await WakeAsync(activator, starting: TimeSpan.Zero);
        lease.FirstByteSent();

        var metrics = activator.GetStatus().Metrics!;
        Assert.Equal(0.5, metrics.WakePhases["start_requested"].Sum, 6);
        Assert.Equal(0.5, metrics.WakeToFirstByte!.Sum, 6);
    }

    [Fact]
    public async Task ANewActivatorRestoredFromTheLastState_CountsOn()
    {
        var first = Create();
        using (var lease = await WakeAsync(first, starting: TimeSpan.FromMilliseconds(100)))
        {
            lease.Transferred(10, 20);
            lease.FirstByteSent();
        }

        var last = first.GetStatus();
        var second = Create();
        second.Restore(last);
        using (var lease = await WakeAsync(second, starting: TimeSpan.FromMilliseconds(100)))
        {
            lease.Transferred(1, 2);
            lease.FirstByteSent();
        }

        var status = second.GetStatus();
        Assert.Equal(2, status.Wakes);
        Assert.Equal(2, status.Metrics!.ConnectionsAccepted);
        Assert.Equal(11, status.Metrics.BytesToService);
        Assert.Equal(22, status.Metrics.BytesToClient);
        Assert.Equal(2, status.Metrics.WakeToFirstByte!.Count);
        Assert.Equal(0.2, status.Metrics.WakePhases["running"].Sum, 6);
    }

    [Fact]
    public async Task AnIdleStop_IsCounted()
    {
        var activator = Create();
        (await WakeAsync(activator, starting: TimeSpan.Zero)).Dispose();

        _time.Advance(TimeSpan.FromSeconds(30));

        await WaitUntil(() => activator.State == ServiceState.Dormant);
        Assert.Equal(1, activator.GetStatus().Metrics!.IdleStops);
    }

    [Fact]
    public async Task AnUpdateProofThatServesAHeldConnection_TimesTheWakeFromThatConnection_NotFromAnEarlierWake()
    {
        var activator = Create();
        using (var lease = await WakeAsync(activator, starting: TimeSpan.Zero))
        {
            lease.FirstByteSent();
        }

        _time.Advance(TimeSpan.FromSeconds(31));
        await WaitUntil(() => activator.State == ServiceState.Dormant);
        _time.Advance(TimeSpan.FromHours(1));
        var next = new FakeWorkload { StartGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var update = activator.ReplaceAsync(next, TimeSpan.FromSeconds(30));
        await WaitUntil(() => next.Starts == 1);
        var acquire = activator.AcquireAsync(CancellationToken.None).AsTask();
        await WaitUntil(() => activator.GetStatus().HeldConnections == 1);
        next.StartGate.SetResult();
        using (var lease = (await acquire)!)
        {
            lease.FirstByteSent();
        }

        await update;
        var metrics = activator.GetStatus().Metrics!;
        Assert.True(metrics.WakeToFirstByte!.Sum < 1, $"whole wakes {metrics.WakeToFirstByte.Sum} s");
        Assert.True(metrics.WakePhases["start_requested"].Sum < 1, $"start_requested {metrics.WakePhases["start_requested"].Sum} s");
    }

    [Fact]
    public async Task AHeldClientThatHangsUp_LeavesTheLastPhaseOpen_ALaterClientDoesNotEndIt()
    {
        var activator = Create();
        var held = await WakeAsync(activator, starting: TimeSpan.Zero);
        using var silent = (await activator.AcquireAsync(CancellationToken.None))!;
        held.Dispose();
        _time.Advance(TimeSpan.FromMinutes(10));

        using var later = (await activator.AcquireAsync(CancellationToken.None))!;
        later.FirstByteSent();

        Assert.False(later.AwaitsFirstByte);
        Assert.Equal(0, activator.GetStatus().Metrics!.WakeToFirstByte!.Count);
    }

    [Fact]
    public async Task ARestartWithNobodyWaiting_IsAWake_ButNotTimedInTheHistograms()
    {
        var activator = new ServiceActivator("svc", new ActivationOptions { Idle = TimeSpan.FromHours(1), ReadyTimeout = TimeSpan.FromSeconds(10), Restart = Podwake.Specs.RestartPolicy.Always },
            _workload, _time, NullLogger.Instance);
        _activators.Add(activator);
        using (var lease = await WakeAsync(activator, starting: TimeSpan.Zero))
        {
            lease.FirstByteSent();
        }

        _workload.Exit(_workload.LastGeneration, 1);
        await WaitUntil(() => activator.GetStatus().Restarts == 1 && activator.State == ServiceState.Ready);
        _time.Advance(TimeSpan.FromMinutes(20));
        using (var later = (await activator.AcquireAsync(CancellationToken.None))!)
        {
            later.FirstByteSent();
        }

        var status = activator.GetStatus();
        Assert.Equal(2, status.Wakes);
        Assert.All(status.Metrics!.WakePhases.Values, phase => Assert.Equal(1, phase.Count));
        Assert.Equal(1, status.Metrics.WakeToFirstByte!.Count);
    }

    /// <summary>One connection's wake whose container start takes <paramref name="starting"/> (fake time); its lease.</summary>
    private async Task<Podwake.Proxy.BackendLease> WakeAsync(ServiceActivator activator, TimeSpan starting)
    {
        _workload.StartGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var starts = _workload.Starts;
        var acquire = activator.AcquireAsync(CancellationToken.None).AsTask();
        await WaitUntil(() => activator.GetStatus().HeldConnections == 1 && _workload.Starts > starts);
        _time.Advance(starting);
        _workload.StartGate.SetResult();
        return (await acquire)!;
    }

    private ServiceActivator Create()
    {
        var activator = new ServiceActivator("svc", new ActivationOptions { Idle = TimeSpan.FromSeconds(30), ReadyTimeout = TimeSpan.FromSeconds(10) }, _workload, _time, NullLogger.Instance);
        _activators.Add(activator);
        return activator;
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached within 5 s");
            await Task.Delay(5);
        }
    }
}
