using System.Diagnostics;
using Podwake.IntegrationTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Podwake.FaultTests.Deploy;

/// <summary>
/// A deployed <c>pod:</c> service's pod removed behind podwake's back (<c>podman pod rm -f</c>, which takes its service
/// container with it): the activator plays deploy's play file again, as deploy did, and serves; the next deploy keeps
/// that pod.
/// </summary>
[Collection(PodmanCollection.Name)]
public sealed class VanishedDeployedPodTests
{
    private readonly ITestOutputHelper _output;

    public VanishedDeployedPodTests(ITestOutputHelper output) => _output = output;

    [UserManagerFact]
    public async Task PodRemovedWhileDormant_NextRequestReplaysIt_AndIsServed()
    {
        await using var service = new DeployedService();
        var pod = DeployedPodService.Write(service, idle: "30s");
        await service.DeployOrFailAsync();
        var oldId = await pod.IdAsync();

        var rm = await service.PodmanAsync("pod", "rm", "-f", pod.Pod);
        Assert.True(rm.ExitCode == 0, rm.ToString());
        Assert.Equal(1, (await service.PodmanAsync("container", "exists", pod.ServiceContainer)).ExitCode);
        var woken = Stopwatch.StartNew();

        var response = await RawHttp.GetAsync(service.Endpoint);

        _output.WriteLine($"served {woken.Elapsed.TotalSeconds:F1} s after the request, the pod removed before it: {response}");
        Assert.True(response.Status == 200, $"after podman pod rm -f: {response}");
        Assert.Contains(pod.Token, response.Body, StringComparison.Ordinal);
        Assert.NotEqual(oldId, await pod.IdAsync());
        Assert.Equal(["httpd", "service", "writer"], await pod.RunningAsync());

        // Played again exactly as deploy plays it: the next deploy keeps it.
        var plan = await PodwakeCli.RunAsync("deploy", "--dry-run", service.File);
        Assert.Matches(@"pod\s+keep", plan.Stdout);
    }

    [UserManagerFact]
    public async Task PodRemovedWhileClientsRequest_ActivatorReplaysIt_NoClientRefused()
    {
        await using var service = new DeployedService();
        var pod = DeployedPodService.Write(service, idle: "30s");
        await service.DeployOrFailAsync();
        Assert.Equal(200, (await RawHttp.GetAsync(service.Endpoint)).Status);
        var oldId = await pod.IdAsync();

        var loop = new ClientLoop(service.Endpoint);
        await using (loop)
        {
            await Task.Delay(500); // the scenario: the rm comes while the client loop is under way
            var removed = Stopwatch.StartNew();
            var rm = await service.PodmanAsync("pod", "rm", "-f", pod.Pod);
            Assert.True(rm.ExitCode == 0, rm.ToString());
            await Eventually.TrueAsync(
                async () => await pod.IdAsync() is { Length: > 0 } id && id != oldId && (await pod.RunningAsync()).Count == 3,
                TimeSpan.FromSeconds(30),
                () => "the pod was not played again");
            _output.WriteLine($"replayed {removed.Elapsed.TotalSeconds:F1} s after podman pod rm -f");
            await Task.Delay(2000); // the scenario: the loop goes on for 2 s against the new pod
            await loop.StopAsync();
        }

        _output.WriteLine($"clients: {loop}");
        Assert.Equal(0, loop.Count(HttpOutcomeKind.Refused));
        Assert.Equal(0, loop.Count(HttpOutcomeKind.TimedOut));
        Assert.True(loop.Count(HttpOutcomeKind.Response) > 5, loop.ToString());
        var after = await RawHttp.GetAsync(service.Endpoint);
        _output.WriteLine((await PodwakeCli.RunAsync("status", service.Name, "--json")).Stdout);
        _output.WriteLine((await DeployedService.SystemctlAsync("status", "--no-pager", "--lines=0", $"podwake-{service.Name}.service", $"podwake-{service.Name}-container.service")).Stdout);
        Assert.True(after.Status == 200 && after.Body.Contains(pod.Token, StringComparison.Ordinal), $"after the replay: {after} {after.Body}");
    }
}
