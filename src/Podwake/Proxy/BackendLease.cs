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

    public BackendLease(IServiceGate owner, Backend backend, CancellationToken lost)
    {
        _owner = owner;
        Backend = backend;
        Lost = lost;
    }

    public Backend Backend { get; }

    public CancellationToken Lost { get; }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            _owner.Release(this);
        }
    }
}
