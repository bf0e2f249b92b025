namespace Podwake.Proxy;

/// <summary>
/// One open connection's (or live UDP flow's) hold on a reachable backend. While any lease is open the service is
/// not idle; <see cref="Lost"/> fires when the backend goes away (the container died or was stopped), so the proxy
/// closes its connection at once instead of waiting on a socket into a network namespace that no longer exists.
/// </summary>
internal sealed class BackendLease : IDisposable
{
    private readonly IServiceGate _owner;
    private int _released;

    public BackendLease(IServiceGate owner, Backend backend, CancellationToken lost, bool awaitsFirstByte = false)
    {
        _owner = owner;
        Backend = backend;
        Lost = lost;
        AwaitsFirstByte = awaitsFirstByte;
    }

    public Backend Backend { get; }

    public CancellationToken Lost { get; }

    /// <summary>
    /// The run was just woken and no byte of it has reached a client yet: the proxy reports this lease's first byte to
    /// a client (<see cref="FirstByteSent"/>), which ends the wake's last phase. False on every later connection, which
    /// then costs nothing extra.
    /// </summary>
    public bool AwaitsFirstByte { get; }

    public void FirstByteSent() => _owner.FirstByteSent(this);

    /// <summary>Counts what this connection (or datagram) carried each way.</summary>
    public void Transferred(long toService, long toClient) => _owner.Transferred(toService, toClient);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            _owner.Release(this);
        }
    }
}
