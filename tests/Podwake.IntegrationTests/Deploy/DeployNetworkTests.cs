using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Podwake.IntegrationTests.Infrastructure;
using Xunit;

namespace Podwake.IntegrationTests.Deploy;

/// <summary>
/// The kept network namespace of a rootful deployed service (podman on CNI, as on this project's hosts): deploy makes
/// <c>/run/netns/podwake-NAME</c> and attaches it to podman's network once; the container joins it on every wake,
/// reaches the host through it, nothing runs in it while dormant, and undeploy leaves no namespace, address or
/// iptables rule behind. Rootless services keep podman's own per-start network.
/// </summary>
public sealed class DeployNetworkTests
{
    [UserManagerFact(RunsAs.Rootless)]
    [Trait("runs-as", "rootless")]
    public async Task Rootless_ContainerKeepsPodmansOwnNetwork_NoNetworkUnit()
    {
        // Rootless: slirp4netns is a process per container, there is no namespace to keep.
        await using var service = new DeployedService();
        service.Write(idle: "2s");
        await service.DeployOrFailAsync();

        var mode = (await service.PodmanAsync("container", "inspect", "--format", "{{.HostConfig.NetworkMode}}", service.ContainerName)).Stdout.Trim();

        Assert.NotEqual($"ns:/run/netns/podwake-{service.Name}", mode);
        var networkUnit = $"podwake-{service.Name}-network.service";
        Assert.False(File.Exists(Path.Combine(Environment.GetEnvironmentVariable("HOME")!, ".config/systemd/user", networkUnit)), $"a rootless deploy installed {networkUnit}");
        Assert.Equal(200, (await RawHttp.GetAsync(service.Endpoint)).Status);
    }

    [UserManagerFact(RunsAs.Root)]
    [Trait("runs-as", "root")]
    public async Task Rootful_ContainerJoinsTheKeptNamespace_ReachesTheHost_UndeployLeavesNoTrace()
    {
        var service = new DeployedService();
        var netnsPath = $"/run/netns/podwake-{service.Name}";
        var networkUnit = $"podwake-{service.Name}-network.service";
        var undeployed = false;
        try
        {
            service.Write(idle: "2s");
            await service.DeployOrFailAsync();
            var mode = (await service.PodmanAsync("container", "inspect", "--format", "{{.HostConfig.NetworkMode}}", service.ContainerName)).Stdout.Trim();
            Assert.Equal($"ns:{netnsPath}", mode);
            Assert.True(File.Exists(netnsPath), $"no {netnsPath} after deploy");
            Assert.Equal("active", await DeployedService.ActiveStateAsync(networkUnit));
            Assert.Equal("", await NamespacePidsAsync(service.Name));

            var state = JsonNode.Parse(await File.ReadAllTextAsync($"/var/lib/podwake/networks/{service.Name}.json"))!;
            var address = state["result"]!["ips"]![0]!["address"]!.GetValue<string>().Split('/')[0];
            var gateway = state["result"]!["ips"]![0]!["gateway"]!.GetValue<string>();

            // Outbound: from inside the container to a listener on the host's end of podman's bridge (this busybox's
            // wget -T crashes: timeout bounds it instead).
            using var host = new TcpListener(IPAddress.Parse(gateway), 0);
            host.Start();
            var served = ServeOnceAsync(host, "hello from the host");
            Assert.Equal(200, (await RawHttp.GetAsync(service.Endpoint)).Status);
            var port = ((IPEndPoint)host.LocalEndpoint).Port;
            var fetched = await service.PodmanAsync("exec", service.ContainerName, "/bin/busybox", "timeout", "10", "/bin/busybox", "wget", "-q", "-O", "-", $"http://{gateway}:{port}/");
            Assert.True(fetched.ExitCode == 0 && fetched.Stdout.Contains("hello from the host", StringComparison.Ordinal), $"the container could not reach the host: {fetched}");
            await served;
            var inside = await service.PodmanAsync("exec", service.ContainerName, "/bin/busybox", "ip", "-4", "-o", "addr", "show", "eth0");
            Assert.Contains($"inet {address}/", inside.Stdout, StringComparison.Ordinal);

            // Dormant: the namespace stays, attached, with nothing in it; the next wake gets the same address.
            Assert.True(await service.WaitUntilDormantAsync(TimeSpan.FromSeconds(30)), $"still running: {string.Join("; ", service.ServiceProcesses())}");
            Assert.True(File.Exists(netnsPath), $"{netnsPath} went away with the container");
            Assert.Equal("", await NamespacePidsAsync(service.Name));
            Assert.Equal(200, (await RawHttp.GetAsync(service.Endpoint)).Status);
            inside = await service.PodmanAsync("exec", service.ContainerName, "/bin/busybox", "ip", "-4", "-o", "addr", "show", "eth0");
            Assert.Contains($"inet {address}/", inside.Stdout, StringComparison.Ordinal);

            // Restarting the network unit (as a reboot would: down, then up) gives a working namespace again.
            var restart = await DeployedService.SystemctlAsync("restart", networkUnit);
            Assert.True(restart.ExitCode == 0, restart.ToString());
            Assert.True(await service.WaitUntilDormantAsync(TimeSpan.FromSeconds(30)), "the container outlived its namespace's restart");
            Assert.Equal(200, (await RawHttp.GetAsync(service.Endpoint)).Status);
            Assert.Single(Reservations(service.Name));

            var undeploy = await PodwakeCli.RunAsync("undeploy", service.Name);
            undeployed = true;
            Assert.True(undeploy.ExitCode == 0, undeploy.ToString());
            Assert.False(File.Exists(netnsPath), $"{netnsPath} is still there after undeploy");
            Assert.False(File.Exists($"/var/lib/podwake/networks/{service.Name}.json"), "the namespace's CNI state is still there after undeploy");
            Assert.Empty(Reservations(service.Name));
            var nat = await PodwakeCli.RunProgramAsync("iptables", "-w", "-t", "nat", "-S");
            var filter = await PodwakeCli.RunProgramAsync("iptables", "-w", "-t", "filter", "-S");
            Assert.DoesNotContain($"podwake-{service.Name}\"", nat.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain($"{address}/32", filter.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            if (!undeployed)
            {
                await service.DisposeAsync();
            }
        }
    }

    /// <summary>The addresses host-local holds for the service (its files name the CNI container ID, podwake-NAME).</summary>
    private static List<string> Reservations(string service) =>
        Directory.Exists("/var/lib/cni/networks/podman")
            ? Directory.EnumerateFiles("/var/lib/cni/networks/podman")
                .Where(f => File.ReadAllText(f).Split('\n')[0].Trim() == $"podwake-{service}")
                .ToList()
            : [];

    private static async Task<string> NamespacePidsAsync(string service) =>
        (await PodwakeCli.RunProgramAsync("ip", "netns", "pids", $"podwake-{service}")).Stdout.Trim();

    private static async Task ServeOnceAsync(TcpListener listener, string body)
    {
        using var client = await listener.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var stream = client.GetStream();
        var buffer = new byte[4096];
        _ = await stream.ReadAsync(buffer);
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.0 200 OK\r\nContent-Length: {body.Length}\r\n\r\n{body}"));
    }
}
