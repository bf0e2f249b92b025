using System.ComponentModel;
using System.Diagnostics;
using Podwake.Host;
using Xunit;

namespace Podwake.Tests.Host;

public sealed class ProcessExitWatchTests
{
    [Fact]
    public async Task ProcessKilled_ExitedCompletes()
    {
        using var sleeper = Process.Start("sleep", "60");
        using var watch = ProcessExitWatch.Open(sleeper.Id);
        Assert.False(watch.Exited.IsCompleted);

        sleeper.Kill();

        await watch.Exited.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Disposed_ExitedNeverCompletes_AndTheProcessIsUntouched()
    {
        using var sleeper = Process.Start("sleep", "60");
        var watch = ProcessExitWatch.Open(sleeper.Id);

        watch.Dispose();
        // Not a wait for a condition (and no timer to fake: the watch is a pidfd on a real process): a wrong
        // completion after the dispose gets 100 ms to show.
        await Task.Delay(100);

        Assert.False(watch.Exited.IsCompleted);
        Assert.False(sleeper.HasExited);
        sleeper.Kill();
    }

    [Fact]
    public void NoSuchProcess_Throws()
    {
        var gone = Process.Start("true");
        gone.WaitForExit();
        var pid = gone.Id;
        gone.Dispose();

        Assert.Throws<Win32Exception>(() => ProcessExitWatch.Open(pid));
    }
}
