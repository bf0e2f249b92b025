using System.Diagnostics;
using Podwake.IntegrationTests.Infrastructure;
using Xunit;

namespace Podwake.IntegrationTests.Sidecars;

/// <summary>
/// <c>sidecar:</c> services under <c>podwake serve</c>: the wrapper called by a program (from the host, from a network
/// namespace, from inside another container), one container per key, the list, kill, remove and foreground calls.
/// Real podman, real network namespaces (root), serve's file watch.
/// </summary>
[Collection(PodmanCollection.Name)]
public sealed class ServeSidecarTests : IDisposable
{
    private readonly PodmanFixture _podman;
    private readonly TempDirectory _dir = new();
    private readonly List<TestSidecarService> _services = [];

    public ServeSidecarTests(PodmanFixture podman)
    {
        _podman = podman;
    }

    public void Dispose()
    {
        _services.ForEach(s => s.Dispose());
        _dir.Dispose();
    }

    [PodmanFact(RunsAs.Root)]
    [Trait("runs-as", "root")]
    public async Task TwentyConcurrentCalls_OverFiveNamespaces_LeaveFiveContainers_EachAnsweringInItsOwnNamespaceOnly()
    {
        using var netns = TestNetns.Create(5);
        var service = await NewAsync("netns");
        await using var serve = await ServeProcess.StartServingAsync(service.File);
        await SidecarAcceptance.TwentyCallsOverFiveNamespacesAsync(service, netns, _podman.Client, () => serve.Stderr);
    }

    [PodmanFact(RunsAs.Root)]
    [Trait("runs-as", "root")]
    public async Task WrapperCalledInsideAContainerWithoutPodman_StartsTheSidecarOnTheHost_InTheCallersNamespace()
    {
        using var netns = TestNetns.Create(1);
        var service = await NewAsync("netns");
        await using var serve = await ServeProcess.StartServingAsync(service.File);
        var port = FreePorts.Next();
        var state = service.Paths.Directory;

        // An agent's container: the wrapper in place of its program, the state folder at the same path; no podman in it.
        var caller = await PodwakeCli.RunProgramAsync("podman", "run", "--rm", "--network", $"ns:/run/netns/{netns.Names[0]}",
            "-v", $"{service.Wrapper}:/usr/local/bin/agent:ro", "-v", $"{state}:{state}", TestImages.Sidecar,
            "/bin/sh", "-c", $"! command -v podman && ! command -v podwake && /usr/local/bin/agent {port} from-a-container");

        Assert.True(caller.ExitCode == 0, $"{caller}\n{serve.Stderr}");
        var page = await TestNetns.ExecAsync(netns.Names[0], "curl", "-fsS", "--max-time", "5", $"http://127.0.0.1:{port}/");
        Assert.Equal("from-a-container", page.Stdout.Trim());
        Assert.Single(await service.ContainersAsync(_podman.Client));
    }

    [PodmanFact]
    public async Task WrapperCalledInsideAContainerWithoutPodman_EnvKey_StartsTheSidecarOnTheHost()
    {
        var service = await NewAsync("env:AGENT_KEY");
        await using var serve = await ServeProcess.StartServingAsync(service.File);
        var state = service.Paths.Directory;

        var caller = await PodwakeCli.RunProgramAsync("podman", "run", "--rm", "-e", "AGENT_KEY=net-1",
            "-v", $"{service.Wrapper}:/usr/local/bin/agent:ro", "-v", $"{state}:{state}", TestImages.Sidecar,
            "/bin/sh", "-c", "! command -v podman && /usr/local/bin/agent 8080 inside");

        Assert.True(caller.ExitCode == 0, $"{caller}\n{serve.Stderr}");
        var inspect = await _podman.Client.InspectContainerAsync(service.Container("net-1"), CancellationToken.None);
        Assert.True(inspect.State.Running);
    }

