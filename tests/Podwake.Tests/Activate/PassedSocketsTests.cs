using System.Net;
using System.Net.Sockets;
using Podwake.Activate;
using Podwake.Specs;
using Podwake.Systemd;
using Xunit;

namespace Podwake.Tests.Activate;

/// <summary>Real listening sockets, as systemd would pass them, matched to the ports of a service file.</summary>
public sealed class PassedSocketsTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly List<Socket> _sockets = [];

    public void Dispose()
    {
        _sockets.ForEach(s => s.Dispose());
        _dir.Dispose();
    }

    [Fact]
    public void SocketsInAnyOrder_AreMatchedByAddress()
    {
        var a = Listen();
        var b = Listen();
        var spec = Spec("svc", a, b);

        var matched = PassedSockets.Match(spec, [new ListenFd(b, "podwake-svc"), new ListenFd(a, "podwake-svc")]);

        Assert.Equal([a, b], matched.Select(m => m.Socket));
        Assert.Equal([8080, 8081], matched.Select(m => m.Port.ContainerPort));
    }

    [Fact]
    public void MissingSocket_ExtraSocketAndForeignName_AreAllReported()
    {
        var a = Listen();
        var stray = Listen();
        var spec = Spec("svc", a, Listen());

        var error = Assert.Throws<EnvironmentException>(() =>
            PassedSockets.Match(spec, [new ListenFd(a, "podwake-other"), new ListenFd(stray, "podwake-svc")]));

        Assert.Contains($"no passed socket listens on 127.0.0.1:", error.Message, StringComparison.Ordinal);
        Assert.Contains("matches no port of the service file", error.Message, StringComparison.Ordinal);
        Assert.Contains("named podwake-other, not podwake-svc", error.Message, StringComparison.Ordinal);
        Assert.Contains("run podwake deploy again", error.Message, StringComparison.Ordinal);
    }

    private Socket Listen()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        socket.Listen();
        _sockets.Add(socket);
        return socket;
    }

    private ServiceSpec Spec(string name, params Socket[] sockets)
    {
        var ports = string.Join("\n", sockets.Select((s, i) => $"  - listen: {s.LocalEndPoint}\n    container: {8080 + i}"));
        var file = _dir.Write($"{name}.yaml", $"name: {name}\nimage: localhost/x:1\nports:\n{ports}\n");
        return SpecFile.LoadOne(file);
    }
}
