using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using Podwake.IntegrationTests.Infrastructure;
using Podwake.Podman;
using Xunit;

namespace Podwake.IntegrationTests.Serve;

/// <summary>
/// <c>pod:</c> services in <c>podwake serve</c>: a two-container pod from a Kubernetes file, played with podman's service
/// container, woken and stopped as a whole. Real podman (rootful or rootless, whoever runs the tests), real sockets.
/// </summary>
[Collection(PodmanCollection.Name)]
public sealed class ServePodTests : IDisposable
{
    private readonly PodmanFixture _podman;
    private readonly TempDirectory _dir = new();

    public ServePodTests(PodmanFixture podman)
    {
        _podman = podman;
    }

    public void Dispose() => _dir.Dispose();

    [PodmanFact]
    public async Task TwoContainerPod_WakesWithTheToken_StopsAsAWhole_WakesAgain_ServiceContainerFirstAndLast()
    {
        var pod = NewPodService(idle: "2s");
        await using var serve = await ServeProcess.StartServingAsync(pod.File);
        var serviceContainer = ServiceContainerOf(pod);
        Assert.Equal([], await RunningAsync(pod, serviceContainer));
        using var events = new ContainerEvents(_podman.Client);
        await events.StartedAsync();

        var first = await RawHttp.GetAsync(pod.Endpoint);

        Assert.Equal(200, first.Status);
        Assert.Contains(pod.Token, first.Body, StringComparison.Ordinal);
        Assert.Equal(["httpd", "service", "writer"], await RunningAsync(pod, serviceContainer));
        var status = await serve.ServiceStatusAsync(pod.Name);
        Assert.Equal("ready", status.GetProperty("state").GetString());
        Assert.Equal(pod.Pod, status.GetProperty("pod").GetString());
        var update = await PodwakeCli.RunAsync("update", pod.Name);
        Assert.True(update.ExitCode == 1 && update.Stdout.Contains($"{pod.Name}: not updated: it is a pod: service", StringComparison.Ordinal), update.ToString());

        // Idle (2 s): the pod stops as a whole, its service container with it.
        await Eventually.TrueAsync(
            async () => (await RunningAsync(pod, serviceContainer)).Count == 0 && (await serve.ServiceStatusAsync(pod.Name)).GetProperty("state").GetString() == "dormant",
            TimeSpan.FromSeconds(15),
            () => "a container of the pod still runs, or status is not dormant, after idle");

        // podman's own order: the service container starts before the pod's containers and stops after them.
        var serviceStart = events.First(serviceContainer, "start");
        var serviceStop = events.Last(serviceContainer, "died");
        foreach (var member in new[] { pod.Member("httpd"), pod.Member("writer") })
        {
            Assert.True(serviceStart < events.First(member, "start"), $"{member} started before the service container\n{events}");
            Assert.True(events.Last(member, "died") < serviceStop, $"{member} stopped after the service container\n{events}");
        }

        var second = await RawHttp.GetAsync(pod.Endpoint);

        Assert.Equal(200, second.Status);
        Assert.Contains(pod.Token, second.Body, StringComparison.Ordinal);
        Assert.Equal(2, (await serve.ServiceStatusAsync(pod.Name)).GetProperty("wakes").GetInt64());
    }

    [PodmanTheory]
    [InlineData("httpd")]
    [InlineData("writer")]
    public async Task KillMinus9OfEitherContainer_ClientLoopSeesNothingRefused_ServiceComesBack(string victim)
    {
        var pod = NewPodService(idle: "30s");
        await using var serve = await ServeProcess.StartServingAsync(pod.File);
        Assert.Equal(200, (await RawHttp.GetAsync(pod.Endpoint)).Status);
        var before = await _podman.Client.InspectContainerAsync(pod.Member(victim), CancellationToken.None);

        var loop = new ClientLoop(pod.Endpoint);
        await using (loop)
        {
            await Task.Delay(TimeSpan.FromSeconds(1)); // the scenario: the kill comes while the client loop is under way
            Process.GetProcessById(before.State.Pid).Kill();
            await Eventually.TrueAsync(
                async () => (await serve.ServiceStatusAsync(pod.Name)).GetProperty("restarts").GetInt64() == 1
                    && (await _podman.Client.InspectContainerAsync(pod.Member(victim), CancellationToken.None)).State.Running,
                TimeSpan.FromSeconds(30),
                () => $"no restart of {victim} within 30 s; serve's log:\n{serve.Stderr}");
            await Task.Delay(TimeSpan.FromSeconds(1)); // the scenario: the loop goes on against the restarted pod
            await loop.StopAsync();
        }

        // A request the killed httpd was handling has no response to give: it may be closed cleanly, once. Rootless, once
        // more: podman's port forwarder (it lives with the pod's infra container) accepts a connection while httpd is
        // dead, in the ~0.1 s before podwake reads the exit, and can only close it (seen once in CI's rootless run).
        var outcomes = $"{loop}; serve's log:\n{serve.Stderr}";
        Assert.True(loop.Count(HttpOutcomeKind.Response) > 20, outcomes);
        Assert.True(loop.Total - loop.Count(HttpOutcomeKind.Response) - loop.Count(HttpOutcomeKind.ClosedWithoutResponse) == 0, outcomes);
        Assert.True(loop.Count(HttpOutcomeKind.ClosedWithoutResponse) <= (Environment.IsPrivilegedProcess ? 1 : 2), outcomes);
        var after = await _podman.Client.InspectContainerAsync(pod.Member(victim), CancellationToken.None);
        Assert.NotEqual(before.State.Pid, after.State.Pid);
        Assert.Contains(pod.Token, (await RawHttp.GetAsync(pod.Endpoint)).Body, StringComparison.Ordinal);
    }

