using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Podwake.IntegrationTests.Infrastructure;
using Xunit;

namespace Podwake.FaultTests.Deploy;

/// <summary>
/// Faults around the metrics of deployed services: the address another program holds (refused before anything is
/// deployed, not after), and the state file the counters ride in between activators found corrupt, or replaced by a
/// link (the activator starts from zero rather than failing, or reading through the link).
/// </summary>
[Collection(PodmanCollection.Name)]
public sealed class MetricsStateFaultTests
{
    [UserManagerFact]
    public async Task MetricsAddressInUse_DeployRefusedBeforeAnythingChanges()
    {
        await using var service = new DeployedService();
        service.Write(idle: "30s");
        using var holder = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        holder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        holder.Listen();
        var taken = (IPEndPoint)holder.LocalEndPoint!;
        if (service.User is null)
        {
            await TestImages.BusyboxAsync();
        }

        var deploy = await PodwakeCli.RunAsync("deploy", service.File, "--metrics", taken.ToString());

        Assert.True(deploy.ExitCode == 2, deploy.ToString());
        Assert.Contains($"--metrics {taken}:", deploy.Stderr, StringComparison.Ordinal);
        Assert.Contains("nothing was changed", deploy.Stderr, StringComparison.Ordinal);
        Assert.NotEqual(0, (await DeployedService.SystemctlAsync("cat", $"podwake-{service.Name}.socket")).ExitCode);
        Assert.NotEqual(0, (await DeployedService.SystemctlAsync("cat", "podwake-metrics.socket")).ExitCode);
    }

    [UserManagerFact]
    public async Task CorruptStateFile_TheActivatorCountsFromZeroAndServes()
    {
        await using var service = new DeployedService();
        service.Write(idle: "30s");
        await service.DeployOrFailAsync();
        await File.WriteAllTextAsync(StateFile(service.Name), "{\"name\": \"x\", \"wakes\": [garbage");

        Assert.Equal(200, (await RawHttp.GetAsync(service.Endpoint)).Status);

        Assert.Equal(1, await WakesAsync(service.Name));
    }

    [UserManagerFact]
    public async Task StateFileReplacedByALink_NotReadThroughIt_NorWrittenThroughIt()
    {
        await using var service = new DeployedService();
        service.Write(idle: "1s");
        await service.DeployOrFailAsync();
        using var directory = new TempDirectory();
        var target = directory.Write("elsewhere.json", $"{{\"name\": \"{service.Name}\", \"state\": \"dormant\", \"wakes\": 1000}}");
        var before = await File.ReadAllTextAsync(target);
        File.CreateSymbolicLink(StateFile(service.Name), target);

        Assert.Equal(200, (await RawHttp.GetAsync(service.Endpoint)).Status);
        Assert.Equal(1, await WakesAsync(service.Name));
        Assert.True(await service.WaitUntilDormantAsync(TimeSpan.FromSeconds(30)), string.Join("; ", service.ServiceProcesses()));

        Assert.Equal(before, await File.ReadAllTextAsync(target));
        Assert.False(new FileInfo(StateFile(service.Name)).Attributes.HasFlag(FileAttributes.ReparsePoint), "the state file is still the link");
    }

    /// <summary>The activator's last-state file: /run/podwake for root, $XDG_RUNTIME_DIR/podwake otherwise.</summary>
    private static string StateFile(string name)
    {
        var directory = Environment.IsPrivilegedProcess ? "/run/podwake" : Path.Combine(UserManagerAvailability.RuntimeDirectory, "podwake");
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, $"activate-{name}.json");
    }

    private static async Task<long> WakesAsync(string name)
    {
        var status = await PodwakeCli.RunAsync("status", name, "--json");
        using var document = JsonDocument.Parse(status.Stdout);
        return document.RootElement.EnumerateArray().SelectMany(d => d.GetProperty("services").EnumerateArray())
            .Single(s => s.GetProperty("name").GetString() == name).GetProperty("wakes").GetInt64();
    }
}
