using System.Diagnostics;
using Podwake.FaultTests.Infrastructure;
using Podwake.IntegrationTests.Infrastructure;
using Podwake.Podman;
using Xunit;

namespace Podwake.FaultTests.Sidecars;

/// <summary>
/// A side-car service under a flaky host: serve down while a program calls, serve killed with SIGKILL and started
/// again, the whole process group signalled, podman's API killed, a second serve, a flood of calls with huge and
/// unfinished call files among them.
/// </summary>
[Collection(PodmanCollection.Name)]
public sealed class SidecarRuntimeFaultTests : IAsyncLifetime
{
    private readonly PodmanFixture _podman;
    private readonly TempDirectory _dir = new();
    private readonly List<TestSidecarService> _services = [];

    public SidecarRuntimeFaultTests(PodmanFixture podman)
    {
        _podman = podman;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var service in _services)
        {
            foreach (var container in await ContainersAsync(service))
            {
                await _podman.Client.RemoveContainerAsync(container.Name, force: true, CancellationToken.None);
            }

            service.Dispose();
        }

        _dir.Dispose();
    }

    [PodmanFact]
    public async Task CallWhileServeIsDown_FailsAfterItsTimeout_With125AndAClearMessage_WithdrawsItsCall()
    {
        var service = await NewAsync(timeout: "2s");
        await using (var serve = await ServeProcess.StartServingAsync(service.File))
        {
            serve.Signal(Signals.Term);
            Assert.Equal(0, await serve.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }

        var clock = Stopwatch.StartNew();
        var call = await service.CallAsync(Env("k"), null, "a");

        Assert.True(call.ExitCode == 125, call.ToString());
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10));
        Assert.Contains("within 2s (withdrawn)", call.Stderr, StringComparison.Ordinal);
        Assert.Contains("podwake serve", call.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(service.Paths.Calls));

        // The withdrawn call is not run by the next serve.
        await using var next = await ServeProcess.StartServingAsync(service.File);
        Assert.Equal(0, (await service.CallAsync(Env("other"), null, "b")).ExitCode);
        Assert.Equal([service.Container("other")], (await ContainersAsync(service)).Select(c => c.Name));
    }

    [PodmanFact]
    public async Task ServeKilledWithSigkill_TheNextServeKeepsTheKeysContainers_OnePerKey_AndAnswersNewCalls()
    {
        var service = await NewAsync();
        string before;
        await using (var killed = await ServeProcess.StartServingAsync(service.File))
        {
            Assert.Equal(0, (await service.CallAsync(Env("k"), null, "a")).ExitCode);
            before = (await _podman.Client.InspectContainerAsync(service.Container("k"), CancellationToken.None)).Id;
            killed.Signal(Signals.Kill);
            await killed.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }

        await using var next = await ServeProcess.StartServingAsync(service.File);
        Assert.Equal(0, (await service.CallAsync(Env("k2"), null, "b")).ExitCode);

        var containers = await ContainersAsync(service);
        Assert.Equal([service.Container("k"), service.Container("k2")], containers.Select(c => c.Name).Order(StringComparer.Ordinal));
        Assert.All(containers, c => Assert.Equal("running", c.State));
        Assert.Equal(before, (await _podman.Client.InspectContainerAsync(service.Container("k"), CancellationToken.None)).Id);
    }

    [PodmanFact]
    public async Task SigtermToServesProcessGroup_ExitsZero_RemovesTheKeysContainers_KeepsTheList()
    {
        var service = await NewAsync();
        await using var serve = LaunchedServe.InOwnGroup(service.File);
        var servePid = await serve.WaitUntilServingAsync();
        Assert.Equal(0, (await service.CallAsync(Env("k"), null, "a")).ExitCode);

        LaunchedServe.SignalGroup(servePid, Signals.Term);

        Assert.Equal(0, await serve.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Empty(await ContainersAsync(service));
        Assert.Single((await service.ListAsync()).EnumerateArray());
    }

    [PodmanFact]
    public async Task ASecondServeOfTheService_ExitsTwo_TheFirstGoesOn()
    {
        var service = await NewAsync();
        await using var first = await ServeProcess.StartServingAsync(service.File);

        await using var second = ServeProcess.Start("serve", service.File);
        Assert.Equal(2, await second.WaitForExitAsync(TimeSpan.FromSeconds(60)));

        Assert.Contains("already served", second.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, (await service.CallAsync(Env("k"), null, "a")).ExitCode);
    }

    [PodmanFact]
    public async Task ACallAPassTookButNeverAnswered_ServeKilledMidPass_IsAnsweredByTheNextPass()
    {
        var service = await NewAsync();
        await using var serve = await ServeProcess.StartServingAsync(service.File);

        // What a pass killed between taking a call and running it leaves: the list entry, no container, no answer.
        var id = "c0ffee00";
        var key = Convert.ToHexStringLower("k"u8);
        File.WriteAllText(Path.Combine(service.Paths.Keys, "k.call"),
            $"podwake-sidecar-call 1\nid {id}\ntime {DateTimeOffset.UtcNow.ToUnixTimeSeconds()}\nnetns \nforeground 0\narg 61\nenv AGENT_KEY {key}\nkey {key}\nend\n");
        File.SetLastWriteTimeUtc(service.Paths.Timestamp, DateTime.UtcNow);

        var answer = Path.Combine(service.Paths.Status, id);
        await Eventually.TrueAsync(() => Task.FromResult(File.Exists(answer)), TimeSpan.FromSeconds(15), () => $"no answer for {id}\n{serve.Stderr}");
        Assert.Equal("running\n", File.ReadAllText(answer));
        Assert.Single(await ContainersAsync(service));
    }

    [PodmanFact]
    public async Task AnotherServiceWithTheSameWrapperPath_IsRefused_TheWrapperStaysTheFirstServices()
    {
        var service = await NewAsync();
        var other = await NewAsync();
        File.WriteAllText(other.File, File.ReadAllText(other.File).Replace(other.Wrapper, service.Wrapper, StringComparison.Ordinal));
        await using var first = await ServeProcess.StartServingAsync(service.File);

        await using var second = ServeProcess.Start("serve", other.File);
        Assert.Equal(2, await second.WaitForExitAsync(TimeSpan.FromSeconds(60)));

        Assert.Contains($"side-car wrapper of service {service.Name}", second.Stderr, StringComparison.Ordinal);
        Assert.Contains($"for service {service.Name};", File.ReadAllText(service.Wrapper), StringComparison.Ordinal);
        Assert.Equal(0, (await service.CallAsync(Env("k"), null, "a")).ExitCode);
        Assert.Single(await ContainersAsync(service));
    }

    [PodmanFact]
    public async Task PodmansApiServiceKilled_ServeGoesOnAnsweringCalls()
    {
        var service = await NewAsync();
        await using var serve = await ServeProcess.StartServingAsync(service.File);
        Assert.Equal(0, (await service.CallAsync(Env("before"), null, "a")).ExitCode);
        var api = ProcessTree.PodmanServiceOf(serve.Pid);
        Assert.True(api is not null, $"serve runs no podman API service of its own:\n{serve.Stderr}");

        // A call right away: its pass meets the dead API, and is tried again once serve has restarted it.
        Assert.Equal(0, Kill(api.Value, Signals.Kill));
        var during = await service.CallAsync(Env("during"), null, "b");
        await Eventually.TrueAsync(() => Task.FromResult(ProcessTree.PodmanServiceOf(serve.Pid) is { } pid && pid != api), TimeSpan.FromSeconds(30));

        var after = await service.CallAsync(Env("after"), null, "c");
        Assert.True(during.ExitCode == 0, $"{during}\n{serve.Stderr}");
        Assert.True(after.ExitCode == 0, $"{after}\n{serve.Stderr}");
        Assert.True((await _podman.Client.InspectContainerAsync(service.Container("after"), CancellationToken.None)).State.Running);
    }

    [PodmanFact]
    public async Task AFloodOfCalls_WithAHugeAndAnUnfinishedCallFileAmongThem_EveryRealCallAnswered_OneContainerPerKey()
    {
        var service = await NewAsync(timeout: "120s");
        await using var serve = await ServeProcess.StartServingAsync(service.File);

        // 100 MB of call, and one whose writer never finishes it.
        using (var huge = File.Create(Path.Combine(service.Paths.Calls, "00000001.call")))
        {
            huge.Write("podwake-sidecar-call 1\nid 00000001\ntime 1\n"u8);
            huge.SetLength(100L * 1024 * 1024);
        }

        await using var unfinished = new FileStream(Path.Combine(service.Paths.Calls, "00000002.call"), FileMode.CreateNew);
        unfinished.Write("podwake-sidecar-call 1\nid 00000002\ntime 1\narg 61\n"u8);
        await unfinished.FlushAsync();

        var calls = Enumerable.Range(0, 300).Select(i => service.CallAsync(Env($"k{i % 5}"), null, $"call-{i}")).ToList();
        await Task.WhenAll(calls);

        Assert.All(calls, c => Assert.True(c.Result.ExitCode == 0, $"{c.Result}\nserve:\n{serve.Stderr}"));
        Assert.Equal(5, (await ContainersAsync(service)).Count);
        Assert.Equal(5, (await service.ListAsync()).GetArrayLength());
        Assert.StartsWith("failed\n", File.ReadAllText(Path.Combine(service.Paths.Status, "00000001")), StringComparison.Ordinal);
        Assert.StartsWith("failed\n", File.ReadAllText(Path.Combine(service.Paths.Status, "00000002")), StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(service.Paths.Calls));
        Assert.False(serve.HasExited);
    }

    [PodmanFact]
    public async Task EventsLostToAFullInotifyQueue_TheCallIsAnsweredAnyway()
    {
        // A flood overflows the kernel's event queue of serve's watches (16384 events by default): the events of the
        // calls that come after it are dropped. serve stopped while the flood and a call arrive is that, in slow motion.
        var service = await NewAsync(timeout: "30s");
        await using var serve = await ServeProcess.StartServingAsync(service.File);
        Assert.Equal(0, (await service.CallAsync(Env("before"), null, "a")).ExitCode);

        Task<CliResult> call;
        Assert.Equal(0, Kill(serve.Pid, Signals.Stop));
        try
        {
            foreach (var folder in new[] { service.Paths.Calls, service.Paths.Directory })
            {
                var junk = Path.Combine(folder, ".flood");
                for (var i = 0; i < 10_000; i++)
                {
                    File.WriteAllText(junk, "x");
                    File.Delete(junk);
                }
            }

            call = service.CallAsync(Env("after"), null, "b");
            await Eventually.TrueAsync(() => Task.FromResult(Directory.EnumerateFiles(service.Paths.Calls, "*.call").Any()), TimeSpan.FromSeconds(10));
        }
        finally
        {
            Kill(serve.Pid, Signals.Cont);
        }

        var clock = Stopwatch.StartNew();
        var result = await call;
        Assert.True(result.ExitCode == 0, $"{result}\nserve:\n{serve.Stderr}");
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(10));
        Assert.True((await _podman.Client.InspectContainerAsync(service.Container("after"), CancellationToken.None)).State.Running);
    }

    private async Task<TestSidecarService> NewAsync(string timeout = "20s")
    {
        var service = await TestSidecarService.CreateAsync(_dir.Path, "env:AGENT_KEY", extra: $"  timeout: {timeout}", command: "[/bin/sh, -c, 'sleep 1000', sh]");
        _services.Add(service);
        return service;
    }

    private static Dictionary<string, string> Env(string key) => new() { ["AGENT_KEY"] = key };

    private async Task<List<ContainerSummary>> ContainersAsync(TestSidecarService service) =>
        [.. (await _podman.Client.ListContainersAsync($"{ContainerLabels.Service}={service.Name}", CancellationToken.None))
            .Where(c => c.Labels?.ContainsKey(ContainerLabels.SidecarKey) == true)];

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
