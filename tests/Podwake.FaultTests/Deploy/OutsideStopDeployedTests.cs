using Podwake.IntegrationTests.Infrastructure;
using Xunit;

namespace Podwake.FaultTests.Deploy;

/// <summary>
/// The deployed twin of Serve/OutsideStopTests: an outside <c>podman stop</c> (exit 143) leaves the container unit
/// stopped (SuccessExitStatus=143, so Restart=on-failure does not restart it), the activator exits as when idle,
/// and the next connection wakes the service again.
/// </summary>
[Collection(PodmanCollection.Name)]
public sealed class OutsideStopDeployedTests
{
    [UserManagerFact]
    public async Task OutsidePodmanStop_OnFailure_DormantNotRestarted_NextConnectionWakes()
    {
        await using var service = new DeployedService();
        service.Write(idle: "30s");
        await service.DeployOrFailAsync();
        Assert.Equal(200, (await RawHttp.GetAsync(service.Endpoint)).Status);

        var stop = await service.PodmanAsync("stop", service.ContainerName);
        Assert.True(stop.ExitCode == 0, stop.ToString());

        Assert.True(await service.WaitUntilDormantAsync(TimeSpan.FromSeconds(20)), string.Join("; ", service.ServiceProcesses()));
        await Task.Delay(2000); // not a wait for a condition: a restart, if one came, gets 2 s to show
        Assert.False(await service.ContainerRunningAsync(), "restarted after an outside podman stop");
        var unit = $"podwake-{service.Name}-container.service";
        Assert.Equal("inactive", await DeployedService.ActiveStateAsync(unit));
        Assert.Equal("0", (await DeployedService.SystemctlAsync("show", "--property=NRestarts", "--value", unit)).Stdout.Trim());

        Assert.Equal(200, (await RawHttp.GetAsync(service.Endpoint)).Status);
    }
}
