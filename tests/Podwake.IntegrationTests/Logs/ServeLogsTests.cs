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
        await using var follow = ServeProcess.Start("logs", "-f", svc.Name);

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

        // Following since before the first wake: both starts came through although the container stopped between.
        await Eventually.TrueAsync(
            () => Task.FromResult(follow.Stdout.Split('\n').Count(l => l.Contains($" {svc.Container} started ", StringComparison.Ordinal)) == 2
                && follow.Stdout.Split('\n').Count(l => l.Contains($" podwake {svc.Name}: stopped, dormant", StringComparison.Ordinal)) == 2),
            TimeSpan.FromSeconds(5),
            () => $"podwake logs -f did not print both starts and both dormant lines once each:\n{follow.Stdout}\n{follow.Stderr}");
        follow.Signal(Signals.Int);
        Assert.Equal(0, await follow.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        Assert.Empty(PodmanLogsOf(svc.Container));
    }

    [PodmanFact]
    public async Task PodService_LogsShowEachMembersOutput()
    {
        var pod = TestPodService.Create(_dir.Path, idle: "30s");
        var podYaml = Path.Combine(Path.GetDirectoryName(pod.File)!, "pod.yaml");
        // The writer also says so on stdout: a member's line in podwake logs.
        File.WriteAllText(podYaml, File.ReadAllText(podYaml).Replace(
            $"echo {pod.Token} > /www/index.html;", $"echo {pod.Token} > /www/index.html; echo wrote {pod.Token};", StringComparison.Ordinal));
        await using var serve = await ServeProcess.StartServingAsync(pod.File);

        var response = await RawHttp.GetAsync(pod.Endpoint);
        Assert.True(response.Status == 200, response.ToString());

        await Eventually.TrueAsync(
            async () => (await PodwakeCli.RunAsync("logs", pod.Name)).Stdout.Contains($" {pod.Member("writer")} wrote {pod.Token}", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10),
            () => $"podwake logs {pod.Name} shows no line of the writer container");
        var logs = await PodwakeCli.RunAsync("logs", pod.Name);
        Assert.Contains($" podwake {pod.Name}: ready in ", logs.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("-infra ", logs.Stdout, StringComparison.Ordinal);
    }

    [PodmanFact]
    public async Task UnknownService_OneLineErrorNamingStatus_Exit1()
    {
        var result = await PodwakeCli.RunAsync("logs", "nosuchservice-" + Guid.NewGuid().ToString("N")[..8]);

        Assert.Equal(1, result.ExitCode);
        Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("podwake status", result.Stderr, StringComparison.Ordinal);
    }

    /// <summary>podman logs processes still reading <paramref name="container"/> (left behind by podwake logs -f).</summary>
    private static List<string> PodmanLogsOf(string container) =>
        [.. Directory.EnumerateDirectories("/proc").Where(d => char.IsDigit(Path.GetFileName(d)[0])).Select(d =>
        {
            try
            {
                var words = File.ReadAllText(Path.Combine(d, "cmdline")).Split('\0');
                return words.Contains("logs") && words.Contains(container) && words.Any(w => w.EndsWith("podman", StringComparison.Ordinal)) ? string.Join(' ', words) : null;
            }
            catch (IOException)
            {
                return null; // exited meanwhile
            }
        }).OfType<string>()];
}
