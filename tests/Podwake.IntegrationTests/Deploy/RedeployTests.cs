using Podwake.IntegrationTests.Infrastructure;
using Xunit;

namespace Podwake.IntegrationTests.Deploy;

/// <summary>Idempotence: an unchanged service is not touched, a changed one is replaced with no refused connection, a bad file changes nothing.</summary>
public sealed class RedeployTests
{
    [UserManagerFact]
    public async Task RedeployUnchanged_KeepsContainerId()
    {
        await using var service = new DeployedService();
        service.Write();
        await service.DeployOrFailAsync();
        var id = await service.ContainerIdAsync();
        var units = UnitFiles(service);

        var again = await service.DeployAsync();

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("unchanged", again.Stdout, StringComparison.Ordinal);
        Assert.Equal(id, await service.ContainerIdAsync());
        Assert.Equal(units, UnitFiles(service));
        var dryRun = await PodwakeCli.RunAsync("deploy", "--dry-run", service.File);
        Assert.Contains($"{service.Name}: into", dryRun.Stdout, StringComparison.Ordinal);
        Assert.Contains("unchanged", dryRun.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("create ", dryRun.Stdout, StringComparison.Ordinal);
    }

    [UserManagerFact]
    public async Task ChangedCommand_RestartsIt_ClientLoopSeesNoRefusedConnection()
    {
        await using var service = new DeployedService();
        service.Write(idle: "30s");
        await service.DeployOrFailAsync();
        var id = await service.ContainerIdAsync();
        Assert.Equal(200, (await RawHttp.GetAsync(service.Endpoint)).Status);

        service.Write(idle: "30s", extra: "command: [/bin/busybox, httpd, -f, -v, -p, \"8080\", -h, /www]\n");
        var dryRun = await PodwakeCli.RunAsync("deploy", "--dry-run", service.File);
        Assert.Contains("recreate", dryRun.Stdout, StringComparison.Ordinal);
        Assert.Equal(id, await service.ContainerIdAsync());
        await using (var clients = new ClientLoop(service.Endpoint))
        {
            // The scenario: the redeploy comes while the client loop is under way, which then goes on for a second
            // against the new container.
            await Task.Delay(300);
            var redeploy = await service.DeployAsync();
            await Task.Delay(1000);
            await clients.StopAsync();

            Assert.True(redeploy.ExitCode == 0, redeploy.ToString());
            Assert.True(clients.Count(HttpOutcomeKind.Refused) == 0, $"refused during the redeploy: {clients}");
            Assert.True(clients.Count(HttpOutcomeKind.Response) > 0, $"no response: {clients}");
        }

        var newId = await service.ContainerIdAsync();
        Assert.NotNull(newId);
        Assert.NotEqual(id, newId);
        var args = await service.PodmanAsync("container", "inspect", "--format", "{{json .Config.Cmd}}", service.ContainerName);
        Assert.Contains("\"-v\"", args.Stdout, StringComparison.Ordinal);
        Assert.Equal(200, (await RawHttp.GetAsync(service.Endpoint)).Status);
    }

    [UserManagerFact]
    public async Task DeployFileWithError_ChangesNothing()
    {
        await using var service = new DeployedService();
        service.Write();
        await service.DeployOrFailAsync();
        var id = await service.ContainerIdAsync();
        var units = UnitFiles(service);
        var specCopy = System.IO.File.ReadAllText(SpecCopy(service));
        var reload = await DeployedService.SystemctlAsync("show", "--property=NeedDaemonReload", "--value", $"podwake-{service.Name}.socket");

        service.Write(extra: "command: [/bin/busybox, true]\nrestrat: always\n");
        var result = await service.DeployAsync();

        Assert.Equal(1, result.ExitCode);
        Assert.Matches(@$"{System.Text.RegularExpressions.Regex.Escape(service.File)}:\d+:\d+: error: .*restrat", result.Stderr);
        Assert.Equal(id, await service.ContainerIdAsync());
        Assert.Equal(units, UnitFiles(service));
        Assert.Equal(specCopy, System.IO.File.ReadAllText(SpecCopy(service)));
        Assert.Equal(reload.Stdout, (await DeployedService.SystemctlAsync("show", "--property=NeedDaemonReload", "--value", $"podwake-{service.Name}.socket")).Stdout);
        Assert.Equal("active", await DeployedService.ActiveStateAsync($"podwake-{service.Name}.socket"));
    }

    [UserManagerFact]
    public async Task DeployNewServiceWithError_InstallsNothing()
    {
        await using var service = new DeployedService();
        service.Write(extra: "restrat: always\n");

        var result = await service.DeployAsync();

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{service.File}:", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(UnitFiles(service));
        Assert.False(System.IO.File.Exists(SpecCopy(service)));
        Assert.Null(await service.ContainerIdAsync());
        Assert.Equal("inactive", await DeployedService.ActiveStateAsync($"podwake-{service.Name}.socket"));
    }

    private static string UnitDirectory => Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config", "systemd", "user");

    private static string SpecCopy(DeployedService service) =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config", "podwake", "services", $"{service.Name}.yaml");

    /// <summary>Each installed unit of the service with its bytes.</summary>
    private static Dictionary<string, string> UnitFiles(DeployedService service) =>
        Directory.Exists(UnitDirectory)
            ? Directory.EnumerateFiles(UnitDirectory, $"podwake-{service.Name}*").ToDictionary(f => f, System.IO.File.ReadAllText)
            : [];
}
