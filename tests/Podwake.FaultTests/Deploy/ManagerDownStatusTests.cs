using System.Diagnostics;
using System.Text.Json;
using Podwake.IntegrationTests.Infrastructure;
using Xunit;

namespace Podwake.FaultTests.Deploy;

/// <summary>
/// A host rebooted without linger, or a user manager stopped: the deployed services' files are there, their manager is
/// not. <c>podwake status</c> must still answer (each such service failed, saying which manager to start and how), not
/// die with an unhandled exception at the first <c>systemctl --user</c> that cannot reach the bus.
/// </summary>
[Collection(PodmanCollection.Name)]
public sealed class ManagerDownStatusTests : IDisposable
{
    private readonly TempDirectory _home = new();

    public void Dispose() => _home.Dispose();

    [PodmanFact]
    public async Task UserManagerNotRunning_StatusShowsEachDeployedServiceFailed_WithHowToStartIt()
    {
        var specs = Directory.CreateDirectory(Path.Combine(_home.Path, ".config", "podwake", "services")).FullName;
        File.WriteAllText(Path.Combine(specs, "mgrdown-web.yaml"), """
            name: mgrdown-web
            image: localhost/podwake-absent:1
            ports:
              - listen: 127.0.0.1:18931
                container: 80
            """);
        File.WriteAllText(Path.Combine(specs, "mgrdown-agent.yaml"), """
            name: mgrdown-agent
            image: localhost/podwake-absent:1
            sidecar:
              wrapper: /nonexistent/podwake-mgrdown/agent
              command: [/bin/true]
              key: env:K
            """);
        var runtime = Directory.CreateDirectory(Path.Combine(_home.Path, "run")).FullName;

        var start = new ProcessStartInfo(ServeProcess.PodwakePath, ["status", "--json"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = "/",
        };
        start.Environment["HOME"] = _home.Path;
        start.Environment["XDG_RUNTIME_DIR"] = runtime; // no bus, no manager
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(cts.Token);

        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}\n{await stdout}\n{await stderr}");
        using var document = JsonDocument.Parse(await stdout);
        var services = document.RootElement.EnumerateArray().SelectMany(d => d.GetProperty("services").EnumerateArray())
            .ToDictionary(s => s.GetProperty("name").GetString()!, s => s.Clone());
        foreach (var name in new[] { "mgrdown-web", "mgrdown-agent" })
        {
            Assert.True(services.TryGetValue(name, out var service), $"{name} missing from\n{await stdout}");
            Assert.Equal("failed", service.GetProperty("state").GetString());
            var error = service.GetProperty("last_error").GetString()!;
            Assert.Contains("user manager", error, StringComparison.Ordinal);
            Assert.Contains("podwake user-manager start", error, StringComparison.Ordinal);
        }
    }
}
