using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Podwake.Activation;
using Podwake.Proxy;
using Xunit;

namespace Podwake.Tests.Activation;

/// <summary>
/// <see cref="ServiceActivator.ReplaceAsync"/>: an update's new workload takes over a running service beside the old
/// run, or is proved with no traffic while dormant; a new run that is not ready is a rollback, and no connection is
/// refused either way.
/// </summary>
public sealed class ServiceActivatorUpdateTests : IAsyncLifetime
{
    private static readonly TimeSpan Drain = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-30T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly FakeWorkload _old = new();
    private readonly FakeWorkload _next = new();
    private ServiceActivator _activator = null!;

    public Task InitializeAsync()
    {
        _activator = new ServiceActivator("svc", new ActivationOptions { Idle = TimeSpan.FromSeconds(30), ReadyTimeout = TimeSpan.FromSeconds(10) }, _old, _time, NullLogger.Instance);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _activator.DisposeAsync();

    [Fact]
    public async Task Running_NewConnectionsGoToTheNewRun_TheOldDrainsThenStops()
    {
        var onOld = (await _activator.AcquireAsync(CancellationToken.None))!;

        var update = _activator.ReplaceAsync(_next, Drain);
        await WaitUntil(() => _next.Starts == 1);
        BackendLease onNew = null!;
        await WaitUntil(() =>
        {
            var lease = _activator.AcquireAsync(CancellationToken.None).AsTask().Result!;
            if (IsOf(_next, lease.Backend))
            {
                onNew = lease;
                return true;
            }

            lease.Dispose();
            return false;
        });

        Assert.False(update.IsCompleted);
        Assert.Equal(0, _old.Stops);
        Assert.False(onOld.Lost.IsCancellationRequested);

        onOld.Dispose();
        var outcome = await update.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.True(outcome.Replaced);
        Assert.True(outcome.WasRunning);
        Assert.Equal(0, outcome.ClosedAfterDrain);
        Assert.Equal(1, _old.Stops);
        Assert.Equal(0, _next.Stops);
        Assert.False(onNew.Lost.IsCancellationRequested);
        Assert.Equal(ServiceState.Ready, _activator.State);
        Assert.Equal(1, _activator.GetStatus().Wakes);
        onNew.Dispose();
        Assert.Equal(0, _activator.GetStatus().OpenConnections);
    }

    [Fact]
    public async Task Running_DrainTimeUp_ClosesTheOldRunsConnections()
    {
        var onOld = (await _activator.AcquireAsync(CancellationToken.None))!;

        var update = _activator.ReplaceAsync(_next, Drain);
        await WaitUntil(() => _next.Starts == 1 && _activator.GetStatus().OpenConnections == 1 && !update.IsCompleted);
        await AdvanceUntil(update, TimeSpan.FromSeconds(5));
        var outcome = await update.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.True(outcome.Replaced);
        Assert.Equal(1, outcome.ClosedAfterDrain);
        Assert.True(onOld.Lost.IsCancellationRequested);
        Assert.Equal(1, _old.Stops);
        onOld.Dispose();
        Assert.Equal(0, _activator.GetStatus().OpenConnections);
    }

    [Fact]
    public async Task Running_NewNeverReady_RollsBack_TheOldServesOn()
    {
        var onOld = (await _activator.AcquireAsync(CancellationToken.None))!;
        _next.Ready = false;

        var update = _activator.ReplaceAsync(_next, Drain);
        await AdvanceUntil(update, TimeSpan.FromSeconds(1));
        var outcome = await update.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.False(outcome.Replaced);
        Assert.True(outcome.RolledBack);
        Assert.Contains("ready.timeout", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal(1, _next.Stops);
        Assert.Equal(0, _old.Stops);
        Assert.False(onOld.Lost.IsCancellationRequested);
        using var another = (await _activator.AcquireAsync(CancellationToken.None))!;
        Assert.True(IsOf(_old, another.Backend));
        onOld.Dispose();
    }

    [Fact]
    public async Task Dormant_TheNewRunIsProvedAndStoppedAgain_NoWakeCounted_TheNextConnectionWakesIt()
    {
        var outcome = await _activator.ReplaceAsync(_next, Drain).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.True(outcome.Replaced);
        Assert.False(outcome.WasRunning);
        await WaitUntil(() => _activator.State == ServiceState.Dormant);
        Assert.Equal((1, 1), (_next.Starts, _next.Stops));
        Assert.Equal(0, _old.Starts);
        Assert.Equal(0, _activator.GetStatus().Wakes);

        using var lease = (await _activator.AcquireAsync(CancellationToken.None))!;
        Assert.True(IsOf(_next, lease.Backend));
        Assert.Equal(0, _old.Starts);
    }

    [Fact]
    public async Task Dormant_NewNeverReady_RollsBack_TheNextConnectionWakesTheOld()
    {
        _next.Ready = false;

        var update = _activator.ReplaceAsync(_next, Drain);
        await AdvanceUntil(update, TimeSpan.FromSeconds(1));
        var outcome = await update.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.True(outcome.RolledBack);
        Assert.Equal(ServiceState.Dormant, _activator.State);
        using var lease = (await _activator.AcquireAsync(CancellationToken.None))!;
        Assert.True(IsOf(_old, lease.Backend));
    }

    [Fact]
    public async Task Dormant_AConnectionDuringTheProof_IsHeldAndServedByTheNewRun()
    {
        _next.StartGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var update = _activator.ReplaceAsync(_next, Drain);
        await WaitUntil(() => _next.Starts == 1);

        var acquire = _activator.AcquireAsync(CancellationToken.None).AsTask();
        await WaitUntil(() => _activator.GetStatus().HeldConnections == 1);
        _next.StartGate.SetResult();
        using var lease = await acquire.WaitAsync(TimeSpan.FromSeconds(5));
        var outcome = await update.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.True(outcome.Replaced);
        Assert.True(IsOf(_next, lease!.Backend));
        Assert.Equal(0, _next.Stops);
        Assert.Equal(ServiceState.Ready, _activator.State);
    }

    [Fact]
    public async Task Dormant_AConnectionDuringAFailedProof_IsHeldAndServedByTheOld()
    {
        _next.Ready = false;
        var update = _activator.ReplaceAsync(_next, Drain);
        await WaitUntil(() => _next.Starts == 1);
        var acquire = _activator.AcquireAsync(CancellationToken.None).AsTask();
        await WaitUntil(() => _activator.GetStatus().HeldConnections == 1);

        await AdvanceUntil(update, TimeSpan.FromSeconds(1));
        Assert.True((await update.WaitAsync(TimeSpan.FromSeconds(5))).RolledBack);
        using var lease = await acquire.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.NotNull(lease);
        Assert.True(IsOf(_old, lease.Backend));
        Assert.Equal(1, _old.Starts);
    }

    [Fact]
    public async Task ASecondUpdateWhileOneRuns_IsRefused()
    {
        _next.StartGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = _activator.ReplaceAsync(_next, Drain);
        await WaitUntil(() => _next.Starts == 1);

        var second = await _activator.ReplaceAsync(new FakeWorkload(), Drain);

        Assert.False(second.Replaced);
        Assert.False(second.RolledBack);
        Assert.Contains("another update", second.Reason, StringComparison.Ordinal);
        _next.StartGate.SetResult();
        Assert.True((await first.WaitAsync(TimeSpan.FromSeconds(5))).Replaced);
    }

    private static bool IsOf(FakeWorkload workload, Backend backend)
    {
        try
        {
            workload.GenerationOf(backend);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Moves the fake clock on until <paramref name="task"/> ends (probe pauses, ready.timeout, drain).</summary>
    private async Task AdvanceUntil(Task task, TimeSpan step)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!task.IsCompleted)
        {
            Assert.True(DateTime.UtcNow < deadline, "not done within 5 s");
            _time.Advance(step);
            await Task.Delay(5);
        }
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