    [PodmanFact]
    public async Task Exit_RemovesThePodItsContainersAndTheServiceContainer()
    {
        var pod = NewPodService(idle: "30s");
        var serve = await ServeProcess.StartServingAsync(pod.File);
        string serviceContainer;
        await using (serve)
        {
            serviceContainer = ServiceContainerOf(pod);
            Assert.Equal(200, (await RawHttp.GetAsync(pod.Endpoint)).Status);
            serve.Signal(Signals.Term);
            Assert.Equal(0, await serve.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        }

        foreach (var container in new[] { pod.Member("httpd"), pod.Member("writer"), serviceContainer })
        {
            Assert.False(await _podman.Client.ContainerExistsAsync(container, CancellationToken.None), $"{container} is left");
        }

        var podExists = await PodwakeCli.RunProgramAsync("podman", "pod", "exists", pod.Pod);
        Assert.Equal(1, podExists.ExitCode);
    }

    private TestPodService NewPodService(string idle) => TestPodService.Create(_dir.Path, idle);

    /// <summary>The service container's name, from the file serve played (podman names it by the file's SHA-256).</summary>
    private static string ServiceContainerOf(TestPodService pod)
    {
        var runtime = Environment.IsPrivilegedProcess ? "/run/podwake" : Path.Combine(Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR")!, "podwake");
        var played = File.ReadAllBytes(Path.Combine(runtime, $"pod-{pod.Name}.yaml"));
        return $"{Convert.ToHexStringLower(SHA256.HashData(played))[..12]}-service";
    }

    /// <summary>Which of the pod's containers run: "httpd", "writer", and "service" for the service container.</summary>
    private async Task<List<string>> RunningAsync(TestPodService pod, string serviceContainer)
    {
        var running = new List<string>();
        foreach (var (label, container) in new[] { ("httpd", pod.Member("httpd")), ("service", serviceContainer), ("writer", pod.Member("writer")) })
        {
            if ((await _podman.Client.InspectContainerAsync(container, CancellationToken.None)).State.Running)
            {
                running.Add(label);
            }
        }

        return running;
    }

    /// <summary>Every container event podman streams while it lives, by container name.</summary>
    private sealed class ContainerEvents : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly ConcurrentQueue<PodmanEvent> _events = new();
        private readonly Task _reader;

        public ContainerEvents(PodmanClient client)
        {
            _reader = Task.Run(async () =>
            {
                try
                {
                    await foreach (var e in client.StreamEventsAsync(_stop.Token))
                    {
                        _events.Enqueue(e);
                    }
                }
                catch (OperationCanceledException)
                {
                }
            });
        }

        public Task StartedAsync() => Task.Delay(TimeSpan.FromMilliseconds(500));

        public long First(string container, string action) =>
            _events.Where(e => e.Name == container && e.Action == action).Select(e => e.TimeNano).DefaultIfEmpty(long.MaxValue).Min();

        public long Last(string container, string action) =>
            _events.Where(e => e.Name == container && e.Action == action).Select(e => e.TimeNano).DefaultIfEmpty(long.MinValue).Max();

        public override string ToString() =>
            string.Join('\n', _events.Where(e => e.Type == "container").Select(e => $"{e.TimeNano} {e.Action} {e.Name}"));

        public void Dispose()
        {
            _stop.Cancel();
            _reader.Wait(TimeSpan.FromSeconds(5));
            _stop.Dispose();
        }
    }
}
