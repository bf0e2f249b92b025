using Podwake.Activation;
using Xunit;

namespace Podwake.Tests.Activation;

public sealed class RestartBackoffTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 100)]
    [InlineData(2, 200)]
    [InlineData(3, 400)]
    [InlineData(9, 25_600)]
    [InlineData(10, 30_000)]
    [InlineData(int.MaxValue, 30_000)]
    public void FailuresInARow_DoubleFrom100msCappedAt30s(int failures, int milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), RestartBackoff.After(failures));
}
