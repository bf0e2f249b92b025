using Podwake.IntegrationTests.Infrastructure;
using Xunit;

namespace Podwake.IntegrationTests.Deploy;

/// <summary>
/// A <c>sidecar:</c> service deployed into the real systemd user manager (rootful as root, rootless as the test user):
/// its path unit watches the state folder and runs the sync, a call of the wrapper gets its container, and undeploy
/// leaves nothing (units, wrapper, state folder, containers).
/// </summary>
public sealed class DeployedSidecarTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [UserManagerFact]
    public async Task Deploy_CallThroughThePathUnit_RunsTheContainer_UndeployRemovesUnitsWrapperStateAndContainers()
    {
        using var service = await TestSidecarService.CreateAsync(_dir.Path, "env:AGENT_KEY");
        var pathUnit = $"podwake-{service.Name}-sidecar.path";
        var syncUnit = $"podwake-{service.Name}-sidecar.service";
        var undeployed = false;
        try
        {
            var dryRun = await PodwakeCli.RunAsync("deploy", "--dry-run", service.File);
            Assert.True(dryRun.ExitCode == 0, dryRun.ToString());
            Assert.Contains($"create        {service.Wrapper} (the wrapper)", dryRun.Stdout, StringComparison.Ordinal);
            Assert.Contains($"containers    one per key, made by {syncUnit}", dryRun.Stdout, StringComparison.Ordinal);
            Assert.False(File.Exists(service.Wrapper), "--dry-run wrote the wrapper");
            Assert.False(Directory.Exists(service.Paths.Directory), "--dry-run made the state folder");

            var deploy = await PodwakeCli.RunAsync("deploy", service.File);

            Assert.True(deploy.ExitCode == 0, deploy.ToString());
            Assert.Equal("enabled", (await DeployedService.SystemctlAsync("is-enabled", pathUnit)).Stdout.Trim());
            Assert.Equal("active", await DeployedService.ActiveStateAsync(pathUnit));
            Assert.True(File.Exists(service.Wrapper), $"no wrapper at {service.Wrapper}");
            Assert.True((File.GetUnixFileMode(service.Wrapper) & UnixFileMode.UserExecute) != 0, $"{service.Wrapper} is not executable");
            Assert.True(Directory.Exists(service.Paths.Calls), $"no {service.Paths.Calls}");

            // A call: recorded by the wrapper, taken by the sync pass the path unit starts; it returns once the container runs.
            var call = await service.CallAsync(new Dictionary<string, string> { ["AGENT_KEY"] = "net-1" }, null, "8080", "deployed");
            Assert.True(call.ExitCode == 0, $"{call}\n{await SyncLogAsync(syncUnit)}");
            var running = await PodwakeCli.RunProgramAsync("podman", "container", "inspect", "--format", "{{.State.Running}}", service.Container("net-1"));
            Assert.Equal("true", running.Stdout.Trim());

            // The pass ended (the oneshot is inactive again), and its container outlived it.
            await Eventually.TrueAsync(
                async () => await DeployedService.ActiveStateAsync(syncUnit) == "inactive",
                TimeSpan.FromSeconds(30),
                () => $"{syncUnit} did not finish its pass");
            running = await PodwakeCli.RunProgramAsync("podman", "container", "inspect", "--format", "{{.State.Running}}", service.Container("net-1"));
            Assert.Equal("true", running.Stdout.Trim());

            var invocation = await PropertyAsync(syncUnit, "InvocationID");
            var again = await PodwakeCli.RunAsync("deploy", service.File);
            Assert.True(again.ExitCode == 0, again.ToString());
            Assert.Contains($"{service.Name}: unchanged", again.Stdout, StringComparison.Ordinal);

            // A changed service (restart: here) runs the sync once more; the unchanged one above did not.
            Assert.Equal(invocation, await PropertyAsync(syncUnit, "InvocationID"));
            File.WriteAllText(service.File, File.ReadAllText(service.File).Replace("restart: on-failure", "restart: always", StringComparison.Ordinal));
            var changed = await PodwakeCli.RunAsync("deploy", service.File);
            Assert.True(changed.ExitCode == 0, changed.ToString());
            Assert.Contains($"{service.Name}: deployed into", changed.Stdout, StringComparison.Ordinal);
            await Eventually.TrueAsync(
                async () => await PropertyAsync(syncUnit, "InvocationID") != invocation && await DeployedService.ActiveStateAsync(syncUnit) == "inactive",
                TimeSpan.FromSeconds(30),
                () => $"{syncUnit} did not run again after a changed deploy");

            var undeploy = await PodwakeCli.RunAsync("undeploy", service.Name);
            undeployed = undeploy.ExitCode == 0;

            Assert.True(undeployed, undeploy.ToString());
            Assert.Equal("not-found", (await DeployedService.SystemctlAsync("show", "--property=LoadState", "--value", pathUnit)).Stdout.Trim());
            Assert.Equal("not-found", (await DeployedService.SystemctlAsync("show", "--property=LoadState", "--value", syncUnit)).Stdout.Trim());
            Assert.False(File.Exists(service.Wrapper), $"{service.Wrapper} is still there");
            Assert.False(Directory.Exists(service.Paths.Directory), $"{service.Paths.Directory} is still there");
            var left = await PodwakeCli.RunProgramAsync(
                "podman", "ps", "--all", "--filter", $"label=io.podwake.service={service.Name}", "--format", "{{.Names}}");
            Assert.True(left.ExitCode == 0 && left.Stdout.Trim().Length == 0, $"containers left: {left}");
        }
        finally
        {
            if (!undeployed)
            {
                await PodwakeCli.RunAsync("undeploy", service.Name);
            }
        }
    }

    private static async Task<string> PropertyAsync(string unit, string property) =>
        (await DeployedService.SystemctlAsync("show", $"--property={property}", "--value", unit)).Stdout.Trim();

    private static async Task<string> SyncLogAsync(string unit) =>
        (await PodwakeCli.RunProgramAsync("journalctl", "--user", "--no-pager", "-n", "30", "-u", unit)).ToString();
}
