namespace Podwake.Activation;

/// <summary>
/// One open connection's hold on a ready run. While any lease is open the service is not idle;
/// <see cref="Lost"/> fires when the run dies, so the proxy can close its connection at once
/// instead of waiting on a socket into a network namespace that no longer exists.
/// </summary>
internal sealed class ActivationLease : IDisposable
{
    private readonly ServiceActivator _owner;
    private int _released;

    internal ActivationLease(ServiceActivator owner, WorkloadInstance instance, CancellationToken lost)
    {
        _owner = owner;
        Instance = instance;
        Lost = lost;
    }

    public WorkloadInstance Instance { get; }

    public CancellationToken Lost { get; }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            _owner.Release();
        }
    }
}
