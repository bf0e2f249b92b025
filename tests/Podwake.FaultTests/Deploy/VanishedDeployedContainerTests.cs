using System.Diagnostics;
using System.Text.Json;
using Podwake.IntegrationTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Podwake.FaultTests.Deploy;

/// <summary>
/// A deployed service's container removed behind podwake's back, or exiting at start: the activator creates it again as
/// deploy did (the next deploy keeps it), or says which container exited with which code and its last lines.
/// </summary>
[Collection(PodmanCollection.Name)]
public sealed class VanishedDeployedContainerTests
{
    private readonly ITestOutputHelper _output;

    public VanishedDeployedContainerTests(ITestOutputHelper output) => _output = output;

    [UserManagerFact]
    public async Task ContainerRemovedWhileClientsRequest_ActivatorCreatesItAgain_NoClientRefusedOrReset()
    {
        await using var service = new DeployedService();
        service.Write(idle: "30s");
        await service.DeployOrFailAsync();
        Assert.Equal(200, (await RawHttp.GetAsync(service.Endpoint)).Status);
        var oldId = await service.ContainerIdAsync();

        var loops = Enumerable.Range(0, 2).Select(_ => new ClientLoop(service.Endpoint)).ToList();
        await Task.Delay(500); // the scenario: the rm comes while the client loops are under way
        var removed = Stopwatch.StartNew();
        var rm = await service.PodmanAsync("rm", "-f", service.ContainerName);
        Assert.True(rm.ExitCode == 0, rm.ToString());
        await Eventually.TrueAsync(async () => await service.ContainerIdAsync() is { } id && id != oldId && await service.ContainerRunningAsync(), TimeSpan.FromSeconds(30));
        var recovered = removed.Elapsed;
        await Task.Delay(2000); // the scenario: the client loops go on for 2 s against the new container
        foreach (var loop in loops)
        {
            await loop.DisposeAsync();
        }

        _output.WriteLine($"recovered {recovered.TotalSeconds:F1} s after podman rm -f; clients: {string.Join(" | ", loops)}");
        Assert.All(loops, loop =>
        {
            Assert.Equal(0, loop.Count(HttpOutcomeKind.Refused));
            Assert.Equal(0, loop.Count(HttpOutcomeKind.Reset));
            Assert.Equal(0, loop.Count(HttpOutcomeKind.TimedOut));
            Assert.True(loop.Count(HttpOutcomeKind.Response) > 5, loop.ToString());
        });

        // Created again exactly as deploy creates it: the next deploy keeps it.
        var plan = await PodwakeCli.RunAsync("deploy", "--dry-run", service.File);
        Assert.Matches(@"container\s+keep", plan.Stdout);
    }

    [UserManagerFact]
    public async Task ContainerExitsWith3AtStart_StatusNamesContainerCodeAndLastLines()
    {
        await using var service = new DeployedService();
        await TestImages.BusyboxAsync();
        service.WriteYaml($$"""
            image: {{TestImages.Busybox}}
            command: ["/bin/busybox", "sh", "-c", "echo 'config error: DATABASE_URL not set' >&2; exit 3"]
            ports: [{listen: "127.0.0.1:PORT", container: 8080}]
            idle: 30s
            ready: {tcp: 8080, timeout: 20s}
            """);
        await service.DeployOrFailAsync();

        var outcome = await RawHttp.GetAsync(service.Endpoint);

        Assert.Equal(HttpOutcomeKind.ClosedWithoutResponse, outcome.Kind);
        var status = await PodwakeCli.RunAsync("status", service.Name, "--json");
        _output.WriteLine(status.Stdout);
        using var document = JsonDocument.Parse(status.Stdout);
        var entry = document.RootElement.EnumerateArray().SelectMany(d => d.GetProperty("services").EnumerateArray()).Single(s => s.GetProperty("name").GetString() == service.Name);
        Assert.Equal("failed", entry.GetProperty("state").GetString());
        var lastError = entry.GetProperty("last_error").GetString() ?? "";
        // Assert.True with the whole text: StartsWith and Contains cut a long actual value short in their message.
        Assert.True(
            lastError.StartsWith($"container {service.ContainerName} exited with code 3 during start; its last lines:", StringComparison.Ordinal)
                && lastError.Contains("\n  config error: DATABASE_URL not set", StringComparison.Ordinal),
            $"last_error: {lastError}");
    }
}
