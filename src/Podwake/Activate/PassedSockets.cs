using System.Net;
using System.Net.Sockets;
using Podwake.Specs;
using Podwake.Systemd;
using Podwake.Units;

namespace Podwake.Activate;

/// <summary>Matches the sockets systemd passed to the <c>ports:</c> of the service file deploy installed.</summary>
internal static class PassedSockets
{
    /// <summary>
    /// Pairs each <c>ports:</c> entry with the passed socket bound to its address and protocol. systemd gives every
    /// socket of one unit the same name, so the name only confirms the sockets are this service's.
    /// </summary>
    public static List<(PortSpec Port, Socket Socket)> Match(ServiceSpec spec, IReadOnlyList<ListenFd> passed)
    {
        var expectedName = UnitGenerator.FileDescriptorName(spec.Name);
        var pairs = new List<(PortSpec, Socket)>();
        var problems = new List<string>();
        var unused = passed.ToList();
        foreach (var port in spec.Ports)
        {
            var type = port.Protocol == Protocol.Udp ? SocketType.Dgram : SocketType.Stream;
            var fd = unused.FirstOrDefault(f => f.Socket.SocketType == type && IsBoundTo(f.Socket, port));
            if (fd is null)
            {
                problems.Add($"no passed socket listens on {port.ListenDisplay}");
                continue;
            }

            unused.Remove(fd);
            pairs.Add((port, fd.Socket));
        }

        problems.AddRange(unused.Select(f => $"a passed socket ({f.Name}, {f.Socket.LocalEndPoint}) matches no port of the service file"));
        problems.AddRange(passed.Where(f => f.Name != expectedName).Select(f => $"a passed socket is named {f.Name}, not {expectedName}"));
        if (problems.Count > 0)
        {
            passed.ToList().ForEach(f => f.Socket.Dispose());
            throw new EnvironmentException(
                $"the sockets systemd passed do not match the service file of {spec.Name}: {string.Join("; ", problems)}; "
                + $"run podwake deploy again so {UnitGenerator.SocketUnitName(spec.Name)} and the service file agree");
        }

        return pairs;
    }

    /// <summary>
    /// The passed socket is bound to the port's address: the IP address and port, or for a unix listener the path
    /// (abstract names read back as <c>@NAME</c>), since a unix socket has no port to match.
    /// </summary>
    private static bool IsBoundTo(Socket socket, PortSpec port) =>
        port.Unix is { } unix
            ? socket.AddressFamily == AddressFamily.Unix && socket.LocalEndPoint?.ToString() == unix.Path
            : socket.AddressFamily != AddressFamily.Unix && Equals(socket.LocalEndPoint as IPEndPoint, port.Listen);
}
