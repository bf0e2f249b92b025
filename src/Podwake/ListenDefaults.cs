namespace Podwake;

/// <summary>
/// How a service's listening sockets are set up, the same whether <c>podwake serve</c> binds them itself or a
/// deployed <c>.socket</c> unit has systemd bind them (<c>Backlog=</c>, <c>ReceiveBuffer=</c>).
/// </summary>
internal static class ListenDefaults
{
    /// <summary>
    /// The accept queue of a dormant service: connections wait here only until the accept loop takes
    /// them (it keeps accepting while the container wakes), so a burst of first connections is not
    /// refused. The kernel caps it at net.core.somaxconn.
    /// </summary>
    public const int Backlog = 4096;

    /// <summary>
    /// The receive buffer asked for a udp listener: a burst of first datagrams waits here only until
    /// the receive loop moves it into the flow table's buffer, but on 2 shared cores that can take a
    /// few milliseconds, and the default (212992 bytes, ~300 small datagrams at loopback's per-packet
    /// truesize) lost part of a 1000-datagram burst. The kernel caps it at net.core.rmem_max (4 MiB here).
    /// </summary>
    public const int UdpReceiveBuffer = 4 * 1024 * 1024;
}
