using System.Net;
using Podwake.IntegrationTests.Infrastructure;
using Xunit;

namespace Podwake.IntegrationTests.Deploy;

/// <summary><c>expose:</c>: a second socket on another address forwards to the service, which wakes as usual.</summary>
public sealed class DeployExposeTests
{
    [UserManagerFact(RunsAs.Root)]
    [Trait("runs-as", "root")]
    public async Task Expose_AsRoot_ForwardsToTheServiceAndWakesIt()
    {
        await using var service = new DeployedService();
        var outside = FreePorts.Next();
        service.Write(idle: "2s", extra: $"expose: [{{listen: \"127.0.0.1:{outside}\", to: {service.Port}}}]\n");

        var result = await service.DeployAsync();

        Assert.True(result.ExitCode == 0, result.ToString());
        var response = await RawHttp.GetAsync(new IPEndPoint(IPAddress.Loopback, outside));
        Assert.True(response.Status == 200, $"through the exposed address: {response}");
        Assert.Contains(TestImages.PageText, response.Body, StringComparison.Ordinal);
        Assert.True(await service.WaitUntilDormantAsync(TimeSpan.FromSeconds(30)), "still running after idle");
        Assert.Equal("active", await DeployedService.ActiveStateAsync($"podwake-{service.Name}-expose.socket"));
    }

    [UserManagerFact(RunsAs.Rootless)]
    [Trait("runs-as", "rootless")]
    public async Task Expose_Rootless_IsAFileErrorThatNeedsRoot()
    {
        await using var service = new DeployedService();
        var outside = FreePorts.Next();
        service.Write(idle: "2s", extra: $"expose: [{{listen: \"127.0.0.1:{outside}\", to: {service.Port}}}]\n");

        var result = await service.DeployAsync();

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{service.File}:", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("expose: needs root", result.Stderr, StringComparison.Ordinal);
    }
}
