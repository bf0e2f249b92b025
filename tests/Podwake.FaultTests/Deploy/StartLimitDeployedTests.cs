using System.Text.Json;
using Podwake.IntegrationTests.Infrastructure;
using Xunit;

namespace Podwake.FaultTests.Deploy;

/// <summary>
/// systemd refuses a unit started five times within ten seconds ("start of the service was attempted too often"). A
/// container that exits at start reaches that by itself within one wake: the activator unit's Wants= start, systemd's
/// own restart 100 ms after each failure and podwake's retries; after such a failed run systemd even keeps
/// Result=exit-code and systemctl reports the refusal as "control process exited". The wake after a refusal must
/// still start the container, not fail on the refusal, nor explain the run before it with the output since then
/// ("exited with code 3 during start; it printed nothing": CI, three times).
/// </summary>
[Collection(PodmanCollection.Name)]
public sealed class StartLimitDeployedTests
{
    [UserManagerFact]
    public async Task ContainerUnitHitItsStartLimit_TheNextWakeStartsItAnyway()
    {
        await using var service = new DeployedService();
        service.Write(idle: "30s");
        await service.DeployOrFailAsync();
        var unit = $"podwake-{service.Name}-container.service";

        // Started without anything needing it, the unit is stopped again at once (StopWhenUnneeded=yes): six starts
        // take a few seconds, well within systemd's ten.
        for (var start = 0; start < 8 && await ResultAsync(unit) != "start-limit-hit"; start++)
        {
            await DeployedService.SystemctlAsync("start", unit);
        }

        Assert.Equal("start-limit-hit", await ResultAsync(unit));

        Assert.Equal(200, (await RawHttp.GetAsync(service.Endpoint)).Status);
        var status = await PodwakeCli.RunAsync("status", service.Name, "--json");
        using var document = JsonDocument.Parse(status.Stdout);
        var entry = document.RootElement.EnumerateArray().SelectMany(d => d.GetProperty("services").EnumerateArray()).Single(s => s.GetProperty("name").GetString() == service.Name);
        Assert.True(entry.GetProperty("failed_wakes").GetInt32() == 0, status.Stdout);
        Assert.Equal("ready", entry.GetProperty("state").GetString());
    }

    private static async Task<string> ResultAsync(string unit) =>
        (await DeployedService.SystemctlAsync("show", "--property=Result", "--value", unit)).Stdout.Trim();
}
