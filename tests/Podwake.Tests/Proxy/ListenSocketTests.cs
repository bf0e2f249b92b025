using System.Net;
using System.Net.Sockets;
using Podwake.Proxy;
using Podwake.Specs;
using Xunit;

namespace Podwake.Tests.Proxy;

/// <summary>Listen sockets are exclusive: a second bind of the same address is a port conflict, never a shared port.</summary>
public sealed class ListenSocketTests
{
    /// <summary>SOL_SOCKET, SO_REUSEADDR and SO_REUSEPORT of Linux's socket(7).</summary>
    private const int SolSocket = 1;
    private const int SoReuseAddr = 2;
    private const int SoReusePort = 15;

    [Theory]
    [InlineData("tcp")]
    [InlineData("udp")]
    public void SecondBindOfTheSameAddress_IsAPortConflict(string name)
    {
        var protocol = name == "udp" ? Protocol.Udp : Protocol.Tcp;
        using var first = ListenSocket.Bind(Port(0, protocol));
        var taken = ((IPEndPoint)first.LocalEndPoint!).Port;

        var conflict = Assert.Throws<EnvironmentException>(() => ListenSocket.Bind(Port(taken, protocol)).Dispose());

        Assert.Contains("the address is already in use", conflict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TcpListener_SetsReuseAddrButNotReusePort()
    {
        using var socket = ListenSocket.BindTcp(Port(0, Protocol.Tcp));

        Assert.Equal(1, Option(socket, SoReuseAddr));
        Assert.Equal(0, Option(socket, SoReusePort));
    }

    [Fact]
    public void UdpListener_SetsNeitherReuseOption()
    {
        using var socket = ListenSocket.BindUdp(Port(0, Protocol.Udp));

        Assert.Equal(0, Option(socket, SoReuseAddr));
        Assert.Equal(0, Option(socket, SoReusePort));
    }

    private static int Option(Socket socket, int name)
    {
        var value = new byte[4];
        socket.GetRawSocketOption(SolSocket, name, value);
        return BitConverter.ToInt32(value);
    }

    private static PortSpec Port(int port, Protocol protocol) => new()
    {
        Listen = new IPEndPoint(IPAddress.Loopback, port),
        ContainerPort = 8080,
        Protocol = protocol,
        Location = new SourceLocation("test.yaml", 1, 1),
    };
}
