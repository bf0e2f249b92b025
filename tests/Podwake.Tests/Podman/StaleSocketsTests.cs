using System.Diagnostics;
using Podwake.Podman;
using Xunit;

namespace Podwake.Tests.Podman;

public sealed class StaleSocketsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void SocketOfAPidThatNoLongerRuns_Removed()
    {
        using var gone = Process.Start("true")!;
        gone.WaitForExit();
        var stale = Bind($"podman-{gone.Id}.sock");

        StaleSockets.Remove(_dir.Root, Environment.ProcessId, null);

        Assert.False(File.Exists(stale));
    }

    [Fact]
    public void SocketOfAPidThatRunsAnotherProgram_Removed()
    {
        using var sleeper = Process.Start("sleep", "30")!;
        try
        {
            var stale = Bind($"podman-{sleeper.Id}.sock");

            StaleSockets.Remove(_dir.Root, Environment.ProcessId, null);

            Assert.False(File.Exists(stale));
        }
        finally
        {
            sleeper.Kill();
        }
    }

    [Fact]
    public void SocketOfARunningPodwake_Kept()
    {
        // A process whose name is podwake: sleep(1) under that name.
        var podwake = Path.Join(_dir.CreateDirectory("bin"), "podwake");
        File.Copy("/bin/sleep", podwake);
        using var running = Process.Start(podwake, "30")!;
        try
        {
            var live = Bind($"podman-{running.Id}.sock");

            StaleSockets.Remove(_dir.Root, Environment.ProcessId, null);

            Assert.True(File.Exists(live));
        }
        finally
        {
            running.Kill();
        }
    }

    [Fact]
    public void OwnSocketAndOtherFiles_Kept()
    {
        var own = Bind($"podman-{Environment.ProcessId}.sock");
        var other = _dir.Write("serve-1.sock", "");
        var odd = _dir.Write("podman-x.sock", "");

        StaleSockets.Remove(_dir.Root, Environment.ProcessId, null);

        Assert.True(File.Exists(own));
        Assert.True(File.Exists(other));
        Assert.True(File.Exists(odd));
    }

    [Fact]
    public void MissingDirectory_NothingHappens() =>
        StaleSockets.Remove(Path.Join(_dir.Root, "missing"), Environment.ProcessId, null);

    /// <summary>A plain file stands for the socket: .NET unlinks a socket's path when the socket is closed.</summary>
    private string Bind(string name) => _dir.Write(name, "");
}
