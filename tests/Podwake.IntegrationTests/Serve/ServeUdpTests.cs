using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Podwake.IntegrationTests.Infrastructure;
using Xunit;

namespace Podwake.IntegrationTests.Serve;

/// <summary>
/// The acceptance tests of <c>protocol: udp</c> in <c>podwake serve</c>: the real binary, real podman
/// (rootful or rootless, whoever runs the tests), the test image's UDP echo server, real sockets.
/// </summary>
[Collection(PodmanCollection.Name)]
public sealed class ServeUdpTests : IDisposable
{
    private static readonly TimeSpan WakeLimit = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ReplyLimit = TimeSpan.FromSeconds(5);

    private readonly PodmanFixture _podman;
    private readonly TempDirectory _dir = new();

    public ServeUdpTests(PodmanFixture podman)
    {
        _podman = podman;
    }

    public void Dispose() => _dir.Dispose();

    [PodmanFact]
    public async Task FirstDatagramsFromThreeClients_WakeOnce_EachGetsOnlyItsOwnReplies()
    {
        var svc = await NewServiceAsync(idle: "30s");
        await using var serve = await StartServeAsync(svc.File);
        Assert.False(await IsRunningAsync(svc), "a container runs before any datagram");
        using var events = new EventRecorder(_podman.Client, svc.Container);
        await events.StartedAsync();
        var clients = Enumerable.Range(0, 3).Select(_ => new UdpTestClient(svc.Endpoint)).ToList();
        try
        {
            // Each client sends its first datagram to the dormant service at the same time.
            var first = await Task.WhenAll(clients.Select((c, i) => c.RoundTripAsync($"client{i}-first", WakeLimit)));
            Assert.Equal(["client0-first", "client1-first", "client2-first"], first);

            var rounds = await Task.WhenAll(clients.Select(async (c, i) =>
            {
                var replies = new List<string>();
                for (var n = 0; n < 50; n++)
                {
                    replies.Add(await c.RoundTripAsync($"client{i}-{n}", ReplyLimit));
                }

                return replies;
            }));

            for (var i = 0; i < clients.Count; i++)
            {
                Assert.Equal(Enumerable.Range(0, 50).Select(n => $"client{i}-{n}"), rounds[i]);
            }

            var status = await ReadStatusAsync(serve, svc.Name);
            Assert.Equal("ready", status.GetProperty("state").GetString());
            Assert.Equal(3, status.GetProperty("live_flows").GetInt32());
            Assert.Equal(3, status.GetProperty("open_connections").GetInt32());
            Assert.Equal(0, status.GetProperty("dropped_datagrams").GetInt64());
            Assert.Equal(1, events.Count("start"));
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    [PodmanFact]
    public async Task ThousandDatagramBurstDuringWake_AllArriveInOrderPerClient()
    {
        const int clientCount = 4;
        const int perClient = 250;
        var svc = await NewServiceAsync(idle: "30s");
        await using var serve = await StartServeAsync(svc.File);
        var clients = Enumerable.Range(0, clientCount).Select(_ => new UdpTestClient(svc.Endpoint)).ToList();
        try
        {
            // One burst, interleaved across the clients, while the service is dormant: the first
            // datagram starts the wake, which takes far longer than the burst.
            var burst = Stopwatch.StartNew();
            for (var n = 0; n < perClient; n++)
            {
                for (var i = 0; i < clientCount; i++)
                {
                    clients[i].Send($"c{i}-{n:D4}");
                }
            }

            burst.Stop();
            var received = await Task.WhenAll(clients.Select(async c =>
            {
                var replies = new List<string>(perClient);
                for (var n = 0; n < perClient; n++)
                {
                    replies.Add(await c.ReceiveAsync(replies.Count == 0 ? WakeLimit : ReplyLimit));
                }

                return replies;
            }));

            for (var i = 0; i < clientCount; i++)
            {
                Assert.Equal(Enumerable.Range(0, perClient).Select(n => $"c{i}-{n:D4}"), received[i]);
            }

            var status = await ReadStatusAsync(serve, svc.Name);
            Assert.Equal(0, status.GetProperty("dropped_datagrams").GetInt64());
            Assert.Equal(0, status.GetProperty("held_datagrams").GetInt32());
            Assert.Equal(1, status.GetProperty("wakes").GetInt64());
            Assert.True(
                burst.Elapsed.TotalMilliseconds < status.GetProperty("last_wake_milliseconds").GetDouble(),
                $"the burst took {burst.Elapsed.TotalMilliseconds:F0} ms, longer than the wake: it did not all arrive while waking");
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    [PodmanFact]
    public async Task QuietForFlowIdlePlusIdle_Stops_NextDatagramWakesAgain()
    {
        var svc = await NewServiceAsync(idle: "1s", flowIdle: "2s");
        await using var serve = await StartServeAsync(svc.File);
        using var client = new UdpTestClient(svc.Endpoint);
        Assert.Equal("hello", await client.RoundTripAsync("hello", WakeLimit));
        var quiet = Stopwatch.StartNew();

        // Past the service's idle but within flow idle: the live flow keeps it up.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.True(await IsRunningAsync(svc), "the container stopped while a udp flow was live");
        Assert.Equal(1, (await ReadStatusAsync(serve, svc.Name)).GetProperty("live_flows").GetInt32());

        await WaitUntilAsync(async () => !await IsRunningAsync(svc), TimeSpan.FromSeconds(15));
        Assert.True(quiet.Elapsed >= TimeSpan.FromSeconds(3), $"stopped {quiet.Elapsed} after the last datagram, before flow idle (2s) + idle (1s)");
        var dormant = await ReadStatusAsync(serve, svc.Name);
        Assert.Equal(0, dormant.GetProperty("live_flows").GetInt32());
        await WaitUntilAsync(async () => (await ReadStatusAsync(serve, svc.Name)).GetProperty("state").GetString() == "dormant", TimeSpan.FromSeconds(15));

        Assert.Equal("again", await client.RoundTripAsync("again", WakeLimit));
        Assert.Equal(2, (await ReadStatusAsync(serve, svc.Name)).GetProperty("wakes").GetInt64());
    }

    [PodmanFact]
    public async Task TcpAndUdpOnTheSamePortNumber_BothWork()
    {
        var name = TestNames.Unique()["podwake-".Length..];
        var port = FreePorts.NextForTcpAndUdp();
        var file = Path.Combine(_dir.Path, $"{name}.yaml");
        await File.WriteAllTextAsync(file, $"""
            name: {name}
            image: {await TestImages.UdpEchoAsync()}
            command: [/bin/busybox, sh, -c, "/udpecho 5353 & exec /bin/busybox httpd -f -p 5353 -h /www"]
            ports:
              - listen: "127.0.0.1:{port}"
                container: 5353
                protocol: tcp
              - listen: "127.0.0.1:{port}"
                container: 5353
                protocol: udp
            idle: 30s
            """);
        var endpoint = new IPEndPoint(IPAddress.Loopback, port);
        await using var serve = await StartServeAsync(file);
        using var client = new UdpTestClient(endpoint);

        var http = await RawHttp.GetAsync(endpoint);
        var echo = await client.RoundTripAsync("over udp", ReplyLimit);

        Assert.Equal(200, http.Status);
        Assert.Contains(TestImages.PageText, http.Body, StringComparison.Ordinal);
        Assert.Equal("over udp", echo);
        var status = await ReadStatusAsync(serve, name);
        Assert.Equal([$"127.0.0.1:{port}/tcp", $"127.0.0.1:{port}/udp"], status.GetProperty("listen").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(1, status.GetProperty("wakes").GetInt64());
    }

    private sealed record TestService(string Name, string File, IPEndPoint Endpoint)
    {
        public string Container => $"podwake-{Name}";
    }

    /// <summary>A udp-only echo service on a free loopback port, with the default readiness (its socket table).</summary>
    private async Task<TestService> NewServiceAsync(string idle, string? flowIdle = null)
    {
        var image = await TestImages.UdpEchoAsync();
        var name = TestNames.Unique()["podwake-".Length..];
        var port = FreePorts.NextForTcpAndUdp();
        var file = Path.Combine(_dir.Path, $"{name}.yaml");
        await File.WriteAllTextAsync(file, $"""
            name: {name}
            image: {image}
            ports:
              - listen: "127.0.0.1:{port}"
                container: 5353
                protocol: udp
            idle: {idle}
            {(flowIdle is null ? "" : $"udp: {{flow_idle: {flowIdle}}}")}
            """);
        return new TestService(name, file, new IPEndPoint(IPAddress.Loopback, port));
    }

    private static async Task<ServeProcess> StartServeAsync(params string[] files)
    {
        var serve = ServeProcess.Start(["serve", .. files]);
        try
        {
            await serve.WaitUntilServingAsync();
            return serve;
        }
        catch
        {
            await serve.DisposeAsync();
            throw;
        }
    }

    private async Task<bool> IsRunningAsync(TestService service) =>
        (await _podman.Client.InspectContainerAsync(service.Container, CancellationToken.None)).State.Running;

    private static async Task<JsonElement> ReadStatusAsync(ServeProcess serve, string name)
    {
        using var document = JsonDocument.Parse(await serve.StatusJsonAsync());
        return document.RootElement.EnumerateArray()
            .Where(d => d.GetProperty("pid").ValueKind == JsonValueKind.Number && d.GetProperty("pid").GetInt32() == serve.Pid)
            .SelectMany(d => d.GetProperty("services").EnumerateArray())
            .Single(s => s.GetProperty("name").GetString() == name)
            .Clone();
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"condition not met within {limit}");
            await Task.Delay(50);
        }
    }
}
