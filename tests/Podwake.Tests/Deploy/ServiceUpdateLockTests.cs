using Podwake.Deploy;
using Xunit;

namespace Podwake.Tests.Deploy;

/// <summary>Two updates of one service never run at once: the second is refused at once, naming the first one's pid.</summary>
public sealed class ServiceUpdateLockTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void SecondAcquire_WhileHeld_RefusedNamingThePid_FreeAgainAfterRelease()
    {
        using (ServiceUpdateLock.Acquire("web", _dir.Path, owner: null))
        {
            // flock(2) locks belong to the open file: a second open in this process conflicts as another process would.
            var refused = Assert.Throws<EnvironmentException>(() => ServiceUpdateLock.Acquire("web", _dir.Path, owner: null));

            Assert.Equal($"an update of web is running (pid {Environment.ProcessId}); wait for it to end", refused.Message);
            using var other = ServiceUpdateLock.Acquire("api", _dir.Path, owner: null);
        }

        ServiceUpdateLock.Acquire("web", _dir.Path, owner: null).Dispose();
        Assert.Equal($"{Environment.ProcessId}\n", File.ReadAllText(ServiceUpdateLock.PathOf("web", _dir.Path)));
    }
}
