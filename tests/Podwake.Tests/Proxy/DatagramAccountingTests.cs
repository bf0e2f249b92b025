using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Podwake.Activation;
using Podwake.Proxy;
using Podwake.Tests.Activation;
using Xunit;

namespace Podwake.Tests.Proxy;

public sealed class DatagramAccountingTests
{
    [Fact]
    public void PastTheDatagramBound_HoldIsRefusedAndNothingReserved()
    {
        var accounting = new DatagramAccounting(maxDatagrams: 2, maxBytes: 1000);

        Assert.True(accounting.TryHold(10));
        Assert.True(accounting.TryHold(10));
        Assert.False(accounting.TryHold(10));

        Assert.Equal(2, accounting.HeldDatagrams);
        Assert.Equal(20, accounting.HeldBytes);
    }

    [Fact]
    public void PastTheByteBound_HoldIsRefusedAndNothingReserved()
    {
        var accounting = new DatagramAccounting(maxDatagrams: 100, maxBytes: 100);

        Assert.True(accounting.TryHold(60));
        Assert.False(accounting.TryHold(41));
        Assert.True(accounting.TryHold(40));

        Assert.Equal(2, accounting.HeldDatagrams);
        Assert.Equal(100, accounting.HeldBytes);
    }

    [Fact]
    public void Unhold_MakesRoomAgain()
    {
        var accounting = new DatagramAccounting(maxDatagrams: 1, maxBytes: 100);
        Assert.True(accounting.TryHold(100));

        accounting.Unhold(100);

        Assert.True(accounting.TryHold(100));
    }

    [Fact]
    public async Task ActivatorStatus_ShowsFlowsHeldAndDropped()
    {
        await using var activator = new ServiceActivator(
            "dns", new ActivationOptions { HoldDatagrams = 5, HoldBytes = 500 }, new FakeWorkload(), new FakeTimeProvider(), NullLogger.Instance);
        activator.Datagrams.FlowOpened();
        activator.Datagrams.FlowOpened();
        activator.Datagrams.FlowClosed();
        Assert.True(activator.Datagrams.TryHold(100));
        activator.Datagrams.CountDropped(3);

        var status = activator.GetStatus();

        Assert.Equal(1, status.LiveFlows);
        Assert.Equal(1, status.HeldDatagrams);
        Assert.Equal(3, status.DroppedDatagrams);
    }
}
