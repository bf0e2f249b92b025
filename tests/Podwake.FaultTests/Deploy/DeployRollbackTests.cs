using System.Net;
using System.Net.Sockets;
using Podwake.IntegrationTests.Infrastructure;
using Xunit;

namespace Podwake.FaultTests.Deploy;

/// <summary>
/// A deploy that fails after its plan leaves the host as it was: a new service leaves nothing, a changed one keeps the
/// old one serving with its old units, spec copy and container byte for byte. The failures are real: a service folder
/// podman's volume syntax cannot carry (caught by validate), the socket's address taken by another process (the last
/// step of a deploy, after units, spec copy, namespace and container are in place: everything has to be undone), and a
/// container of the temporary name that podwake did not make.
/// </summary>
[Collection(PodmanCollection.Name)]
public sealed class DeployRollbackTests
{
    private static string Home => Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    private static string UnitDirectory => Path.Combine(Home, ".config", "systemd", "user");

    [UserManagerFact]
    public async Task FolderWithColon_ValidateAndDeployExit1AtTheVolume_NothingChanged()
    {
        using var dir = new TempDirectory();
        var name = TestNames.Unique()["podwake-".Length..];
        var folder = Directory.CreateDirectory(Path.Combine(dir.Path, "a:b")).FullName;
        Directory.CreateDirectory(Path.Combine(folder, "www"));
        var file = Path.Combine(folder, "service.yaml");
        await File.WriteAllTextAsync(file, $"name: {name}\nimage: {await TestImages.BusyboxAsync()}\nports: [{{listen: \"127.0.0.1:{FreePorts.Next()}\", container: 8080}}]\nvolumes:\n  - ./www:/www:ro\n");

        foreach (var command in new[] { "validate", "deploy" })
        {
            var result = await PodwakeCli.RunAsync(command, file);

            Assert.True(result.ExitCode == 1, $"{command}: {result}");
            Assert.Contains($"{file}:5:5: error: volumes[0]: the host path {folder}/www contains ':'", result.Stderr, StringComparison.Ordinal);
        }

        await AssertNothingOfAsync(name);
    }

