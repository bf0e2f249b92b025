using Podwake.IntegrationTests.Infrastructure;
using Xunit;

namespace Podwake.FaultTests.Serve;

/// <summary>
/// An outside <c>podman stop</c> of a ready service (its app dies of SIGTERM: 143) is a stop someone asked for in both
/// runtimes: under <c>on-failure</c> the service goes dormant, is not restarted, and the next connection wakes it.
/// (The deployed runtime's twin is Deploy/OutsideStopDeployedTests.)
/// </summary>
[Collection(PodmanCollection.Name)]
public sealed class OutsideStopTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();

    public Task InitializeAsync() => TestImages.BusyboxAsync();

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }

    [PodmanFact]
    public async Task OutsidePodmanStop_OnFailure_DormantNotRestarted_NextConnectionWakes()
    {
        var svc = TestServiceFile.Create(_dir.Path);
        await using var serve = await ServeProcess.StartServingAsync(svc.File);
        Assert.Equal(200, (await RawHttp.GetAsync(svc.Endpoint)).Status);

        var stop = await PodwakeCli.RunProgramAsync("podman", "stop", svc.Container);
        Assert.True(stop.ExitCode == 0, stop.ToString());

        await Eventually.TrueAsync(async () => (await serve.ServiceStatusAsync(svc.Name)).GetProperty("state").GetString() == "dormant", TimeSpan.FromSeconds(15));
        await Task.Delay(2000); // not a wait for a condition: a restart, if one came, gets 2 s to show
        var status = await serve.ServiceStatusAsync(svc.Name);
        Assert.Equal("dormant", status.GetProperty("state").GetString());
        Assert.Equal(0, status.GetProperty("restarts").GetInt64());
        var running = await PodwakeCli.RunProgramAsync("podman", "container", "inspect", "--format", "{{.State.Running}} {{.State.ExitCode}}", svc.Container);
        Assert.Equal("false 143", running.Stdout.Trim());
        Assert.Contains(VanishedContainerTests.LogLines(serve), l => l.Contains("container exited on its own (status 143); restart policy on-failure: dormant until the next connection", StringComparison.Ordinal));

        Assert.Equal(200, (await RawHttp.GetAsync(svc.Endpoint)).Status);
        Assert.Equal(2, (await serve.ServiceStatusAsync(svc.Name)).GetProperty("wakes").GetInt64());
    }
}
