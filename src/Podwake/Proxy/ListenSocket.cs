using System.Net;
using System.Net.Sockets;
using Podwake.Specs;

namespace Podwake.Proxy;

/// <summary>Binds a service's listen address, turning bind failures into messages that say what to do.</summary>
internal static class ListenSocket
{
    /// <summary>SOL_SOCKET and SO_REUSEADDR of Linux's socket(7).</summary>
    private const int SolSocket = 1;

    private const int SoReuseAddr = 2;

    public static Socket BindTcp(PortSpec port)
    {
        var endpoint = port.Ip;
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endpoint.AddressFamily == AddressFamily.InterNetworkV6 && endpoint.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            // SO_REUSEADDR alone: it lets a restarted podwake bind while old connections sit in TIME_WAIT, and still
            // fails while another socket listens there. Not the ReuseAddress property: .NET on Linux sets SO_REUSEPORT
            // with it, which let a second serve of the same file bind the same port and take half the connections
            // (issue 9: half the requests got an empty reply).
            socket.SetRawSocketOption(SolSocket, SoReuseAddr, BitConverter.GetBytes(1));
            socket.Bind(endpoint);
            socket.Listen(ListenDefaults.Backlog);
            return socket;
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new EnvironmentException(Explain(endpoint, port.Protocol, ex), ex);
        }
    }

    /// <summary>
    /// Binds a udp listen address. No SO_REUSEADDR (nor SO_REUSEPORT): for UDP either would let a second process
    /// bind the same address and silently share its datagrams, instead of failing as a port conflict should.
    /// </summary>
    public static Socket BindUdp(PortSpec port)
    {
        var endpoint = port.Ip;
        var socket = new Socket(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (endpoint.AddressFamily == AddressFamily.InterNetworkV6 && endpoint.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            socket.ReceiveBufferSize = ListenDefaults.UdpReceiveBuffer;
            socket.Bind(endpoint);
            return socket;
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new EnvironmentException(Explain(endpoint, port.Protocol, ex), ex);
        }
    }

    /// <summary>Binds an IP listen address with its protocol; unix socket listeners: <see cref="UnixListenSocket"/>.</summary>
    public static Socket Bind(PortSpec port) => port.Protocol == Protocol.Udp ? BindUdp(port) : BindTcp(port);

    private static string Explain(IPEndPoint endpoint, Protocol protocol, SocketException ex)
    {
        var where = $"{Format(endpoint)}/{protocol.ToText()}";
        var ss = protocol == Protocol.Udp ? "ss -lunp" : "ss -ltnp";
        return ex.SocketErrorCode switch
        {
            SocketError.AddressAlreadyInUse =>
                $"Failed to listen on {where}: the address is already in use; find the owner with `{ss} 'sport = :{endpoint.Port}'` and stop it, or choose another `listen:` port",
            SocketError.AccessDenied =>
                $"Failed to listen on {where}: ports below 1024 need root; run as root, lower net.ipv4.ip_unprivileged_port_start, or listen on a high port and use `expose:`",
            SocketError.AddressNotAvailable =>
                $"Failed to listen on {where}: no interface of this host has that address; use one from `ip -brief address` or 0.0.0.0",
            _ => $"Failed to listen on {where}: {ex.Message}",
        };
    }

    public static string Format(IPEndPoint endpoint) =>
        endpoint.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{endpoint.Address}]:{endpoint.Port}" : endpoint.ToString();
}
