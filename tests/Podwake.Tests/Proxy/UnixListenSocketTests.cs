using System.Net.Sockets;
using Podwake.Proxy;
using Podwake.Specs;
using Xunit;

namespace Podwake.Tests.Proxy;

/// <summary>Binding a unix socket listener: folders, mode, a stale socket replaced, anything else at the path refused and left alone.</summary>
public sealed class UnixListenSocketTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly List<Socket> _sockets = [];

    public void Dispose()
    {
        _sockets.ForEach(s => s.Dispose());
        _dir.Dispose();
    }

    [Fact]
    public void Bind_CreatesTheFoldersSetsTheModeAndAcceptsAConnection()
    {
        var path = Path.Join(_dir.Path, "a/b/web.sock");

        var (socket, file) = Bind(new UnixListen(path, Mode: 0x1A0)); // 0640

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(path));
        using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        client.Connect(new UnixDomainSocketEndPoint(path));
        using var accepted = socket.Accept();
        Assert.NotNull(file);
    }

    [Fact]
    public void Remove_DeletesTheSocketFile_ButNotAFileThatReplacedIt()
    {
        var path = Path.Join(_dir.Path, "web.sock");
        var (socket, file) = Bind(new UnixListen(path));
        socket.Dispose();
        file!.Remove();
        Assert.False(Path.Exists(path));

        var (again, second) = Bind(new UnixListen(path));
        again.Dispose();
        File.Delete(path);
        File.WriteAllText(path, "not ours");
        second!.Remove();

        Assert.Equal("not ours", File.ReadAllText(path));
    }

    [Fact]
    public void StaleSocket_IsReplaced()
    {
        var path = Path.Join(_dir.Path, "web.sock");
        var (dead, _) = Bind(new UnixListen(path));
        dead.Dispose(); // a serve killed with SIGKILL: the file stays, nobody listens
        Assert.True(Path.Exists(path));

        var (socket, _) = Bind(new UnixListen(path));

        using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        client.Connect(new UnixDomainSocketEndPoint(path));
        using var accepted = socket.Accept();
    }

    [Fact]
    public void LiveSocket_IsRefusedWithTheCommandThatFindsItsOwner()
    {
        var path = Path.Join(_dir.Path, "web.sock");
        Bind(new UnixListen(path));

        var error = Assert.Throws<EnvironmentException>(() => UnixListenSocket.Bind(new UnixListen(path), null, null));

        Assert.Equal($"Failed to listen on {path}: a running process listens there; find it with `ss -xlp 'src {path}'` and stop it, or choose another listen: path", error.Message);
    }

    [Fact]
    public void RegularFile_IsRefusedAndLeftUntouched()
    {
        var path = _dir.Write("web.sock", "data");

        var error = Assert.Throws<EnvironmentException>(() => UnixListenSocket.Bind(new UnixListen(path), null, null));

        Assert.Equal($"Failed to listen on {path}: the path is a regular file, not a socket; podwake removes only a stale socket there and left it untouched: remove it yourself if it is not needed, or choose another listen: path", error.Message);
        Assert.Equal("data", File.ReadAllText(path));
    }

    [Fact]
    public void SymbolicLink_IsRefusedNotFollowedAndLeftUntouched()
    {
        var target = Path.Join(_dir.Path, "target.sock");
        var (live, _) = Bind(new UnixListen(target));
        live.Dispose(); // a stale socket as the link's target: following the link would remove it
        var path = Path.Join(_dir.Path, "web.sock");
        File.CreateSymbolicLink(path, target);

        var error = Assert.Throws<EnvironmentException>(() => UnixListenSocket.Bind(new UnixListen(path), null, null));

        Assert.Contains("the path is a symbolic link, not a socket", error.Message, StringComparison.Ordinal);
        Assert.Equal(target, new FileInfo(path).LinkTarget);
        Assert.True(Path.Exists(target));
    }

    [Fact]
    public void AbstractName_BindsWithoutAFile()
    {
        var name = $"@podwake-test-{Guid.NewGuid():N}";

        var (socket, file) = Bind(new UnixListen(name));

        Assert.Null(file);
        Assert.Equal(name, socket.LocalEndPoint?.ToString());
        using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        client.Connect(new UnixDomainSocketEndPoint("\0" + name[1..]));
    }

    private (Socket Socket, UnixSocketFile? File) Bind(UnixListen unix)
    {
        var (socket, file) = UnixListenSocket.Bind(unix, null, null);
        _sockets.Add(socket);
        return (socket, file);
    }
}
