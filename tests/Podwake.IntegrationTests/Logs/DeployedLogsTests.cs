using Podwake.IntegrationTests.Infrastructure;
using Xunit;

namespace Podwake.IntegrationTests.Logs;

/// <summary><c>podwake logs</c> and <c>podwake events</c> of a deployed service: real systemd user manager, real podman.</summary>
public sealed class DeployedLogsTests
{
    [UserManagerFact]
    public async Task TwoWakes_LogsShowBothStartsAndPodwakesLines_EventsFollowThem()
    {
        await using var service = new DeployedService();
        service.Write(idle: "1s", extra: $"command: {LogsAcceptance.Command}\n");
        await service.DeployOrFailAsync();
        await using var events = await LogsAcceptance.StartEventsAsync(service.Name);

        for (var wake = 1; wake <= 2; wake++)
        {
            var response = await RawHttp.GetAsync(service.Endpoint);
            Assert.True(response.Status == 200, $"wake {wake}: {response}");
            Assert.True(
                await service.WaitUntilDormantAsync(TimeSpan.FromSeconds(30)),
                $"wake {wake}: still running 30 s after the request (idle: 1s): {string.Join("; ", service.ServiceProcesses())}");
        }

        await LogsAcceptance.AssertLogsShowBothWakesAsync(service.Name);
        await LogsAcceptance.AssertEventsAsync(events, service.Name);

        // Undeploy takes podwake's log of the service away with the rest.
        var runtime = Environment.IsPrivilegedProcess ? "/run/podwake" : Path.Combine(Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR")!, "podwake");
        var log = Path.Combine(runtime, "log", $"{service.Name}.jsonl");
        Assert.True(File.Exists(log), $"no {log} after two wakes");
        var undeploy = await PodwakeCli.RunAsync("undeploy", service.Name);
        Assert.True(undeploy.ExitCode == 0, undeploy.ToString());
        Assert.False(File.Exists(log), $"{log} is still there after undeploy");
    }
}
