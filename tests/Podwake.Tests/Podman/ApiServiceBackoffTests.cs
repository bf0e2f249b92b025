using Podwake.Podman;
using Xunit;

namespace Podwake.Tests.Podman;

public sealed class ApiServiceBackoffTests
{
    [Fact]
    public void DeathsInARow_DoubleFromFirst_UpToTheCap()
    {
        var backoff = new ApiServiceBackoff();

        var delays = Enumerable.Range(0, 10).Select(_ => backoff.Next(TimeSpan.FromSeconds(1))).ToList();

        Assert.Equal(ApiServiceBackoff.First, delays[0]);
        Assert.Equal(ApiServiceBackoff.First * 2, delays[1]);
        Assert.Equal(ApiServiceBackoff.First * 4, delays[2]);
        Assert.All(delays, d => Assert.True(d <= ApiServiceBackoff.Cap));
        Assert.Equal(ApiServiceBackoff.Cap, delays[^1]);
        Assert.Equal(10, backoff.FailuresInARow);
    }

    [Fact]
    public void ServiceThatRanHealthy_StartsTheCountAfresh()
    {
        var backoff = new ApiServiceBackoff();
        for (var i = 0; i < 5; i++)
        {
            backoff.Next(TimeSpan.Zero);
        }

        var delay = backoff.Next(ApiServiceBackoff.Healthy);

        Assert.Equal(ApiServiceBackoff.First, delay);
        Assert.Equal(1, backoff.FailuresInARow);
    }
}
