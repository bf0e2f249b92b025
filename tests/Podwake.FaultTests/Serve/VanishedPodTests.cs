using Podwake.IntegrationTests.Infrastructure;
using Xunit;

namespace Podwake.FaultTests.Serve;

/// <summary>
/// A <c>pod:</c> service's pod removed behind serve's back (<c>podman pod rm -f</c>, which takes the service container
/// with it): the next connection is served by a pod played again, held meanwhile, with no failed wake. Before: the
/// replayed pod was stopped and started again at once, and that start failed with 409 "container state improper";
/// and a pod removed while podman started it answered 500 "no such pod", which was not taken for gone.
/// </summary>
[Collection(PodmanCollection.Name)]
public sealed class VanishedPodTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [PodmanTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PodRemovedBehindServesBack_NextConnectionIsServed(bool whileRunning)
    {
        await TestImages.BusyboxAsync();
        var pod = TestPodService.Create(_dir.Path, idle: "30s");
        await using var serve = await ServeProcess.StartServingAsync(pod.File);
        if (whileRunning)
        {
            Assert.Equal(200, (await RawHttp.GetAsync(pod.Endpoint)).Status);
        }

        var removed = await PodwakeCli.RunProgramAsync("podman", "pod", "rm", "-f", "-t", "0", pod.Pod);
        Assert.True(removed.ExitCode == 0, removed.ToString());

        var response = await RawHttp.GetAsync(pod.Endpoint, timeout: TimeSpan.FromSeconds(60));

        Assert.Equal(200, response.Status);
        Assert.Contains(pod.Token, response.Body, StringComparison.Ordinal);
        var status = await serve.ServiceStatusAsync(pod.Name);
        Assert.Equal("ready", status.GetProperty("state").GetString());
        Assert.Contains("was gone", serve.Stderr, StringComparison.Ordinal);
        Assert.False(serve.Stderr.Contains("failed to wake", StringComparison.Ordinal), serve.Stderr);
    }
}
