using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Podwake.Activation;
using Podwake.Proxy;
using Podwake.Specs;
using Podwake.Tests.Activation;
using Xunit;

namespace Podwake.Tests.Proxy;

/// <summary>
/// Datagrams buffered by flows that end before the wake (evicted by a flood of new sources) are counted and logged
/// once per second at most, not once per flow: 60,000 loopback sources during a 4 s wake wrote 66,663 such lines.
/// </summary>
public sealed class UdpHeldDropLogTests
{
    private const int Sources = 1500;

    [Fact]
    public async Task FloodOfNewSourcesDuringWake_EvictedFlowsLoggedAsCountsNotPerFlow()
    {
        // The wake never completes while the flood lasts: every flow holds its datagram until evicted.
        var workload = new FakeWorkload { StartGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        await using var activator = new ServiceActivator("svc", new ActivationOptions(), workload, TimeProvider.System, NullLogger.Instance);
        var logger = new ListLogger();
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var listener = new UdpProxyListener(socket, 8080, activator, new UdpSpec { MaxFlows = 100 }, TimeProvider.System, logger);
        await using (listener)
        {
            listener.Start();
            var target = listener.LocalEndPoint!;
            for (var i = 0; i < Sources; i++)
            {
                using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                client.Bind(new IPEndPoint(new IPAddress([127, 10, (byte)(i / 250), (byte)(1 + (i % 250))]), 0));
                await client.SendToAsync(new byte[] { 1, 2, 3 }, SocketFlags.None, target);
                if (i % 100 == 99)
                {
                    // A flood spread over about 1.5 s: the eviction rate (max_flows a second) lets most sources in.
                    await Task.Delay(100);
                }
            }

            await Task.Delay(TimeSpan.FromSeconds(1.5));
            var evicted = activator.Datagrams.EvictedFlows;
            var lines = logger.Lines.Where(l => l.Contains("buffered datagram", StringComparison.Ordinal)).ToList();

            Assert.True(evicted >= 200, $"only {evicted} flows evicted: the flood did not turn the table over");
            Assert.True(lines.Count <= 6, $"{lines.Count} lines for {evicted} evicted flows:\n{string.Join('\n', lines.Take(10))}");
            Assert.All(lines, l => Assert.Contains("evicted", l, StringComparison.Ordinal));
            Assert.DoesNotContain(lines, l => l.Contains("before the service was ready", StringComparison.Ordinal));
        }
    }
}
