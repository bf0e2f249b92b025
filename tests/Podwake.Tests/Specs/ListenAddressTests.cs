using System.Net;
using Podwake.Specs;
using Xunit;

namespace Podwake.Tests.Specs;

public sealed class ListenAddressTests
{
    [Theory]
    [InlineData("8080", "127.0.0.1:8080")]
    [InlineData("127.0.0.1:8080", "127.0.0.1:8080")]
    [InlineData("0.0.0.0:80", "0.0.0.0:80")]
    [InlineData("192.168.1.20:65535", "192.168.1.20:65535")]
    [InlineData("[::1]:8080", "[::1]:8080")]
    [InlineData("[::]:8080", "[::]:8080")]
    public void ValidAddress_Parses(string text, string expected)
    {
        Assert.True(ListenAddress.TryParse(text, out var endPoint, out _));
        Assert.Equal(IPEndPoint.Parse(expected), endPoint);
        Assert.Equal(expected, ListenAddress.Format(endPoint));
    }

    [Theory]
    [InlineData("localhost:8080", "\"localhost:8080\" names a host; use an IP address instead, e.g. 127.0.0.1:8080 or 0.0.0.0:8080 (all interfaces)")]
    [InlineData("localhost", "\"localhost\" has no port and names a host; use an IP address and a port, e.g. 127.0.0.1:8080")]
    [InlineData("127.0.0.1", "\"127.0.0.1\" has no port; write ADDRESS:PORT, e.g. 127.0.0.1:8080")]
    [InlineData("::1:8080", "\"::1:8080\" looks like an IPv6 address without brackets; write [ADDRESS]:PORT, e.g. [::1]:8080")]
    [InlineData("[::1]", "\"[::1]\" is not an address; use PORT, IPV4:PORT or [IPV6]:PORT (e.g. 8080, 0.0.0.0:80, [::1]:8080)")]
    [InlineData("[127.0.0.1]:80", "\"127.0.0.1\" in \"[127.0.0.1]:80\" is not an IPv6 address; use e.g. [::1]:8080 or [::]:8080")]
    [InlineData("70000", "port 70000 in \"70000\" is out of range; use 1 to 65535")]
    [InlineData("127.0.0.1:http", "\"127.0.0.1:http\" has no valid port; write ADDRESS:PORT with a port from 1 to 65535")]
    [InlineData("300.1.1.1:80", "\"300.1.1.1:80\" is not an address; use PORT, IPV4:PORT or [IPV6]:PORT (e.g. 8080, 0.0.0.0:80, [::1]:8080)")]
    [InlineData("127.0.0.1:8080\n", "\"127.0.0.1:8080\n\" has no valid port; write ADDRESS:PORT with a port from 1 to 65535")]
    [InlineData("[fe80::1%lo]:8080", "\"fe80::1%lo\" in \"[fe80::1%lo]:8080\" is a link-local address or has a zone (%IFACE); podwake cannot listen on those (systemd's ListenStream= refuses a zone and Linux binds link-local addresses only with one): use a global or loopback address, or [::]:8080 for every address")]
    [InlineData("[fe80::1]:8080", "\"fe80::1\" in \"[fe80::1]:8080\" is a link-local address or has a zone (%IFACE); podwake cannot listen on those (systemd's ListenStream= refuses a zone and Linux binds link-local addresses only with one): use a global or loopback address, or [::]:8080 for every address")]
    [InlineData("[::1%1]:8080", "\"::1%1\" in \"[::1%1]:8080\" is a link-local address or has a zone (%IFACE); podwake cannot listen on those (systemd's ListenStream= refuses a zone and Linux binds link-local addresses only with one): use a global or loopback address, or [::]:8080 for every address")]
    public void InvalidAddress_SaysHowToFixIt(string text, string problem)
    {
        Assert.False(ListenAddress.TryParse(text, out _, out var actual));
        Assert.Equal(problem, actual);
    }

    [Theory]
    [InlineData("127.0.0.1:80", "127.0.0.1:80", true)]
    [InlineData("0.0.0.0:80", "127.0.0.1:80", true)]
    [InlineData("[::]:80", "127.0.0.1:80", true)]
    [InlineData("[::]:80", "[::1]:80", true)]
    [InlineData("0.0.0.0:80", "[::1]:80", false)]
    [InlineData("127.0.0.1:80", "127.0.0.2:80", false)]
    [InlineData("127.0.0.1:80", "127.0.0.1:81", false)]
    public void Claims_CollideOnSameAddressOrWildcard(string a, string b, bool collide)
    {
        var location = new SourceLocation("f.yaml", 1, 1);
        var first = new ListenClaim(IPEndPoint.Parse(a), Protocol.Tcp, "ports[0].listen", location);
        var second = new ListenClaim(IPEndPoint.Parse(b), Protocol.Tcp, "ports[1].listen", location);

        Assert.Equal(collide, first.CollidesWith(second));
        Assert.Equal(collide, second.CollidesWith(first));
        Assert.False(first.CollidesWith(second with { Protocol = Protocol.Udp }));
    }
}
