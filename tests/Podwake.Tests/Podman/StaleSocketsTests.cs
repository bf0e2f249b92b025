using System.Diagnostics;
using System.Net.Sockets;
using Podwake.Podman;
using Xunit;

namespace Podwake.Tests.Podman;

public sealed class StaleSocketsTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly List<Socket> _sockets = [];

    public void Dispose()
    {
        _sockets.ForEach(s => s.Dispose());
        _dir.Dispose();
    }

    [Fact]
    public void SocketNobodyListensOn_OfAPidThatNoLongerRuns_Removed()
    {
        using var gone = Process.Start("true")!;
        gone.WaitForExit();
        var stale = Bind($"podman-{gone.Id}.sock", listen: false);

        StaleSockets.Remove(_dir.Path, Environment.ProcessId, null);

        Assert.False(File.Exists(stale));
    }

    [Fact]
    public void SocketNobodyListensOn_OfAPidThatRunsAnotherProgram_Removed()
    {
        using var sleeper = Process.Start("sleep", "30")!;
        try
        {
            var stale = Bind($"podman-{sleeper.Id}.sock", listen: false);

            StaleSockets.Remove(_dir.Path, Environment.ProcessId, null);

            Assert.False(File.Exists(stale));
        }
        finally
        {
            sleeper.Kill();
        }
    }

    [Fact]
    public void ListenedOnSocket_OfAProcessThatIsNoPodwake_Kept()
    {
        // The integration tests' host (dotnet testhost, no podwake) runs its own API service here under its own PID: a
        // serve that removed its socket cut the tests off podman (15 failures in one run).
        using var sleeper = Process.Start("sleep", "30")!;
        try
        {
            var live = Bind($"podman-{sleeper.Id}.sock", listen: true);

            StaleSockets.Remove(_dir.Path, Environment.ProcessId, null);

            Assert.True(File.Exists(live));
        }
        finally
        {
            sleeper.Kill();
        }
    }

    [Fact]
    public void PlainFileWithASocketName_Removed()
    {
        var odd = _dir.Write("podman-1.sock", "");

        StaleSockets.Remove(_dir.Path, Environment.ProcessId, null);

        Assert.False(File.Exists(odd));
    }

    [Fact]
    public void OwnSocketAndOtherFiles_Kept()
    {
        var own = Bind($"podman-{Environment.ProcessId}.sock", listen: false);
        var other = _dir.Write("serve-1.sock", "");
        var odd = _dir.Write("podman-x.sock", "");

        StaleSockets.Remove(_dir.Path, Environment.ProcessId, null);

        Assert.True(File.Exists(own));
        Assert.True(File.Exists(other));
        Assert.True(File.Exists(odd));
    }

    [Fact]
    public void MissingDirectory_NothingHappens() =>
        StaleSockets.Remove(Path.Join(_dir.Path, "missing"), Environment.ProcessId, null);

    /// <summary>A real unix socket at NAME, listening or only bound (what a killed process leaves: nobody accepts).</summary>
    private string Bind(string name, bool listen)
    {
        var path = Path.Join(_dir.Path, name);
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _sockets.Add(socket);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        if (listen)
        {
            socket.Listen();
        }

        return path;
    }
}
