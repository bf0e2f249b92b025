using System.Diagnostics;
using Podwake.IntegrationTests.Infrastructure;
using Xunit;

namespace Podwake.IntegrationTests.Sidecars;

/// <summary>
/// The issue's acceptance points through the systemd runtime: a deployed <c>sidecar:</c> service in the real user
/// manager, whose <c>.path</c> unit starts the oneshot sync on each call and on the timestamp touched.
/// </summary>
[Collection(SidecarTimingCollection.Name)]
public sealed class SystemdSidecarTests : IDisposable
{
    /// <summary>The agent, or with first argument <c>once</c> a run that prints to both streams and exits 7.</summary>
    private const string Command = """[/bin/sh, -c, 'case "$1" in once) echo "out $2"; echo "err $2" >&2; exit 7;; esac; exec /bin/sh /agent.sh "$@"', sh]""";

    private readonly PodmanFixture _podman;
    private readonly TempDirectory _dir = new();

    public SystemdSidecarTests(PodmanFixture podman)
    {
        _podman = podman;
    }

    public void Dispose() => _dir.Dispose();

    [UserManagerFact]
    public async Task ThroughThePathUnit_RemoveAndTouchWithin2s_KillHupReachesOneKey_ForegroundPassesCodeAndOutput()
    {
        using var service = await TestSidecarService.CreateAsync(_dir.Path, "env:AGENT_KEY", command: Command);
        await DeployAsync(service, async () =>
        {
            Assert.Equal(0, (await service.CallAsync(SidecarAcceptance.Key("one"), null, "8080", "a")).ExitCode);
            var two = await service.CallAsync(SidecarAcceptance.Key("two"), null, "8080", "b");
            Assert.True(two.ExitCode == 0, two.ToString());

            File.Delete(Path.Combine(service.Paths.Keys, "one.call"));
            var touched = Stopwatch.StartNew();
            File.SetLastWriteTimeUtc(service.Paths.Timestamp, DateTime.UtcNow);
            await Eventually.TrueAsync(async () => !await _podman.Client.ContainerExistsAsync(service.Container("one"), CancellationToken.None), TimeSpan.FromSeconds(2),
                () => $"{service.Container("one")} still exists {touched.ElapsedMilliseconds} ms after the touch\n{Journal(service)}");
            Assert.True((await _podman.Client.InspectContainerAsync(service.Container("two"), CancellationToken.None)).State.Running);

            await Eventually.TrueAsync(async () => (await SidecarAcceptance.LogsAsync(_podman.Client, service.Container("two"))).Contains("starting", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
            var kill = await PodwakeCli.RunAsync("sidecar", "kill", service.Name, "two", "HUP");
            Assert.True(kill.ExitCode == 0, kill.ToString());
            await Eventually.TrueAsync(async () => (await SidecarAcceptance.LogsAsync(_podman.Client, service.Container("two"))).Contains("got HUP", StringComparison.Ordinal), TimeSpan.FromSeconds(10));

            var foreground = await service.CallAsync(new Dictionary<string, string> { ["AGENT_KEY"] = "three", ["PODWAKE_FOREGROUND"] = "1" }, null, "once", "hello");
            Assert.True(foreground.ExitCode == 7, $"{foreground}\n{Journal(service)}");
            Assert.Equal("out hello\n", foreground.Stdout);
            Assert.Equal("err hello\n", foreground.Stderr);
            Assert.False(await _podman.Client.ContainerExistsAsync(service.Container("three"), CancellationToken.None));
            Assert.Equal(["two"], (await service.ListAsync()).EnumerateArray().Select(k => k.GetProperty("key").GetString()));

            // status names the deployed service's keys (not its absent socket unit).
            var status = await PodwakeCli.RunAsync("status", service.Name, "--json");
            Assert.True(status.ExitCode == 0, status.ToString());
            using var document = System.Text.Json.JsonDocument.Parse(status.Stdout);
            var shown = document.RootElement[0].GetProperty("services")[0];
            Assert.Equal("ready", shown.GetProperty("state").GetString());
            Assert.Equal("two", shown.GetProperty("sidecars")[0].GetProperty("key").GetString());
            Assert.Equal("running", shown.GetProperty("sidecars")[0].GetProperty("state").GetString());
        });
    }

    [UserManagerFact(RunsAs.Root)]
    [Trait("runs-as", "root")]
    public async Task ThroughThePathUnit_TwentyConcurrentCallsOverFiveNamespaces_LeaveFiveContainers_EachInItsNamespace()
    {
        using var netns = TestNetns.Create(5);
        using var service = await TestSidecarService.CreateAsync(_dir.Path, "netns");
        await DeployAsync(service, async () =>
        {
            await SidecarAcceptance.TwentyCallsOverFiveNamespacesAsync(service, netns, _podman.Client, () => Journal(service));
        });
    }

    private static async Task DeployAsync(TestSidecarService service, Func<Task> body)
    {
        var deploy = await PodwakeCli.RunProgramAsync(TestSidecarService.DeployBinary, "deploy", service.File);
        try
        {
            Assert.True(deploy.ExitCode == 0, deploy.ToString());
            await body();
        }
        finally
        {
            var undeploy = await PodwakeCli.RunProgramAsync(TestSidecarService.DeployBinary, "undeploy", service.Name);
            Assert.True(undeploy.ExitCode == 0, undeploy.ToString());
        }
    }

    /// <summary>What the sync unit did last (the journal where there is one; systemctl status and the list otherwise).</summary>
    private static string Journal(TestSidecarService service)
    {
        var unit = $"podwake-{service.Name}-sidecar.service";
        var journal = PodwakeCli.RunProgramAsync("journalctl", "--user", "--no-pager", "-n", "40", "-u", unit).GetAwaiter().GetResult();
        var status = DeployedService.SystemctlAsync("status", "--no-pager", unit, $"podwake-{service.Name}-sidecar.path").GetAwaiter().GetResult();
        var keys = Directory.Exists(service.Paths.Keys) ? string.Join(' ', Directory.EnumerateFiles(service.Paths.Keys).Select(Path.GetFileName)) : "(none)";
        return $"{journal}\n{status}\nkeys: {keys}";
    }
}