    [PodmanFact]
    public async Task RemovingAKeyFromTheList_AndTouchingTheTimestamp_RemovesItsContainerWithin2s_OthersStay()
    {
        var service = await NewAsync("env:AGENT_KEY");
        await using var serve = await ServeProcess.StartServingAsync(service.File);
        Assert.Equal(0, (await service.CallAsync(SidecarAcceptance.Key("gone"), null, "8080", "a")).ExitCode);
        Assert.Equal(0, (await service.CallAsync(SidecarAcceptance.Key("stays"), null, "8080", "b")).ExitCode);

        File.Delete(Path.Combine(service.Paths.Keys, "gone.call"));
        var touched = Stopwatch.StartNew();
        File.SetLastWriteTimeUtc(service.Paths.Timestamp, DateTime.UtcNow);

        await Eventually.TrueAsync(async () => !await _podman.Client.ContainerExistsAsync(service.Container("gone"), CancellationToken.None), TimeSpan.FromSeconds(2),
            () => $"{service.Container("gone")} still exists {touched.ElapsedMilliseconds} ms after the timestamp was touched\n{serve.Stderr}");
        Assert.True((await _podman.Client.InspectContainerAsync(service.Container("stays"), CancellationToken.None)).State.Running);
        Assert.Equal(["stays"], (await service.ListAsync()).EnumerateArray().Select(k => k.GetProperty("key").GetString()));
    }

    [PodmanFact]
    public async Task SidecarKillHup_ReachesTheProcessOfThatKeyOnly()
    {
        var service = await NewAsync("env:AGENT_KEY");
        await using var serve = await ServeProcess.StartServingAsync(service.File);
        Assert.Equal(0, (await service.CallAsync(SidecarAcceptance.Key("one"), null, "8080", "a")).ExitCode);
        Assert.Equal(0, (await service.CallAsync(SidecarAcceptance.Key("two"), null, "8080", "b")).ExitCode);
        await Eventually.TrueAsync(async () => (await SidecarAcceptance.LogsAsync(_podman.Client, service.Container("one"))).Contains("starting", StringComparison.Ordinal), TimeSpan.FromSeconds(10));

        var kill = await PodwakeCli.RunAsync("sidecar", "kill", service.Name, "one", "HUP");

        Assert.True(kill.ExitCode == 0, kill.ToString());
        await Eventually.TrueAsync(async () => (await SidecarAcceptance.LogsAsync(_podman.Client, service.Container("one"))).Contains("got HUP", StringComparison.Ordinal), TimeSpan.FromSeconds(10),
            () => $"the agent of key one did not see SIGHUP");
        Assert.DoesNotContain("got HUP", await SidecarAcceptance.LogsAsync(_podman.Client, service.Container("two")), StringComparison.Ordinal);
        Assert.True((await _podman.Client.InspectContainerAsync(service.Container("one"), CancellationToken.None)).State.Running);

        var unknown = await PodwakeCli.RunAsync("sidecar", "kill", service.Name, "three", "HUP");
        Assert.True(unknown.ExitCode == 1 && unknown.Stderr.Contains("has no running container", StringComparison.Ordinal), unknown.ToString());
    }

    [PodmanFact]
    public async Task ForegroundCall_PassesTheContainersExitCodeStdoutAndStderrToTheCaller()
    {
        var service = await NewAsync("arg:^--net=(.+)$", extra: "  foreground: true", command: """[/bin/sh, -c, 'echo "out $*"; echo "err $1" >&2; exit 7', sh]""");
        await using var serve = await ServeProcess.StartServingAsync(service.File);

        var call = await service.CallAsync(null, null, "--net=n1", "two words");

        Assert.Equal(7, call.ExitCode);
        Assert.Equal("out --net=n1 two words\n", call.Stdout);
        Assert.Equal("err --net=n1\n", call.Stderr);
        Assert.Empty(await service.ContainersAsync(_podman.Client));
        Assert.Empty((await service.ListAsync()).EnumerateArray());
        Assert.Empty(Directory.EnumerateFileSystemEntries(service.Paths.Status));
    }

