using System.Diagnostics;
using Podwake.IntegrationTests.Infrastructure;
using Xunit;

namespace Podwake.IntegrationTests.Deploy;

/// <summary>
/// <c>protocol: udp</c> in the systemd runtime: the socket unit's <c>ListenDatagram=</c> holds the port while dormant,
/// the first datagram makes systemd start <c>podwake activate</c>, which adopts the datagram socket and proxies it.
/// Real user manager, real podman, the test image's UDP echo server.
/// </summary>
[Collection(UdpBurstCollection.Name)]
public sealed class DeployUdpTests
{
    private static readonly TimeSpan WakeLimit = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ReplyLimit = TimeSpan.FromSeconds(5);

    [UserManagerFact]
    public async Task FirstDatagramsFromThreeClients_WakeIt_EachGetsOnlyItsOwnReplies()
    {
        await using var service = await DeployEchoAsync(idle: "30s");
        Assert.False(await service.ContainerRunningAsync(), "the container runs before any datagram");
        var clients = Enumerable.Range(0, 3).Select(_ => new UdpTestClient(service.Endpoint)).ToList();
        try
        {
            var first = await Task.WhenAll(clients.Select((c, i) => c.RoundTripAsync($"client{i}-first", WakeLimit)));
            Assert.Equal(["client0-first", "client1-first", "client2-first"], first);

            await UdpTestClient.AssertEachGetsItsOwnRepliesAsync(clients, rounds: 50, ReplyLimit);

            Assert.True(await service.ContainerRunningAsync());
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    /// <remarks>
    /// Rootful only (scripts/test leaves it out of the rootless run): rootless, about one run in two lost the tail of one
    /// client's replies (e.g. 145 of 250, then nothing for 5 s) while podwake's own status counted every flow live and
    /// no datagram dropped or held, so the loss is past podwake, in podman's rootless UDP forwarder (rootlessport) right
    /// after a systemd-started container comes up; the same burst through <c>podwake serve</c> rootless arrives whole.
    /// Not understood yet: a known gap, not a pass.
    /// </remarks>
    [UserManagerFact]
    [Trait("rootless", "known-gap")]
    public async Task ThousandDatagramBurstWhileDormant_AllArriveInOrderPerClient()
    {
        const int clientCount = 4;
        const int perClient = 250;
        await using var service = await DeployEchoAsync(idle: "30s");
        var clients = Enumerable.Range(0, clientCount).Select(_ => new UdpTestClient(service.Endpoint)).ToList();
        try
        {
            // The whole burst arrives before systemd has even started the activator: it waits in the socket unit's
            // socket (ReceiveBuffer=), then in the activator's wake buffer.
            for (var n = 0; n < perClient; n++)
            {
                for (var i = 0; i < clientCount; i++)
                {
                    clients[i].Send($"c{i}-{n:D4}");
                }
            }

            var received = await Task.WhenAll(clients.Select(async c =>
            {
                var replies = new List<string>(perClient);
                try
                {
                    for (var n = 0; n < perClient; n++)
                    {
                        replies.Add(await c.ReceiveAsync(replies.Count == 0 ? WakeLimit : ReplyLimit));
                    }
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    replies.Add($"(then nothing: {ex.Message})");
                }

                return replies;
            }));

            var status = await PodwakeCli.RunAsync("status", "--json", service.Name);
            Assert.Contains("\"dropped_datagrams\": 0,", status.Stdout, StringComparison.Ordinal);
            for (var i = 0; i < clientCount; i++)
            {
                Assert.True(
                    Enumerable.Range(0, perClient).Select(n => $"c{i}-{n:D4}").SequenceEqual(received[i]),
                    $"client {i} got {received[i].Count} replies, last {received[i][^1]}; podwake status: {status.Stdout}");
            }
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    [UserManagerFact]
    public async Task QuietForFlowIdlePlusIdle_NothingRuns_NextDatagramWakesAgain()
    {
        await using var service = await DeployEchoAsync(idle: "1s", extra: "udp: {flow_idle: 2s}");
        using var client = new UdpTestClient(service.Endpoint);
        Assert.Equal("hello", await client.RoundTripAsync("hello", WakeLimit));
        var quiet = Stopwatch.StartNew();

        // Past idle but within flow idle: the live flow keeps the service up (a sleep on purpose: the scenario is the
        // time passing).
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.True(await service.ContainerRunningAsync(), "the container stopped while a udp flow was live");

        Assert.True(await service.WaitUntilDormantAsync(TimeSpan.FromSeconds(30)), $"still running: {string.Join("; ", service.ServiceProcesses())}");
        Assert.True(quiet.Elapsed >= TimeSpan.FromSeconds(3), $"dormant {quiet.Elapsed} after the last datagram, before flow idle (2s) + idle (1s)");
        Assert.Equal("active", await DeployedService.ActiveStateAsync($"podwake-{service.Name}.socket"));

        Assert.Equal("again", await client.RoundTripAsync("again", WakeLimit));
    }

    [UserManagerFact]
    public async Task TcpAndUdpOnTheSamePortNumber_BothWork()
    {
        await using var service = new DeployedService(udp: true);
        service.WriteYaml($$"""
            image: {{await TestImages.UdpEchoAsync()}}
            command: [/bin/busybox, sh, -c, "/udpecho 5353 & exec /bin/busybox httpd -f -p 5353 -h /www"]
            ports:
              - {listen: "127.0.0.1:PORT", container: 5353, protocol: tcp}
              - {listen: "127.0.0.1:PORT", container: 5353, protocol: udp}
            idle: 30s
            """);
        await service.DeployOrFailAsync();
        var status = await DeployedService.SystemctlAsync("status", "--no-pager", $"podwake-{service.Name}.socket");
        Assert.Contains($"127.0.0.1:{service.Port} (Stream)", status.Stdout, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{service.Port} (Datagram)", status.Stdout, StringComparison.Ordinal);
        using var client = new UdpTestClient(service.Endpoint);

        var http = await RawHttp.GetAsync(service.Endpoint);
        var echo = await client.RoundTripAsync("over udp", ReplyLimit);

        Assert.Equal(200, http.Status);
        Assert.Contains(TestImages.PageText, http.Body, StringComparison.Ordinal);
        Assert.Equal("over udp", echo);
    }

    /// <summary>A deployed udp-only echo service with the default readiness (its socket table).</summary>
    private static async Task<DeployedService> DeployEchoAsync(string idle, string extra = "")
    {
        var service = new DeployedService(udp: true);
        try
        {
            service.WriteYaml($$"""
                image: {{await TestImages.UdpEchoAsync()}}
                ports: [{listen: "127.0.0.1:PORT", container: 5353, protocol: udp}]
                idle: {{idle}}
                {{extra}}
                """);
            await service.DeployOrFailAsync();
            return service;
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
    }
}
