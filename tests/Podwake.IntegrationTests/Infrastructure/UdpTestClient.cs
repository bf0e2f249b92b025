using System.Net;
using System.Net.Sockets;
using System.Text;
using Xunit;

namespace Podwake.IntegrationTests.Infrastructure;

/// <summary>
/// A UDP client as a DNS resolver is one: a socket connected to the service's listen address, so
/// the kernel delivers only datagrams that come back from that address.
/// </summary>
internal sealed class UdpTestClient : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly byte[] _buffer = new byte[65536];

    public UdpTestClient(IPEndPoint service)
    {
        // Room for a whole burst of replies while the test is still sending.
        _socket.ReceiveBufferSize = 4 * 1024 * 1024;
        _socket.Connect(service);
    }

    public void Send(string text) => _socket.Send(Encoding.ASCII.GetBytes(text));

    /// <summary>The next datagram; fails the test when none comes within <paramref name="timeout"/>.</summary>
    public async Task<string> ReceiveAsync(TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            var length = await _socket.ReceiveAsync(_buffer.AsMemory(), SocketFlags.None, limit.Token);
            return Encoding.ASCII.GetString(_buffer, 0, length);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"no datagram came back from {_socket.RemoteEndPoint} within {timeout}");
            throw;
        }
    }

    /// <summary>The next datagram, or null when none comes within <paramref name="timeout"/>.</summary>
    public async Task<string?> TryReceiveAsync(TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            var length = await _socket.ReceiveAsync(_buffer.AsMemory(), SocketFlags.None, limit.Token);
            return Encoding.ASCII.GetString(_buffer, 0, length);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Sends <paramref name="text"/> and returns the reply.</summary>
    public async Task<string> RoundTripAsync(string text, TimeSpan timeout)
    {
        Send(text);
        return await ReceiveAsync(timeout);
    }

    /// <summary>
    /// Every client, at the same time, makes <paramref name="rounds"/> round trips tagged with its own index; each must
    /// get back exactly its own datagrams, in order.
    /// </summary>
    public static async Task AssertEachGetsItsOwnRepliesAsync(IReadOnlyList<UdpTestClient> clients, int rounds, TimeSpan timeout)
    {
        var replies = await Task.WhenAll(clients.Select(async (c, i) =>
        {
            var got = new List<string>();
            for (var n = 0; n < rounds; n++)
            {
                got.Add(await c.RoundTripAsync($"client{i}-{n}", timeout));
            }

            return got;
        }));

        for (var i = 0; i < clients.Count; i++)
        {
            Assert.Equal(Enumerable.Range(0, rounds).Select(n => $"client{i}-{n}"), replies[i]);
        }
    }

    public void Dispose() => _socket.Dispose();
}
