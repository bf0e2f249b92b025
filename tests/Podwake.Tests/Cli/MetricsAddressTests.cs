using Podwake.Cli;
using Xunit;

namespace Podwake.Tests.Cli;

public sealed class MetricsAddressTests
{
    [Theory]
    [InlineData("127.0.0.1:9464", true)]
    [InlineData("[::1]:9464", true)]
    [InlineData("0.0.0.0:9464", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("127.0.0.1:0", false)]
    [InlineData("::1:9464", false)]
    [InlineData("localhost:9464", false)]
    [InlineData("9464", false)]
    public void TakesAnAddressAndAPort(string text, bool valid) => Assert.Equal(valid, MetricsAddress.TryParse(text, out _));
}
