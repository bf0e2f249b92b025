namespace Podwake.Specs;

internal enum ReadyKind
{
    /// <summary>A TCP port in the container accepts connections.</summary>
    Tcp,

    /// <summary>
    /// A UDP socket is bound to the port inside the container, read from its socket table
    /// (<c>/proc/PID/net/udp</c>): UDP has no handshake to probe, and an application datagram would
    /// need a protocol podwake does not know.
    /// </summary>
    Udp,

    /// <summary>GET of a path on a container port answers 2xx or 3xx.</summary>
    Http,

    /// <summary>A command run inside the container exits 0.</summary>
    Exec,
}
