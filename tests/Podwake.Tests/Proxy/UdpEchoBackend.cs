using System.Net;
using System.Net.Sockets;

namespace Podwake.Tests.Proxy;

/// <summary>A udp server on loopback that sends every datagram back to its sender: the container of the udp tests.</summary>
internal sealed class UdpEchoBackend : IAsyncDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly Task _loop;
    private int _received;

    public UdpEchoBackend()
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _loop = Task.Run(EchoAsync);
    }

    public IPEndPoint EndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>Each datagram received, in arrival order.</summary>
    public List<byte[]> Received { get; } = [];

    public int Count => Volatile.Read(ref _received);

    public async ValueTask DisposeAsync()
    {
        _socket.Dispose();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task EchoAsync()
    {
        var buffer = new byte[65536];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (true)
        {
            var result = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any);
            lock (Received)
            {
                Received.Add(buffer[..result.ReceivedBytes]);
            }

            Interlocked.Increment(ref _received);
            await _socket.SendToAsync(buffer.AsMemory(0, result.ReceivedBytes), SocketFlags.None, result.RemoteEndPoint);
        }
    }
}
