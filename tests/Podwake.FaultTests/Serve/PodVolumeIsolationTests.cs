using Podwake.IntegrationTests.Infrastructure;
using Xunit;

namespace Podwake.FaultTests.Serve;

/// <summary>
/// Two <c>pod:</c> services whose pod files are alike (emptyDir "data", containerPort 8080). Two faults of podman 4.3's
/// kube play, both seen here: an emptyDir is a named volume of the name the file gives it, so both pods mounted one
/// volume (the second's writer overwrote the first's page: one service served the other's data, and removing one pod
/// failed on the volume the other used); and a containerPort without hostPort is published on the host's port of the
/// same number, so the second pod could not start while the first ran (409 "address already in use"), and each pod
/// was reachable on every address around podwake.
/// </summary>
[Collection(PodmanCollection.Name)]
public sealed class PodVolumeIsolationTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [PodmanFact]
    public async Task TwoAlikePods_RunAtOnce_EachServesItsOwnData()
    {
        await TestImages.BusyboxAsync();
        var first = TestPodService.Create(_dir.Path, idle: "30s", volume: "data");
        var second = TestPodService.Create(_dir.Path, idle: "30s", volume: "data");
        await using var serve = await ServeProcess.StartServingAsync(first.File, second.File);

        // The second wakes after the first wrote its page: a shared volume would now hold the second's token.
        Assert.Contains(first.Token, (await RawHttp.GetAsync(first.Endpoint)).Body, StringComparison.Ordinal);
        Assert.Contains(second.Token, (await RawHttp.GetAsync(second.Endpoint)).Body, StringComparison.Ordinal);

        Assert.Contains(first.Token, (await RawHttp.GetAsync(first.Endpoint)).Body, StringComparison.Ordinal);
    }
}
