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

    [Fact]
    public void UnixSocketsAdoptedAsSystemdPassesThem_AreMatchedByPathAndAbstractName()
    {
        var path = Path.Join(_dir.Path, "web.sock");
        var abstractName = $"@podwake-test-{Guid.NewGuid():N}";
        var file = ListenUnix(new UnixDomainSocketEndPoint(path));
        var hidden = ListenUnix(new UnixDomainSocketEndPoint("\0" + abstractName[1..]));
        var tcp = Listen();
        var spec = SpecFile.LoadOne(_dir.Write("svc.yaml", $"name: svc\nimage: localhost/x:1\nports:\n  - {{listen: {tcp.LocalEndPoint}, container: 80}}\n  - {{listen: \"{abstractName}\", container: 81}}\n  - {{listen: {path}, container: 82}}\n"));

        // As ListenFds adopts them: a Socket made from the bare descriptor, which reads its address back from the kernel.
        var passed = new[] { file, tcp, hidden }.Select(s => new ListenFd(Adopted(s), "podwake-svc")).ToList();
        var matched = PassedSockets.Match(spec, passed);

        Assert.Equal([80, 81, 82], matched.Select(m => m.Port.ContainerPort));
        Assert.Equal([passed[1].Socket, passed[2].Socket, passed[0].Socket], matched.Select(m => m.Socket));
    }

    [Fact]
    public void UnixSocketAtAnotherPath_IsReported()
    {
        var other = ListenUnix(new UnixDomainSocketEndPoint(Path.Join(_dir.Path, "other.sock")));
        var spec = SpecFile.LoadOne(_dir.Write("svc.yaml", $"name: svc\nimage: localhost/x:1\nports: [{{listen: {Path.Join(_dir.Path, "web.sock")}, container: 80}}]\n"));

        var error = Assert.Throws<EnvironmentException>(() => PassedSockets.Match(spec, [new ListenFd(Adopted(other), "podwake-svc")]));

        Assert.Contains($"no passed socket listens on {Path.Join(_dir.Path, "web.sock")};", error.Message, StringComparison.Ordinal);
        Assert.Contains("other.sock) matches no port of the service file", error.Message, StringComparison.Ordinal);
    }

    private Socket ListenUnix(UnixDomainSocketEndPoint endpoint)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(endpoint);
        socket.Listen();
        _sockets.Add(socket);
        return socket;
    }

    private Socket Adopted(Socket socket)
    {
        var adopted = new Socket(new SafeSocketHandle(socket.Handle, ownsHandle: false));
        _sockets.Add(adopted);
        return adopted;
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
