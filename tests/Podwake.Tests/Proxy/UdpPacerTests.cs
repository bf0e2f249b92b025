using Microsoft.Extensions.Time.Testing;
using Podwake.Proxy;
using Xunit;

namespace Podwake.Tests.Proxy;

/// <summary>The release rate of buffered datagrams (and of sends through a rootless forwarder), on a fake clock.</summary>
public sealed class UdpPacerTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task FirstSixteenInAWindow_PassAtOnceTheSeventeenthWaitsForTheNextWindow()
    {
        var time = new FakeTimeProvider();
        var pacer = new UdpPacer(time);

        var atOnce = Enumerable.Range(0, 16).Select(_ => pacer.PaceAsync()).ToList();
        var seventeenth = pacer.PaceAsync().AsTask();

        Assert.All(atOnce, p => Assert.True(p.IsCompletedSuccessfully));
        Assert.False(seventeenth.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(0.5));
        Assert.False(seventeenth.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(0.5));
        await seventeenth.WaitAsync(Limit);
    }

    [Fact]
    public async Task Burst_ReleasedSixteenPerMillisecond()
    {
        var time = new FakeTimeProvider();
        var pacer = new UdpPacer(time);
        var burst = Enumerable.Range(0, 48).Select(_ => pacer.PaceAsync().AsTask()).ToList();

        var released = new List<int>();
        for (var window = 0; window < 4; window++)
        {
            // Waiters wake on the clock's advance; let their continuations run before counting.
            await Until(() => burst.Count(t => t.IsCompleted) >= Math.Min(48, 16 * (window + 1)));
            released.Add(burst.Count(t => t.IsCompleted));
            time.Advance(TimeSpan.FromMilliseconds(1));
        }

        Assert.Equal([16, 32, 48, 48], released);
    }

    private static async Task Until(Func<bool> condition)
    {
        using var limit = new CancellationTokenSource(Limit);
        while (!condition())
        {
            await Task.Delay(5, limit.Token);
        }
    }
}