    [PodmanFact]
    public async Task ASecondCallForAKey_ReplacesItsContainerWithTheNewArguments()
    {
        var service = await NewAsync("env:AGENT_KEY");
        await using var serve = await ServeProcess.StartServingAsync(service.File);
        Assert.Equal(0, (await service.CallAsync(SidecarAcceptance.Key("k"), null, "8080", "first")).ExitCode);
        var first = await _podman.Client.InspectContainerAsync(service.Container("k"), CancellationToken.None);

        Assert.Equal(0, (await service.CallAsync(SidecarAcceptance.Key("k"), null, "8080", "second")).ExitCode);

        var second = await _podman.Client.InspectContainerAsync(service.Container("k"), CancellationToken.None);
        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(["/bin/sh", "/agent.sh", "8080", "second"], await SidecarAcceptance.CommandAsync(service.Container("k")));
        Assert.Single(await service.ContainersAsync(_podman.Client));
    }

    [PodmanFact]
    public async Task AKilledContainer_IsStartedAgain_ServeExitRemovesThem_TheNextServeRunsTheListAgain()
    {
        var service = await NewAsync("env:AGENT_KEY");
        await using (var serve = await ServeProcess.StartServingAsync(service.File))
        {
            Assert.Equal(0, (await service.CallAsync(SidecarAcceptance.Key("k"), null, "8080", "a")).ExitCode);
            var before = await _podman.Client.InspectContainerAsync(service.Container("k"), CancellationToken.None);

            await _podman.Client.KillContainerAsync(service.Container("k"), "KILL", CancellationToken.None);

            await Eventually.TrueAsync(async () =>
            {
                var now = await _podman.Client.InspectContainerAsync(service.Container("k"), CancellationToken.None);
                return now.State.Running && now.State.StartedAt > before.State.StartedAt;
            }, TimeSpan.FromSeconds(15), () => $"not restarted\n{serve.Stderr}");

            serve.Signal(Signals.Term);
            Assert.Equal(0, await serve.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }

        Assert.Empty(await service.ContainersAsync(_podman.Client));
        Assert.Single((await service.ListAsync()).EnumerateArray());

        await using var again = await ServeProcess.StartServingAsync(service.File);
        await Eventually.TrueAsync(async () => (await service.ContainersAsync(_podman.Client)).Any(c => c.State == "running"), TimeSpan.FromSeconds(15),
            () => $"the listed key was not run again\n{again.Stderr}");
    }

    [PodmanFact]
    public async Task SidecarRemove_RemovesTheKeyAndItsContainer()
    {
        var service = await NewAsync("env:AGENT_KEY");
        await using var serve = await ServeProcess.StartServingAsync(service.File);
        Assert.Equal(0, (await service.CallAsync(SidecarAcceptance.Key("k"), null, "8080", "a")).ExitCode);
        var status = await serve.ServiceStatusAsync(service.Name);
        Assert.Equal("ready", status.GetProperty("state").GetString());
        Assert.Equal("k", status.GetProperty("sidecars")[0].GetProperty("key").GetString());
        Assert.Equal(service.Container("k"), status.GetProperty("sidecars")[0].GetProperty("container").GetString());

        var remove = await PodwakeCli.RunAsync("sidecar", "remove", service.Name, "k");

        Assert.True(remove.ExitCode == 0, remove.ToString());
        Assert.False(await _podman.Client.ContainerExistsAsync(service.Container("k"), CancellationToken.None));
        Assert.Empty((await service.ListAsync()).EnumerateArray());
        Assert.Equal(1, (await PodwakeCli.RunAsync("sidecar", "remove", service.Name, "k")).ExitCode);
        await Eventually.TrueAsync(async () => (await serve.ServiceStatusAsync(service.Name)).GetProperty("state").GetString() == "dormant", TimeSpan.FromSeconds(5));
        var table = await PodwakeCli.RunAsync("status", service.Name);
        Assert.Contains($"{service.Name}: sidecar, 0 key(s)", table.Stdout, StringComparison.Ordinal);
    }

    private async Task<TestSidecarService> NewAsync(string key, string extra = "", string command = "[/bin/sh, /agent.sh]")
    {
        var service = await TestSidecarService.CreateAsync(_dir.Path, key, extra, command: command);
        _services.Add(service);
        return service;
    }
}
