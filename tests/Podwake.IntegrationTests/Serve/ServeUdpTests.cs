using System.Diagnostics;
using System.Net;
using Podwake.IntegrationTests.Infrastructure;
using Xunit;

namespace Podwake.IntegrationTests.Serve;

/// <summary>
/// The acceptance tests of <c>protocol: udp</c> in <c>podwake serve</c>: the real binary, real podman
/// (rootful or rootless, whoever runs the tests), the test image's UDP echo server, real sockets.
/// </summary>
[Collection(UdpBurstCollection.Name)]
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
        await using var serve = await ServeProcess.StartServingAsync(svc.File);
        Assert.False(await IsRunningAsync(svc), "a container runs before any datagram");
        using var events = new EventRecorder(_podman.Client, svc.Container);
        await events.StartedAsync();
        var clients = Enumerable.Range(0, 3).Select(_ => new UdpTestClient(svc.Endpoint)).ToList();
        try
        {
            // Each client sends its first datagram to the dormant service at the same time.
            var first = await Task.WhenAll(clients.Select((c, i) => c.RoundTripAsync($"client{i}-first", WakeLimit)));
            Assert.Equal(["client0-first", "client1-first", "client2-first"], first);

            await UdpTestClient.AssertEachGetsItsOwnRepliesAsync(clients, rounds: 50, ReplyLimit);

            var status = await serve.ServiceStatusAsync(svc.Name);
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

    /// <remarks>
    /// Rootful only (scripts/test leaves it out of the rootless run): rootless, the burst crosses podman's userspace UDP
    /// forwarder (rootlessport), which now and then lost the tail of one client's replies even with this test running
    /// alone (once in about ten runs here), while podwake forwarded every datagram. See DeployUdpTests' burst: a known gap.
    /// </remarks>
    [PodmanFact]
    [Trait("rootless", "known-gap")]
    public async Task ThousandDatagramBurstDuringWake_AllArriveInOrderPerClient()
    {
        const int clientCount = 4;
        const int perClient = 250;
        var svc = await NewServiceAsync(idle: "30s");
        await using var serve = await ServeProcess.StartServingAsync(svc.File);
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

            var status = await serve.ServiceStatusAsync(svc.Name);
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
        // flow_idle well past the 1.5 s below: the checks there (podman inspect, podwake status, each a process) took
        // over 0.5 s on a loaded host and found the flow already gone.
        var svc = await NewServiceAsync(idle: "1s", flowIdle: "4s");
        await using var serve = await ServeProcess.StartServingAsync(svc.File);
        using var client = new UdpTestClient(svc.Endpoint);
        Assert.Equal("hello", await client.RoundTripAsync("hello", WakeLimit));
        var quiet = Stopwatch.StartNew();

        // Past the service's idle but within flow idle: the live flow keeps it up (a sleep on purpose: the scenario is
        // the time passing).
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Equal(1, (await serve.ServiceStatusAsync(svc.Name)).GetProperty("live_flows").GetInt32());
        Assert.True(await IsRunningAsync(svc), "the container stopped while a udp flow was live");

        await Eventually.TrueAsync(async () => !await IsRunningAsync(svc), TimeSpan.FromSeconds(15));
        Assert.True(quiet.Elapsed >= TimeSpan.FromSeconds(5), $"stopped {quiet.Elapsed} after the last datagram, before flow idle (4s) + idle (1s)");
        var dormant = await serve.ServiceStatusAsync(svc.Name);
        Assert.Equal(0, dormant.GetProperty("live_flows").GetInt32());
        await Eventually.TrueAsync(async () => (await serve.ServiceStatusAsync(svc.Name)).GetProperty("state").GetString() == "dormant", TimeSpan.FromSeconds(15));

        Assert.Equal("again", await client.RoundTripAsync("again", WakeLimit));
        Assert.Equal(2, (await serve.ServiceStatusAsync(svc.Name)).GetProperty("wakes").GetInt64());
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
        await using var serve = await ServeProcess.StartServingAsync(file);
        using var client = new UdpTestClient(endpoint);

        var http = await RawHttp.GetAsync(endpoint);
        var echo = await client.RoundTripAsync("over udp", ReplyLimit);

        Assert.Equal(200, http.Status);
        Assert.Contains(TestImages.PageText, http.Body, StringComparison.Ordinal);
        Assert.Equal("over udp", echo);
        var status = await serve.ServiceStatusAsync(name);
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

    private async Task<bool> IsRunningAsync(TestService service) =>
        (await _podman.Client.InspectContainerAsync(service.Container, CancellationToken.None)).State.Running;
}
