using Podwake.IntegrationTests.Infrastructure;
using Xunit;

namespace Podwake.IntegrationTests.Deploy;

/// <summary>
/// <c>listen: /PATH.sock</c> in the systemd runtime: the socket unit's <c>ListenStream=PATH</c> (<c>SocketMode=</c>,
/// <c>RemoveOnStop=yes</c>) holds the socket while dormant; <c>curl --unix-socket</c> makes systemd start
/// <c>podwake activate</c>, which matches the passed unix socket to its port by path. Real user manager, real podman.
/// </summary>
public sealed class DeployUnixSocketTests
{
    [UserManagerFact]
    public async Task UnixSocketListener_CurlWakesIt_StatusShowsThePath_StoppedSocketRemovesTheFile()
    {
        await using var service = new DeployedService();
        var socket = Path.Join(service.Directory, "run", "web.sock"); // run/ does not exist: systemd creates it
        service.WriteYaml($$"""
            image: {{TestImages.Busybox}}
            ports:
              - {listen: {{socket}}, container: 8080, mode: "0660"}
            idle: 30s
            ready: {tcp: 8080, timeout: 30s}
            """);
        await service.DeployOrFailAsync();
        var unit = $"podwake-{service.Name}.socket";

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite, File.GetUnixFileMode(socket));
        Assert.Contains($"{socket} (Stream)", (await DeployedService.SystemctlAsync("status", "--no-pager", unit)).Stdout, StringComparison.Ordinal);
        Assert.False(await service.ContainerRunningAsync(), "the container runs before any request");

        var curl = await PodwakeCli.RunProgramAsync("curl", "-sS", "--max-time", "60", "--unix-socket", socket, "http://x/");

        Assert.True(curl.ExitCode == 0, $"curl failed: {curl.Stderr}\n{(await DeployedService.SystemctlAsync("status", "--no-pager", $"podwake-{service.Name}.service")).Stdout}");
        Assert.Contains(TestImages.PageText, curl.Stdout, StringComparison.Ordinal);
        var status = await PodwakeCli.RunAsync("status", "--json", service.Name);
        Assert.Contains($"\"{socket}\"", status.Stdout, StringComparison.Ordinal);

        // RemoveOnStop=yes: a stopped socket unit leaves no file; started again, it binds a fresh one that wakes the service.
        await DeployedService.SystemctlAsync("stop", unit, $"podwake-{service.Name}.service");
        Assert.False(Path.Exists(socket), "the stopped socket unit left its file behind");
        await DeployedService.SystemctlAsync("start", unit);
        Assert.Equal(0, (await PodwakeCli.RunProgramAsync("curl", "-sS", "--max-time", "60", "--unix-socket", socket, "http://x/")).ExitCode);
    }
}
