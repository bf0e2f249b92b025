using Podwake.Proxy;
using Xunit;

namespace Podwake.Tests.Proxy;

/// <summary>The flow table's bound: max_flows per listener within the process's fd budget, and the eviction rate.</summary>
public sealed class UdpFlowEvictionTests
{
    private const long Frequency = 1000;

    [Fact]
    public void TableFull_TakeRefusedUntilAFlowEnds()
    {
        var eviction = new UdpFlowEviction(maxFlows: 2, new FileDescriptorBudget(10_000), Frequency);

        Assert.True(eviction.TryTake());
        Assert.True(eviction.TryTake());
        Assert.False(eviction.TryTake());
        eviction.Give();
        Assert.True(eviction.TryTake());
        Assert.Equal(2, eviction.Flows);
    }

    [Fact]
    public void BudgetSharedByListeners_BoundsTheirSum()
    {
        // 1,300 fds: 325 kept in reserve (a quarter), 975 for flows across the process.
        var budget = new FileDescriptorBudget(1300);
        var first = new UdpFlowEviction(1024, budget, Frequency);
        var second = new UdpFlowEviction(1024, budget, Frequency);

        var taken = Enumerable.Range(0, 900).Count(_ => first.TryTake()) + Enumerable.Range(0, 900).Count(_ => second.TryTake());

        Assert.Equal(325, budget.Reserve);
        Assert.Equal(975, taken);
        Assert.Equal(975, budget.Flows);
    }

    [Fact]
    public void SmallLimit_KeepsAtLeast256InReserve()
    {
        Assert.Equal(1024 - 256, new FileDescriptorBudget(1024).MaxFlows);
    }

    [Fact]
    public void Evictions_AtMostMaxFlowsASecond()
    {
        var eviction = new UdpFlowEviction(maxFlows: 10, new FileDescriptorBudget(10_000), Frequency);

        var atOnce = Enumerable.Range(0, 50).Count(_ => eviction.TryEvictNow(now: 0));
        var halfSecondLater = Enumerable.Range(0, 50).Count(_ => eviction.TryEvictNow(now: Frequency / 2));
        var muchLater = Enumerable.Range(0, 50).Count(_ => eviction.TryEvictNow(now: Frequency * 60));

        Assert.Equal(10, atOnce);
        Assert.Equal(5, halfSecondLater);
        Assert.Equal(10, muchLater);
    }
}
