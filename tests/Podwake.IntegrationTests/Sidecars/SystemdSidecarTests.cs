using System.Diagnostics;
using Podwake.IntegrationTests.Infrastructure;
using Podwake.Podman;
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
            Assert.Equal(0, (await service.CallAsync(Env("one"), null, "8080", "a")).ExitCode);
            var two = await service.CallAsync(Env("two"), null, "8080", "b");
            Assert.True(two.ExitCode == 0, two.ToString());

            File.Delete(Path.Combine(service.Paths.Keys, "one.call"));
            var touched = Stopwatch.StartNew();
            File.SetLastWriteTimeUtc(service.Paths.Timestamp, DateTime.UtcNow);
            await Eventually.TrueAsync(async () => !await _podman.Client.ContainerExistsAsync(service.Container("one"), CancellationToken.None), TimeSpan.FromSeconds(2),
                () => $"{service.Container("one")} still exists {touched.ElapsedMilliseconds} ms after the touch\n{Journal(service)}");
            Assert.True((await _podman.Client.InspectContainerAsync(service.Container("two"), CancellationToken.None)).State.Running);

            await Eventually.TrueAsync(async () => (await LogsAsync(service.Container("two"))).Contains("starting", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
            var kill = await PodwakeCli.RunAsync("sidecar", "kill", service.Name, "two", "HUP");
            Assert.True(kill.ExitCode == 0, kill.ToString());
            await Eventually.TrueAsync(async () => (await LogsAsync(service.Container("two"))).Contains("got HUP", StringComparison.Ordinal), TimeSpan.FromSeconds(10));

            var foreground = await service.CallAsync(new Dictionary<string, string> { ["AGENT_KEY"] = "three", ["PODWAKE_FOREGROUND"] = "1" }, null, "once", "hello");
            Assert.True(foreground.ExitCode == 7, $"{foreground}\n{Journal(service)}");
            Assert.Equal("out hello\n", foreground.Stdout);
            Assert.Equal("err hello\n", foreground.Stderr);
            Assert.False(await _podman.Client.ContainerExistsAsync(service.Container("three"), CancellationToken.None));
            Assert.Equal(["two"], (await service.ListAsync()).EnumerateArray().Select(k => k.GetProperty("key").GetString()));
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
            var port = FreePorts.Next();
            var calls = Enumerable.Range(0, 20)
                .Select(i => (Netns: netns.Names[i % 5], Word: $"call-{i}"))
                .Select(c => (c.Netns, c.Word, Task: service.CallAsync(null, c.Netns, port.ToString(), c.Word)))
                .ToList();
            await Task.WhenAll(calls.Select(c => c.Task));
            foreach (var call in calls)
            {
                Assert.True(call.Task.Result.ExitCode == 0, $"{call.Word} in {call.Netns}: {call.Task.Result}\n{Journal(service)}");
            }

            var list = (await service.ListAsync()).EnumerateArray().ToList();
            Assert.Equal(netns.Names.Order(StringComparer.Ordinal), list.Select(k => k.GetProperty("key").GetString()!));
            var containers = (await _podman.Client.ListContainersAsync($"{ContainerLabels.Service}={service.Name}", CancellationToken.None))
                .Where(c => c.Labels?.ContainsKey(ContainerLabels.SidecarKey) == true).ToList();
            Assert.Equal(5, containers.Count);
            foreach (var entry in list)
            {
                var key = entry.GetProperty("key").GetString()!;
                var word = entry.GetProperty("arguments")[1].GetString()!;
                var page = await TestNetns.ExecAsync(key, "curl", "-fsS", "--max-time", "5", $"http://127.0.0.1:{port}/");
                Assert.True(page.ExitCode == 0 && page.Stdout.Trim() == word, $"in {key}: {page}");
            }

            Assert.NotEqual(0, (await PodwakeCli.RunProgramAsync("curl", "-fsS", "--max-time", "2", $"http://127.0.0.1:{port}/")).ExitCode);
        });
    }

    /// <summary>
    /// The binary the units run: scripts/setup's NativeAOT publish of this tree when there is one (what a user runs;
    /// scripts/test publishes it first), else the test build's. Each pass is a process start: the JIT build's ~0.5 s
    /// start-up alone is a quarter of the 2 s the issue allows for a removal, the published one's ~25 ms is not.
    /// </summary>
    private static string DeployBinary
    {
        get
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                var published = Path.Combine(directory.FullName, "artifacts", "publish", "podwake");
                if (File.Exists(Path.Combine(directory.FullName, "podwake.slnx")))
                {
                    return File.Exists(published) ? published : ServeProcess.PodwakePath;
                }
            }

            return ServeProcess.PodwakePath;
        }
    }

    private static async Task DeployAsync(TestSidecarService service, Func<Task> body)
    {
        var deploy = await PodwakeCli.RunProgramAsync(DeployBinary, "deploy", service.File);
        try
        {
            Assert.True(deploy.ExitCode == 0, deploy.ToString());
            await body();
        }
        finally
        {
            var undeploy = await PodwakeCli.RunProgramAsync(DeployBinary, "undeploy", service.Name);
            Assert.True(undeploy.ExitCode == 0, undeploy.ToString());
        }
    }

    private static string Journal(TestSidecarService service) =>
        PodwakeCli.RunProgramAsync("journalctl", "--user", "--no-pager", "-n", "40", "-u", $"podwake-{service.Name}-sidecar.service").GetAwaiter().GetResult().ToString();

    private static Dictionary<string, string> Env(string key) => new() { ["AGENT_KEY"] = key };

    private async Task<string> LogsAsync(string container) =>
        string.Join('\n', await _podman.Client.TailLogsAsync(container, 100, null, CancellationToken.None));
}
