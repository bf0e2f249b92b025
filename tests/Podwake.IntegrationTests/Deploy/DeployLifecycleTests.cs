using Podwake.IntegrationTests.Infrastructure;
using Xunit;

namespace Podwake.IntegrationTests.Deploy;

/// <summary>
/// Acceptance of <c>podwake deploy</c> with a real systemd user manager and real podman (rootful as root, rootless as
/// the test user): dormant after deploy, woken by the first request, dormant again after idle, five times in a row.
/// </summary>
public sealed class DeployLifecycleTests
{
    [UserManagerFact]
    public async Task Deploy_FiveWakeCycles_DormantBetweenEach()
    {
        await using var service = new DeployedService();
        service.Write(idle: "2s");
        await service.DeployOrFailAsync();

        Assert.Equal("active", await DeployedService.ActiveStateAsync($"podwake-{service.Name}.socket"));
        var status = await DeployedService.SystemctlAsync("status", "--no-pager", $"podwake-{service.Name}.socket");
        Assert.Contains("active (listening)", status.Stdout, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{service.Port} (Stream)", status.Stdout, StringComparison.Ordinal);
        Assert.Empty(service.ServiceProcesses());
        Assert.False(await service.ContainerRunningAsync(), "the container runs right after deploy");

        for (var cycle = 1; cycle <= 5; cycle++)
        {
            var response = await RawHttp.GetAsync(service.Endpoint);

            Assert.True(response.Kind == HttpOutcomeKind.Response && response.Status == 200, $"cycle {cycle}: the first request got {response}");
            Assert.Contains(TestImages.PageText, response.Body, StringComparison.Ordinal);
            Assert.True(
                await service.WaitUntilDormantAsync(TimeSpan.FromSeconds(30)),
                $"cycle {cycle}: still running 30 s after the last request (idle 2s): {string.Join("; ", service.ServiceProcesses())}");
            Assert.Equal("active", await DeployedService.ActiveStateAsync($"podwake-{service.Name}.socket"));
        }

        // The last activator left its state for podwake status; undeploy takes it away with the rest.
        var runtime = Environment.IsPrivilegedProcess ? "/run/podwake" : Path.Combine(Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR")!, "podwake");
        var lastState = Path.Combine(runtime, $"activate-{service.Name}.json");
        Assert.True(File.Exists(lastState), $"no {lastState} after five wakes");
        var undeploy = await PodwakeCli.RunAsync("undeploy", service.Name);
        Assert.True(undeploy.ExitCode == 0, undeploy.ToString());
        Assert.False(File.Exists(lastState), $"{lastState} is still there after undeploy");
    }

    [UserManagerFact]
    public async Task KillContainerMainProcess_ServiceComesBack_NoRefusedConnection()
    {
        await using var service = new DeployedService();
        service.Write(idle: "30s");
        await service.DeployOrFailAsync();
        Assert.Equal(200, (await RawHttp.GetAsync(service.Endpoint)).Status);
        var pid = (await service.PodmanAsync("container", "inspect", "--format", "{{.State.Pid}}", service.ContainerName)).Stdout.Trim();
        Assert.True(int.Parse(pid, System.Globalization.CultureInfo.InvariantCulture) > 0, $"no container process: {pid}");

        await using (var clients = new ClientLoop(service.Endpoint))
        {
            await Task.Delay(500); // the scenario: the kill comes while the client loop is under way
            var kill = await PodwakeCli.RunProgramAsync("kill", "-9", pid);
            Assert.True(kill.ExitCode == 0, kill.ToString());
            await Eventually.TrueAsync(
                async () => (await service.PodmanAsync("container", "inspect", "--format", "{{.State.Running}} {{.State.Pid}}", service.ContainerName)).Stdout.Trim() is var state
                    && state.StartsWith("true ", StringComparison.Ordinal) && state != $"true {pid}",
                TimeSpan.FromSeconds(30),
                () => "the container did not run again after kill -9 of its main process");
            await Task.Delay(TimeSpan.FromSeconds(1)); // the scenario: the client loop goes on against the new run
            await clients.StopAsync();

            Assert.True(clients.Count(HttpOutcomeKind.Refused) == 0, $"refused connections after kill -9: {clients}");
            Assert.True(clients.Count(HttpOutcomeKind.Response) > 0, $"no response at all: {clients}");
        }

        var after = await RawHttp.GetAsync(service.Endpoint);
        Assert.True(after.Status == 200, $"after the kill: {after}");
        var newPid = (await service.PodmanAsync("container", "inspect", "--format", "{{.State.Pid}}", service.ContainerName)).Stdout.Trim();
        Assert.NotEqual(pid, newPid);
    }
}
