using System.Diagnostics;
using System.Net.Sockets;
using Podwake.IntegrationTests.Infrastructure;
using Podwake.Podman;
using Xunit;
using Xunit.Abstractions;

namespace Podwake.IntegrationTests.Podman;

[Collection(PodmanCollection.Name)]
public sealed class PodmanClientTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly PodmanFixture _podman;
    private readonly ITestOutputHelper _output;
    private readonly List<string> _containers = [];
    private readonly TempDirectory _temp = new();
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromMinutes(2));

    public PodmanClientTests(PodmanFixture podman, ITestOutputHelper output)
    {
        _podman = podman;
        _output = output;
    }

    private PodmanClient Client => _podman.Client;

    private CancellationToken Token => _timeout.Token;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var id in _containers)
        {
            await Client.RemoveContainerAsync(id, force: true, CancellationToken.None);
        }

        _temp.Dispose();
        _timeout.Dispose();
    }

    [PodmanFact]
    public async Task Ping_AnswersAndVersionIs4OrLater()
    {
        await Client.PingAsync(Token);
        var version = await Client.GetVersionAsync(Token);

        Assert.True(Version.Parse(version.Version.Split('-')[0]).Major >= 4, version.Version);
    }

    [PodmanFact]
    public async Task ImageExists_BuiltImageYes_UnknownImageNo()
    {
        Assert.True(await Client.ImageExistsAsync(TestImages.Busybox, Token));
        Assert.False(await Client.ImageExistsAsync($"localhost/{TestNames.Unique()}:1", Token));
    }

    [PodmanFact]
    public async Task CreateAndStart_WithPortEnvAndBindMount_ServesTheMountedPage()
    {
        var www = Directory.CreateDirectory(Path.Combine(_temp.Path, "www")).FullName;
        await File.WriteAllTextAsync(Path.Combine(www, "index.html"), "from the bind mount\n", Token);
        var port = FreePorts.Next();
        var spec = WebServer() with
        {
            Env = new Dictionary<string, string> { ["GREETING"] = "hello" },
            Mounts = [new ContainerMount { Source = www, Destination = "/www", Options = ["ro"] }],
            PortMappings = [new ContainerPortMapping { HostIp = "127.0.0.1", HostPort = port, ContainerPort = 8080 }],
        };
        var id = await CreateAsync(spec);

        await Client.StartContainerAsync(id, Token);
        await Client.StartContainerAsync(id, Token); // already running (304) is fine

        var inspect = await Client.InspectContainerAsync(id, Token);
        Assert.Equal(spec.Name, inspect.Name);
        Assert.True(inspect.State.Running);
        Assert.Equal("running", inspect.State.Status);
        Assert.True(inspect.State.Pid > 0);
        var binding = Assert.Single(inspect.NetworkSettings!.Ports!["8080/tcp"]!);
        Assert.Equal(port.ToString(System.Globalization.CultureInfo.InvariantCulture), binding.HostPort);
        Assert.Equal("from the bind mount\n", await GetWithRetryAsync($"http://127.0.0.1:{port}/"));

        // Rootful bridge networking gives the container an address on a local bridge; rootless (slirp4netns) none.
        // Only inspected, never connected to: traffic stays on loopback (the proxy enters the container's namespace).
        if (Environment.IsPrivilegedProcess)
        {
            var address = inspect.NetworkSettings.IPAddress;
            Assert.False(string.IsNullOrEmpty(address));
            Assert.Contains(inspect.NetworkSettings.Networks!.Values, n => n.IPAddress == address);
        }
        else
        {
            Assert.True(string.IsNullOrEmpty(inspect.NetworkSettings.IPAddress));
        }

        Assert.Equal(0, await Client.ExecAsync(id, ["/bin/busybox", "sh", "-c", "test \"$GREETING\" = hello"], Token));
        Assert.Equal(3, await Client.ExecAsync(id, ["/bin/busybox", "sh", "-c", "echo out; echo err >&2; exit 3"], Token));
    }

    [PodmanFact]
    public async Task Events_AfterKill9OfThePid_ReportStartAndDiedWithExitCode()
    {
        var spec = WebServer();
        var id = await CreateAsync(spec);
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);
        stop.CancelAfter(Patience);
        var seen = new List<(PodmanEvent Event, long ReceivedTicks, DateTimeOffset ReceivedAt)>();
        var killedAt = 0L;
        var reading = Task.Run(async () =>
        {
            // Under load podman sometimes ends the stream early; as serve does, resubscribe from the same time and
            // drop the events seen already (same action, same nanosecond).
            while (true)
            {
                try
                {
                    await foreach (var e in Client.StreamEventsAsync(since, stop.Token))
                    {
                        if (e.Id != id)
                        {
                            continue;
                        }

                        lock (seen)
                        {
                            if (!seen.Any(s => s.Event.Action == e.Action && s.Event.TimeNano == e.TimeNano))
                            {
                                seen.Add((e, Stopwatch.GetTimestamp(), DateTimeOffset.UtcNow));
                            }
                        }

                        if (e.Action == "died")
                        {
                            return;
                        }
                    }
                }
                catch (PodmanUnavailableException ex) when (ex.Message.Contains("closed the stream", StringComparison.Ordinal))
                {
                    _output.WriteLine($"resubscribing: {ex.Message}");
                }
            }
        }, stop.Token);

        await Client.StartContainerAsync(id, Token);
        var pid = (await Client.InspectContainerAsync(id, Token)).State.Pid;
        killedAt = Stopwatch.GetTimestamp();
        using (var process = Process.GetProcessById(pid))
        {
            process.Kill();
        }

        await reading;

        var start = Assert.Single(seen, s => s.Event.Action == "start");
        Assert.Equal(spec.Name, start.Event.Name);
        Assert.Equal("container", start.Event.Type);
        var died = Assert.Single(seen, s => s.Event.Action == "died");
        Assert.Equal(137, died.Event.ContainerExitCode);
        _output.WriteLine($"actions: {string.Join(' ', seen.Select(s => s.Event.Action))}");
        _output.WriteLine($"kill -9 → died event received: {Stopwatch.GetElapsedTime(killedAt, died.ReceivedTicks).TotalMilliseconds:0.0} ms");
        _output.WriteLine($"died event time → received (stream delivery): {(died.ReceivedAt - died.Event.Timestamp).TotalMilliseconds:0.0} ms");
        _output.WriteLine($"start event time → received: {(start.ReceivedAt - start.Event.Timestamp).TotalMilliseconds:0.0} ms");
        Assert.Equal(137, (await Client.InspectContainerAsync(id, Token)).State.ExitCode);
    }

    [PodmanFact]
    public async Task StopAndRemove_AreIdempotent()
    {
        var id = await CreateAsync(WebServer() with { StopTimeout = 5 });
        await Client.StartContainerAsync(id, Token);

        var watch = Stopwatch.StartNew();
        await Client.StopContainerAsync(id, 5, Token);
        _output.WriteLine($"stop with init: {watch.ElapsedMilliseconds} ms");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(4), "with init, SIGTERM stops busybox at once");
        await Client.StopContainerAsync(id, 5, Token); // already stopped (304) is fine
        var state = (await Client.InspectContainerAsync(id, Token)).State;
        Assert.False(state.Running);
        Assert.Contains(state.Status, (string[])["exited", "stopped"]);

        await Client.RemoveContainerAsync(id, force: false, Token);
        await Client.RemoveContainerAsync(id, force: false, Token);
        Assert.False(await Client.ContainerExistsAsync(id, Token));
    }

    [PodmanFact]
    public async Task Wait_ForExited_ReturnsTheExitCode()
    {
        var id = await CreateAsync(WebServer() with { Command = ["/bin/busybox", "sh", "-c", "exit 7"] });
        await Client.StartContainerAsync(id, Token);

        Assert.Equal(7, await Client.WaitAsync(id, ContainerWaitCondition.Exited, Token));
    }

    [PodmanFact]
    public async Task Kill_ThenKillAgain_SecondSaysStateImproper()
    {
        var id = await CreateAsync(WebServer());
        await Client.StartContainerAsync(id, Token);

        await Client.KillContainerAsync(id, "SIGKILL", Token);
        await Client.WaitAsync(id, ContainerWaitCondition.Exited, Token);

        var error = await Assert.ThrowsAsync<PodmanException>(() => Client.KillContainerAsync(id, "SIGKILL", Token));
        Assert.True(error.IsStateImproper, error.Message);
    }

    [PodmanFact]
    public async Task ListContainers_ByLabel_FindsOnlyOurs()
    {
        var label = TestNames.Unique();
        var spec = WebServer() with { Labels = new Dictionary<string, string> { ["podwake.test"] = label } };
        var id = await CreateAsync(spec);
        await CreateAsync(WebServer());

        var found = Assert.Single(await Client.ListContainersAsync($"podwake.test={label}", Token));
        Assert.Equal(id, found.Id);
        Assert.Equal(spec.Name, found.Name);
        Assert.Equal("created", found.State);
        Assert.Equal(label, found.Labels!["podwake.test"]);
    }

    [PodmanFact]
    public async Task Start_UnknownContainer_ThrowsNotFoundWithPodmansMessage()
    {
        var name = TestNames.Unique();

        var error = await Assert.ThrowsAsync<PodmanException>(() => Client.StartContainerAsync(name, Token));

        Assert.True(error.IsNotFound);
        Assert.Equal("no such container", error.Cause);
        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }

    [PodmanFact]
    public async Task Create_UnknownImage_ThrowsWithPodmansMessage()
    {
        var image = $"localhost/{TestNames.Unique()}:1";

        var error = await Assert.ThrowsAsync<PodmanException>(() => CreateAsync(WebServer() with { Image = image }));

        Assert.Contains("image not known", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ping_SocketThatDoesNotExist_ThrowsUnavailableSayingWhatToStart()
    {
        using var client = new PodmanClient(Path.Combine(_temp.Path, "nothing.sock"));

        var error = await Assert.ThrowsAsync<PodmanUnavailableException>(() => client.PingAsync(CancellationToken.None));

        Assert.Contains("podman system service", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ping_SocketThatNeverAnswers_ThrowsUnavailableAfterTheTimeout()
    {
        var path = Path.Combine(_temp.Path, "mute.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen();
        using var client = new PodmanClient(path, TimeSpan.FromMilliseconds(300));

        var error = await Assert.ThrowsAsync<PodmanUnavailableException>(() => client.PingAsync(CancellationToken.None));

        Assert.Contains("did not answer", error.Message, StringComparison.Ordinal);
    }

    private static ContainerCreateSpec WebServer() => new()
    {
        Name = TestNames.Unique(),
        Image = TestImages.Busybox,
        StopTimeout = 5,
    };

    private async Task<string> CreateAsync(ContainerCreateSpec spec)
    {
        var id = await Client.CreateContainerAsync(spec, Token);
        _containers.Add(id);
        return id;
    }

    private async Task<string> GetWithRetryAsync(string url)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await http.GetStringAsync(url, Token);
            }
            catch (HttpRequestException) when (watch.Elapsed < Patience)
            {
                await Task.Delay(20, Token);
            }
        }
    }
}
