using Podwake.IntegrationTests.Infrastructure;
using Xunit;

namespace Podwake.IntegrationTests.Logs;

/// <summary><c>podwake logs</c> and <c>podwake events</c> of a service of <c>podwake serve</c>: real podman, the real binary.</summary>
[Collection(PodmanCollection.Name)]
public sealed class ServeLogsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public ServeLogsTests(PodmanFixture podman)
    {
        _ = podman;
    }

    public void Dispose() => _dir.Dispose();

    [PodmanFact]
    public async Task TwoWakes_LogsShowBothStartsAndPodwakesLines_EventsFollowThem()
    {
        var svc = TestServiceFile.Create(_dir.Path, idle: "1s", command: LogsAcceptance.Command);
        await using var serve = await ServeProcess.StartServingAsync(svc.File);
        await using var events = await LogsAcceptance.StartEventsAsync(svc.Name);

        for (var wake = 1; wake <= 2; wake++)
        {
            var response = await RawHttp.GetAsync(svc.Endpoint);
            Assert.True(response.Status == 200, $"wake {wake}: {response}");
            await Eventually.TrueAsync(
                async () => (await serve.ServiceStatusAsync(svc.Name)).GetProperty("state").GetString() == "dormant",
                TimeSpan.FromSeconds(15),
                () => $"wake {wake}: not dormant 15 s after the request (idle: 1s)");
        }

        await LogsAcceptance.AssertLogsShowBothWakesAsync(svc.Name);
        await LogsAcceptance.AssertEventsAsync(events, svc.Name);
    }

    [PodmanFact]
    public async Task UnknownService_OneLineErrorNamingStatus_Exit1()
    {
        var result = await PodwakeCli.RunAsync("logs", "nosuchservice-" + Guid.NewGuid().ToString("N")[..8]);

        Assert.Equal(1, result.ExitCode);
        Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("podwake status", result.Stderr, StringComparison.Ordinal);
    }
}
