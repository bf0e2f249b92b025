using System.Globalization;

namespace Podwake.Activation;

/// <summary>
/// Reads a process's network namespace socket tables (<c>/proc/PID/net/tcp</c>, <c>udp</c> and their
/// <c>6</c> variants) to tell whether something listens on a port inside a container, without
/// connecting to it (rootless podman's forwarder accepts before the container listens) and without
/// sending it a datagram (UDP has no handshake, and a probe datagram would be application traffic).
/// </summary>
internal static class ContainerSocketTable
{
    /// <summary>State column value of a listening socket (include/net/tcp_states.h: TCP_LISTEN = 10).</summary>
    private const string ListenState = "0A";

    /// <summary>State of an unconnected UDP socket, i.e. a server's bound socket (TCP_CLOSE = 7).</summary>
    private const string UnconnectedState = "07";

    public static bool IsListening(int pid, int port) =>
        pid > 0 && (IsListeningIn($"/proc/{pid}/net/tcp", port) || IsListeningIn($"/proc/{pid}/net/tcp6", port));

    /// <summary>True when an unconnected UDP socket is bound to <paramref name="port"/> in the process's namespace.</summary>
    public static bool IsUdpBound(int pid, int port) =>
        pid > 0 && (IsListeningIn($"/proc/{pid}/net/udp", port, UnconnectedState) || IsListeningIn($"/proc/{pid}/net/udp6", port, UnconnectedState));

    internal static bool IsListeningIn(string path, int port, string state = ListenState)
    {
        IEnumerable<string> lines;
        try
        {
            lines = File.ReadLines(path);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }

        return lines.Skip(1).Any(line => IsListeningLine(line, port, state));
    }

    /// <summary>A line looks like <c>0: 00000000:1F90 00000000:0000 0A ...</c>: local address:port (hex), remote, state.</summary>
    internal static bool IsListeningLine(string line, int port, string state = ListenState)
    {
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 4 || fields[3] != state)
        {
            return false;
        }

        var colon = fields[1].LastIndexOf(':');
        return colon > 0
            && int.TryParse(fields[1].AsSpan(colon + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var local)
            && local == port;
    }
}
