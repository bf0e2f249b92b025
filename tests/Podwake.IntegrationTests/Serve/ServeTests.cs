using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Podwake.IntegrationTests.Infrastructure;
using Xunit;

namespace Podwake.IntegrationTests.Serve;

/// <summary>
/// The acceptance tests of <c>podwake serve</c>: the real binary, real podman (rootful or rootless,
/// whoever runs the tests), real sockets.
/// </summary>
[Collection(PodmanCollection.Name)]
public sealed class ServeTests : IDisposable
{
    private readonly PodmanFixture _podman;
    private readonly TempDirectory _dir = new();

    public ServeTests(PodmanFixture podman)
    {
        _podman = podman;
    }

    public void Dispose() => _dir.Dispose();

    [PodmanFact]
    public async Task DormantService_WakesOnFirstRequest_StopsWhenIdle_WakesAgain()
    {
        var svc = NewService(idle: "2s");
        await using var serve = await ServeProcess.StartServingAsync(svc.File);
        Assert.False(await IsRunningAsync(svc), "a container runs before any request");

        var first = await RawHttp.GetAsync(svc.Endpoint);

        Assert.Equal(HttpOutcomeKind.Response, first.Kind);
        Assert.Equal(200, first.Status);
        Assert.Contains(TestImages.PageText, first.Body, StringComparison.Ordinal);
        var status = await serve.ServiceStatusAsync(svc.Name);
        Assert.Equal("ready", status.GetProperty("state").GetString());
        Assert.True(status.GetProperty("last_wake_milliseconds").GetDouble() > 0);

        // Stopped, and dormant in status, by idle (2 s) + 1 s after the last connection closed.
        await Eventually.TrueAsync(
            async () => !await IsRunningAsync(svc) && (await serve.ServiceStatusAsync(svc.Name)).GetProperty("state").GetString() == "dormant",
            TimeSpan.FromSeconds(3),
            () => "the container still runs, or status is not dormant, idle + 1 s after the last connection closed");
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await probe.ConnectAsync(svc.Endpoint);
        }

        var second = await RawHttp.GetAsync(svc.Endpoint);

