using Podwake.Activation;
using Xunit;

namespace Podwake.Tests.Activation;

public sealed class WakeHistogramTests
{
    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(0.001, 0)]
    [InlineData(0.0011, 1)]
    [InlineData(0.5, 9)]
    [InlineData(32.768, 15)]
    [InlineData(40.0, 16)]
    public void AnObservation_LandsInTheFirstBucketWhoseBoundIsNotBelowIt(double seconds, int bucket)
    {
        var histogram = new WakeHistogram();

        histogram.Observe(seconds);

        var data = histogram.ToData();
        Assert.Equal(1, data.Counts[bucket]);
        Assert.Equal(1, data.Count);
        Assert.Equal(seconds, data.Sums[bucket]);
    }

    [Fact]
    public void TheBounds_Resolve1MsTo30s()
    {
        Assert.Equal(0.001, WakeHistogram.UpperBounds[0]);
        Assert.True(WakeHistogram.UpperBounds[^1] >= 30);
    }

    [Fact]
    public void Restore_CarriesOn_AndDataOfAnotherShapeIsLeftOut()
    {
        var first = new WakeHistogram();
        first.Observe(0.2);
        var second = new WakeHistogram();

        second.Restore(first.ToData());
        second.Observe(0.3);
        var other = new WakeHistogram();
        other.Restore(new WakeHistogramData { Counts = [1, 2], Sums = [0.1, 0.2] });

        Assert.Equal(2, second.ToData().Count);
        Assert.Equal(0.5, second.ToData().Sum, 9);
        Assert.Equal(0, other.ToData().Count);
    }
}
