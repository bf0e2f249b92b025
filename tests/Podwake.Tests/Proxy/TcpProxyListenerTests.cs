using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Podwake.Activation;
using Podwake.Proxy;
using Podwake.Tests.Activation;
using Xunit;

namespace Podwake.Tests.Proxy;

public sealed class TcpProxyListenerTests
{
    [Fact]
    public async Task ShutDown_ConnectionsStillInTheBacklog_GetAFinNotAReset()
    {
        // serve's Ctrl-C right after a client connected: the connection may still wait in the kernel's accept queue, and
        // closing the listening socket then resets it (seen once in a loaded CI run: "Connection reset by peer").
        await using var activator = new ServiceActivator("svc", new ActivationOptions(), new FakeWorkload(), new FakeTimeProvider(), NullLogger.Instance);
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        socket.Listen(16);
        var listener = new TcpProxyListener(socket, 8080, activator, TimeSpan.FromSeconds(5), TimeProvider.System, NullLogger.Instance);
        var endpoint = (IPEndPoint)listener.LocalEndPoint!;
        var clients = new List<Socket>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                clients.Add(client);
                await client.ConnectAsync(endpoint); // queued: the listener was never started
            }

            await clients[0].SendAsync("GET / HTTP/1.1\r\n\r\n"u8.ToArray(), SocketFlags.None);

            await listener.ShutDownAsync();

            foreach (var client in clients)
            {
                Assert.Equal(0, await client.ReceiveAsync(new byte[16], SocketFlags.None).WaitAsync(TimeSpan.FromSeconds(5)));
            }
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }
}
