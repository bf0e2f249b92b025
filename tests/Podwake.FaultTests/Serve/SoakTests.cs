using System.Diagnostics;
using Podwake.FaultTests.Infrastructure;
using Podwake.IntegrationTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Podwake.FaultTests.Serve;

/// <summary>100 wake/idle cycles through one serve: its fds, RSS and connections to podman's API do not grow.</summary>
[Collection(PodmanCollection.Name)]
public sealed class SoakTests : IAsyncLifetime
{
    private const int Cycles = 100;
    private readonly PodmanFixture _podman;
    private readonly ITestOutputHelper _output;
    private readonly TempDirectory _dir = new();
    private TestServiceFile? _svc;

    public SoakTests(PodmanFixture podman, ITestOutputHelper output)
    {
        _podman = podman;
        _output = output;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_svc is not null)
        {
            await _podman.Client.RemoveContainerAsync(_svc.Container, force: true, CancellationToken.None);
        }

        _dir.Dispose();
    }

    [PodmanFact]
    public async Task HundredWakeIdleCycles_FdsRssAndPodmanConnectionsStayBounded()
    {
        var svc = _svc = TestServiceFile.Create(_dir.Path, idle: "300ms");
        await using var serve = await ServeProcess.StartServingAsync(svc.File);
        var socket = ProcessTree.PodmanSocketOf(serve.Pid);
        var samples = new List<(int Fds, long RssKib, int PodmanConnections, double WakeMs)>();
        var clock = Stopwatch.StartNew();
        for (var cycle = 1; cycle <= Cycles; cycle++)
        {
            var wake = Stopwatch.StartNew();
            var outcome = await RawHttp.GetAsync(svc.Endpoint);
            var wakeMs = wake.Elapsed.TotalMilliseconds;
            Assert.True(outcome.Status == 200, $"cycle {cycle}: {outcome}\n{serve.Stdout}\n{serve.Stderr}");
            // The container's state first (one REST call), then serve's own word (a process per call).
            await Eventually.TrueAsync(
                async () => !(await _podman.Client.InspectContainerAsync(svc.Container, CancellationToken.None)).State.Running,
                TimeSpan.FromSeconds(30));
            await Eventually.TrueAsync(
                async () => (await serve.ServiceStatusAsync(svc.Name)).GetProperty("state").GetString() == "dormant",
                TimeSpan.FromSeconds(30));
            samples.Add((ProcessTree.FdCount(serve.Pid), ProcessTree.RssKib(serve.Pid), ProcessTree.UnixConnectionsTo(socket), wakeMs));
        }

        var quarter = Cycles / 4;
        var first = samples.Take(quarter).ToList();
        var last = samples.TakeLast(quarter).ToList();
        _output.WriteLine($"{Cycles} cycles in {clock.Elapsed.TotalSeconds:0} s; cycle: fds, RSS KiB, podman connections, wake ms");
        foreach (var i in new[] { 0, quarter, 2 * quarter, 3 * quarter, Cycles - 1 })
        {
            _output.WriteLine($"{i + 1}: {samples[i].Fds}, {samples[i].RssKib}, {samples[i].PodmanConnections}, {samples[i].WakeMs:0}");
        }

        Assert.True(Median(last.Select(s => (double)s.Fds)) <= Median(first.Select(s => (double)s.Fds)) + 8,
            $"fds grow: first quarter {string.Join(' ', first.Select(s => s.Fds))}, last {string.Join(' ', last.Select(s => s.Fds))}");
        Assert.True(Median(last.Select(s => (double)s.RssKib)) <= Median(first.Select(s => (double)s.RssKib)) + 32 * 1024,
            $"RSS grows: first quarter {string.Join(' ', first.Select(s => s.RssKib))}, last {string.Join(' ', last.Select(s => s.RssKib))}");
        // Bursts of connections happen (26 extra for ~15 cycles once; 137 that stayed, before the pool was bounded):
        // never past the pool's bound, and back to a few once the idle ones are closed.
        var connections = string.Join(' ', samples.Select(s => s.PodmanConnections));
        Assert.True(samples.Max(s => s.PodmanConnections) <= Podwake.Podman.PodmanClient.MaxConnections + 1,
            $"more connections to podman's API than the pool's bound: {connections}");
        Assert.True(Median(last.Select(s => (double)s.PodmanConnections)) <= 8, $"connections to podman's API pile up: {connections}");
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
