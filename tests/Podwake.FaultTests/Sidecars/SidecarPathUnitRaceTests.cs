using Podwake.IntegrationTests.Infrastructure;
using Xunit;

namespace Podwake.FaultTests.Sidecars;

/// <summary>
/// A caller that acts the moment its call is answered, under the systemd runtime: it removes another key and touches
/// the timestamp while the oneshot sync that answered it is ending. systemd's path unit does not fire for a unit still
/// active and does not look at <c>PathModified=</c> again when it ends, so such a touch was lost and the key's
/// container stayed until the next call (failed in every other run of the systemd tests, ~100 ms after the answer).
/// </summary>
[Collection(SidecarTimingCollection.Name)]
public sealed class SidecarPathUnitRaceTests : IDisposable
{
    private readonly PodmanFixture _podman;
    private readonly TempDirectory _dir = new();

    public SidecarPathUnitRaceTests(PodmanFixture podman)
    {
        _podman = podman;
    }

    public void Dispose() => _dir.Dispose();

    [UserManagerFact]
    public async Task ATouchRightAfterAnAnswer_IsNeverLost_TenRounds()
    {
        using var service = await TestSidecarService.CreateAsync(_dir.Path, "env:AGENT_KEY");
        var deploy = await PodwakeCli.RunProgramAsync(TestSidecarService.DeployBinary, "deploy", service.File);
        try
        {
            Assert.True(deploy.ExitCode == 0, deploy.ToString());
            for (var round = 0; round < 10; round++)
            {
                var gone = $"gone-{round}";
                Assert.Equal(0, (await service.CallAsync(SidecarAcceptance.Key(gone), null, "8080", "a")).ExitCode);
                var answered = await service.CallAsync(SidecarAcceptance.Key($"stays-{round}"), null, "8080", "b");
                Assert.True(answered.ExitCode == 0, answered.ToString());

                // At once, as an agent would.
                File.Delete(Path.Combine(service.Paths.Keys, $"{gone}.call"));
                File.SetLastWriteTimeUtc(service.Paths.Timestamp, DateTime.UtcNow);

                await Eventually.TrueAsync(
                    async () => !await _podman.Client.ContainerExistsAsync(service.Container(gone), CancellationToken.None),
                    TimeSpan.FromSeconds(5),
                    () => $"round {round}: the touch was lost, {service.Container(gone)} is still there");
            }
        }
        finally
        {
            await PodwakeCli.RunProgramAsync(TestSidecarService.DeployBinary, "undeploy", service.Name);
        }
    }
}