        Assert.Equal(200, second.Status);
        Assert.Equal(2, (await serve.ServiceStatusAsync(svc.Name)).GetProperty("wakes").GetInt64());
    }

    [PodmanFact]
    public async Task FiftySimultaneousFirstConnections_AllServed_OneContainerStart()
    {
        var svc = NewService(idle: "30s");
        await using var serve = await ServeProcess.StartServingAsync(svc.File);
        using var events = new EventRecorder(_podman.Client, svc.Container);
        await events.StartedAsync();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => RawHttp.GetAsync(svc.Endpoint)));

        Assert.All(outcomes, o => Assert.Equal(200, o.Status));
        // Not a wait for a condition: a second start, if there were one, gets a second to reach the event stream.
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(1, events.Count("start"));
    }

    [PodmanFact]
    public async Task KillMinus9OfContainer_ClientLoopSeesNoRefusedOrReset_ServiceComesBack()
    {
        var svc = NewService(idle: "30s");
        await using var serve = await ServeProcess.StartServingAsync(svc.File);
        Assert.Equal(200, (await RawHttp.GetAsync(svc.Endpoint)).Status);
        var before = await _podman.Client.InspectContainerAsync(svc.Container, CancellationToken.None);

        using var loop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, 2).Select(_ => RequestLoopAsync(svc.Endpoint, loop.Token)).ToArray();
        await Task.Delay(TimeSpan.FromSeconds(1)); // the scenario: the kill comes while the client loops are under way
        Process.GetProcessById(before.State.Pid).Kill();
        await Eventually.TrueAsync(async () => (await serve.ServiceStatusAsync(svc.Name)).GetProperty("restarts").GetInt64() == 1
            && await IsRunningAsync(svc), TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(1)); // the scenario: the client loops go on against the restarted container
        await loop.CancelAsync();
        var outcomes = (await Task.WhenAll(clients)).SelectMany(o => o).ToList();

        // A request the killed process was handling has no response to give: it may be closed cleanly,
        // at most one per client loop. Nothing may be refused, reset or left hanging.
        var failures = outcomes.Where(o => o.Kind != HttpOutcomeKind.Response || o.Status != 200).ToList();
        var summary = $"{failures.Count} of {outcomes.Count} requests failed: {string.Join(", ", failures.GroupBy(f => f.ToString()).Select(g => $"{g.Key} x{g.Count()}"))}";
        Assert.True(failures.All(f => f.Kind == HttpOutcomeKind.ClosedWithoutResponse), summary);
        Assert.True(failures.Count <= clients.Length, summary);
        Assert.True(outcomes.Count > 20, $"only {outcomes.Count} requests were made");
        var after = await _podman.Client.InspectContainerAsync(svc.Container, CancellationToken.None);
        Assert.NotEqual(before.State.Pid, after.State.Pid);
    }

    [PodmanFact]
    public async Task ServiceThatNeverBecomesReady_ClosesClientsCleanlyAtTimeout_OtherServiceKeepsServing()
    {
        var bad = NewService(idle: "30s", readyTimeout: "2s", command: """["/bin/busybox", "sleep", "3600"]""");
        var good = NewService(idle: "30s");
        await using var serve = await ServeProcess.StartServingAsync(bad.File, good.File);

        var clock = Stopwatch.StartNew();
        var waiting = Enumerable.Range(0, 3).Select(_ => RawHttp.GetAsync(bad.Endpoint, timeout: TimeSpan.FromSeconds(20))).ToArray();
        var served = await RawHttp.GetAsync(good.Endpoint);
        var closed = await Task.WhenAll(waiting);
        var elapsed = clock.Elapsed;

        Assert.Equal(200, served.Status);
        Assert.All(closed, o => Assert.Equal(HttpOutcomeKind.ClosedWithoutResponse, o.Kind));
        Assert.InRange(elapsed, TimeSpan.FromSeconds(1.9), TimeSpan.FromSeconds(2) + TimeSpan.FromMilliseconds(1500));
        var status = await serve.ServiceStatusAsync(bad.Name);
        Assert.Equal("failed", status.GetProperty("state").GetString());
        Assert.Contains("ready.timeout", status.GetProperty("last_error").GetString(), StringComparison.Ordinal);
        Assert.Equal(200, (await RawHttp.GetAsync(good.Endpoint)).Status);
        Assert.False(serve.HasExited);
    }

    [PodmanFact]
    public async Task BadServiceFile_ExitsOneWithLocatedErrors_StartsNothing()
    {
        var good = NewService(idle: "30s");
        var badFile = Path.Combine(_dir.Path, "bad.yaml");
        await File.WriteAllTextAsync(badFile, """
            name: Bad_Name
            image: localhost/podwake-it-busybox:1
            ports:
              - listen: 127.0.0.1:99999
                container: 8080
            idle: soon
            """);
        await using var serve = ServeProcess.Start("serve", good.File, badFile);

        var exit = await serve.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, exit);
        Assert.Contains($"{badFile}:1:7: error: name", serve.Stderr, StringComparison.Ordinal);
        Assert.Contains($"{badFile}:4:13: error: ports[0].listen: port 99999", serve.Stderr, StringComparison.Ordinal);
        Assert.Contains($"{badFile}:6:7: error: idle", serve.Stderr, StringComparison.Ordinal);
        Assert.False(await _podman.Client.ContainerExistsAsync(good.Container, CancellationToken.None));
        Assert.Equal(HttpOutcomeKind.Refused, (await RawHttp.GetAsync(good.Endpoint)).Kind);
    }

    [PodmanFact]
    public async Task Sigint_LeavesNoContainerListenerOrChildProcess()
    {
        var svc = NewService(idle: "30s");
        var serve = await ServeProcess.StartServingAsync(svc.File);
        await using (serve)
        {
            Assert.Equal(200, (await RawHttp.GetAsync(svc.Endpoint)).Status);
            using var open = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await open.ConnectAsync(svc.Endpoint);
            var children = ChildProcesses(serve.Pid);

            serve.Signal(Signals.Int);

            Assert.Equal(0, await serve.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Equal(0, await open.ReceiveAsync(new byte[16], SocketFlags.None).WaitAsync(TimeSpan.FromSeconds(5)));
            Assert.False(await _podman.Client.ContainerExistsAsync(svc.Container, CancellationToken.None), "the container was not removed");
            Assert.Equal(HttpOutcomeKind.Refused, (await RawHttp.GetAsync(svc.Endpoint)).Kind);
            Assert.All(children, pid => Assert.False(Directory.Exists($"/proc/{pid}"), $"child process {pid} still runs"));
            Assert.Empty(ProcessesMentioning($"podman-{serve.Pid}.sock"));
        }
    }

    private TestServiceFile NewService(string idle, string readyTimeout = "30s", string? command = null) =>
        TestServiceFile.Create(_dir.Path, idle, readyTimeout, command);

    private async Task<bool> IsRunningAsync(TestServiceFile service) =>
        (await _podman.Client.InspectContainerAsync(service.Container, CancellationToken.None)).State.Running;

    private static async Task<List<HttpOutcome>> RequestLoopAsync(IPEndPoint endpoint, CancellationToken stop)
    {
        var outcomes = new List<HttpOutcome>();
        while (!stop.IsCancellationRequested)
        {
            outcomes.Add(await RawHttp.GetAsync(endpoint, timeout: TimeSpan.FromSeconds(30)));
            await Task.Delay(20, CancellationToken.None); // paces the client: one request after another, not a busy loop
        }

        return outcomes;
    }

    private static List<int> ChildProcesses(int parent) =>
        [.. Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(n => n!.All(char.IsAsciiDigit))
            .Select(n => int.Parse(n!, System.Globalization.CultureInfo.InvariantCulture))
            .Where(pid => ParentOf(pid) == parent)];

    private static int? ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static List<string> ProcessesMentioning(string text) =>
        [.. Directory.EnumerateDirectories("/proc")
            .Where(d => Path.GetFileName(d).All(char.IsAsciiDigit))
            .Select(d =>
            {
                try
                {
                    return File.ReadAllText(Path.Combine(d, "cmdline")).Replace('\0', ' ');
                }
                catch (IOException)
                {
                    return "";
                }
                catch (UnauthorizedAccessException)
                {
                    return "";
                }
            })
            .Where(c => c.Contains(text, StringComparison.Ordinal))];
}
