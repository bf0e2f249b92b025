using Podwake.Host;
using Xunit;

namespace Podwake.Tests.Host;

/// <summary>One owner per service name: the flock is exclusive, names its holder, and is free again once released.</summary>
public sealed class ServiceNameLockTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void NameHeld_SecondAcquireRefusedNamingTheHolder()
    {
        var paths = new RuntimePaths(_dir.Path);
        using var first = ServiceNameLock.Acquire(paths, ["web"], ServiceNameLock.ServeOwner);

        var refused = Assert.Throws<EnvironmentException>(() => ServiceNameLock.Acquire(paths, ["db", "web"], ServiceNameLock.DeployOwner));

        Assert.StartsWith($"service web is already served by podwake serve (pid {Environment.ProcessId}):", refused.Message, StringComparison.Ordinal);
        Assert.Equal($"already served by podwake serve (pid {Environment.ProcessId})", ServiceNameLock.Holder(paths, "web"));
        // All or nothing: "db", taken before "web" was refused, is free again.
        Assert.Null(ServiceNameLock.Holder(paths, "db"));
    }

    [Fact]
    public void Released_NameCanBeTakenAgain()
    {
        var paths = new RuntimePaths(_dir.Path);
        ServiceNameLock.Acquire(paths, ["web"], ServiceNameLock.ServeOwner).Dispose();

        using var again = ServiceNameLock.Acquire(paths, ["web"], ServiceNameLock.DeployOwner);

        Assert.Equal($"being deployed by podwake deploy (pid {Environment.ProcessId})", ServiceNameLock.Holder(new RuntimePaths(_dir.Path), "web") ?? "");
    }

    [Fact]
    public void NoLockFile_NameIsFree()
    {
        Assert.Null(ServiceNameLock.Holder(new RuntimePaths(Path.Combine(_dir.Path, "missing")), "web"));
    }
}
