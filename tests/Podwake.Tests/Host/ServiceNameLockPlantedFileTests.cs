using System.Diagnostics;
using Podwake.Host;
using Xunit;

namespace Podwake.Tests.Host;

/// <summary>
/// Files a service user plants in the name lock directory (theirs, which root reads on deploy): a FIFO, links, a
/// directory. None may block podwake, be opened through a link, or end in a stack trace.
/// </summary>
public sealed class ServiceNameLockPlantedFileTests : IDisposable
{
    /// <summary>Far longer than any of these takes; a blocking open of a FIFO never returns.</summary>
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(10);

    private readonly TempDirectory _dir = new();

    public ServiceNameLockPlantedFileTests() => Names = _dir.CreateDirectory("names");

    private string Names { get; }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task LockIsFifo_HolderRefusesNamingThePathWithoutBlocking()
    {
        var lockPath = Fifo(Path.Join(Names, "web.lock"));

        var refused = await Assert.ThrowsAsync<EnvironmentException>(() => Task.Run(() => ServiceNameLock.Holder(new RuntimePaths(_dir.Path), "web")).WaitAsync(Hang));

        Assert.Contains(lockPath, refused.Message, StringComparison.Ordinal);
        Assert.Contains("a FIFO", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LockIsSymlink_HolderRefusesWithoutOpeningTheTarget()
    {
        // A link to a FIFO: followed, the open would block (as one to /dev/watchdog would arm it).
        var target = Fifo(Path.Join(_dir.Path, "target"));
        File.CreateSymbolicLink(Path.Join(Names, "web.lock"), target);

        var refused = await Assert.ThrowsAsync<EnvironmentException>(() => Task.Run(() => ServiceNameLock.Holder(new RuntimePaths(_dir.Path), "web")).WaitAsync(Hang));

        Assert.Contains("a symbolic link", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OwnerIsSymlinkToFifo_HolderNamesAnUnknownHolderWithoutBlocking()
    {
        var paths = new RuntimePaths(_dir.Path);
        using var held = ServiceNameLock.Acquire(paths, ["web"], ServiceNameLock.ServeOwner);
        var owner = Path.Join(Names, "web.owner");
        File.Delete(owner);
        File.CreateSymbolicLink(owner, Fifo(Path.Join(_dir.Path, "target")));

        var holder = await Task.Run(() => ServiceNameLock.Holder(paths, "web")).WaitAsync(Hang);

        Assert.Equal("held by another podwake process (its pid is unknown)", holder);
    }

    [Fact]
    public void HolderOfFreeName_CreatesNothing()
    {
        Assert.Null(ServiceNameLock.Holder(new RuntimePaths(_dir.Path), "web"));

        Assert.Empty(Directory.EnumerateFileSystemEntries(Names));
    }

    [Fact]
    public void OwnerIsSymlink_AcquireLeavesTheTargetAlone()
    {
        var target = _dir.Write("target", "not podwake's\n");
        File.CreateSymbolicLink(Path.Join(Names, "web.owner"), target);

        using var held = ServiceNameLock.Acquire(new RuntimePaths(_dir.Path), ["web"], ServiceNameLock.ServeOwner);

        Assert.Equal("not podwake's\n", File.ReadAllText(target));
        Assert.Equal($"already served by podwake serve (pid {Environment.ProcessId})", ServiceNameLock.Holder(new RuntimePaths(_dir.Path), "web"));
    }

    [Fact]
    public void LockIsDirectory_AcquireRefusedNamingThePath()
    {
        var lockPath = Directory.CreateDirectory(Path.Join(Names, "web.lock")).FullName;

        var refused = Assert.Throws<EnvironmentException>(() => ServiceNameLock.Acquire(new RuntimePaths(_dir.Path), ["web"], ServiceNameLock.ServeOwner));

        Assert.Contains(lockPath, refused.Message, StringComparison.Ordinal);
        Assert.Contains("a directory", refused.Message, StringComparison.Ordinal);
    }

    private static string Fifo(string path)
    {
        using var mkfifo = Process.Start("mkfifo", [path]);
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
        return path;
    }
}
