namespace Podwake.Proxy;

/// <summary>
/// What a listener asks of the service behind it: a lease on a reachable backend for each connection or UDP flow.
/// The service behind it wakes on demand (<c>Activation.ServiceActivator</c>); the proxy knows nothing of containers.
/// </summary>
internal interface IServiceGate
{
    /// <summary>The service's name, for the proxy's log lines.</summary>
    string Name { get; }

    /// <summary>The service's UDP bookkeeping, shared by all of its udp listeners.</summary>
    DatagramAccounting Datagrams { get; }

    /// <summary>
    /// Counts a new connection as open and returns a lease on a ready backend, waking the service when needed; null
    /// when the service cannot serve it now (wake failed or timed out, too many held): close the connection cleanly.
    /// </summary>
    ValueTask<BackendLease?> AcquireAsync(CancellationToken cancellationToken);

    /// <summary>Gives back a lease's hold (called once per lease, by <see cref="BackendLease.Dispose"/>).</summary>
    void Release(BackendLease lease);

    /// <summary>The first byte from the service reached a client on <paramref name="lease"/> (see <see cref="BackendLease.AwaitsFirstByte"/>).</summary>
    void FirstByteSent(BackendLease lease);

    /// <summary>Bytes proxied each way, for the service's counters.</summary>
    void Transferred(long toService, long toClient);

    /// <summary>A connection to <paramref name="backend"/> failed: the service checks whether it still runs.</summary>
    Task ReportUnreachableAsync(Backend backend, CancellationToken cancellationToken);
}
