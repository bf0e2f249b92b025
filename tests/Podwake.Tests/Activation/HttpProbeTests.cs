using Podwake.Activation;
using Xunit;

namespace Podwake.Tests.Activation;

public sealed class HttpProbeTests
{
    [Theory]
    [InlineData("HTTP/1.1 200 OK", true)]
    [InlineData("HTTP/1.0 204 No Content", true)]
    [InlineData("HTTP/1.1 302 Found", true)]
    [InlineData("HTTP/1.1 404 Not Found", false)]
    [InlineData("HTTP/1.1 503 Service Unavailable", false)]
    [InlineData("SSH-2.0-OpenSSH_9.2", false)]
    [InlineData("", false)]
    [InlineData("HTTP/1.1", false)]
    public void StatusLine_HealthyOnlyFor2xxAnd3xx(string head, bool healthy) =>
        Assert.Equal(healthy, HttpProbe.IsHealthyStatusLine(head));
}