    [UserManagerFact]
    public async Task NewService_SocketAddressTaken_RollsBackToNothing()
    {
        await using var service = new DeployedService();
        service.Write(idle: "30s");
        using var squatter = Squat(service.Port);

        var result = await service.DeployAsync();

        Assert.True(result.ExitCode == 2, $"deploy onto a taken address: {result}");
        Assert.Contains("rolling back", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("podwake: rolled back: ", result.Stdout, StringComparison.Ordinal);
        await AssertNothingOfAsync(service.Name);
    }

    [UserManagerFact]
    public async Task ChangedRedeploy_SocketAddressTaken_OldServiceBackByteForByteAndServing()
    {
        await using var service = new DeployedService();
        service.Write(idle: "30s");
        await service.DeployOrFailAsync();
        Assert.Equal(200, (await RawHttp.GetAsync(service.Endpoint)).Status);
        var before = await SnapshotAsync(service);

        // A new command (the container is recreated) and a new address (the socket is restarted), which another process holds.
        var busy = FreePorts.Next();
        using var squatter = Squat(busy);
        service.WriteYaml($"image: {TestImages.Busybox}\nports: [{{listen: \"127.0.0.1:{busy}\", container: 8080}}]\nidle: 30s\n"
                          + "command: [/bin/busybox, httpd, -f, -v, -p, \"8080\", -h, /www]\nready: {tcp: 8080, timeout: 30s}\n");
        var result = await service.DeployAsync();

        Assert.True(result.ExitCode == 2, $"redeploy onto a taken address: {result}");
        Assert.Contains("podwake: rolled back: ", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync(service));
        Assert.Equal(200, (await RawHttp.GetAsync(service.Endpoint)).Status);
        await AssertNoSwapLeftoversAsync(service);
    }

    [UserManagerFact]
    public async Task ChangedRedeploy_ForeignNextContainer_LeftAloneAndOldServiceServing()
    {
        await using var service = new DeployedService();
        service.Write(idle: "30s");
        await service.DeployOrFailAsync();
        Assert.Equal(200, (await RawHttp.GetAsync(service.Endpoint)).Status);
        var before = await SnapshotAsync(service);
        var foreign = $"{service.ContainerName}-next";
        var created = await PodwakeCli.RunProgramAsync("podman", "create", "--name", foreign, TestImages.Busybox, "/bin/busybox", "true");
        Assert.True(created.ExitCode == 0, created.ToString());
        try
        {
            service.Write(idle: "30s", extra: "command: [/bin/busybox, httpd, -f, -v, -p, \"8080\", -h, /www]\n");
            var result = await service.DeployAsync();

            Assert.True(result.ExitCode == 2, $"redeploy with {foreign} in the way: {result}");
            Assert.Contains($"a container named {foreign} that podwake did not create is in the way", result.Stderr, StringComparison.Ordinal);
            Assert.Equal(created.Stdout.Trim(), (await PodwakeCli.RunProgramAsync("podman", "container", "inspect", "--format", "{{.Id}}", foreign)).Stdout.Trim());
            Assert.Equal(before, await SnapshotAsync(service));
            Assert.Equal(200, (await RawHttp.GetAsync(service.Endpoint)).Status);
        }
        finally
        {
            await PodwakeCli.RunProgramAsync("podman", "rm", "--force", foreign);
        }
    }

    /// <summary>Holds 127.0.0.1:<paramref name="port"/> as another program would.</summary>
    private static TcpListener Squat(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        return listener;
    }

    /// <summary>Units, spec copy and index entry with their bytes, and the container's ID.</summary>
    private static async Task<string> SnapshotAsync(DeployedService service)
    {
        var files = Directory.EnumerateFiles(UnitDirectory, $"podwake-{service.Name}*")
            .Append(SpecCopy(service.Name))
            .Append($"/etc/podwake/deployed/{service.Name}")
            .Order(StringComparer.Ordinal)
            .Select(f => $"{f}\n{File.ReadAllText(f)}");
        return string.Join("\n--\n", files) + $"\ncontainer {await service.ContainerIdAsync()}";
    }

    private static string SpecCopy(string name) => Path.Combine(Home, ".config", "podwake", "services", $"{name}.yaml");

    private static async Task AssertNoSwapLeftoversAsync(DeployedService service)
    {
        foreach (var name in new[] { $"{service.ContainerName}-next", $"{service.ContainerName}.previous" })
        {
            Assert.Equal(1, (await PodwakeCli.RunProgramAsync("podman", "container", "exists", name)).ExitCode);
        }
    }

    /// <summary>No unit (file or loaded), spec copy, index entry, container or network namespace of <paramref name="name"/>.</summary>
    private static async Task AssertNothingOfAsync(string name)
    {
        var units = Directory.Exists(UnitDirectory) ? Directory.EnumerateFiles(UnitDirectory, $"podwake-{name}*").ToList() : [];
        Assert.True(units.Count == 0, $"unit files left: {string.Join(", ", units)}");
        Assert.False(File.Exists(SpecCopy(name)), "the spec copy is left");
        Assert.False(File.Exists($"/etc/podwake/deployed/{name}"), "the index entry is left");
        foreach (var container in new[] { $"podwake-{name}", $"podwake-{name}-next", $"podwake-{name}.previous" })
        {
            Assert.True((await PodwakeCli.RunProgramAsync("podman", "container", "exists", container)).ExitCode == 1, $"{container} is left");
        }

        Assert.False(File.Exists($"/run/netns/podwake-{name}"), "the network namespace is left");
        Assert.False(File.Exists($"/var/lib/podwake/networks/{name}.json"), "the network state is left");
        foreach (var unit in new[] { "socket", "service" }.Select(s => $"podwake-{name}.{s}").Append($"podwake-{name}-network.service"))
        {
            var state = (await DeployedService.SystemctlAsync("show", "--property=LoadState,ActiveState", "--value", unit)).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(state.Length == 2 && state[0] == "not-found" && state[1] == "inactive", $"{unit}: {string.Join(' ', state)}");
        }
    }
}
